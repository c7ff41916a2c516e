#pragma once

#include "common/rowdiffmodel.h"
#include "models/ticket.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// Completed jobs left to bill (InvoiceService::uninvoicedTickets), with their customer, address and total:
/// the choices of a new invoice from a job.
class UninvoicedTicketsModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UninvoicedTicketsModel)

public:
    enum Column
    {
        Closed,
        Customer,
        Address,
        Total,
        ColumnCount
    };
    /// The ticket's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;

    using RowDiffModel::RowDiffModel;

    void setJobs(const QList<TicketWithDetails> &jobs);
    const TicketWithDetails *jobAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<TicketWithDetails> m_jobs;
};

} // namespace fb::ui
