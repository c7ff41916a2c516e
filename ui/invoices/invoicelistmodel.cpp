#include "invoicelistmodel.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"

#include <QLocale>

namespace fb::ui {

InvoiceListModel::InvoiceListModel(QObject *parent) : RowDiffModel(parent)
{
}

QString InvoiceListModel::invoiceNumber(const Invoice &invoice)
{
    // The number the device gave it ("SK-2026-B014"); invoices from before numbering show their id's start.
    if (invoice.number && !invoice.number->isEmpty())
        return *invoice.number;
    return QStringLiteral("INV-") + invoice.id.toString(QUuid::Id128).left(8).toUpper();
}

void InvoiceListModel::setInvoices(const QList<Invoice> &invoices, const QHash<QUuid, QString> &customerNames)
{
    m_names = customerNames;
    replaceRows(m_invoices, invoices, [](const Invoice &row) { return row.id; });
}

void InvoiceListModel::updateInvoice(const Invoice &invoice)
{
    updateRow(m_invoices, invoice, [](const Invoice &row) { return row.id; });
}

const Invoice *InvoiceListModel::invoiceAt(int row) const
{
    return row >= 0 && row < m_invoices.size() ? &m_invoices.at(row) : nullptr;
}

int InvoiceListModel::rowOf(const QUuid &id) const
{
    for (int row = 0; row < m_invoices.size(); ++row) {
        if (m_invoices.at(row).id == id)
            return row;
    }
    return -1;
}

QString InvoiceListModel::customerName(const QUuid &contactId) const
{
    return m_names.value(contactId, tr("(customer removed)"));
}

int InvoiceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_invoices.size());
}

int InvoiceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant InvoiceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Invoice &invoice = m_invoices.at(index.row());
    switch (role) {
    case IdRole:
        return invoice.id;
    case TicketIdRole:
        return invoice.ticketId;
    case ContactIdRole:
        return invoice.contactId;
    case kBadgeColorRole:
        return index.column() == Status ? QVariant(badgeColor(invoice.status)) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == Total)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Status) {
            if (invoice.status == InvoiceStatus::Paid && invoice.paidAt.isValid())
                return tr("Paid %1").arg(formatLocal(invoice.paidAt));
            if (invoice.status == InvoiceStatus::Sent && invoice.sentAt.isValid())
                return tr("Sent %1").arg(formatLocal(invoice.sentAt));
        }
        if (index.column() == Number)
            return invoice.ticketId.isNull() ? tr("A standalone invoice") : tr("Invoice for a job");
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Number:
            return invoiceNumber(invoice);
        case Customer:
            return customerName(invoice.contactId);
        case Date:
            return QLocale().toString(invoice.createdAt.toLocalTime().date(), QLocale::ShortFormat);
        case Total:
            return formatMoney(invoice.totalAmount.cents());
        case Status:
            return statusLabel(invoice.status);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant InvoiceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Number:
        return tr("Number");
    case Customer:
        return tr("Customer");
    case Date:
        return tr("Date");
    case Total:
        return tr("Total");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace fb::ui
