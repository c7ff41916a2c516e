#pragma once

#include "audit/auditlogger.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace fb::ui {

/// The audit trail of a ticket and its line items, newest first, as sentences: when (local), what, the
/// action, and what changed ("Status: Scheduled → In progress").
class TicketHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketHistoryModel)

public:
    enum Column
    {
        WhenColumn,
        SubjectColumn,
        ActionColumn,
        ChangesColumn,
        ColumnCount
    };

    struct Row
    {
        QDateTime at; ///< UTC
        QString subject;
        QString action;
        QString changes;
    };

    explicit TicketHistoryModel(QObject *parent = nullptr);

    void setRows(const QList<Row> &rows);
    const QList<Row> &rows() const { return m_rows; }

    /// One audit entry of a "ticket" or a "line_item" as a row; `subject` names the entity ("Job", or the
    /// line item's description).
    static Row describe(const AuditEntry &entry, const QString &subject);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Row> m_rows;
};

} // namespace fb::ui
