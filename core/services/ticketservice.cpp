#include "services/ticketservice.h"

#include "db/scoping.h"
#include "db/statement.h"
#include "db/store.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "extraction/attributeextractor.h"
#include "extraction/extractionqueue.h"
#include "models/note.h"
#include "models/rowaccess.h"
#include "models/service.h"
#include "models/validation.h"
#include "services/attributeservice.h"
#include "services/officechangeservice.h"

#include <QLoggingCategory>

#include <memory>
#include <optional>

namespace fb {

namespace {

const QString kTable = QStringLiteral("tickets");
const QString kLineItems = QStringLiteral("line_items");

/// The tickets `sql` reads, through a statement the connection keeps prepared (Database::read): the week view
/// runs one text again and again, and reads its ~1,900 rows as UTF-8 straight from SQLite into Tickets rather
/// than through Qt's driver (UTF-16 text, a QSqlRecord) and a Row (a QVariantMap) per ticket.
Result<QList<Ticket>> readTickets(Database &db, const QString &sql, const QVariantList &values)
{
    QList<Ticket> tickets;
    std::optional<StatementColumns> columns; // names matched to positions on the first row
    FB_TRY(db.read(sql, values, [&](const Statement &statement) {
        if (!columns)
            columns.emplace(statement);
        columns->nextRow();
        tickets.append(Ticket::fromColumns(*columns));
        return true;
    }));
    return tickets;
}

} // namespace

TicketService::TicketService(ServiceContext context, AttributeExtractor *extractor)
    : m_ctx(context), m_extractor(extractor)
{
}

Result<Ticket> TicketService::create(const TicketCreate &data)
{
    if (data.contactId.isNull())
        return Error::validation(QStringLiteral("contact_id"), QStringLiteral("is required"));
    if (data.addressId.isNull())
        return Error::validation(QStringLiteral("address_id"), QStringLiteral("is required"));
    if (!data.scheduledAt.isValid())
        return Error::validation(QStringLiteral("scheduled_at"), QStringLiteral("is required"));
    FB_TRY(validate::minutes(data.scheduledDurationMinutes, QStringLiteral("scheduled_duration_minutes")));
    FB_TRY(validate::longText(data.notes, QStringLiteral("notes")));
    if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), data.contactId); !contact)
        return Error::validation(QStringLiteral("contact_id"), contact.error().message);
    auto address = m_ctx.store.fetch(QStringLiteral("addresses"), data.addressId);
    if (!address)
        return Error::validation(QStringLiteral("address_id"), address.error().message);
    if (rows::id(*address, "contact_id") != data.contactId)
        return Error::validation(QStringLiteral("address_id"),
                                 QStringLiteral("is not an address of this contact"));

    Ticket ticket;
    ticket.id = newId();
    ticket.userId = m_ctx.db.currentUser();
    ticket.contactId = data.contactId;
    ticket.addressId = data.addressId;
    ticket.status = TicketStatus::Scheduled;
    ticket.scheduledAt = fromStoredTime(toStoredTime(data.scheduledAt)); // UTC, millisecond precision
    ticket.scheduledDurationMinutes = data.scheduledDurationMinutes;
    ticket.notes = data.notes && !data.notes->isEmpty() ? data.notes : std::nullopt;
    ticket.createdAt = ticket.updatedAt = nowUtc();

    auto event = newEvent<TicketCreatedEvent>(m_ctx.db);
    event.ticketId = ticket.id;
    event.contactId = ticket.contactId;
    event.addressId = ticket.addressId;
    event.scheduledAt = ticket.scheduledAt;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        FB_TRY(m_ctx.store.insert(kTable, ticket.toRow()));
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return ticket;
}

Result<Ticket> TicketService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return Ticket::fromRow(*row);
}

namespace {

Error closedRefusal(const Ticket &ticket)
{
    return Error::invalidState(QStringLiteral("ticket is %1: a closed or cancelled ticket cannot be changed")
                                   .arg(toString(ticket.status)));
}

} // namespace

