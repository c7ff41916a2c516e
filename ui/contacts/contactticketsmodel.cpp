#include "contactticketsmodel.h"

#include "addresslistmodel.h"
#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"

namespace fb::ui {

ContactTicketsModel::ContactTicketsModel(QObject *parent) : RowDiffModel(parent)
{
}

void ContactTicketsModel::setTickets(const QList<Ticket> &tickets, const QList<Address> &addresses)
{
    m_places.clear();
    for (const Address &address : addresses)
        m_places.insert(address.id, AddressListModel::describe(address));
    replaceRows(m_tickets, tickets, [](const Ticket &row) { return row.id; });
}

int ContactTicketsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tickets.size());
}

int ContactTicketsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContactTicketsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Ticket &ticket = m_tickets.at(index.row());
    if (role == IdRole)
        return ticket.id;
    if (index.column() == Status && role == kBadgeColorRole)
        return badgeColor(ticket.status);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case When:
        return formatLocal(ticket.scheduledAt);
    case Status:
        return statusLabel(ticket.status);
    case Where:
        return m_places.value(ticket.addressId, tr("(address removed)"));
    default:
        return {};
    }
}

QVariant ContactTicketsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Status:
        return tr("Status");
    case Where:
        return tr("Where");
    default:
        return {};
    }
}

} // namespace fb::ui
