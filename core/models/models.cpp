// Row conversions for every model: one place that knows how each entity maps onto its table's columns.
#include "db/statement.h"
#include "models/address.h"
#include "models/attribute.h"
#include "models/contact.h"
#include "models/invoice.h"
#include "models/lineitem.h"
#include "models/note.h"
#include "models/rowaccess.h"
#include "models/scheduledmessage.h"
#include "models/service.h"
#include "models/ticket.h"
#include "models/user.h"
#include "util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace fb {

using namespace rows;

#define FB_COL(name) QStringLiteral(name)

User User::fromRow(const Row &row)
{
    return {rows::id(row, "id"), text(row, "name"), text(row, "email"), time(row, "created_at")};
}

Row User::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("name"), name},
            {FB_COL("email"), email},
            {FB_COL("created_at"), value(createdAt)}};
}

Contact Contact::fromRow(const Row &row)
{
    Contact c;
    c.id = rows::id(row, "id");
    c.userId = rows::id(row, "user_id");
    c.name = text(row, "name");
    c.email = optText(row, "email");
    c.phone = optText(row, "phone");
    c.notes = optText(row, "notes");
    c.createdAt = time(row, "created_at");
    c.updatedAt = time(row, "updated_at");
    c.deletedAt = time(row, "deleted_at");
    return c;
}

Row Contact::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("name"), name},
            {FB_COL("email"), value(email)},
            {FB_COL("phone"), value(phone)},
            {FB_COL("notes"), value(notes)},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("updated_at"), value(updatedAt)},
            {FB_COL("deleted_at"), value(deletedAt)}};
}

QString Address::oneLine() const
{
    return QStringLiteral("%1, %2, %3 %4").arg(street, city, state, zip);
}

Address Address::fromRow(const Row &row)
{
    Address a;
    a.id = rows::id(row, "id");
    a.userId = rows::id(row, "user_id");
    a.contactId = rows::id(row, "contact_id");
    a.label = optText(row, "label");
    a.street = text(row, "street");
    a.city = text(row, "city");
    a.state = text(row, "state");
    a.zip = text(row, "zip");
    a.notes = optText(row, "notes");
    a.createdAt = time(row, "created_at");
    a.updatedAt = time(row, "updated_at");
    return a;
}

Row Address::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("contact_id"), value(contactId)},
            {FB_COL("label"), value(label)},
            {FB_COL("street"), street},
            {FB_COL("city"), city},
            {FB_COL("state"), state},
            {FB_COL("zip"), zip},
            {FB_COL("notes"), value(notes)},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("updated_at"), value(updatedAt)}};
}

std::optional<Money> Service::catalogPrice() const
{
    switch (pricingType) {
    case PricingType::Fixed:
        return defaultPrice;
    case PricingType::PerUnit:
        return unitPrice;
    case PricingType::Flexible:
        return std::nullopt;
    }
    return std::nullopt;
}

Service Service::fromRow(const Row &row)
{
    Service s;
    s.id = rows::id(row, "id");
    s.userId = rows::id(row, "user_id");
    s.name = text(row, "name");
    s.description = optText(row, "description");
    // The schema's CHECK admits only known values; fall back to fixed rather than crash on a damaged file.
    const auto type = parsePricingType(text(row, "pricing_type"));
    s.pricingType = type ? *type : PricingType::Fixed;
    s.defaultPrice = optMoney(row, "default_price");
    s.unitPrice = optMoney(row, "unit_price");
    s.unitLabel = optText(row, "unit_label");
    s.isActive = row.value(QStringLiteral("is_active")).toInt() != 0;
    s.createdAt = time(row, "created_at");
    s.updatedAt = time(row, "updated_at");
    s.deletedAt = time(row, "deleted_at");
    return s;
}

Row Service::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("name"), name},
            {FB_COL("description"), value(description)},
            {FB_COL("pricing_type"), toString(pricingType)},
            {FB_COL("default_price"), value(defaultPrice)},
            {FB_COL("unit_price"), value(unitPrice)},
            {FB_COL("unit_label"), value(unitLabel)},
            {FB_COL("is_active"), qlonglong(isActive ? 1 : 0)},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("updated_at"), value(updatedAt)},
            {FB_COL("deleted_at"), value(deletedAt)}};
}

namespace {

template <typename Source> Ticket ticketFrom(const Source &row)
{
    Ticket t;
    t.id = rows::id(row, "id");
    t.userId = rows::id(row, "user_id");
    t.contactId = rows::id(row, "contact_id");
    t.addressId = rows::id(row, "address_id");
    const auto status = parseTicketStatus(text(row, "status"));
    t.status = status ? *status : TicketStatus::Scheduled;
    t.scheduledAt = time(row, "scheduled_at");
    t.scheduledDurationMinutes = optInt(row, "scheduled_duration_minutes");
    t.clockInAt = time(row, "clock_in_at");
    t.clockOutAt = time(row, "clock_out_at");
    t.actualDurationMinutes = optInt(row, "actual_duration_minutes");
    t.notes = optText(row, "notes");
    t.createdAt = time(row, "created_at");
    t.updatedAt = time(row, "updated_at");
    t.closedAt = time(row, "closed_at");
    t.deletedAt = time(row, "deleted_at");
    return t;
}

} // namespace

Ticket Ticket::fromRow(const Row &row)
{
    return ticketFrom(row);
}

Ticket Ticket::fromColumns(const StatementColumns &columns)
{
    return ticketFrom(columns);
}

