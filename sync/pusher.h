#pragma once

#include "db/tablecatalog.h"
#include "syncapi/synctypes.h"
#include "util/result.h"

#include <QJsonObject>
#include <QJsonValue>

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <chrono>
#include <functional>

namespace fb {
class Database;
}

namespace fb::sync {

class PgConnection;

/// Set-aside changes are plain data in core (syncapi/synctypes.h): the sync page reads them without sync.
using QuarantinedChange = fb::QuarantinedChange;

struct PushReport
{
    int pushed = 0;       ///< outbox entries the server committed in this cycle
    int quarantined = 0;  ///< entries set aside in this cycle
    int batches = 0;      ///< server transactions that committed
    int remaining = 0;    ///< entries still pending afterwards
    int released = 0;     ///< entries set aside earlier that this cycle tried again
    QString releasedWhy;  ///< why they were tried again ("the server's schema changed from 2 to 3", ...)
    int serverSchema = 0; ///< the schema version the server reported
    int conflicts = 0;    ///< changes that met a different change on the server (kept in sync_conflicts)
};

/// The convention of audit entries on the server (README, "Audit entries on the server"), both ways: money as
/// decimal text dollars ("156.00"), times as ISO 8601 text (UTC with milliseconds here; any precision and
/// offset read), ids as lowercase uuid text, booleans as JSON booleans, JSON values embedded. The local
/// convention is the local columns': integer cents, 0/1, JSON as text.
namespace convention {
/// One value of a column of kind `kind`, local -> server.
QJsonValue toServer(catalog::ColumnKind kind, const QJsonValue &local);
/// One value of a column of kind `kind`, server -> local (a time to the millisecond, truncated).
QJsonValue toLocal(catalog::ColumnKind kind, const QJsonValue &server);
/// An audit entry's changes ({"created": row}, {field: {old, new}}, {"deleted": row}) of `table` (nullptr:
/// left as they are) converted one way or the other.
QJsonObject changesToServer(const catalog::Table *table, const QJsonObject &changes);
} // namespace convention

/// Pushes a technician's pending local changes to the central PostgreSQL (issues 3 and 14).
///
/// The outbox (sync_outbox, one row per audit entry, written by a trigger in the mutation's transaction) is
/// read in its local order, in bounded batches. Each batch is one server transaction that sets the identity
/// and this file's device id (deviceid.h) with transaction-local settings and hands the batch's audit
/// entries, converted to the server's convention, to fieldbook_push() (server migration 005): the entries are
/// the changes (a create's row, an update's fields with the values they changed from, a delete), applied per
/// field with compare-and-set; where the office changed the same field, or deleted the row, the field's rule
/// decides and the server returns a conflict. Nothing else is sent: no current states, no parent rows. Only
/// after the server's COMMIT succeeds are the entries acknowledged locally, in one local transaction with the
/// returned conflicts (sync_conflicts) and, where the server's value was kept or the row was deleted there,
/// the local field set to the server's value or the local row marked deleted (no audit entry: the office's
/// own change reaches the local trail through the pull). A crash anywhere re-sends the batch, which is
/// harmless: the server skips entries it already holds and returns the conflicts it recorded for them. A
/// batch the server refuses for good is split in halves until the refused entries are isolated; those are
/// quarantined with the server's reason and the rest goes on. Transient failures stop the cycle for a retry.
/// While the server applies a batch, the next one is read and built (at most two in memory), so the client's
/// work overlaps the server's; it is sent only after the previous one committed and was acknowledged.
class Pusher final
{
public:
    static constexpr int kDefaultBatchSize = 2000;
    /// The oldest server schema this build pushes to: version 5 brought fieldbook_push(), which applies the
    /// entries per field (version 2 brought fieldbook_schema_version(), which the check before every push
    /// reads); version 6 has the invoices' number column, which every new invoice carries. An older server is
    /// refused with "run fieldbook server-init".
    static constexpr int kMinimumServerSchema = 6;
    /// How long a statement of the push waits for a lock another session holds (one technician's login can
    /// LOCK a table) before the push gives up for this cycle.
    static constexpr std::chrono::milliseconds kDefaultLockTimeout = std::chrono::seconds(5);
    /// How long any one statement of the push may run.
    static constexpr std::chrono::milliseconds kStatementTimeout = std::chrono::minutes(2);
    /// A change set aside is tried again by the first cycle that finds the server healthy this long after.
    static constexpr std::chrono::hours kRetrySetAsideAfter = std::chrono::hours(24);

