#include "db/integritycheck.h"

#include "db/database.h"
#include "db/schema.h"
#include "db/store.h"
#include "db/tablecatalog.h"
#include "events/events.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUrl>
#include <QUrlQuery>
#include <QVariantList>

#include <algorithm>
#include <functional>

namespace fb {

namespace {

const QString kConnection = QStringLiteral("fieldbook-check");

/// Table and column names come from the schema itself (sqlite_master, PRAGMA results), never from input; they
/// are quoted so any name is taken literally.
QString quoted(const QString &identifier)
{
    return QLatin1Char('"') + QString(identifier).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
           QLatin1Char('"');
}

/// How the check opens a file so that it changes nothing and leaves no -wal or -shm file behind that was not
/// there, in a writable folder or not. What SQLite 3.40 does (tried on Debian 12):
/// - a read-only connection (mode=ro) to a WAL file creates -wal and -shm files when they are missing and can
///   never remove them again (only a connection that may checkpoint does); in a read-only folder it cannot
///   create them and fails with "attempt to write a readonly database";
/// - mode=ro works in a read-only folder when -wal and -shm exist, and reads the changes in the -wal; a -wal
///   without its -shm cannot be read without creating the -shm;
/// - immutable=1 reads the file with no lock and no -wal/-shm at all, ignoring any -wal: right only when no
///   -wal holds changes and nobody can write the file meanwhile.
struct CheckPlan
{
    QString uri;
    QStringList notes;
    bool folderWritable = true;
    bool fromCopy = false; ///< check a private copy of the file and its -wal (see planCheck())
};

QString sqliteUri(const QString &path, const QList<std::pair<QString, QString>> &parameters)
{
    QUrl url = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath());
    if (!parameters.isEmpty()) {
        QUrlQuery query;
        query.setQueryItems(parameters);
        url.setQuery(query);
    }
    return url.toString(QUrl::FullyEncoded);
}

Result<CheckPlan> planCheck(const QString &path)
{
    const auto header = schema::readFileHeader(path);
    if (!header)
        return header.error();
    const QFileInfo file(path);
    const QFileInfo folder(file.absolutePath());
    const QFileInfo wal(path + QStringLiteral("-wal"));
    const bool walHoldsChanges = wal.exists() && wal.size() > 0;
    const bool shmExists = QFileInfo::exists(path + QStringLiteral("-shm"));
    CheckPlan plan;
    plan.folderWritable = folder.isWritable();
    if (!plan.folderWritable)
        plan.notes.append(QStringLiteral("the folder %1 is read-only: %2 was checked as it is")
                              .arg(folder.absoluteFilePath(), file.fileName()));
    else if (!file.isWritable())
        plan.notes.append(QStringLiteral("%1 is read-only: it was checked as it is").arg(path));

    if (walHoldsChanges && !shmExists) {
        // Changes in a -wal without its -shm (a copy of the files, or a crash that lost the -shm): no program
        // has the file open (each would have made the -shm), and reading them in place would create a -shm.
        // A private copy of both files is read instead; Fieldbook moves the changes into the file the next
        // time it opens it.
        plan.fromCopy = true;
        plan.notes.append(
            QStringLiteral("%1-wal holds changes not yet in the file, without its -shm: they were "
                           "read from a private copy; Fieldbook moves them into the file the "
                           "next time it opens it")
                .arg(path));
    } else if (wal.exists() && shmExists) {
        // Fieldbook has the file open now, or stopped without closing it: -wal and -shm are there and in use.
        // Read through them, read-only, which creates nothing.
        plan.uri = sqliteUri(path, {{QStringLiteral("mode"), QStringLiteral("ro")}});
    } else if (header->wal && plan.folderWritable && file.isWritable()) {
        // The whole database is in the file. A read-write connection (made read-only by query_only) creates
        // the -wal and -shm SQLite needs and removes them when it closes, as the last connection; if
        // Fieldbook opens the file meanwhile they are its files and stay. Nothing is written to the database
        // file.
        plan.uri = sqliteUri(path, {});
    } else if (header->wal) {
        // A read-only folder or file: nobody can write the file while it stays so (a writer needs a -wal
        // here), and no -wal holds changes: the file as it is on disk is the whole database.
        plan.uri = sqliteUri(path, {{QStringLiteral("immutable"), QStringLiteral("1")}});
    } else {
        // A rollback-journal file (not made by Fieldbook, or never opened by it): read-only needs no extra
        // file.
        plan.uri = sqliteUri(path, {{QStringLiteral("mode"), QStringLiteral("ro")}});
    }
    return plan;
}

/// The file cannot be read at all: say why in plain words; a read-only folder is named, as it is no damage.
Error unreadable(const QString &path, const CheckPlan &plan, const QString &sqliteMessage)
{
    QString text = QStringLiteral("cannot read %1: %2").arg(path, sqliteMessage);
    if (!plan.folderWritable)
        text += QStringLiteral(" (its folder %1 is read-only)").arg(QFileInfo(path).absolutePath());
    return Error::database(text);
}

/// Runs each check on an open, read-only connection and collects what they find.
class Checker final
{
public:
    explicit Checker(QSqlDatabase db) : m_db(std::move(db)) {}
    IntegrityReport run();

private:
    using RowHandler = std::function<void(const QSqlQuery &)>;

