#pragma once

namespace fb {

class AuditLogger;
class Database;
class EventBus;
class Store;

/// What every service works with: the thread's connection, the write path, the audit trail and the bus.
struct ServiceContext
{
    Database &db;
    Store &store;
    AuditLogger &audit;
    EventBus &bus;
};

} // namespace fb

#include "db/database.h"
#include "util/timeutil.h"

namespace fb {

/// Fills the common fields of a new event: a fresh id, the current user, now.
template <typename E> E newEvent(Database &db)
{
    E event;
    event.eventId = newId();
    event.userId = db.currentUser();
    event.occurredAt = nowUtc();
    return event;
}

} // namespace fb