Result<Ticket> TicketService::openTicket(const QUuid &id) const
{
    auto ticket = getById(id);
    if (!ticket)
        return ticket.error();
    if (ticket->isClosed())
        return closedRefusal(*ticket);
    return ticket;
}

Result<bool> TicketService::workMayContinue(const Ticket &ticket) const
{
    if (!ticket.isClosed())
        return true;
    // Completed stays completed; a cancelled job takes more work only when the technician had started it
    // and someone else cancelled it (see the header: the one place this rule lives).
    if (ticket.status != TicketStatus::Cancelled || !ticket.clockInAt.isValid())
        return false;
    auto byOthers = OfficeChangeService(m_ctx).cancellation(ticket.id);
    if (!byOthers)
        return byOthers.error();
    return byOthers->has_value() && !(*byOthers)->deleted;
}

Result<Ticket> TicketService::workTicket(const QUuid &id) const
{
    auto ticket = getById(id);
    if (!ticket)
        return ticket.error();
    auto may = workMayContinue(*ticket);
    if (!may)
        return may.error();
    if (!*may)
        return closedRefusal(*ticket);
    return ticket;
}

Result<TicketWithDetails> TicketService::getWithDetails(const QUuid &id) const
{
    auto ticket = getById(id);
    if (!ticket)
        return ticket.error();
    // The contact or address may have been deleted since: read them as stored so the job still shows.
    auto contact = m_ctx.db.exec(QStringLiteral("SELECT * FROM main.contacts WHERE id = ? AND user_id = ?"),
                                 {idText(ticket->contactId), idText(ticket->userId)});
    if (!contact)
        return contact.error();
    TicketWithDetails details;
    details.ticket = *ticket;
    if (contact->next())
        details.contact = Contact::fromRow(rowFromQuery(*contact));
    auto address = m_ctx.store.fetch(QStringLiteral("addresses"), ticket->addressId);
    if (address)
        details.address = Address::fromRow(*address);
    auto items = lineItems(id);
    if (!items)
        return items.error();
    details.lineItems = *items;
    for (const LineItem &item : std::as_const(details.lineItems))
        details.total = details.total + item.totalPrice;
    return details;
}

