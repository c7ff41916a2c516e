#pragma once

#include "util/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <functional>

namespace fb {
class Database;
}

namespace fb::sync {

class PgConnection;

/// A change the server refused for good, set aside with the server's reason.
struct QuarantinedChange
{
    qint64 seq = 0;
    QString entityType;
    QUuid entityId;
    QString reason;
    QDateTime at;
    QString action;     ///< what the local change did: "create", "update" or "delete" (its audit entry's)
    QStringList fields; ///< the fields an update changed
};

struct PushReport
{
    int pushed = 0;      ///< outbox entries the server committed in this cycle
    int quarantined = 0; ///< entries set aside in this cycle
    int batches = 0;     ///< server transactions that committed
    int remaining = 0;   ///< entries still pending afterwards
};

/// Pushes a technician's pending local changes to the central PostgreSQL (issue 3).
///
/// The outbox (sync_outbox, one row per audit entry, written by a trigger in the mutation's transaction) is
/// read in its local order, in bounded batches. Each batch is one server transaction that sets the identity
/// with transaction-local settings, deletes what was hard-deleted, upserts the *current* state of every
/// touched row and its parents in foreign-key order (keyed by the device-generated UUIDs), and inserts the
/// audit entries once (ON CONFLICT DO NOTHING). Only after the server's COMMIT succeeds are the entries
/// acknowledged locally. A crash anywhere re-sends the batch, which is harmless: state upserts converge and
/// audit rows are inserted once. A batch the server refuses for good is split in halves until the refused
/// entries are isolated; those are quarantined with the server's reason and the rest goes on. Transient
/// failures stop the cycle for a retry. While the server applies a batch, the next one is read and built (at
/// most two in memory), so the client's work overlaps the server's; it is sent only after the previous one
/// committed and was acknowledged.
class Pusher final
{
public:
    static constexpr int kDefaultBatchSize = 2000;

    Pusher(Database &local, const QUuid &userId, int batchSize = kDefaultBatchSize);

    /// Called with the entries handled so far (pushed or set aside) out of those pending when the push
    /// began (more when changes were made meanwhile): once before the first batch, then after each.
    using Progress = std::function<void(int done, int total)>;

    /// Pushes batches until nothing is pending. A transient failure returns ErrorCode::Unavailable (retry
    /// later); an identity refusal returns Forbidden. Entries committed before the failure stay acknowledged.
    Result<PushReport> pushAll(PgConnection &server, const Progress &progress = {});

    Result<int> pendingCount() const;
    Result<QList<QuarantinedChange>> quarantined() const;
    /// Puts quarantined entries back in the queue (after the cause was fixed on the server).
    Status releaseQuarantine();

private:
    struct Entry
    {
        qint64 seq;
        QString auditId;
        QString entityType;
        QString entityId;
    };

    /// The next pending entries in local order, after `afterSeq`.
    Result<QList<Entry>> nextBatch(qint64 afterSeq = 0) const;
    Result<QByteArray> buildScript(PgConnection &server, const QList<Entry> &entries) const;
    /// Pushes `entries` as one transaction (`script`, built here when empty); on a permanent refusal splits
    /// them. `whileServerWorks` runs between sending and waiting for the answer. Returns
    /// Unavailable/Forbidden for failures that must stop the cycle.
    Status pushRange(PgConnection &server, const QList<Entry> &entries, PushReport &report,
                     QByteArray script = {}, const std::function<void()> &whileServerWorks = {});
    Status acknowledge(const QList<Entry> &entries);
    Status quarantine(const Entry &entry, const QString &reason);

    Database &m_local;
    QUuid m_userId;
    int m_batchSize;
};

} // namespace fb::sync