    struct ForeignKey
    {
        QString from;
        QString parent;
        QString to;
    };

    bool select(const QString &sql, const QVariantList &values, const RowHandler &onRow);
    qint64 count(const QString &table);
    const QHash<int, ForeignKey> &foreignKeys(const QString &table);
    bool hasIdColumn(const QString &table);

    bool checkVersion();
    void checkSchemaObjects();
    void checkSqlite();
    void checkForeignKeys();
    void reportOrphan(const QString &table, qint64 rowid, int foreignKeyId);
    void checkAudit();
    void checkOutbox();
    void checkOwners();
    void checkOwner(const catalog::Table &table, const catalog::Reference &reference);
    void checkFailedDeliveries();
    void checkWaitingEvents();

    QSqlDatabase m_db;
    IntegrityReport m_report;
    QHash<QString, QHash<int, ForeignKey>> m_foreignKeys;
};

IntegrityReport Checker::run()
{
    if (!checkVersion())
        return m_report;
    checkSchemaObjects();
    checkSqlite();
    checkForeignKeys();
    checkAudit();
    checkOutbox();
    checkOwners();
    checkFailedDeliveries();
    checkWaitingEvents();
    return m_report;
}

/// Runs `sql` and calls `onRow` for each row; a query that cannot run is itself a problem.
bool Checker::select(const QString &sql, const QVariantList &values, const RowHandler &onRow)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    bool ran = query.prepare(sql);
    for (int i = 0; ran && i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    ran = ran && query.exec();
    if (!ran) {
        const QSqlError error = query.lastError();
        m_report.problems.append(QStringLiteral("cannot check (%1): %2")
                                     .arg(sql.simplified().left(80), error.databaseText().isEmpty()
                                                                         ? error.text()
                                                                         : error.databaseText()));
        return false;
    }
    while (query.next())
        onRow(query);
    return true;
}

qint64 Checker::count(const QString &table)
{
    qint64 rows = 0;
    select(QStringLiteral("SELECT count(*) FROM main.%1").arg(quoted(table)), {},
           [&](const QSqlQuery &q) { rows = q.value(0).toLongLong(); });
    return rows;
}

/// The foreign keys of `table` in the file by their id in PRAGMA foreign_key_list (single-column keys only
/// here): a damaged file's own keys, which may differ from the catalogue's.
const QHash<int, Checker::ForeignKey> &Checker::foreignKeys(const QString &table)
{
    auto it = m_foreignKeys.find(table);
    if (it == m_foreignKeys.end()) {
        QHash<int, ForeignKey> keys;
        select(QStringLiteral("SELECT id, \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)"),
               {table}, [&](const QSqlQuery &q) {
                   keys.insert(q.value(0).toInt(),
                               {q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
               });
        it = m_foreignKeys.insert(table, keys);
    }
    return *it;
}

bool Checker::hasIdColumn(const QString &table)
{
    bool found = false;
    select(QStringLiteral("SELECT 1 FROM pragma_table_info(?) WHERE name = 'id'"), {table},
           [&](const QSqlQuery &) { found = true; });
    return found;
}

bool Checker::checkVersion()
{
    int version = -1;
    if (!select(QStringLiteral("PRAGMA main.user_version"), {},
                [&](const QSqlQuery &q) { version = q.value(0).toInt(); }))
        return false; // e.g. "file is not a database": nothing else can be read
    const int latest = Database::latestSchemaVersion();
    if (version == 0) {
        m_report.problems.append(QStringLiteral("not a Fieldbook database: it has no schema version"));
        return false;
    }
    if (version != latest) {
        m_report.problems.append(
            QStringLiteral("schema version %1, but this Fieldbook checks version %2: open "
                           "the file with the matching Fieldbook")
                .arg(version)
                .arg(latest));
        return false;
    }
    return true;
}

/// The file's tables, indexes, triggers and views against the ones this build creates: a trigger dropped by
/// hand (the audit log's append-only guard, a scoping guard) leaves no row damaged for the checks below to
/// find, yet the database no longer enforces what it should.
void Checker::checkSchemaObjects()
{
    const auto expected = schema::expectedSchema();
    if (!expected) {
        m_report.problems.append(
            QStringLiteral("cannot check the schema: %1").arg(expected.error().toString()));
        return;
    }
    QList<schema::SchemaObject> actual;
    if (!select(QStringLiteral("SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE sql IS NOT "
                               "NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"),
                {}, [&](const QSqlQuery &q) {
                    actual.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                   q.value(3).toString()});
                }))
        return;
    for (const schema::SchemaDifference &difference : schema::compare(*expected, actual))
        m_report.problems.append(QStringLiteral("schema: %1").arg(difference.describe()));
}

void Checker::checkSqlite()
{
    select(QStringLiteral("PRAGMA main.integrity_check"), {}, [&](const QSqlQuery &q) {
        const QString message = q.value(0).toString();
        if (message != QStringLiteral("ok"))
            m_report.problems.append(QStringLiteral("integrity_check: %1").arg(message));
    });
}

/// Orphans: rows whose parent is missing (line items of a deleted ticket, addresses without contact, event
/// deliveries without their event, outbox rows without their audit entry, ...), by the schema's own keys.
void Checker::checkForeignKeys()
{
    struct Violation
    {
        QString table;
        qint64 rowid;
        int fkid;
    };
    QList<Violation> violations;
    select(QStringLiteral("PRAGMA main.foreign_key_check"), {}, [&](const QSqlQuery &q) {
        violations.append({q.value(0).toString(), q.value(1).toLongLong(), q.value(3).toInt()});
    });
    for (const Violation &violation : std::as_const(violations))
        reportOrphan(violation.table, violation.rowid, violation.fkid);
}

void Checker::reportOrphan(const QString &table, qint64 rowid, int foreignKeyId)
{
    const ForeignKey key = foreignKeys(table).value(foreignKeyId);
    const QString idExpr = hasIdColumn(table) ? QStringLiteral("id") : QStringLiteral("rowid");
    QString rowName = QStringLiteral("%1 rowid %2").arg(table).arg(rowid);
    QString value;
    select(QStringLiteral("SELECT %1, %2 FROM main.%3 WHERE rowid = ?")
               .arg(idExpr, quoted(key.from.isEmpty() ? QStringLiteral("rowid") : key.from), quoted(table)),
           {rowid}, [&](const QSqlQuery &q) {
               if (idExpr == QStringLiteral("id"))
                   rowName = QStringLiteral("%1 %2").arg(table, q.value(0).toString());
               value = q.value(1).toString();
           });
    m_report.problems.append(QStringLiteral("orphan: %1: %2 %3 refers to a missing %4 row")
                                 .arg(rowName, key.from, value, key.parent));
}

/// Every entity row was created through the audited write path, so it has a 'create' entry: the profiles,
/// then the synced tables in foreign-key order.
void Checker::checkAudit()
{
    QStringList tables{QStringLiteral("users")};
    for (const catalog::Table &table : catalog::tables())
        tables.append(table.name);
    for (const QString &table : std::as_const(tables)) {
        m_report.rowsChecked += count(table);
        select(QStringLiteral("SELECT t.id FROM main.%1 t WHERE NOT EXISTS (SELECT 1 FROM main.audit_log a "
                              "WHERE a.entity_type = ? AND a.entity_id = t.id AND a.action = 'create') "
                              "ORDER BY t.rowid")
                   .arg(quoted(table)),
               {Store::entityType(table)}, [&](const QSqlQuery &q) {
                   m_report.problems.append(
                       QStringLiteral("unaudited: %1 %2 has no 'create' entry in audit_log")
                           .arg(table, q.value(0).toString()));
               });
    }
}

/// Every audit entry written on this device is a change to push, recorded in the outbox by a trigger in the
/// same transaction. The push marks outbox rows (pushed_at); the housekeeping (db/housekeeping.h) prunes the
/// acknowledged ones later and counts them per technician in sync_outbox_pruned, with the last audit entry
/// among them. So an entry without an outbox row after that one is a lost change, reported by name; up to it,
/// the entries without a row must be exactly as many as were pruned, or some were lost (or the count is
/// wrong). Entries that came from the server (origin set) are not pushed back.
void Checker::checkOutbox()
{
    m_report.rowsChecked += count(QStringLiteral("audit_log")) + count(QStringLiteral("sync_outbox"));
    struct Pruned
    {
        qint64 rows = 0;
        qint64 through = 0;
        qint64 missing = 0; // entries without an outbox row up to `through`
    };
    QMap<QString, Pruned> pruned; // by technician, sorted for a stable report
    select(QStringLiteral("SELECT user_id, rows, through_audit_rowid FROM main.sync_outbox_pruned"), {},
           [&](const QSqlQuery &q) {
               pruned[q.value(0).toString()] = {q.value(1).toLongLong(), q.value(2).toLongLong(), 0};
           });
    select(QStringLiteral("SELECT a.id, a.action, a.entity_type, a.entity_id, a.user_id, a.rowid FROM "
                          "main.audit_log a WHERE a.origin IS NULL AND NOT EXISTS (SELECT 1 FROM "
                          "main.sync_outbox o WHERE o.audit_id = a.id) ORDER BY a.rowid"),
           {}, [&](const QSqlQuery &q) {
               const auto it = pruned.find(q.value(4).toString());
               if (it != pruned.end() && q.value(5).toLongLong() <= it->through) {
                   ++it->missing;
                   return;
               }
               m_report.problems.append(
                   QStringLiteral("unsynced: audit entry %1 (%2 %3 %4) has no sync_outbox row")
                       .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                            q.value(3).toString()));
           });
    for (auto it = pruned.cbegin(); it != pruned.cend(); ++it) {
        if (it->missing > it->rows)
            m_report.problems.append(
                QStringLiteral(
                    "unsynced: %1 audit entries of user %2 have no sync_outbox row, but only %3 were "
                    "pruned after the server acknowledged them: %4 change(s) were lost before they "
                    "were pushed")
                    .arg(it->missing)
                    .arg(it.key())
                    .arg(it->rows)
                    .arg(it->missing - it->rows));
        else if (it->missing < it->rows)
            m_report.problems.append(
                QStringLiteral(
                    "sync_outbox_pruned says %1 acknowledged change(s) of user %2 were pruned, but "
                    "only %3 audit entries lack their sync_outbox row: the record of pruned changes "
                    "is wrong")
                    .arg(it->rows)
                    .arg(it.key())
                    .arg(it->missing));
    }
    // The number of changes waiting, kept per technician by the outbox's triggers (local migration 016) for
    // the window's status: it must be the count of the rows that wait.
    select(
        QStringLiteral("SELECT coalesce(w.user_id, k.user_id), coalesce(w.rows, 0), coalesce(k.pending, 0) "
                       "FROM (SELECT user_id, count(*) AS rows FROM main.sync_outbox WHERE pushed_at IS "
                       "NULL AND quarantined_at IS NULL GROUP BY user_id) w FULL JOIN "
                       "main.sync_outbox_pending k ON k.user_id = w.user_id "
                       "WHERE coalesce(w.rows, 0) <> coalesce(k.pending, 0) ORDER BY 1"),
        {}, [&](const QSqlQuery &q) {
            m_report.problems.append(
                QStringLiteral("pending count: %1 change(s) of user %2 wait to be pushed, but the number "
                               "kept for the window says %3")
                    .arg(q.value(1).toLongLong())
                    .arg(q.value(0).toString())
                    .arg(q.value(2).toLongLong()));
        });
}