Row Ticket::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("contact_id"), value(contactId)},
            {FB_COL("address_id"), value(addressId)},
            {FB_COL("status"), toString(status)},
            {FB_COL("scheduled_at"), value(scheduledAt)},
            {FB_COL("scheduled_duration_minutes"), value(scheduledDurationMinutes)},
            {FB_COL("clock_in_at"), value(clockInAt)},
            {FB_COL("clock_out_at"), value(clockOutAt)},
            {FB_COL("actual_duration_minutes"), value(actualDurationMinutes)},
            {FB_COL("notes"), value(notes)},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("updated_at"), value(updatedAt)},
            {FB_COL("closed_at"), value(closedAt)},
            {FB_COL("deleted_at"), value(deletedAt)}};
}

LineItem LineItem::fromRow(const Row &row)
{
    LineItem l;
    l.id = rows::id(row, "id");
    l.userId = rows::id(row, "user_id");
    l.ticketId = rows::id(row, "ticket_id");
    l.serviceId = rows::id(row, "service_id");
    l.description = optText(row, "description");
    l.quantity = optInt(row, "quantity").value_or(1);
    l.unitPrice = optMoney(row, "unit_price");
    l.totalPrice = money(row, "total_price");
    l.durationMinutes = optInt(row, "duration_minutes");
    l.createdAt = time(row, "created_at");
    l.updatedAt = time(row, "updated_at");
    l.deletedAt = time(row, "deleted_at");
    return l;
}

Row LineItem::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("ticket_id"), value(ticketId)},
            {FB_COL("service_id"), value(serviceId)},
            {FB_COL("description"), value(description)},
            {FB_COL("quantity"), qlonglong(quantity)},
            {FB_COL("unit_price"), value(unitPrice)},
            {FB_COL("total_price"), value(totalPrice)},
            {FB_COL("duration_minutes"), value(durationMinutes)},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("updated_at"), value(updatedAt)},
            {FB_COL("deleted_at"), value(deletedAt)}};
}

Invoice Invoice::fromRow(const Row &row)
{
    Invoice i;
    i.id = rows::id(row, "id");
    i.userId = rows::id(row, "user_id");
    i.contactId = rows::id(row, "contact_id");
    i.ticketId = rows::id(row, "ticket_id");
    const auto status = parseInvoiceStatus(text(row, "status"));
    i.status = status ? *status : InvoiceStatus::Draft;
    i.totalAmount = money(row, "total_amount");
    i.sentAt = time(row, "sent_at");
    i.paidAt = time(row, "paid_at");
    i.createdAt = time(row, "created_at");
    i.updatedAt = time(row, "updated_at");
    i.deletedAt = time(row, "deleted_at");
    i.number = optText(row, "number");
    return i;
}

Row Invoice::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("contact_id"), value(contactId)},
            {FB_COL("ticket_id"), value(ticketId)},
            {FB_COL("status"), toString(status)},
            {FB_COL("total_amount"), value(totalAmount)},
            {FB_COL("sent_at"), value(sentAt)},
            {FB_COL("paid_at"), value(paidAt)},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("updated_at"), value(updatedAt)},
            {FB_COL("deleted_at"), value(deletedAt)},
            {FB_COL("number"), value(number)}};
}

Note Note::fromRow(const Row &row)
{
    return {rows::id(row, "id"),        rows::id(row, "user_id"), rows::id(row, "contact_id"),
            rows::id(row, "ticket_id"), text(row, "content"),     time(row, "created_at"),
            time(row, "deleted_at")};
}

Row Note::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("contact_id"), value(contactId)},
            {FB_COL("ticket_id"), value(ticketId)},
            {FB_COL("content"), content},
            {FB_COL("created_at"), value(createdAt)},
            {FB_COL("deleted_at"), value(deletedAt)}};
}

Attribute Attribute::fromRow(const Row &row)
{
    Attribute a;
    a.id = rows::id(row, "id");
    a.userId = rows::id(row, "user_id");
    a.contactId = rows::id(row, "contact_id");
    a.key = text(row, "key");
    a.value = jsonValueFromText(text(row, "value"));
    a.sourceNoteId = rows::id(row, "source_note_id");
    a.createdAt = time(row, "created_at");
    a.updatedAt = time(row, "updated_at");
    return a;
}

Row Attribute::toRow() const
{
    return {{FB_COL("id"), rows::value(id)},
            {FB_COL("user_id"), rows::value(userId)},
            {FB_COL("contact_id"), rows::value(contactId)},
            {FB_COL("key"), key},
            {FB_COL("value"), jsonValueToText(value)},
            {FB_COL("source_note_id"), rows::value(sourceNoteId)},
            {FB_COL("created_at"), rows::value(createdAt)},
            {FB_COL("updated_at"), rows::value(updatedAt)}};
}

ScheduledMessage ScheduledMessage::fromRow(const Row &row)
{
    ScheduledMessage m;
    m.id = rows::id(row, "id");
    m.userId = rows::id(row, "user_id");
    m.contactId = rows::id(row, "contact_id");
    m.templateName = optText(row, "template_name");
    m.customContent = optText(row, "custom_content");
    m.scheduledFor = time(row, "scheduled_for");
    const auto status = parseMessageStatus(text(row, "status"));
    m.status = status ? *status : MessageStatus::Pending;
    m.sentAt = time(row, "sent_at");
    m.errorMessage = optText(row, "error_message");
    m.createdAt = time(row, "created_at");
    return m;
}

Row ScheduledMessage::toRow() const
{
    return {{FB_COL("id"), value(id)},
            {FB_COL("user_id"), value(userId)},
            {FB_COL("contact_id"), value(contactId)},
            {FB_COL("template_name"), value(templateName)},
            {FB_COL("custom_content"), value(customContent)},
            {FB_COL("scheduled_for"), value(scheduledFor)},
            {FB_COL("status"), toString(status)},
            {FB_COL("sent_at"), value(sentAt)},
            {FB_COL("error_message"), value(errorMessage)},
            {FB_COL("created_at"), value(createdAt)}};
}

} // namespace fb
