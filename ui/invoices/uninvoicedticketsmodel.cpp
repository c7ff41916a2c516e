#include "uninvoicedticketsmodel.h"

#include "common/feedback.h"

namespace fb::ui {

void UninvoicedTicketsModel::setJobs(const QList<TicketWithDetails> &jobs)
{
    replaceRows(m_jobs, jobs, [](const TicketWithDetails &row) { return row.ticket.id; });
}

const TicketWithDetails *UninvoicedTicketsModel::jobAt(int row) const
{
    return row >= 0 && row < m_jobs.size() ? &m_jobs.at(row) : nullptr;
}

int UninvoicedTicketsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int UninvoicedTicketsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UninvoicedTicketsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TicketWithDetails &job = m_jobs.at(index.row());
    switch (role) {
    case IdRole:
        return job.ticket.id;
    case Qt::TextAlignmentRole:
        if (index.column() == Total)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Closed:
            return formatLocal(job.ticket.closedAt.isValid() ? job.ticket.closedAt : job.ticket.scheduledAt);
        case Customer:
            return job.contact.name;
        case Address:
            return job.address.oneLine();
        case Total:
            return formatMoney(job.total.cents());
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant UninvoicedTicketsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Closed:
        return tr("Completed");
    case Customer:
        return tr("Customer");
    case Address:
        return tr("Address");
    case Total:
        return tr("Total");
    default:
        return {};
    }
}

} // namespace fb::ui
