#include "db/database.h"

#include "audit/auditchanges.h"
#include "db/schema.h"
#include "db/statement.h"
#include "db/transaction.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <utility>

namespace fb {

namespace {

Error newerThanThisBuild(const QString &path, int version, int latest)
{
    return Error::database(QStringLiteral("%1 has schema version %2, newer than this Fieldbook (%3): "
                                          "update Fieldbook to open it")
                               .arg(path)
                               .arg(version)
                               .arg(latest));
}

/// The file's schema version read without writing anything: a file from a newer build must be refused before
/// SQLite opens it read-write (switching it to WAL already changes the file and leaves -wal and -shm files).
/// The header holds the version unless a -wal file holds changes not yet written into the file; then a
/// read-only connection reads it through that WAL (whose -shm exists beside it). A hot rollback journal (a
/// migration cut off) means the header may be half-written: the version is then left to the check under the
/// write lock, after SQLite has rolled the journal back.
Result<std::optional<int>> versionWithoutWriting(const QString &path)
{
    const auto header = schema::readFileHeader(path);
    if (!header)
        return header.error();
    if (header->empty || QFileInfo(path + QStringLiteral("-journal")).size() > 0)
        return std::optional<int>();
    if (QFileInfo(path + QStringLiteral("-wal")).size() == 0)
        return std::optional<int>(header->userVersion);
    sqlite3 *raw = nullptr;
    const QByteArray name = QFile::encodeName(path);
    const int opened = sqlite3_open_v2(name.constData(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3 *)> db(raw, sqlite3_close);
    sqlite3_stmt *statement = nullptr;
    if (opened != SQLITE_OK || sqlite3_busy_timeout(db.get(), Database::kLockWaitMs) != SQLITE_OK ||
        sqlite3_prepare_v2(db.get(), "PRAGMA user_version", -1, &statement, nullptr) != SQLITE_OK)
        return std::optional<int>(); // the check under the write lock decides
    std::optional<int> version;
    if (sqlite3_step(statement) == SQLITE_ROW)
        version = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    return version;
}

/// SQLite's memory statistics off, before SQLite is first used (at program start: sqlite3_config works only
/// before sqlite3_initialize). With them on (the library's default), every allocation of every connection in
/// the process takes one global mutex to count it. A background thread that runs at a lower priority (the
/// sync worker, a restore: util/threadpriority.h) and loses its core while it holds that mutex then stops the
/// window's own statements until it gets a core back: bench_gui_stall saw the GUI thread asleep 120-143 ms in
/// sqlite3Malloc's lock (perf, sched_switch). Fieldbook reads no memory statistics. SQLite's own advice for
/// speed is the same (SQLITE_DEFAULT_MEMSTATUS=0 among its recommended options).
bool turnOffSqliteMemoryStatistics()
{
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

[[maybe_unused]] const bool g_sqliteMemoryStatisticsOff = turnOffSqliteMemoryStatistics();

bool isBusy(void *handle)
{
    const int code = sqlite3_extended_errcode(static_cast<sqlite3 *>(handle)) & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

} // namespace

Error sqlError(const QSqlQuery &query, const QString &context)
{
    const QString text = query.lastError().databaseText().isEmpty() ? query.lastError().text()
                                                                    : query.lastError().databaseText();
    Error error = Error::database(context.isEmpty() ? text : context + QStringLiteral(": ") + text);
    if (text.contains(QStringLiteral("scoping:")) || text.contains(QStringLiteral("no current user")))
        error.code = ErrorCode::Forbidden;
    return error;
}

int Database::latestSchemaVersion()
{
    return schema::latestVersion();
}

/// A statement run() and read() keep, and whether a call up the stack is using it now.
struct Database::Kept
{
    std::unique_ptr<Statement> statement;
    bool inUse = false;
};

Database::Database(QString path, QString connectionName)
    : m_path(std::move(path)), m_name(std::move(connectionName))
{
}

Database::~Database()
{
    m_kept.clear(); // finalized before the connection closes (SQLite will not close with statements open)
    if (m_handle) {
        sqlite3_update_hook(static_cast<sqlite3 *>(m_handle), nullptr, nullptr);
        sqlite3_rollback_hook(static_cast<sqlite3 *>(m_handle), nullptr, nullptr);
    }
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<Database>> Database::open(const QString &path, const QString &connectionName)
{
    if (QSqlDatabase::contains(connectionName))
        return Error::database(QStringLiteral("connection '%1' is already open").arg(connectionName));
    // Said once: something used SQLite before this program's start code ran, so every allocation still
    // takes SQLite's one counting lock (see turnOffSqliteMemoryStatistics()).
    [[maybe_unused]] static const bool warned = [] {
        if (!g_sqliteMemoryStatisticsOff)
            qWarning(
                "SQLite's memory statistics could not be turned off: SQLite was in use before Fieldbook's "
                "start code ran");
        return true;
    }();
    // Making a folder is the caller's decision (the app's own data folder, or `--create`): a mistyped path
    // must not leave a new folder tree behind.
    if (const QFileInfo info(path); !info.absoluteDir().exists())
        return Error::notFound(QStringLiteral("the folder %1 does not exist").arg(info.absolutePath()));
    const auto peeked = versionWithoutWriting(path);
    if (!peeked)
        return peeked.error();
    if (const int latest = latestSchemaVersion(); peeked->has_value() && **peeked > latest)
        return newerThanThisBuild(path, **peeked, latest);

    std::unique_ptr<Database> db(new Database(path, connectionName));
    db->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
    db->m_db.setDatabaseName(path);
    if (!db->m_db.open())
        return Error::database(QStringLiteral("cannot open %1: %2").arg(path, db->m_db.lastError().text()));

    const QVariant handle = db->m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return Error::database(QStringLiteral("the Qt SQLite driver did not expose its sqlite3 handle"));
    db->m_handle = *static_cast<sqlite3 *const *>(handle.constData());
    if (!db->m_handle)
        return Error::database(QStringLiteral("the sqlite3 handle is null"));

    FB_TRY(db->registerCurrentUserFunction());
    FB_TRY(audit::registerSqlFunctions(db->m_handle));
    FB_TRY(db->configure());
    FB_TRY(db->migrate());
    FB_TRY(db->switchToWal());
    FB_TRY(db->installScoping());
    // From here on, every commit of this connection is announced with the tables it wrote (ChangeFeed).
    sqlite3_update_hook(static_cast<sqlite3 *>(db->m_handle), &Database::onRowChanged, db.get());
    sqlite3_rollback_hook(static_cast<sqlite3 *>(db->m_handle), &Database::onRollback, db.get());
    return db;
}

Status Database::configure()
{
    // The busy timeout comes first: another process may hold the file's lock right now (two processes opening
    // one new file at once) and every later statement must wait for it, up to kLockWaitMs, rather than fail
    // with "database is locked". Foreign keys are off by default in SQLite; synchronous=FULL makes every
    // commit durable on power loss (NORMAL could lose the last commits in WAL mode). The page cache may grow
    // to 32 MiB (SQLite's default is 2 MiB): with 100,000 contacts, looking up a search's matches read most
    // pages from the file and took three times as long. Reads go through a memory map of up to 1 GiB (address
    // space, not memory: the kernel's page cache backs it) rather than a read() call per page missing from
    // that cache: a search's p95 over 100,000 contacts went from 6.1 to 4.6 ms, and 1.65 to 1.39 ms later
    // (bench_core); a pull's speed against a raw insert 0.37-0.49 to 0.48-0.53 (bench_sync). The window's own
    // connection reads without one (setMemoryMapped()). Writes still go through SQLite's own calls, so what
    // is durable is unchanged. WAL is switched on after the migrations (switchToWal()).
    const QString pragmas[] = {
        QStringLiteral("PRAGMA busy_timeout = %1").arg(kLockWaitMs),
        QStringLiteral("PRAGMA foreign_keys = ON"),
        QStringLiteral("PRAGMA synchronous = FULL"),
        QStringLiteral("PRAGMA temp_store = MEMORY"),
        QStringLiteral("PRAGMA cache_size = -32768"),
        QStringLiteral("PRAGMA mmap_size = %1").arg(kMemoryMapBytes),
    };
    for (const QString &pragma : pragmas) {
        QSqlQuery query(m_db);
        if (!query.exec(pragma))
            return sqlError(query, pragma);
    }
    // A new file (no page yet) gives the pages the housekeeping frees back to the file system, in bounded
    // steps (db/housekeeping.h): auto_vacuum can only be chosen before the first table. Older files keep
    // their free pages, which later writes reuse.
    QSqlQuery pages(m_db);
    if (!pages.exec(QStringLiteral("PRAGMA page_count")) || !pages.next())
        return sqlError(pages, QStringLiteral("PRAGMA page_count"));
    if (pages.value(0).toLongLong() == 0) {
        pages.finish();
        QSqlQuery vacuum(m_db);
        if (!vacuum.exec(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL")))
            return sqlError(vacuum, QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"));
    }
    return {};
}

Status Database::switchToWal()
{
    // WAL lets the sync thread read while the GUI writes. Switching a file to WAL needs it alone for a
    // moment; the busy timeout covers most waits, but SQLite answers SQLITE_BUSY at once where waiting could
    // deadlock (another connection holds a read lock it wants to upgrade), so a busy answer is retried until
    // kLockWaitMs have passed. A file already in WAL answers at once without any lock.
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        QSqlQuery query(m_db);
        if (query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) && query.next()) {
            if (query.value(0).toString() == QStringLiteral("wal"))
                return {};
            return Error::database(QStringLiteral("%1 could not be switched to WAL journaling (it stays in "
                                                  "%2 mode)")
                                       .arg(m_path, query.value(0).toString()));
        }
        if (!isBusy(m_handle) || waited.elapsed() >= kLockWaitMs)
            return sqlError(query, QStringLiteral("switching %1 to WAL journaling").arg(m_path));
        query.finish();
        QThread::msleep(20);
    }
}

Status Database::setMemoryMapped(bool mapped)
{
    QSqlQuery query(m_db);
    const QString pragma = QStringLiteral("PRAGMA mmap_size = %1").arg(mapped ? kMemoryMapBytes : 0);
    if (!query.exec(pragma))
        return sqlError(query, pragma);
    return {};
}

int Database::schemaVersion() const
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Status Database::migrate()
{
    const auto migrations = schema::bundledMigrations();
    if (migrations.isEmpty())
        return Error::database(QStringLiteral("no schema migrations are bundled in this build"));
    const int latest = migrations.last().version;
    // An up-to-date file (the usual case) needs no write lock.
    if (schemaVersion() == latest)
        return {};

    // Every pending step in one transaction: a failure leaves the database exactly as it was. BEGIN IMMEDIATE
    // takes the write lock first and the version is read again under it: another process may be migrating
    // this file right now (the window and `fieldbook sync` started together after an upgrade), and then this
    // one waits for its commit (busy timeout) and applies only what is still missing, usually nothing.
    Transaction tx(*this);
    if (!tx.began()) {
        if (isBusy(m_handle))
            return Error::database(
                QStringLiteral("%1 stayed locked by another program for %2 s: close it and "
                               "try again")
                    .arg(m_path)
                    .arg(kLockWaitMs / 1000));
        return tx.began().error();
    }
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return sqlError(query, QStringLiteral("reading the schema version of %1").arg(m_path));
    const int current = query.value(0).toInt();
    query.finish();
    if (current > latest)
        return newerThanThisBuild(m_path, current, latest); // rolled back: nothing was written
    QList<int> applied;
    for (const schema::Migration &migration : migrations) {
        if (migration.version <= current)
            continue;
        QFile file(migration.file);
        if (!file.open(QIODevice::ReadOnly))
            return Error::database(QStringLiteral("cannot read migration %1").arg(migration.file));
        const QString script = QString::fromUtf8(file.readAll());
        if (auto done = execScript(script); !done)
            return Error::database(QStringLiteral("migration %1 failed: %2")
                                       .arg(QFileInfo(migration.file).fileName(), done.error().message));
        FB_TRY(execScript(QStringLiteral("PRAGMA user_version = %1").arg(migration.version)));
        applied.append(migration.version);
    }
    FB_TRY(tx.commit());
    m_applied = applied;
    return {};
}

Database::StopWhen::StopWhen(Database &db, std::function<bool()> stop) : m_db(db), m_stop(std::move(stop))
{
    if (m_db.m_handle)
        sqlite3_progress_handler(static_cast<sqlite3 *>(m_db.m_handle), 4000, &StopWhen::check, this);
}

Database::StopWhen::~StopWhen()
{
    if (m_db.m_handle)
        sqlite3_progress_handler(static_cast<sqlite3 *>(m_db.m_handle), 0, nullptr, nullptr);
}

int Database::StopWhen::check(void *self)
{
    return static_cast<StopWhen *>(self)->m_stop() ? 1 : 0;
}

void Database::interrupt()
{
    if (m_handle)
        sqlite3_interrupt(static_cast<sqlite3 *>(m_handle));
}

Status Database::execScript(const QString &script)
{
    char *message = nullptr;
    const QByteArray utf8 = script.toUtf8();
    const int rc =
        sqlite3_exec(static_cast<sqlite3 *>(m_handle), utf8.constData(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const QString text = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(message);
        if (m_depth == 0)
            m_written.clear(); // a failed script outside a transaction: nothing of it is announced
        Error error = Error::database(text);
        if (text.contains(QStringLiteral("scoping:")) || text.contains(QStringLiteral("no current user")))
            error.code = ErrorCode::Forbidden;
        return error;
    }
    afterStatement();
    return {};
}

Result<QSqlQuery> Database::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlError(query);
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec()) {
        if (m_depth == 0)
            m_written.clear(); // a failed write outside a transaction changed nothing
        return sqlError(query);
    }
    afterStatement();
    return query;
}

namespace {

/// The kept statements' errors as exec() reports them (sqlError): a scoping refusal is Forbidden, anything
/// else SQLite says is a database error, as callers (and the messages they build) expect of these paths.
Error asExecError(Error error)
{
    if (error.code == ErrorCode::Validation)
        error.code = ErrorCode::Database;
    return error;
}

/// More distinct texts than our fixed statements could make means a caller builds SQL from data: those run
/// once each instead of filling the cache.
constexpr std::size_t kMaxKept = 256;

} // namespace

Status Database::withKept(const QString &sql, const std::function<Status(Statement &)> &use)
{
    auto found = m_kept.find(sql);
    if (found == m_kept.end() && m_kept.size() < kMaxKept) {
        auto prepared = Statement::prepare(*this, sql);
        if (!prepared)
            return asExecError(prepared.error());
        auto kept = std::make_unique<Kept>();
        kept->statement = std::make_unique<Statement>(std::move(prepared).value());
        found = m_kept.emplace(sql, std::move(kept)).first;
    }
    if (found == m_kept.end() || found->second->inUse) {
        // Not kept, or in use further up the stack (a handler run from inside a read): a statement of its
        // own.
        auto prepared = Statement::prepare(*this, sql);
        if (!prepared)
            return asExecError(prepared.error());
        Statement own = std::move(prepared).value();
        return use(own);
    }
    Kept &kept = *found->second; // stays put while `use` keeps other statements (each is its own allocation)
    kept.inUse = true;
    const Status done = use(*kept.statement);
    kept.statement->reset();
    kept.inUse = false;
    return done;
}

Status Database::run(const QString &sql, const QVariantList &values)
{
    return withKept(sql, [&](Statement &statement) -> Status {
        if (auto done = statement.exec(values); !done)
            return asExecError(done.error());
        return {};
    });
}

Status Database::read(const QString &sql, const QVariantList &values,
                      const std::function<bool(const Statement &row)> &onRow)
{
    return withKept(sql, [&](Statement &statement) -> Status {
        if (auto bound = statement.query(values); !bound)
            return asExecError(bound.error());
        for (;;) {
            auto more = statement.next();
            if (!more)
                return asExecError(more.error());
            if (!*more || !onRow(statement))
                return {};
        }
    });
}

void Database::statementFailed()
{
    if (m_depth == 0)
        m_written.clear();
}

void Database::onRowChanged(void *self, int, const char *database, const char *table, long long)
{
    if (qstrcmp(database, "main") == 0)
        static_cast<Database *>(self)->m_written.insert(QString::fromLatin1(table));
}

void Database::onRollback(void *self)
{
    static_cast<Database *>(self)->m_written.clear();
}

void Database::afterStatement()
{
    if (m_depth > 0 || m_written.isEmpty())
        return;
    const QSet<QString> written = std::exchange(m_written, {});
    if (m_commitObserver)
        m_commitObserver(written);
}

Status Database::beginLevel()
{
    const QString sql = m_depth == 0 ? QStringLiteral("BEGIN IMMEDIATE")
                                     : QStringLiteral("SAVEPOINT fb_level_%1").arg(m_depth);
    FB_TRY(execScript(sql));
    ++m_depth;
    return {};
}

Status Database::commitLevel()
{
    const QString sql = m_depth == 1 ? QStringLiteral("COMMIT")
                                     : QStringLiteral("RELEASE SAVEPOINT fb_level_%1").arg(m_depth - 1);
    FB_TRY(execScript(sql));
    --m_depth;
    afterStatement();
    return {};
}

void Database::rollbackLevel()
{
    if (m_depth == 1) {
        // If SQLite already rolled back on its own (some errors do), ROLLBACK fails harmlessly.
        (void)execScript(QStringLiteral("ROLLBACK"));
    } else {
        const QString name = QStringLiteral("fb_level_%1").arg(m_depth - 1);
        (void)execScript(QStringLiteral("ROLLBACK TO SAVEPOINT %1; RELEASE SAVEPOINT %1").arg(name));
    }
    --m_depth;
}

} // namespace fb