/// A row and the synced rows it refers to belong to one technician (the scoping triggers guarantee it on
/// writes).
void Checker::checkOwners()
{
    for (const catalog::Table &table : catalog::tables())
        for (const catalog::Reference &reference : table.references)
            if (catalog::table(reference.table))
                checkOwner(table, reference);
}

void Checker::checkOwner(const catalog::Table &table, const catalog::Reference &reference)
{
    select(QStringLiteral("SELECT c.id, c.user_id, p.id, p.user_id FROM main.%1 c JOIN main.%2 p "
                          "ON p.id = c.%3 WHERE c.user_id IS NOT p.user_id ORDER BY c.rowid")
               .arg(quoted(table.name), quoted(reference.table), quoted(reference.column)),
           {}, [&](const QSqlQuery &q) {
               m_report.problems.append(
                   QStringLiteral("cross-user: %1 %2 of user %3 refers to %4 %5 of user %6")
                       .arg(table.name, q.value(0).toString(), q.value(1).toString(), reference.table,
                            q.value(2).toString(), q.value(3).toString()));
           });
}

/// A failed handler (attribute persistence, reach-out scheduling) means work not done: a problem until a
/// retry succeeds.
void Checker::checkFailedDeliveries()
{
    m_report.rowsChecked +=
        count(QStringLiteral("domain_events")) + count(QStringLiteral("event_deliveries"));
    select(QStringLiteral(
               "SELECT d.event_id, coalesce(e.event_type, 'unknown event'), d.handler, d.attempts, "
               "coalesce(d.last_error, '') FROM main.event_deliveries d LEFT JOIN main.domain_events e "
               "ON e.event_id = d.event_id WHERE d.status <> 'done' ORDER BY d.updated_at, d.rowid"),
           {}, [&](const QSqlQuery &q) {
               m_report.problems.append(
                   QStringLiteral("event delivery failed: %1 of %2 %3 after %4 attempt(s): %5")
                       .arg(q.value(2).toString(), q.value(1).toString(), q.value(0).toString(),
                            q.value(3).toString(), q.value(4).toString()));
           });
}

