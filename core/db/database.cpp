#include "db/database.h"

#include "db/transaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>

#include <sqlite3.h>

#include <algorithm>

namespace fb {

namespace {

struct Migration
{
    int version;
    QString file;
};

QList<Migration> bundledMigrations()
{
    // Files are named NNN_description.sql; NNN is the schema version they bring the database to.
    static const QRegularExpression name(QStringLiteral("^(\\d{3})_[a-z0-9_]+\\.sql$"));
    QList<Migration> migrations;
    const QDir dir(QStringLiteral(":/migrations/local"));
    const auto entries = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &entry : entries) {
        const auto match = name.match(entry);
        if (match.hasMatch())
            migrations.append({match.captured(1).toInt(), dir.filePath(entry)});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
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
    const auto migrations = bundledMigrations();
    return migrations.isEmpty() ? 0 : migrations.last().version;
}

Database::Database(QString path, QString connectionName)
    : m_path(std::move(path)), m_name(std::move(connectionName))
{
}

Database::~Database()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<Database>> Database::open(const QString &path, const QString &connectionName)
{
    if (QSqlDatabase::contains(connectionName))
        return Error::database(QStringLiteral("connection '%1' is already open").arg(connectionName));
    const QFileInfo info(path);
    if (!info.absoluteDir().exists() && !QDir().mkpath(info.absolutePath()))
        return Error::database(QStringLiteral("cannot create the folder %1").arg(info.absolutePath()));

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
    FB_TRY(db->configure());
    FB_TRY(db->migrate());
    FB_TRY(db->installScoping());
    return db;
}

Status Database::configure()
{
    // WAL lets the sync thread read while the GUI writes; synchronous=FULL makes every commit durable on
    // power loss (NORMAL could lose the last commits in WAL mode); foreign keys are off by default in SQLite.
    // The page cache may grow to 32 MiB (SQLite's default is 2 MiB): with 100,000 contacts, looking up a
    // search's matches read most pages from the file and took three times as long.
    static const char *const pragmas[] = {
        "PRAGMA foreign_keys = ON",   "PRAGMA journal_mode = WAL",  "PRAGMA synchronous = FULL",
        "PRAGMA busy_timeout = 5000", "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -32768",
    };
    for (const char *pragma : pragmas) {
        QSqlQuery query(m_db);
        if (!query.exec(QString::fromLatin1(pragma)))
            return sqlError(query, QString::fromLatin1(pragma));
    }
    QSqlQuery check(m_db);
    if (!check.exec(QStringLiteral("PRAGMA journal_mode")) || !check.next() ||
        check.value(0).toString() != QStringLiteral("wal"))
        return Error::database(QStringLiteral("%1 could not be switched to WAL journaling").arg(m_path));
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
    const int current = schemaVersion();
    const auto migrations = bundledMigrations();
    if (migrations.isEmpty())
        return Error::database(QStringLiteral("no schema migrations are bundled in this build"));
    if (current > migrations.last().version)
        return Error::database(QStringLiteral("%1 has schema version %2, newer than this Fieldbook (%3): "
                                              "update Fieldbook to open it")
                                   .arg(m_path)
                                   .arg(current)
                                   .arg(migrations.last().version));
    if (current == migrations.last().version)
        return {};

    // Every pending step in one transaction: a failure leaves the database exactly as it was.
    Transaction tx(*this);
    FB_TRY(tx.began());
    for (const Migration &migration : migrations) {
        if (migration.version <= current)
            continue;
        QFile file(migration.file);
        if (!file.open(QIODevice::ReadOnly))
            return Error::database(QStringLiteral("cannot read migration %1").arg(migration.file));
        const QString script = QString::fromUtf8(file.readAll());
        if (auto applied = execScript(script); !applied)
            return Error::database(QStringLiteral("migration %1 failed: %2")
                                       .arg(QFileInfo(migration.file).fileName(), applied.error().message));
        FB_TRY(execScript(QStringLiteral("PRAGMA user_version = %1").arg(migration.version)));
    }
    return tx.commit();
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
        Error error = Error::database(text);
        if (text.contains(QStringLiteral("scoping:")) || text.contains(QStringLiteral("no current user")))
            error.code = ErrorCode::Forbidden;
        return error;
    }
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
    if (!query.exec())
        return sqlError(query);
    return query;
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
