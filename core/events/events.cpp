#include "events/events.h"

#include "util/timeutil.h"

#include <QJsonValue>
#include <QStringList>

#include <functional>
#include <map>

namespace fb {

namespace {

QJsonValue idJson(const QUuid &id)
{
    return id.isNull() ? QJsonValue() : QJsonValue(idText(id));
}
QUuid idFrom(const QJsonObject &json, const char *key)
{
    return QUuid::fromString(json.value(QLatin1String(key)).toString());
}
QJsonValue timeJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(toStoredTime(time)) : QJsonValue();
}
QDateTime timeFrom(const QJsonObject &json, const char *key)
{
    return fromStoredTime(json.value(QLatin1String(key)).toVariant());
}
QJsonValue optJson(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}
std::optional<QString> optFrom(const QJsonObject &json, const char *key)
{
    const QJsonValue v = json.value(QLatin1String(key));
    return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
}
QString str(const char *key)
{
    return QString::fromLatin1(key);
}

template <typename E> std::unique_ptr<DomainEvent> rebuild(const QJsonObject &json)
{
    return std::make_unique<E>(E::fromJson(json));
}

const std::map<QString, std::function<std::unique_ptr<DomainEvent>(const QJsonObject &)>> &factories()
{
    static const std::map<QString, std::function<std::unique_ptr<DomainEvent>(const QJsonObject &)>> map{
        {str(TicketCreatedEvent::kType), rebuild<TicketCreatedEvent>},
        {str(TicketCompletedEvent::kType), rebuild<TicketCompletedEvent>},
        {str(ContactCreatedEvent::kType), rebuild<ContactCreatedEvent>},
        {str(ContactUpdatedEvent::kType), rebuild<ContactUpdatedEvent>},
        {str(InvoiceCreatedEvent::kType), rebuild<InvoiceCreatedEvent>},
        {str(InvoiceSentEvent::kType), rebuild<InvoiceSentEvent>},
        {str(InvoicePaidEvent::kType), rebuild<InvoicePaidEvent>},
        {str(LeadCreatedEvent::kType), rebuild<LeadCreatedEvent>},
        {str(LeadConvertedEvent::kType), rebuild<LeadConvertedEvent>},
        {str(ScheduledMessageCreatedEvent::kType), rebuild<ScheduledMessageCreatedEvent>},
        {str(ScheduledMessageSentEvent::kType), rebuild<ScheduledMessageSentEvent>},
    };
    return map;
}

// The common fields travel inside the payload too, so a rebuilt event is identical to the published one.
QJsonObject withBase(const DomainEvent &event, QJsonObject json)
{
    json.insert(str("event_id"), idJson(event.eventId));
    json.insert(str("user_id"), idJson(event.userId));
    json.insert(str("occurred_at"), timeJson(event.occurredAt));
    return json;
}

template <typename E> E baseFrom(const QJsonObject &json)
{
    E event;
    event.eventId = idFrom(json, "event_id");
    event.userId = idFrom(json, "user_id");
    event.occurredAt = timeFrom(json, "occurred_at");
    return event;
}

} // namespace

std::unique_ptr<DomainEvent> DomainEvent::fromPayload(const QString &type, const QJsonObject &payload)
{
    const auto it = factories().find(type);
    return it == factories().end() ? nullptr : it->second(payload);
}

QStringList knownEventTypes()
{
    return {str(TicketCreatedEvent::kType),       str(TicketCompletedEvent::kType),
            str(ContactCreatedEvent::kType),      str(ContactUpdatedEvent::kType),
            str(InvoiceCreatedEvent::kType),      str(InvoiceSentEvent::kType),
            str(InvoicePaidEvent::kType),         str(LeadCreatedEvent::kType),
            str(LeadConvertedEvent::kType),       str(ScheduledMessageCreatedEvent::kType),
            str(ScheduledMessageSentEvent::kType)};
}

QJsonObject TicketCreatedEvent::payload() const
{
    return withBase(*this, {{str("ticket_id"), idJson(ticketId)},
                            {str("contact_id"), idJson(contactId)},
                            {str("address_id"), idJson(addressId)},
                            {str("scheduled_at"), timeJson(scheduledAt)}});
}
TicketCreatedEvent TicketCreatedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<TicketCreatedEvent>(json);
    e.ticketId = idFrom(json, "ticket_id");
    e.contactId = idFrom(json, "contact_id");
    e.addressId = idFrom(json, "address_id");
    e.scheduledAt = timeFrom(json, "scheduled_at");
    return e;
}

QJsonObject TicketCompletedEvent::payload() const
{
    return withBase(*this,
                    {{str("ticket_id"), idJson(ticketId)},
                     {str("contact_id"), idJson(contactId)},
                     {str("notes"), optJson(notes)},
                     {str("confirmed_attributes"), confirmedAttributes},
                     {str("next_service_action"), nextServiceAction},
                     {str("reach_out_months"), reachOutMonths ? QJsonValue(*reachOutMonths) : QJsonValue()},
                     {str("source_note_id"), idJson(sourceNoteId)}});
}
TicketCompletedEvent TicketCompletedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<TicketCompletedEvent>(json);
    e.ticketId = idFrom(json, "ticket_id");
    e.contactId = idFrom(json, "contact_id");
    e.notes = optFrom(json, "notes");
    e.confirmedAttributes = json.value(str("confirmed_attributes")).toObject();
    e.nextServiceAction = json.value(str("next_service_action")).toString();
    const QJsonValue months = json.value(str("reach_out_months"));
    if (months.isDouble())
        e.reachOutMonths = months.toInt();
    e.sourceNoteId = idFrom(json, "source_note_id");
    return e;
}