/// An event saved but not delivered yet (the process stopped between the commit and the delivery) is no
/// damage: EventBus delivers it the next time Fieldbook works as its technician (Core::setCurrentUser: the
/// window on start, `fieldbook sync`), so it is a note saying so, one per technician. Only an event of a type
/// this build does not know can never be delivered by it.
void Checker::checkWaitingEvents()
{
    const QStringList known = knownEventTypes();
    QList<std::pair<QString, int>> waiting; // technician -> events, in the order first met
    select(QStringLiteral("SELECT e.event_id, e.event_type, e.user_id, u.name, u.email FROM "
                          "main.domain_events e LEFT JOIN main.users u ON u.id = e.user_id WHERE "
                          "e.dispatched = 0 AND NOT EXISTS (SELECT 1 FROM main.event_deliveries d "
                          "WHERE d.event_id = e.event_id AND d.status <> 'done') ORDER BY e.rowid"),
           {}, [&](const QSqlQuery &q) {
               const QString type = q.value(1).toString();
               if (!known.contains(type)) {
                   m_report.problems.append(
                       QStringLiteral("event not deliverable: %1 %2 of user %3 is of a type "
                                      "this Fieldbook does not know")
                           .arg(type, q.value(0).toString(), q.value(2).toString()));
                   return;
               }
               const QString who = q.value(3).isNull() ? QStringLiteral("user %1").arg(q.value(2).toString())
                                                       : QStringLiteral("%1 <%2>").arg(q.value(3).toString(),
                                                                                       q.value(4).toString());
               auto it = std::find_if(waiting.begin(), waiting.end(),
                                      [&](const auto &w) { return w.first == who; });
               if (it == waiting.end())
                   it = waiting.insert(waiting.end(), {who, 0});
               ++it->second;
           });
    for (const auto &[who, events] : std::as_const(waiting))
        m_report.notes.append(
            QStringLiteral("%1 event(s) of %2 saved but not delivered yet (Fieldbook stopped "
                           "right after saving them): not lost, Fieldbook delivers them the "
                           "next time it works as this technician (the window, or 'fieldbook "
                           "sync')")
                .arg(events)
                .arg(who));
}

} // namespace

