#pragma once

#include "util/result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <functional>
#include <memory>

class QJsonObject;

namespace fb {
class Database;
}
namespace fb::catalog {
struct Table;
}

namespace fb::sync {

class PgConnection;

/// Whether `error` refuses a row (a constraint or a value of the local file, its scoping: the pull and the
/// restore leave the row out and name it) rather than a failure of the file (full, locked, unreadable: they
/// roll back).
bool isRefusal(const Error &error);

/// Writes the server's rows and audit entries into a local file as the pull does (see Puller), keeping each
/// statement prepared across rows: a restore writes a whole history through one, a pull one per page. Use it
/// inside transactions of the local file, give it up when one of them fails (it remembers the authors it
/// wrote, so that each is written once), and destroy it before the file's connection.
class ServerWriter final
{
public:
    explicit ServerWriter(Database &local);
    ~ServerWriter();
    ServerWriter(const ServerWriter &) = delete;
    ServerWriter &operator=(const ServerWriter &) = delete;

    /// One row's server state applied as the pull applies it (no local change waits in a new file); returns
    /// whether anything changed.
    /// `alone`: under a savepoint of its own, so that a refused row leaves the rest as it was; without, the
    /// caller's transaction must be rolled back on a refusal.
    Result<bool> applyRow(const catalog::Table &table, const QJsonObject &state, bool alone = true);
    /// One row's server state inserted as a new local row, without looking for one already there (a restore's
    /// rows are new to its file); a refusal (the row is there after all, a parent is missing) is returned
    /// and the caller's transaction must be rolled back.
    Status insertRow(const catalog::Table &table, const QJsonObject &state);
    /// One audit entry from the server added to the local trail (kept once: an entry already there is
    /// skipped).
    Status addEntry(const QJsonObject &entry);

    class Statements;

private:
    std::unique_ptr<Statements> m_statements;
};

struct PullReport
{
    int read = 0;        ///< feed rows read, this device's own changes included (they come back as positions)
    int changes = 0;     ///< feed rows of other writers: the office, another device, the server
    int rowsApplied = 0; ///< local rows inserted, changed or removed
    int entries = 0;     ///< audit entries added to the local trail
    int keptLocal = 0; ///< rows or fields left as they are because a local change to them waits for the push
    int pages = 0;     ///< server round trips that returned changes
    QHash<QString, int> removed; ///< rows removed here because the server no longer has them, by table
    QStringList leftOut;         ///< rows this file could not store, each in a sentence (see applyPage)
};

/// Brings the server's changes to a technician's rows down into the local file (issue 14).
///
/// The server's feed (fieldbook_changes, server schema 4) is read through fieldbook_pull() from the stored
/// position, in pages, in the server's commit-safe order (see 004_change_feed.sql). Pages are applied in
/// batches (kPagesPerCommit), each ONE local transaction together with the new position, so a crash anywhere
/// leaves either the batch and its position or neither: the next run converges. Applied per page:
///   * rows: the server's current state, field by field, except fields a local change not yet pushed has
///     touched (those wait for the push, where the server's merge rules decide); parents before children,
///     removals children first; a row the server no longer has is removed unless a local change waits for it;
///   * audit entries: written by others (a dispatcher, another device of the technician, a script), kept in
///   the
///     local trail with their author, time and origin, converted to the local convention; never pushed back.
/// This device's own changes come back only as positions. A pull with nothing new is one round trip.
class Puller final
{
public:
    /// Feed rows a page: the server reads the next page while this side applies one (bench_sync_pull).
    static constexpr int kDefaultPageSize = 2500;
    /// Pages a durable commit: the position a crashed pull resumes from moves with each commit. A commit
    /// waits for the disk; a batch holds the file's write lock while it applies (about a quarter of a second
    /// for 5,000 feed rows on the benchmark's machine), which the window's own writes wait for.
    static constexpr int kPagesPerCommit = 2;
    /// Server schema 4 brought the feed.
    static constexpr int kMinimumServerSchema = 4;

    /// A pull that would remove more than half of a table's rows on this laptop (and more than this many)
    /// stops with ErrorCode::InvalidState before applying that page, unless setAcceptRemovals(true): a server
    /// that lost data must not empty the laptop (docs/sync-guarantees.md 10). Counted over one pullAll().
    static constexpr int kRemovalGuardMinimum = 20;

    Puller(Database &local, const QUuid &userId, int pageSize = kDefaultPageSize);

    /// The technician confirmed that the office really removed what the guard stopped.
    void setAcceptRemovals(bool accept) { m_acceptRemovals = accept; }

    /// Called after each applied page with the feed rows read so far.
    using Progress = std::function<void(int changesRead)>;

    /// Pulls until the server has nothing newer. Transient failures return ErrorCode::Unavailable; the pages
    /// applied before stay applied.
    Result<PullReport> pullAll(PgConnection &server, const Progress &progress = {});

    /// The stored feed position, "xid:seq" ("0:0" before the first pull).
    Result<QString> position() const;
    /// The identity of the server this file pulls from (sync_state 'server_id'), learnt on the first pull; a
    /// pull from a server with another identity, or one whose feed went back behind the stored position
    /// (restored from a backup), stops with ErrorCode::InvalidState and applies nothing.
    Result<QString> serverId() const;

    /// For the restore (sync/restorer.h), which fills a new file the same way: one row's server state applied
    /// as the pull applies it (no local change waits in a new file); returns whether anything changed.
    static Result<bool> applyServerRow(Database &local, const catalog::Table &table,
                                       const QJsonObject &state);
    /// One audit entry from the server added to the local trail, as the pull adds them.
    static Status addServerEntry(Database &local, const QJsonObject &entry);
    /// Sets the feed position the next pull starts from ("xid:seq").
    static Status setPosition(Database &local, const QUuid &userId, const QString &position);

private:
    struct FeedRow;
    /// Applies one page inside the caller's batch transaction; false when a row was refused and rowByRow is
    /// off (the caller rolls the batch back and applies it again with rowByRow on).
    Result<bool> applyPage(ServerWriter::Statements &statements, const QList<FeedRow> &rows,
                           PullReport &report, bool rowByRow);

    Status checkRemovals(const catalog::Table &table, PullReport &report);

    Database &m_local;
    QUuid m_userId;
    int m_pageSize;
    bool m_acceptRemovals = false;
    QHash<QString, int> m_liveAtStart; ///< live rows by table when the pull's removals began
};

} // namespace fb::sync
