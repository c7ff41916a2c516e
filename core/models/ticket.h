#pragma once

#include "db/store.h"
#include "models/address.h"
#include "models/contact.h"
#include "models/enums.h"
#include "models/lineitem.h"

#include <QDateTime>
#include <QList>
#include <QUuid>

#include <optional>

namespace fb {

class StatementColumns;

struct TicketCreate
{
    QUuid contactId;
    QUuid addressId;
    QDateTime scheduledAt;
    std::optional<int> scheduledDurationMinutes;
    std::optional<QString> notes;
};

/// Reschedule or edit; unset fields are not changed.
struct TicketUpdate
{
    std::optional<QUuid> addressId;
    std::optional<QDateTime> scheduledAt;
    std::optional<int> scheduledDurationMinutes;
    std::optional<QString> notes;
};

struct Ticket
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    QUuid addressId;
    TicketStatus status = TicketStatus::Scheduled;
    QDateTime scheduledAt;
    std::optional<int> scheduledDurationMinutes;
    QDateTime clockInAt;
    QDateTime clockOutAt;
    std::optional<int> actualDurationMinutes;
    std::optional<QString> notes;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime closedAt;
    QDateTime deletedAt;

    /// Completed or cancelled: every change is refused.
    bool isClosed() const { return status == TicketStatus::Completed || status == TicketStatus::Cancelled; }

    static Ticket fromRow(const Row &row);
    /// As fromRow, from a Statement's current row read by name without building a Row (the week view's
    /// ~1,900 tickets: a QVariantMap per row was most of its time).
    static Ticket fromColumns(const StatementColumns &columns);
    Row toRow() const;
};

struct TicketWithDetails
{
    Ticket ticket;
    Contact contact;
    Address address;
    QList<LineItem> lineItems;
    Money total;
};

} // namespace fb
