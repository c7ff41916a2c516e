#pragma once

#include "audit/auditlogger.h"
#include "common/rowdiffmodel.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace fb::ui {

/// What an audit entry did, as a person reads it. A restore is stored as an update of deleted_at (see
/// Store::restore) and reads as its own action.
enum class HistoryAction
{
    Created,
    Changed,
    Deleted,
    Restored
};

/// One audit entry, described.
struct HistoryRow
{
    AuditEntry entry;
    HistoryAction action = HistoryAction::Changed;
    QString actionText;         ///< "Created", "Added" (a line item), ...: HistoryDescriber::actionText()
    QString who;                ///< the technician's name
    QString subject;            ///< "Customer Margaret Hill", "Job on Sat 28 Nov for Margaret Hill"
    QList<QString> changes;     ///< "Name: Margaret Hill → Margaret Jones", one per field
    bool entityDeleted = false; ///< the trail's latest entry for the entity is a deletion: it is gone now
};

/// Audit entries as a table: when (local), who, what, action, changes. The rows come described
/// (HistoryDescriber, called by HistoryWidget); the model only shows them.
class HistoryModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryModel)

public:
    enum Column
    {
        WhenColumn,
        WhoColumn,
        SubjectColumn,
        ActionColumn,
        ChangesColumn,
        ColumnCount
    };
    /// HistoryAction (int) on every cell.
    static constexpr int ActionRole = Qt::UserRole + 1;
    /// The entry's entity type (QString) and id (QUuid) on every cell.
    static constexpr int EntityTypeRole = Qt::UserRole + 2;
    static constexpr int EntityIdRole = Qt::UserRole + 3;
    /// The entry's time (UTC QDateTime) on every cell.
    static constexpr int TimeRole = Qt::UserRole + 4;

    explicit HistoryModel(QObject *parent = nullptr);

    void setRows(QList<HistoryRow> rows);
    const QList<HistoryRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryRow> m_rows;
};

} // namespace fb::ui
