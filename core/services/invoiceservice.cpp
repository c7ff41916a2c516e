#include "services/invoiceservice.h"

#include "audit/auditlogger.h"
#include "db/scoping.h"
#include "db/store.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "models/rowaccess.h"
#include "models/ticket.h"

namespace fb {

namespace {

const QString kTable = QStringLiteral("invoices");

Result<QList<Invoice>> readInvoices(Result<QSqlQuery> query)
{
    if (!query)
        return query.error();
    QList<Invoice> invoices;
    while (query->next())
        invoices.append(Invoice::fromRow(rowFromQuery(*query)));
    return invoices;
}

} // namespace

InvoiceService::InvoiceService(ServiceContext context) : m_ctx(context)
{
}

Result<Invoice> InvoiceService::createFromTicket(const QUuid &ticketId)
{
    auto row = m_ctx.store.fetch(QStringLiteral("tickets"), ticketId);
    if (!row)
        return Error::validation(QStringLiteral("ticket_id"), row.error().message);
    const Ticket ticket = Ticket::fromRow(*row);
    if (ticket.status == TicketStatus::Cancelled)
        return Error::invalidState(QStringLiteral("a cancelled ticket cannot be invoiced"));
    auto existing = m_ctx.db.exec(
        QStringLiteral("SELECT count(*) FROM invoices WHERE ticket_id = ? AND status <> 'void'"),
        {idText(ticketId)});
    if (!existing)
        return existing.error();
    if (existing->next() && existing->value(0).toInt() > 0)
        return Error::invalidState(
            QStringLiteral("this ticket already has an invoice (void it to issue another)"));
    existing->finish();
    auto sum = m_ctx.db.exec(
        QStringLiteral("SELECT coalesce(sum(total_price), 0) FROM line_items WHERE ticket_id = ?"),
        {idText(ticketId)});
    if (!sum)
        return sum.error();
    const Money total = Money::fromCents(sum->next() ? sum->value(0).toLongLong() : 0);
    sum->finish();
    return insert(ticket.contactId, ticketId, total);
}

Result<Invoice> InvoiceService::createStandalone(const QUuid &contactId, Money totalAmount)
{
    if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), contactId); !contact)
        return Error::validation(QStringLiteral("contact_id"), contact.error().message);
    return insert(contactId, {}, totalAmount);
}

Result<Invoice> InvoiceService::insert(const QUuid &contactId, const QUuid &ticketId, Money total)
{
    FB_TRY(total.validate(QStringLiteral("total_amount")));
    Invoice invoice;
    invoice.id = newId();
    invoice.userId = m_ctx.db.currentUser();
    invoice.contactId = contactId;
    invoice.ticketId = ticketId;
    invoice.status = InvoiceStatus::Draft;
    invoice.totalAmount = total;
    invoice.createdAt = invoice.updatedAt = nowUtc();

    auto event = newEvent<InvoiceCreatedEvent>(m_ctx.db);
    event.invoiceId = invoice.id;
    event.contactId = contactId;
    event.ticketId = ticketId;
    event.totalAmount = total;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        FB_TRY(m_ctx.store.insert(kTable, invoice.toRow()));
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return invoice;
}

Result<Invoice> InvoiceService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return Invoice::fromRow(*row);
}

Result<Invoice> InvoiceService::send(const QUuid &id)
{
    auto invoice = getById(id);
    if (!invoice)
        return invoice.error();
    if (invoice->status != InvoiceStatus::Draft)
        return Error::invalidState(QStringLiteral("cannot send a %1 invoice: only a draft can be sent")
                                       .arg(toString(invoice->status)));
    auto event = newEvent<InvoiceSentEvent>(m_ctx.db);
    event.invoiceId = id;
    event.contactId = invoice->contactId;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id,
                                              {{QStringLiteral("status"), toString(InvoiceStatus::Sent)},
                                               {QStringLiteral("sent_at"), toStoredTime(event.occurredAt)}});
            !changed)
            return changed.error();
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return getById(id);
}

