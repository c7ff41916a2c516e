#include "contactinvoicesmodel.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"

namespace fb::ui {

ContactInvoicesModel::ContactInvoicesModel(QObject *parent) : RowDiffModel(parent)
{
}

void ContactInvoicesModel::setInvoices(const QList<Invoice> &invoices)
{
    replaceRows(m_invoices, invoices, [](const Invoice &row) { return row.id; });
}

int ContactInvoicesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_invoices.size());
}

int ContactInvoicesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContactInvoicesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Invoice &invoice = m_invoices.at(index.row());
    if (role == IdRole)
        return invoice.id;
    if (index.column() == Status && role == kBadgeColorRole)
        return badgeColor(invoice.status);
    if (index.column() == Total && role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (invoice.status == InvoiceStatus::Paid && invoice.paidAt.isValid())
            return tr("Paid %1").arg(formatLocal(invoice.paidAt));
        if (invoice.status == InvoiceStatus::Sent && invoice.sentAt.isValid())
            return tr("Sent %1, not yet paid").arg(formatLocal(invoice.sentAt));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Date:
        return formatLocal(invoice.createdAt);
    case Status:
        return statusLabel(invoice.status);
    case Total:
        return formatMoney(invoice.totalAmount.cents());
    default:
        return {};
    }
}

QVariant ContactInvoicesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == Total)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Date:
        return tr("Created");
    case Status:
        return tr("Status");
    case Total:
        return tr("Total");
    default:
        return {};
    }
}

} // namespace fb::ui
