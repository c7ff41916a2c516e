#pragma once

#include "util/result.h"

#include <QList>
#include <QString>
#include <QUuid>

namespace fb {
class Database;
}

/// The local side of the push's outbox (sync_outbox, one row per audit entry written here) that core owns: a
/// change is acknowledged once the server committed it. sync::Pusher calls this after the server's COMMIT;
/// the housekeeping (db/housekeeping.h) prunes acknowledged rows later.
namespace fb::outbox {

/// Marks the outbox rows `seqs` of `userId` acknowledged at `now` (stored time), and remembers `now` as the
/// user's last push (sync_state 'last_push_at'), in one transaction (a savepoint inside the caller's).
Status acknowledge(Database &db, const QUuid &userId, const QList<qint64> &seqs, const QString &now);

} // namespace fb::outbox