QJsonObject ContactCreatedEvent::payload() const
{
    return withBase(*this, {{str("contact_id"), idJson(contactId)},
                            {str("name"), name},
                            {str("email"), optJson(email)},
                            {str("phone"), optJson(phone)}});
}
ContactCreatedEvent ContactCreatedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<ContactCreatedEvent>(json);
    e.contactId = idFrom(json, "contact_id");
    e.name = json.value(str("name")).toString();
    e.email = optFrom(json, "email");
    e.phone = optFrom(json, "phone");
    return e;
}

QJsonObject ContactUpdatedEvent::payload() const
{
    return withBase(*this, {{str("contact_id"), idJson(contactId)}, {str("changes"), changes}});
}
ContactUpdatedEvent ContactUpdatedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<ContactUpdatedEvent>(json);
    e.contactId = idFrom(json, "contact_id");
    e.changes = json.value(str("changes")).toObject();
    return e;
}

QJsonObject InvoiceCreatedEvent::payload() const
{
    return withBase(*this, {{str("invoice_id"), idJson(invoiceId)},
                            {str("contact_id"), idJson(contactId)},
                            {str("ticket_id"), idJson(ticketId)},
                            {str("total_amount_cents"), qint64(totalAmount.cents())}});
}
InvoiceCreatedEvent InvoiceCreatedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<InvoiceCreatedEvent>(json);
    e.invoiceId = idFrom(json, "invoice_id");
    e.contactId = idFrom(json, "contact_id");
    e.ticketId = idFrom(json, "ticket_id");
    e.totalAmount = Money::fromCents(json.value(str("total_amount_cents")).toInteger());
    return e;
}

QJsonObject InvoiceSentEvent::payload() const
{
    return withBase(*this, {{str("invoice_id"), idJson(invoiceId)},
                            {str("contact_id"), idJson(contactId)},
                            {str("payment_link"), optJson(paymentLink)}});
}
InvoiceSentEvent InvoiceSentEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<InvoiceSentEvent>(json);
    e.invoiceId = idFrom(json, "invoice_id");
    e.contactId = idFrom(json, "contact_id");
    e.paymentLink = optFrom(json, "payment_link");
    return e;
}

QJsonObject InvoicePaidEvent::payload() const
{
    return withBase(*this, {{str("invoice_id"), idJson(invoiceId)},
                            {str("contact_id"), idJson(contactId)},
                            {str("amount_paid_cents"), qint64(amountPaid.cents())}});
}
InvoicePaidEvent InvoicePaidEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<InvoicePaidEvent>(json);
    e.invoiceId = idFrom(json, "invoice_id");
    e.contactId = idFrom(json, "contact_id");
    e.amountPaid = Money::fromCents(json.value(str("amount_paid_cents")).toInteger());
    return e;
}

QJsonObject LeadCreatedEvent::payload() const
{
    return withBase(*this, {{str("lead_id"), idJson(leadId)}, {str("raw_notes"), rawNotes}});
}
LeadCreatedEvent LeadCreatedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<LeadCreatedEvent>(json);
    e.leadId = idFrom(json, "lead_id");
    e.rawNotes = json.value(str("raw_notes")).toString();
    return e;
}

QJsonObject LeadConvertedEvent::payload() const
{
    return withBase(*this, {{str("lead_id"), idJson(leadId)}, {str("contact_id"), idJson(contactId)}});
}
LeadConvertedEvent LeadConvertedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<LeadConvertedEvent>(json);
    e.leadId = idFrom(json, "lead_id");
    e.contactId = idFrom(json, "contact_id");
    return e;
}

QJsonObject ScheduledMessageCreatedEvent::payload() const
{
    return withBase(*this, {{str("message_id"), idJson(messageId)},
                            {str("contact_id"), idJson(contactId)},
                            {str("scheduled_for"), timeJson(scheduledFor)}});
}
ScheduledMessageCreatedEvent ScheduledMessageCreatedEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<ScheduledMessageCreatedEvent>(json);
    e.messageId = idFrom(json, "message_id");
    e.contactId = idFrom(json, "contact_id");
    e.scheduledFor = timeFrom(json, "scheduled_for");
    return e;
}

QJsonObject ScheduledMessageSentEvent::payload() const
{
    return withBase(*this, {{str("message_id"), idJson(messageId)}, {str("contact_id"), idJson(contactId)}});
}
ScheduledMessageSentEvent ScheduledMessageSentEvent::fromJson(const QJsonObject &json)
{
    auto e = baseFrom<ScheduledMessageSentEvent>(json);
    e.messageId = idFrom(json, "message_id");
    e.contactId = idFrom(json, "contact_id");
    return e;
}

} // namespace fb