Result<Invoice> InvoiceService::markPaid(const QUuid &id)
{
    auto invoice = getById(id);
    if (!invoice)
        return invoice.error();
    if (invoice->status != InvoiceStatus::Sent)
        return Error::invalidState(
            QStringLiteral("cannot mark a %1 invoice paid: send it first").arg(toString(invoice->status)));
    auto event = newEvent<InvoicePaidEvent>(m_ctx.db);
    event.invoiceId = id;
    event.contactId = invoice->contactId;
    event.amountPaid = invoice->totalAmount;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id,
                                              {{QStringLiteral("status"), toString(InvoiceStatus::Paid)},
                                               {QStringLiteral("paid_at"), toStoredTime(event.occurredAt)}});
            !changed)
            return changed.error();
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return getById(id);
}

Result<Invoice> InvoiceService::voidInvoice(const QUuid &id, const QString &reason)
{
    const QString why = reason.trimmed();
    if (why.isEmpty())
        return Error::validation(QStringLiteral("reason"), QStringLiteral("say why the invoice is voided"));
    if (why.size() > kMaxVoidReasonLength)
        return Error::validation(QStringLiteral("reason"),
                                 QStringLiteral("at most %1 characters").arg(kMaxVoidReasonLength));
    auto invoice = getById(id);
    if (!invoice)
        return invoice.error();
    if (invoice->status != InvoiceStatus::Draft && invoice->status != InvoiceStatus::Sent)
        return Error::invalidState(
            QStringLiteral("cannot void a %1 invoice: only draft or sent invoices can be voided")
                .arg(toString(invoice->status)));
    {
        FB_TRANSACTION(tx, m_ctx.db);
        const QJsonObject reasonEntry{{kVoidReasonKey, QJsonObject{{QStringLiteral("old"), QJsonValue()},
                                                                   {QStringLiteral("new"), why}}}};
        if (auto changed = m_ctx.store.update(
                kTable, id, {{QStringLiteral("status"), toString(InvoiceStatus::Void)}}, reasonEntry);
            !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Result<QString> InvoiceService::voidReason(const QUuid &id) const
{
    FB_TRY(getById(id));
    auto history = m_ctx.audit.entityHistory(Store::entityType(kTable), id);
    if (!history)
        return history.error();
    // Newest first: a void is final, so the first entry with a reason is the one.
    for (const AuditEntry &entry : std::as_const(*history)) {
        const QJsonValue reason = entry.changes.value(kVoidReasonKey);
        if (reason.isObject())
            return reason.toObject().value(QStringLiteral("new")).toString();
    }
    return QString();
}

Result<QList<Invoice>> InvoiceService::list(std::optional<InvoiceStatus> status) const
{
    const QString rows = scoping::visibleRows(kTable, QStringLiteral("i"));
    if (status)
        return readInvoices(m_ctx.db.exec(
            QStringLiteral("SELECT i.* FROM %1 AND i.status = ? ORDER BY i.created_at DESC, i.rowid DESC")
                .arg(rows),
            {toString(*status)}));
    return readInvoices(m_ctx.db.exec(
        QStringLiteral("SELECT i.* FROM %1 ORDER BY i.created_at DESC, i.rowid DESC").arg(rows)));
}

Result<QList<Invoice>> InvoiceService::listForContact(const QUuid &contactId) const
{
    return readInvoices(m_ctx.db.exec(
        QStringLiteral("SELECT i.* FROM %1 AND i.contact_id = ? ORDER BY i.created_at DESC, i.rowid DESC")
            .arg(scoping::visibleRows(kTable, QStringLiteral("i"))),
        {idText(contactId)}));
}

Result<QList<Ticket>> InvoiceService::uninvoicedTickets() const
{
    auto query = m_ctx.db.exec(
        QStringLiteral("SELECT t.* FROM %1 AND t.status = ? AND NOT EXISTS (SELECT 1 FROM invoices i "
                       "WHERE i.ticket_id = t.id AND i.status <> ?) ORDER BY t.closed_at DESC, t.rowid DESC")
            .arg(scoping::visibleRows(QStringLiteral("tickets"), QStringLiteral("t"))),
        {toString(TicketStatus::Completed), toString(InvoiceStatus::Void)});
    if (!query)
        return query.error();
    QList<Ticket> tickets;
    while (query->next())
        tickets.append(Ticket::fromRow(rowFromQuery(*query)));
    return tickets;
}

} // namespace fb
