#pragma once

#include "common/rowdiffmodel.h"
#include "history/historymodel.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// The audit trail of a ticket and its line items, newest first: when (local), what, the action, and what
/// changed ("Status: Scheduled → In progress"). The rows come described by HistoryDescriber, as on the
/// History screen; only the subject is the ticket's own ("Job", or the line item's description).
class TicketHistoryModel final : public RowDiffModel<QAbstractTableModel>
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

    explicit TicketHistoryModel(QObject *parent = nullptr);

    void setRows(const QList<HistoryRow> &rows);
    const QList<HistoryRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<HistoryRow> m_rows;
};

} // namespace fb::ui
