#pragma once

#include "util/result.h"

#include <QDeadlineTimer>

namespace fb {
class Database;
}

/// Pruning what nothing will read again (issue 16), in short steps that never hold the write lock for long.
///
/// What goes:
/// * sync_outbox rows the server acknowledged (pushed_at set, not set aside). The push reads only pending
///   rows, the pull only pending ones (a local change not yet pushed), the Sync screen only the pending and
///   set-aside ones. `fieldbook check` proves every audit entry written here was recorded for sync: a pruned
///   row is counted per technician in sync_outbox_pruned (rows, and the last audit entry among them), so an
///   entry without an outbox row is accounted for by the count, or reported.
/// * domain_events delivered to every handler (dispatched = 1), with their delivery records. EventBus reads
///   only undelivered events and the records of those; a failed delivery is never dispatched, so it stays
///   with its error until a retry succeeds.
///
/// * Once a day, when nothing else is left, the contact search index is compacted (FTS5's incremental
///   'merge' with a negative page count: optimize, a step at a time) into one segment. Every change to a
///   customer adds a small segment that automatic merges fold into larger ones level by level; one segment
///   holds the same documents in about 10% less space (448 -> 405 bytes per customer at 20,000 demo
///   customers) and a search reads one list per trigram. It records when it finished in sync_state (user '',
///   the file's own) under search_index_compacted_at; an index already in one segment costs one empty step.
///
/// What stays: the audit trail, whole (every entry and its content, append-only); every pending, set-aside
/// or undelivered row; the conflicts the Sync screen lists.
///
/// Each step is one transaction of at most `maxRows` rows per kind, then (in a file made with auto_vacuum =
/// INCREMENTAL, as Database::open makes new files) gives at most kReleasePagesPerStep free pages back to the
/// file system. Safe on any connection and alongside the others: it deletes only rows no reader will take
/// again and no writer will change.
namespace fb::housekeeping {

// 200 rows of each kind per step. Each outbox row and each event is also an entry of an index on a random
// UUID (sync_outbox.audit_id, domain_events.event_id), so a step dirties about one page per row, and its
// commit writes them all to disk: at 100,000 demo customers, 500 rows held the write lock for 52 ms at p95
// and 400 for 65 (bench_storage), above the 50 ms goal.
inline constexpr int kStepRows = 200;
inline constexpr int kReleasePagesPerStep = 256; // 1 MiB of 4 KiB pages
inline constexpr int kSearchMergePages = 50;     // pages written per compaction step: about 10-30 ms
inline constexpr qint64 kSearchCompactEveryMs = 24LL * 3600 * 1000;

struct PruneReport
{
    qint64 outboxRows = 0;
    qint64 events = 0;
    qint64 deliveries = 0;
    qint64 pagesReleased = 0;
    bool searchIndexMerged = false; ///< the step compacted part of the contact search index
    int steps = 0;
    /// The longest write transaction of the steps (the prune, giving pages back, a compaction step, each one
    /// transaction): another connection's write waits at most about that long.
    double longestStepMs = 0;
    bool done = false; ///< nothing was left to prune or give back
};

/// One step. `done` in the report when nothing is left.
Result<PruneReport> pruneStep(Database &db, int maxRows = kStepRows);

/// Steps until nothing is left or `deadline` passed (then `done` is false: call again later).
Result<PruneReport> pruneAll(Database &db, QDeadlineTimer deadline = QDeadlineTimer::Forever,
                             int maxRows = kStepRows);

} // namespace fb::housekeeping