    Pusher(Database &local, const QUuid &userId, int batchSize = kDefaultBatchSize);

    /// Called with the entries handled so far (pushed or set aside) out of those pending when the push
    /// began (more when changes were made meanwhile): once before the first batch, then after each.
    using Progress = std::function<void(int done, int total)>;

    /// Checks the server first (checkServer()), tries again the changes set aside that are due
    /// (releaseDue()), then pushes batches until nothing is pending. A transient failure returns
    /// ErrorCode::Unavailable (retry later); anything about the server, the login's rights or the schema
    /// returns Forbidden or Database with one sentence saying what to fix, and sets nothing aside. Only a
    /// change the server refuses for its own content (a data or constraint error, a reference that does not
    /// hold, a row of another user) is set aside. Entries committed before a failure stay acknowledged.
    Result<PushReport> pushAll(PgConnection &server, const Progress &progress = {});

    /// What the push needs of the server, checked before anything is sent: a Fieldbook schema of at least
    /// kMinimumServerSchema, a login that is a Fieldbook technician with the rights the push uses, bound to
    /// this profile's user. Returns the server's schema version. Sets the session's lock and statement
    /// timeouts. Failures name what to fix; nothing local changes.
    Result<int> checkServer(PgConnection &server);

    void setLockTimeout(std::chrono::milliseconds timeout) { m_lockTimeout = timeout; }

    Result<int> pendingCount() const;
    Result<QList<QuarantinedChange>> quarantined() const;
    /// Puts quarantined entries back in the queue (after the cause was fixed on the server). Returns how
    /// many.
    Result<int> releaseQuarantine();
    /// Puts back the entries set aside that are due for another try: all of them when the server's schema
    /// version differs from the one the last cycle saw (remembered in sync_state), and those set aside at
    /// least kRetrySetAsideAfter ago. `why` says which.
    Result<int> releaseDue(int serverSchema, QString *why = nullptr);

private:
    struct Entry
    {
        qint64 seq;
        QString auditId;
        QString entityType;
        QString entityId;
    };
    /// One conflict the server returned, in the local convention.
    struct Conflict
    {
        QString id;
        QString auditId;
        QString entityType;
        QString entityId;
        QString field;
        QJsonValue base;
        QJsonValue theirs;
        QJsonValue mine;
        QString outcome;
        QString theirsAuthor;
        QString detectedAt;   ///< stored time
        QString rowDeletedAt; ///< stored time, when the row was deleted on the server
    };

    /// The next pending entries in local order, after `afterSeq`.
    Result<QList<Entry>> nextBatch(qint64 afterSeq = 0) const;
    /// The batch's transaction: identity, device, and fieldbook_push() of the entries' audit entries.
    Result<QByteArray> buildScript(PgConnection &server, const QList<Entry> &entries) const;
    /// Pushes `entries` as one transaction (`script`, built here when empty); on a permanent refusal splits
    /// them. `whileServerWorks` runs between sending and waiting for the answer. Returns
    /// Unavailable/Forbidden for failures that must stop the cycle.
    Status pushRange(PgConnection &server, const QList<Entry> &entries, PushReport &report,
                     QByteArray script = {}, const std::function<void()> &whileServerWorks = {});
    Status acknowledge(const QList<Entry> &entries, const QList<Conflict> &conflicts);
    /// Stores a conflict and, where the server kept its value or deleted the row, brings the local row there.
    Status applyConflict(const Conflict &conflict, const QString &now);
    /// Sets `entry` aside with the server's reason; a refused creation takes the row's later changes along.
    Status quarantine(const Entry &entry, const QString &reason);
    /// Sets aside the pending changes of rows that have an earlier change set aside: they wait with it.
    Status holdBackBehindSetAside();
    /// Those of `entries` still waiting to be pushed (not set aside meanwhile).
    Result<QList<Entry>> stillPending(const QList<Entry> &entries) const;

    Database &m_local;
    QUuid m_userId;
    int m_batchSize;
    std::chrono::milliseconds m_lockTimeout = kDefaultLockTimeout;
    QString m_device; ///< this file's device id, read by pushAll()
};

} // namespace fb::sync