Result<IntegrityReport> checkIntegrity(const QString &path)
{
    auto plan = planCheck(path);
    if (!plan)
        return plan.error();
    QTemporaryDir copyDir;
    if (plan->fromCopy) {
        const QString copy = copyDir.filePath(QStringLiteral("check.db"));
        if (!copyDir.isValid() || !QFile::copy(path, copy) ||
            !QFile::copy(path + QStringLiteral("-wal"), copy + QStringLiteral("-wal")))
            return Error::database(
                QStringLiteral("cannot read %1: its -wal holds changes without its -shm, and "
                               "a private copy to read them from could not be made")
                    .arg(path));
        plan->uri = sqliteUri(copy, {});
    }
    Result<IntegrityReport> result = Error::database(QStringLiteral("not checked"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), kConnection);
        db.setDatabaseName(plan->uri);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_URI"));
        if (!db.open()) {
            result = unreadable(path, *plan, db.lastError().text());
        } else {
            // query_only: the read-write connection of a writable folder refuses any write, whatever runs.
            QSqlQuery first(db);
            if (!first.exec(QStringLiteral("PRAGMA query_only = ON")) ||
                !first.exec(QStringLiteral("SELECT count(*) FROM main.sqlite_master"))) {
                result = unreadable(path, *plan, first.lastError().databaseText());
            } else {
                first.finish();
                IntegrityReport report = Checker(db).run();
                report.notes = plan->notes + report.notes;
                result = report;
            }
        }
        db.close();
    } // every query and handle on the connection is gone before it is removed
    QSqlDatabase::removeDatabase(kConnection);
    return result;
}

} // namespace fb