Result<Ticket> TicketService::update(const QUuid &id, const TicketUpdate &data)
{
    auto ticket = openTicket(id);
    if (!ticket)
        return ticket.error();
    Row values;
    if (data.addressId) {
        auto address = m_ctx.store.fetch(QStringLiteral("addresses"), *data.addressId);
        if (!address)
            return Error::validation(QStringLiteral("address_id"), address.error().message);
        if (rows::id(*address, "contact_id") != ticket->contactId)
            return Error::validation(QStringLiteral("address_id"),
                                     QStringLiteral("is not an address of this ticket's contact"));
        values.insert(QStringLiteral("address_id"), idText(*data.addressId));
    }
    if (data.scheduledAt) {
        if (!data.scheduledAt->isValid())
            return Error::validation(QStringLiteral("scheduled_at"), QStringLiteral("is not a valid time"));
        if (ticket->status != TicketStatus::Scheduled)
            return Error::invalidState(QStringLiteral("only a scheduled ticket can be rescheduled"));
        values.insert(QStringLiteral("scheduled_at"), toStoredTime(*data.scheduledAt));
    }
    if (data.scheduledDurationMinutes) {
        FB_TRY(
            validate::minutes(data.scheduledDurationMinutes, QStringLiteral("scheduled_duration_minutes")));
        values.insert(QStringLiteral("scheduled_duration_minutes"), *data.scheduledDurationMinutes);
    }
    if (data.notes) {
        FB_TRY(validate::longText(data.notes, QStringLiteral("notes")));
        values.insert(QStringLiteral("notes"), rows::value(rows::emptyToNull(*data.notes)));
    }
    if (!values.isEmpty()) {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id, values); !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Result<Ticket> TicketService::cancel(const QUuid &id)
{
    auto ticket = openTicket(id);
    if (!ticket)
        return ticket.error();
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(
                kTable, id, {{QStringLiteral("status"), toString(TicketStatus::Cancelled)}});
            !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Result<QList<Ticket>> TicketService::listRange(const QDateTime &from, const QDateTime &to) const
{
    // visibleRows: through the view, rowid reads as NULL, so the tie-break did nothing and cost a sort; here
    // idx_tickets_user_scheduled gives the rows already in order.
    return readTickets(m_ctx.db,
                       QStringLiteral("SELECT t.* FROM %1 AND t.scheduled_at >= ? AND t.scheduled_at < ? "
                                      "ORDER BY t.scheduled_at, t.rowid")
                           .arg(scoping::visibleRows(kTable, QStringLiteral("t"))),
                       {toStoredTime(from), toStoredTime(to)});
}

Result<QList<Ticket>> TicketService::listForContact(const QUuid &contactId) const
{
    return readTickets(
        m_ctx.db,
        QStringLiteral("SELECT t.* FROM %1 AND t.contact_id = ? ORDER BY t.scheduled_at DESC, t.rowid DESC")
            .arg(scoping::visibleRows(kTable, QStringLiteral("t"))),
        {idText(contactId)});
}

Result<Ticket> TicketService::clockIn(const QUuid &id)
{
    auto ticket = openTicket(id);
    if (!ticket)
        return ticket.error();
    if (ticket->status != TicketStatus::Scheduled)
        return Error::invalidState(
            QStringLiteral("cannot clock in: ticket is %1, not scheduled").arg(toString(ticket->status)));
    if (ticket->clockInAt.isValid())
        return Error::invalidState(QStringLiteral("already clocked in"));
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed =
                m_ctx.store.update(kTable, id,
                                   {{QStringLiteral("clock_in_at"), toStoredTime(nowUtc())},
                                    {QStringLiteral("status"), toString(TicketStatus::InProgress)}});
            !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Result<Ticket> TicketService::clockOut(const QUuid &id)
{
    // A job the office cancelled while the technician was clocked in still stops its clock: time on site is
    // the technician's work, which the merge keeps (issue 14).
    auto ticket = workTicket(id);
    if (!ticket)
        return ticket.error();
    if (!ticket->clockInAt.isValid())
        return Error::invalidState(QStringLiteral("cannot clock out: not clocked in"));
    if (ticket->clockOutAt.isValid())
        return Error::invalidState(QStringLiteral("already clocked out"));
    const QDateTime now = nowUtc();
    // Whole minutes, rounded to the nearest, never negative (a clock set back must not give -3 minutes).
    const qint64 elapsedMs = std::max<qint64>(0, ticket->clockInAt.msecsTo(now));
    const int minutes = int((elapsedMs + 30'000) / 60'000);
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id,
                                              {{QStringLiteral("clock_out_at"), toStoredTime(now)},
                                               {QStringLiteral("actual_duration_minutes"), minutes}});
            !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Result<LineItem> TicketService::priceLineItem(LineItem item, const LineItemCreate &data) const
{
    auto serviceRow = m_ctx.store.fetch(QStringLiteral("services"), data.serviceId);
    if (!serviceRow)
        return Error::validation(QStringLiteral("service_id"), serviceRow.error().message);
    const Service service = Service::fromRow(*serviceRow);
    if (!service.isActive)
        return Error::validation(QStringLiteral("service_id"),
                                 QStringLiteral("%1 is inactive in the catalog").arg(service.name));
    FB_TRY(validate::quantity(data.quantity));
    if (data.unitPrice)
        FB_TRY(data.unitPrice->validate(QStringLiteral("unit_price")));
    if (data.totalPrice)
        FB_TRY(data.totalPrice->validate(QStringLiteral("total_price")));

    // The catalog decides the unit price of fixed and per-unit services; the technician types a flexible one.
    const std::optional<Money> catalogPrice = service.catalogPrice();
    Money unit;
    if (catalogPrice) {
        if (data.unitPrice && *data.unitPrice != *catalogPrice)
            return Error::validation(QStringLiteral("unit_price"),
                                     QStringLiteral("%1 is priced %2 in the catalog (%3 pricing), not %4")
                                         .arg(service.name, catalogPrice->toDecimalString(),
                                              toString(service.pricingType),
                                              data.unitPrice->toDecimalString()));
        unit = *catalogPrice;
    } else if (service.pricingType == PricingType::Flexible) {
        if (!data.unitPrice)
            return Error::validation(
                QStringLiteral("unit_price"),
                QStringLiteral("%1 has flexible pricing: type the price").arg(service.name));
        unit = *data.unitPrice;
    } else {
        return Error::validation(QStringLiteral("service_id"),
                                 QStringLiteral("%1 has no price in the catalog").arg(service.name));
    }
    if (service.pricingType == PricingType::Fixed && data.quantity != 1)
        return Error::validation(
            QStringLiteral("quantity"),
            QStringLiteral("%1 has a fixed price: quantity must be 1").arg(service.name));
    auto total = unit.times(data.quantity, QStringLiteral("total_price"));
    if (!total)
        return total.error();
    if (data.totalPrice && *data.totalPrice != *total)
        return Error::validation(QStringLiteral("total_price"),
                                 QStringLiteral("must be quantity x unit price = %1, not %2")
                                     .arg(total->toDecimalString(), data.totalPrice->toDecimalString()));
    item.serviceId = service.id;
    item.quantity = data.quantity;
    item.unitPrice = unit;
    item.totalPrice = *total;
    item.description = data.description && !data.description->isEmpty()
                           ? data.description
                           : std::optional<QString>(service.name);
    return item;
}

Result<LineItem> TicketService::addLineItem(const QUuid &ticketId, const LineItemCreate &data)
{
    auto ticket = workTicket(ticketId);
    if (!ticket)
        return ticket.error();
    FB_TRY(validate::shortText(data.description, QStringLiteral("description")));
    FB_TRY(validate::minutes(data.durationMinutes, QStringLiteral("duration_minutes")));
    LineItem item;
    item.id = newId();
    item.userId = m_ctx.db.currentUser();
    item.ticketId = ticketId;
    item.durationMinutes = data.durationMinutes;
    item.createdAt = item.updatedAt = nowUtc();
    auto priced = priceLineItem(item, data);
    if (!priced)
        return priced.error();
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.insert(kLineItems, priced->toRow()));
    FB_TRY(tx.commit());
    return *priced;
}

Result<LineItem> TicketService::updateLineItem(const QUuid &lineItemId, const LineItemUpdate &data)
{
    auto row = m_ctx.store.fetch(kLineItems, lineItemId);
    if (!row)
        return row.error();
    const LineItem current = LineItem::fromRow(*row);
    if (auto ticket = workTicket(current.ticketId); !ticket)
        return ticket.error();
    FB_TRY(validate::shortText(data.description, QStringLiteral("description")));
    FB_TRY(validate::minutes(data.durationMinutes, QStringLiteral("duration_minutes")));

    // Re-price against the catalog as it is now only when quantity or price change.
    LineItemCreate pricing;
    pricing.serviceId = current.serviceId;
    pricing.quantity = data.quantity.value_or(current.quantity);
    pricing.unitPrice = data.unitPrice ? data.unitPrice : std::nullopt;
    Row values;
    if (data.quantity || data.unitPrice) {
        LineItem repriced = current;
        if (!data.unitPrice) {
            FB_TRY(validate::quantity(pricing.quantity));
            // As in priceLineItem: a fixed-price service is sold once per line (read even if since deleted).
            auto type = m_ctx.db.exec(
                QStringLiteral("SELECT pricing_type FROM main.services WHERE id = ? AND user_id = ?"),
                {idText(current.serviceId), idText(current.userId)});
            if (!type)
                return type.error();
            const bool fixed = type->next() && type->value(0).toString() == toString(PricingType::Fixed);
            type->finish();
            if (fixed && pricing.quantity != 1)
                return Error::validation(QStringLiteral("quantity"),
                                         QStringLiteral("a fixed-price service has quantity 1"));
            // Keep the price the item was sold at; only the quantity changes.
            auto total =
                current.unitPrice.value_or(Money()).times(pricing.quantity, QStringLiteral("total_price"));
            if (!total)
                return total.error();
            repriced.quantity = pricing.quantity;
            repriced.totalPrice = *total;
        } else {
            auto priced = priceLineItem(current, pricing);
            if (!priced)
                return priced.error();
            repriced = *priced;
            repriced.description = current.description;
        }
        values.insert(QStringLiteral("quantity"), repriced.quantity);
        values.insert(QStringLiteral("unit_price"), rows::value(repriced.unitPrice));
        values.insert(QStringLiteral("total_price"), rows::value(repriced.totalPrice));
    }
    if (data.description)
        values.insert(QStringLiteral("description"), rows::value(rows::emptyToNull(*data.description)));
    if (data.durationMinutes)
        values.insert(QStringLiteral("duration_minutes"), *data.durationMinutes);
    if (!values.isEmpty()) {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kLineItems, lineItemId, values); !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    auto updated = m_ctx.store.fetch(kLineItems, lineItemId);
    if (!updated)
        return updated.error();
    return LineItem::fromRow(*updated);
}

Status TicketService::removeLineItem(const QUuid &lineItemId)
{
    auto row = m_ctx.store.fetch(kLineItems, lineItemId);
    if (!row)
        return row.error();
    if (auto ticket = workTicket(rows::id(*row, "ticket_id")); !ticket)
        return ticket.error();
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.softDelete(kLineItems, lineItemId));
    return tx.commit();
}

Result<LineItem> TicketService::restoreLineItem(const QUuid &lineItemId)
{
    FB_TRANSACTION(tx, m_ctx.db);
    auto row = m_ctx.store.restore(kLineItems, lineItemId);
    if (!row)
        return row.error();
    // The ticket is known only from the restored row; a closed ticket rolls the restore back with the guard.
    if (auto ticket = workTicket(rows::id(*row, "ticket_id")); !ticket)
        return ticket.error();
    FB_TRY(tx.commit());
    return LineItem::fromRow(*row);
}

Result<QList<LineItem>> TicketService::lineItems(const QUuid &ticketId) const
{
    auto query =
        m_ctx.db.exec(QStringLiteral("SELECT l.* FROM %1 AND l.ticket_id = ? ORDER BY l.created_at, l.rowid")
                          .arg(scoping::visibleRows(kLineItems, QStringLiteral("l"))),
                      {idText(ticketId)});
    if (!query)
        return query.error();
    QList<LineItem> items;
    while (query->next())
        items.append(LineItem::fromRow(rowFromQuery(*query)));
    return items;
}

Result<CloseOutResult> TicketService::initiateCloseOut(const QUuid &id, int confirmedDurationMinutes,
                                                       const std::optional<QString> &notes,
                                                       ExtractionCallback onExtracted)
{
    auto saved = saveCloseOutNotes(id, confirmedDurationMinutes, notes,
                                   m_extractor ? QueueNotes::SendingNow : QueueNotes::Pending);
    if (!saved)
        return saved;
    CloseOutResult result = *saved;
    const bool hasNotes = notes && !notes->trimmed().isEmpty();
    if (!hasNotes)
        return result;
    if (!m_extractor) {
        if (m_queue) // queued: runs when a client is configured and online
            result.extraction.state = ExtractionOutcome::State::Queued;
        return result;
    }
    // The client may answer before extract() returns (a fake, a cache) or later (HTTP): share the outcome.
    auto answered = std::make_shared<std::optional<ExtractionOutcome>>();
    ExtractionQueue *queue = m_queue;
    const std::weak_ptr<void> queueAlive = queue ? queue->lifetime() : std::weak_ptr<void>();
    const QUuid requestId = result.extraction.requestId;
    const QString sentNotes = *notes;
    m_extractor->extract(*notes, [=](Result<ExtractedAttributes> extracted) {
        ExtractionOutcome outcome = outcomeOf(extracted, queue != nullptr);
        outcome.requestId = requestId;
        if (queue && !queueAlive.expired()) {
            if (auto recorded = queue->recordOutcome(requestId, sentNotes, extracted, false); !recorded)
                qWarning("cannot record the close-out's extraction: %s",
                         qPrintable(recorded.error().toString()));
        }
        *answered = outcome;
        if (onExtracted)
            onExtracted(outcome);
    });
    if (answered->has_value())
        result.extraction = **answered;
    else // the callback brings the outcome
        result.extraction.state = ExtractionOutcome::State::Answering;
    return result;
}

ExtractionOutcome TicketService::outcomeOf(const Result<ExtractedAttributes> &extracted, bool queued)
{
    ExtractionOutcome outcome;
    if (extracted) {
        outcome.state = ExtractionOutcome::State::Done;
        outcome.attributes = *extracted;
    } else if (queued && extracted.error().code == ErrorCode::Unavailable) {
        // Offline, overloaded, no key: the request stays queued and its answer comes back as suggestions.
        outcome.state = ExtractionOutcome::State::Queued;
        outcome.error = extracted.error();
    } else {
        outcome.state = ExtractionOutcome::State::Failed;
        outcome.error = extracted.error();
    }
    return outcome;
}

ExtractionOutcome TicketService::readCloseOutNotes(const QString &notes, ExtractionCallback onExtracted)
{
    ExtractionOutcome outcome;
    if (notes.trimmed().isEmpty())
        return outcome; // NotRequested
    if (!m_extractor) {
        if (m_queue) // finishing queues them: the queue sends them when a client is configured and online
            outcome.state = ExtractionOutcome::State::Queued;
        return outcome;
    }
    auto answered = std::make_shared<std::optional<ExtractionOutcome>>();
    const bool queue = m_queue != nullptr;
    m_extractor->extract(notes, [=](Result<ExtractedAttributes> extracted) {
        const ExtractionOutcome result = outcomeOf(extracted, queue);
        *answered = result;
        if (onExtracted)
            onExtracted(result);
    });
    if (answered->has_value())
        return **answered;
    outcome.state = ExtractionOutcome::State::Answering;
    return outcome;
}

Result<CloseOutResult> TicketService::saveCloseOutNotes(const QUuid &id, int confirmedDurationMinutes,
                                                        const std::optional<QString> &notes, QueueNotes queue)
{
    auto ticket = workTicket(id);
    if (!ticket)
        return ticket.error();
    FB_TRY(validate::minutes(confirmedDurationMinutes, QStringLiteral("actual_duration_minutes")));
    FB_TRY(validate::longText(notes, QStringLiteral("notes")));
    const bool hasNotes = notes && !notes->trimmed().isEmpty();

    CloseOutResult result;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        // No notes given (nullopt) keeps what the ticket has; an empty text clears it.
        Row values{{QStringLiteral("actual_duration_minutes"), confirmedDurationMinutes}};
        if (notes)
            values.insert(QStringLiteral("notes"), rows::value(hasNotes ? notes : std::nullopt));
        if (auto changed = m_ctx.store.update(kTable, id, values); !changed)
            return changed.error();
        if (hasNotes) {
            // The notes also become a note on the ticket and the customer, so confirmed attributes can link
            // to it. Re-running step 1 (the technician went back) replaces the draft's text instead of adding
            // notes.
            auto previous =
                m_ctx.db.exec(QStringLiteral("SELECT n.id FROM %1 AND n.ticket_id = ? ORDER BY n.created_at "
                                             "DESC, n.rowid DESC LIMIT 1")
                                  .arg(scoping::visibleRows(QStringLiteral("notes"), QStringLiteral("n"))),
                              {idText(id)});
            if (!previous)
                return previous.error();
            const QUuid previousId = previous->next() ? idFromVariant(previous->value(0)) : QUuid();
            previous->finish();
            if (!previousId.isNull()) {
                if (auto changed = m_ctx.store.update(QStringLiteral("notes"), previousId,
                                                      {{QStringLiteral("content"), *notes}});
                    !changed)
                    return changed.error();
                result.noteId = previousId;
            } else {
                Note note{newId(), m_ctx.db.currentUser(), ticket->contactId, id, *notes, nowUtc(), {}};
                FB_TRY(m_ctx.store.insert(QStringLiteral("notes"), note.toRow()));
                result.noteId = note.id;
            }
            // The extraction request is stored with the notes: the close-out never waits on the network, and
            // a request the model cannot answer now (offline, no client, a crash) is sent later by the queue.
            if (m_queue && queue != QueueNotes::No) {
                auto queued = m_queue->enqueue(ticket->contactId, id, result.noteId, *notes,
                                               queue == QueueNotes::SendingNow);
                if (!queued)
                    return queued.error();
                result.extraction.requestId = *queued;
                result.extraction.state = ExtractionOutcome::State::Queued;
            }
        }
        FB_TRY(tx.commit());
    }
    auto updated = getById(id);
    if (!updated)
        return updated.error();
    result.ticket = *updated;
    return result;
}

Result<Ticket> TicketService::finalizeCloseOut(const QUuid &id, const QJsonObject &confirmedAttributes,
                                               NextServiceAction nextService,
                                               std::optional<int> reachOutMonths)
{
    auto ticket = workTicket(id);
    if (!ticket)
        return ticket.error();
    for (auto it = confirmedAttributes.begin(); it != confirmedAttributes.end(); ++it) {
        FB_TRY(validate::attributeKey(it.key(), QStringLiteral("attributes.%1").arg(it.key())));
        FB_TRY(validateAttributeValue(it.key(), it.value()));
    }
    if (nextService == NextServiceAction::ReachOut &&
        (!reachOutMonths || *reachOutMonths < 1 || *reachOutMonths > 60))
        return Error::validation(QStringLiteral("reach_out_months"),
                                 QStringLiteral("a reach-out needs 1 to 60 months"));

    auto latestNote = m_ctx.db.exec(
        QStringLiteral(
            "SELECT n.id FROM %1 AND n.ticket_id = ? ORDER BY n.created_at DESC, n.rowid DESC LIMIT 1")
            .arg(scoping::visibleRows(QStringLiteral("notes"), QStringLiteral("n"))),
        {idText(id)});
    if (!latestNote)
        return latestNote.error();
    const QUuid noteId = latestNote->next() ? idFromVariant(latestNote->value(0)) : QUuid();
    latestNote->finish();

    const QDateTime now = nowUtc();
    auto event = newEvent<TicketCompletedEvent>(m_ctx.db);
    event.occurredAt = now;
    event.ticketId = id;
    event.contactId = ticket->contactId;
    event.notes = ticket->notes;
    event.confirmedAttributes = confirmedAttributes;
    event.nextServiceAction = toString(nextService);
    event.reachOutMonths = nextService == NextServiceAction::ReachOut ? reachOutMonths : std::nullopt;
    event.sourceNoteId = noteId;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id,
                                              {{QStringLiteral("status"), toString(TicketStatus::Completed)},
                                               {QStringLiteral("closed_at"), toStoredTime(now)}});
            !changed)
            return changed.error();
        // Stored with the close: the handlers' work can be retried but never lost.
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return getById(id);
}

} // namespace fb
