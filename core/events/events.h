#pragma once

#include "util/money.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <memory>
#include <optional>

namespace fb {

/// Base of all domain events (seed 3.2). Events are immutable values carrying the state handlers need, so
/// handlers never re-fetch. They are stored as JSON in the publishing transaction and rebuilt from it for
/// delivery (core/events/eventbus.h), so the first delivery and a retry take the same path.
struct DomainEvent
{
    QUuid eventId;
    QUuid userId;
    QDateTime occurredAt;

    virtual ~DomainEvent() = default;
    /// The event class name, as the seed subscribes by it ("TicketCompletedEvent").
    virtual QString type() const = 0;
    /// Event-specific fields as JSON (ids as text, money as integer cents, times as stored text).
    virtual QJsonObject payload() const = 0;

    /// Rebuilds an event of `type` from its payload; null for an unknown type.
    static std::unique_ptr<DomainEvent> fromPayload(const QString &type, const QJsonObject &payload);

protected:
    DomainEvent() = default;
    DomainEvent(const DomainEvent &) = default;
    DomainEvent &operator=(const DomainEvent &) = default;
};

#define FB_EVENT_TYPE(Name)                                                                                  \
    static constexpr const char *kType = #Name;                                                              \
    QString type() const override                                                                            \
    {                                                                                                        \
        return QString::fromLatin1(kType);                                                                   \
    }                                                                                                        \
    QJsonObject payload() const override;                                                                    \
    static Name fromJson(const QJsonObject &json);

// === Ticket events ===

struct TicketCreatedEvent final : DomainEvent
{
    FB_EVENT_TYPE(TicketCreatedEvent)
    QUuid ticketId;
    QUuid contactId;
    QUuid addressId;
    QDateTime scheduledAt;
};

/// Published when a close-out is finalized; carries everything the handlers need.
struct TicketCompletedEvent final : DomainEvent
{
    FB_EVENT_TYPE(TicketCompletedEvent)
    QUuid ticketId;
    QUuid contactId;
    std::optional<QString> notes;
    QJsonObject confirmedAttributes;
    QString nextServiceAction; ///< "schedule_now", "reach_out", "no_followup"
    std::optional<int> reachOutMonths;
    QUuid sourceNoteId; ///< the close-out note the attributes came from (not in the seed: links attributes)
};

// === Contact events ===

struct ContactCreatedEvent final : DomainEvent
{
    FB_EVENT_TYPE(ContactCreatedEvent)
    QUuid contactId;
    QString name;
    std::optional<QString> email;
    std::optional<QString> phone;
};

struct ContactUpdatedEvent final : DomainEvent
{
    FB_EVENT_TYPE(ContactUpdatedEvent)
    QUuid contactId;
    QJsonObject changes; ///< {field: {old, new}}
};

// === Invoice events ===

struct InvoiceCreatedEvent final : DomainEvent
{
    FB_EVENT_TYPE(InvoiceCreatedEvent)
    QUuid invoiceId;
    QUuid contactId;
    QUuid ticketId; ///< null for a standalone invoice
    Money totalAmount;
};

struct InvoiceSentEvent final : DomainEvent
{
    FB_EVENT_TYPE(InvoiceSentEvent)
    QUuid invoiceId;
    QUuid contactId;
    std::optional<QString> paymentLink;
};

struct InvoicePaidEvent final : DomainEvent
{
    FB_EVENT_TYPE(InvoicePaidEvent)
    QUuid invoiceId;
    QUuid contactId;
    Money amountPaid;
};

// === Lead events ===

struct LeadCreatedEvent final : DomainEvent
{
    FB_EVENT_TYPE(LeadCreatedEvent)
    QUuid leadId;
    QString rawNotes;
};

struct LeadConvertedEvent final : DomainEvent
{
    FB_EVENT_TYPE(LeadConvertedEvent)
    QUuid leadId;
    QUuid contactId;
};

// === Message events ===

struct ScheduledMessageCreatedEvent final : DomainEvent
{
    FB_EVENT_TYPE(ScheduledMessageCreatedEvent)
    QUuid messageId;
    QUuid contactId;
    QDateTime scheduledFor;
};

struct ScheduledMessageSentEvent final : DomainEvent
{
    FB_EVENT_TYPE(ScheduledMessageSentEvent)
    QUuid messageId;
    QUuid contactId;
};

#undef FB_EVENT_TYPE

/// Every event type name the bus can rebuild, in the seed's order.
QStringList knownEventTypes();

} // namespace fb
