#pragma once

#include "common/rowdiffmodel.h"
#include "models/invoice.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace fb::ui {

/// Invoices as the list shows them: number, customer, date, total and status (a badge).
class InvoiceListModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InvoiceListModel)

public:
    enum Column
    {
        Number,
        Customer,
        Date,
        Total,
        Status,
        ColumnCount
    };
    /// The invoice's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;
    /// The invoice's ticket id (QUuid, null for a standalone invoice) on every cell.
    static constexpr int TicketIdRole = Qt::UserRole + 2;
    /// The invoice's customer id (QUuid) on every cell.
    static constexpr int ContactIdRole = Qt::UserRole + 3;

    explicit InvoiceListModel(QObject *parent = nullptr);

    /// The invoice's number, "SK-2026-B014" (InvoiceService), the same on every device. An invoice made
    /// before numbering (local schema 9) shows "INV-3F2A9C1B", the first eight hex digits of its id.
    static QString invoiceNumber(const Invoice &invoice);

    /// `customerNames` maps the invoices' contact ids to names.
    void setInvoices(const QList<Invoice> &invoices, const QHash<QUuid, QString> &customerNames);
    const QList<Invoice> &invoices() const { return m_invoices; }
    /// Shows `invoice` as it is now on its row, if it is listed (after the page changed it, before the list
    /// is read again).
    void updateInvoice(const Invoice &invoice);
    /// The invoice on `row`, or null.
    const Invoice *invoiceAt(int row) const;
    /// The row of the invoice `id`, or -1 when it is not listed.
    int rowOf(const QUuid &id) const;
    QString customerName(const QUuid &contactId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Invoice> m_invoices;
    QHash<QUuid, QString> m_names;
};

} // namespace fb::ui
