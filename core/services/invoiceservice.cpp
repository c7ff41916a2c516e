#include "services/invoiceservice.h"

#include "audit/auditlogger.h"
#include "db/scoping.h"
#include "db/store.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "models/rowaccess.h"
#include "models/ticket.h"

#include <QRandomGenerator>

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
        // Numbered in the transaction that inserts it: two invoices made at once never share a number.
        auto number = nextNumber(invoice.createdAt);
        if (!number)
            return number.error();
        invoice.number = *number;
        FB_TRY(m_ctx.store.insert(kTable, invoice.toRow()));
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return invoice;
}

QString InvoiceService::initials(const QString &name)
{
    const QStringList words = name.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const auto firstLetter = [](const QString &word) {
        for (const QChar c : word) {
            if (c.isLetter())
                return QString(c).toUpper();
        }
        return QString();
    };
    QStringList letters;
    for (const QString &word : words) {
        if (const QString letter = firstLetter(word); !letter.isEmpty())
            letters << letter;
    }
    if (letters.isEmpty())
        return QStringLiteral("T");
    return letters.size() == 1 ? letters.first() : letters.first() + letters.last();
}

Result<QChar> InvoiceService::deviceLetter()
{
    const QString user = idText(m_ctx.db.currentUser());
    auto stored = m_ctx.db.exec(
        QStringLiteral("SELECT key, value FROM sync_state WHERE user_id = ? AND key IN (?, 'restore_step')"),
        {user, kDeviceLetterKey});
    if (!stored)
        return stored.error();
    bool restored = false;
    while (stored->next()) {
        if (stored->value(0).toString() != kDeviceLetterKey) {
            restored = true;
            continue;
        }
        const QString letter = stored->value(1).toString();
        if (letter.size() == 1 && kDeviceLetters.contains(letter.at(0)))
            return letter.at(0);
    }
    // The letters the technician's invoices in this file use (another device's, pulled), deleted ones too.
    QString free = kDeviceLetters;
    auto numbers = m_ctx.db.exec(
        QStringLiteral("SELECT number FROM main.invoices WHERE user_id = ? AND number IS NOT NULL"), {user});
    if (!numbers)
        return numbers.error();
    while (numbers->next()) {
        // "SK-2026-B014": the letter follows the last '-'.
        const QString number = numbers->value(0).toString();
        const qsizetype dash = number.lastIndexOf(QLatin1Char('-'));
        if (dash >= 0 && dash + 1 < number.size())
            free.remove(number.at(dash + 1));
    }
    QChar letter = kDeviceLetters.at(0);
    if (restored || !free.contains(letter)) {
        free.remove(kDeviceLetters.at(0));
        if (free.isEmpty())
            free = kClaimableLetters; // 24 devices numbered already: share a letter rather than not number
        letter = free.at(int(QRandomGenerator::global()->bounded(free.size())));
    }
    auto saved =
        m_ctx.db.exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, ?, ?) "
                                     "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                      {user, kDeviceLetterKey, QString(letter)});
    if (!saved)
        return saved.error();
    return letter;
}

Result<QString> InvoiceService::nextNumber(const QDateTime &createdAt)
{
    auto name = m_ctx.db.exec(QStringLiteral("SELECT name FROM users WHERE id = ?"),
                              {idText(m_ctx.db.currentUser())});
    if (!name)
        return name.error();
    const QString technician = name->next() ? name->value(0).toString() : QString();
    auto letter = deviceLetter();
    if (!letter)
        return letter.error();
    const QString prefix = QStringLiteral("%1-%2-%3")
                               .arg(initials(technician))
                               .arg(createdAt.toLocalTime().date().year())
                               .arg(*letter);
    // The highest sequence this device gave in that year; the prefix is letters, digits and dashes only, so
    // LIKE needs no escaping. GLOB keeps "SK-2026-B" from matching "SK-2026-BX...": the rest must be digits.
    auto highest = m_ctx.db.exec(
        QStringLiteral("SELECT coalesce(max(CAST(substr(number, ?) AS INTEGER)), 0) FROM main.invoices WHERE "
                       "user_id = ? AND number LIKE ? AND substr(number, ?) NOT GLOB '*[^0-9]*'"),
        {QVariant(int(prefix.size()) + 1), idText(m_ctx.db.currentUser()), QString(prefix + QLatin1Char('%')),
         QVariant(int(prefix.size()) + 1)});
    if (!highest)
        return highest.error();
    const qint64 next = (highest->next() ? highest->value(0).toLongLong() : 0) + 1;
    return QString(prefix + QStringLiteral("%1").arg(next, 3, 10, QLatin1Char('0')));
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
