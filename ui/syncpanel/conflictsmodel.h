#pragma once

#include "util/result.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb {
class Core;
struct SyncConflict;
} // namespace fb

namespace fb::ui {

class HistoryDescriber;

/// The merge conflicts of the technician's changes (issue 14, item 4), newest first, in words: when, the
/// thing
/// ("Job on Tue 8 Dec for Rosa Diaz"), the field ("time", "notes"), the other side's value and the
/// technician's (money as money, times in local time), and which was kept ("the office's kept").
class ConflictsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConflictsModel)

public:
    enum Column
    {
        When,
        What,
        Field,
        Theirs,
        Mine,
        Outcome,
        ColumnCount
    };

    explicit ConflictsModel(QObject *parent = nullptr);

    /// Reads the conflicts through core (ConflictService). On an error the list is left as it was.
    Status load(Core &core);

    /// A field as the technician reads it: "time" for scheduled_at, "notes", "total".
    static QString fieldText(const QString &entityType, const QString &field);
    static QString outcomeText(const SyncConflict &conflict);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString cells[ColumnCount];
        QString theirsAuthor;
    };
    static Row describe(HistoryDescriber &describer, const SyncConflict &conflict);

    QList<Row> m_rows;
};

} // namespace fb::ui
