#pragma once

#include "util/result.h"

#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QUuid>
#include <QVariant>

#include <functional>
#include <memory>
#include <unordered_map>

namespace fb {

class Statement;

/// One named SQLite connection, opened on the thread that uses it (Qt 6.4 cannot move a connection).
///
/// Opening applies the pragmas (synchronous=FULL, foreign keys, a busy timeout), the pending migrations in
/// one write transaction, WAL journaling, registers current_user_id() and installs the per-user scoping views
/// (core/db/scoping.cpp). Several processes may open one new or outdated file at once: the migrations are
/// applied exactly once, by whichever takes the write lock first.
/// Reads of user-scoped tables by their plain names (`contacts`, `tickets`, ...) see only the current user's
/// live rows; writes go to `main.<table>` and are checked by triggers. With no current user, both fail
/// loudly.
class Database final
{
public:
    /// The schema version this build knows; a database from a newer build is refused, never downgraded.
    static int latestSchemaVersion();

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /// How long open() waits for another process that holds the file's write lock (migrating it, or
    /// switching it to WAL) before it gives up, in milliseconds; also the connection's busy timeout.
    static constexpr int kLockWaitMs = 5000;

    /// Opens the database file at `path` as connection `connectionName`, creating the file (never its folder:
    /// a missing folder is an error, ErrorCode::NotFound) and migrating it when needed. A file from a newer
    /// build is refused before anything is written to it.
    static Result<std::unique_ptr<Database>> open(const QString &path, const QString &connectionName);

    QSqlDatabase &connection() { return m_db; }
    const QString &path() const { return m_path; }
    int schemaVersion() const;

    /// How much of the file a connection reads through a memory map (configure()'s default, for every
    /// connection that reads a lot: the sync worker's, a restore's, the read thread's).
    static constexpr qint64 kMemoryMapBytes = qint64(1) << 30;
    /// Reads through the memory map (true, the default) or with a read() per page missing from the page cache
    /// (false). Without a map a cold start reads what it uses: with one, the first touch of each mapped page
    /// reads 128 KiB around it (the kernel's read-around for mapped files), and a file of 100,000 customers
    /// has its B-tree pages spread over hundreds of MB. The window's own connection goes without
    /// (app/gui.cpp): its cold start on 100,000 customers took 1.43-1.61 times the demo's with the map, 1.15
    /// without it (bench_gui_start, 2026-12-06); its reads are a screen's worth.
    Status setMemoryMapped(bool mapped);
    /// The versions this open() migrated the file to, in order; empty when it was up to date (or another
    /// process migrated it first).
    const QList<int> &appliedMigrations() const { return m_applied; }

    /// The user whose rows this connection sees and writes. A null id clears it.
    void setCurrentUser(const QUuid &userId);
    QUuid currentUser() const;

    /// Prepares `sql`, binds `values` positionally and executes it. Errors carry SQLite's message; a scoping
    /// trigger's refusal comes back as ErrorCode::Forbidden.
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &values = {});

    /// Runs `sql` (a write, or a read whose rows are not wanted) as exec() does, with the same errors and the
    /// same announcement of a commit, through a statement this connection prepared once and keeps (SQLite's
    /// own API, db/statement.h): for the statements every write runs. Qt's driver prepares anew on each
    /// exec(), which for an insert into a synced table means parsing it and compiling every trigger it fires,
    /// and binds text as UTF-16: that was most of a durable create-ticket's CPU time beside its commit.
    /// `sql` must be one of a fixed few texts (built from constant identifiers only, as all our SQL is).
    Status run(const QString &sql, const QVariantList &values = {});

    /// Reads through the kept statement for `sql` (see run()): `onRow` sees each row in turn (read it with
    /// Statement::value) and returns false to stop early. The read ends (its snapshot goes) before read()
    /// returns. Used again from inside `onRow`, the same text gets a statement of its own.
    Status read(const QString &sql, const QVariantList &values,
                const std::function<bool(const Statement &row)> &onRow);

    /// Executes a script of several statements (migrations, maintenance) through sqlite3_exec.
    Status execScript(const QString &script);

    /// Makes the statement this connection is running (if any) stop at once with an error: sqlite3_interrupt,
    /// the one call that is safe from another thread. The caller makes sure the connection is not being
    /// closed meanwhile. For a read thread that must not hold up a quit (ui/common/readworker.h).
    void interrupt();

    /// While it lives, a statement of this connection stops with an "interrupted" error as soon as `stop`
    /// returns true, checked every few thousand steps of SQLite's machine (sqlite3_progress_handler) on the
    /// connection's own thread. For a read a newer question made pointless: a search superseded by the next
    /// keystroke (ui/common/contactsearch.h) gives the read thread back at once instead of walking on.
    class StopWhen final
    {
    public:
        StopWhen(Database &db, std::function<bool()> stop);
        ~StopWhen();
        StopWhen(const StopWhen &) = delete;
        StopWhen &operator=(const StopWhen &) = delete;

    private:
        static int check(void *self);
        Database &m_db;
        std::function<bool()> m_stop;
    };

    /// Transaction nesting depth; Transaction uses it to turn inner transactions into savepoints.
    int transactionDepth() const { return m_depth; }

    /// Called after each commit of this connection (the outermost Transaction's COMMIT, or a write outside
    /// any transaction) with the tables it wrote (SQLite's update hook; a rolled-back transaction announces
    /// nothing). ChangeFeed sets it. Pass {} to remove it.
    using CommitObserver = std::function<void(const QSet<QString> &tables)>;
    void setCommitObserver(CommitObserver observer) { m_commitObserver = std::move(observer); }

private:
    friend class Transaction;
    friend class Statement;
    Database(QString path, QString connectionName);

    Status configure();
    Status migrate();
    Status switchToWal();
    Status registerCurrentUserFunction();
    Status installScoping();
    Status beginLevel();
    Status commitLevel();
    void rollbackLevel();
    /// After a statement: announces a commit that wrote something when no transaction is open any more.
    void afterStatement();
    /// After a failed statement: outside a transaction it changed nothing, so nothing of it is announced.
    void statementFailed();
    /// Runs `use` with the kept statement for `sql`, prepared on first use; resets it afterwards.
    Status withKept(const QString &sql, const std::function<Status(Statement &)> &use);
    static void onRowChanged(void *self, int operation, const char *database, const char *table,
                             long long rowid);
    static void onRollback(void *self);

    struct ScopeState
    {
        QByteArray userId; // canonical UUID text, empty when no user is set
    };
    QString m_path;
    QString m_name;
    QSqlDatabase m_db;
    std::unique_ptr<ScopeState> m_scope;
    void *m_handle = nullptr; // sqlite3*, owned by the Qt driver
    int m_depth = 0;
    QList<int> m_applied;
    QSet<QString> m_written; ///< tables written since the last commit or rollback (the update hook)
    CommitObserver m_commitObserver;
    struct Kept;
    std::unordered_map<QString, std::unique_ptr<Kept>> m_kept; ///< run() and read()'s statements, by SQL text
};

/// Turns a failed QSqlQuery into an Error, mapping scoping refusals to Forbidden.
Error sqlError(const QSqlQuery &query, const QString &context = {});

} // namespace fb
