#include "integritycheck.h"

#include "db/database.h"
#include "db/scoping.h"
#include "db/store.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

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

/// The entity tables whose rows are audited: the profiles, then the user-scoped tables in foreign-key order.
QStringList entityTables()
{
    return QStringList{QStringLiteral("users")} + scoping::scopedTables();
}

class Checker final
{
public:
    explicit Checker(QSqlDatabase db) : m_db(std::move(db)) {}

    IntegrityReport run()
    {
        if (!checkSchema())
            return m_report;
        checkSqlite();
        checkForeignKeys();
        checkAudit();
        checkOutbox();
        checkOwners();
        checkEvents();
        return m_report;
    }

private:
    using RowHandler = std::function<void(const QSqlQuery &)>;

    /// Runs `sql` and calls `onRow` for each row; a query that cannot run is itself a problem.
    bool select(const QString &sql, const QVariantList &values, const RowHandler &onRow)
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

    qint64 count(const QString &table)
    {
        qint64 rows = 0;
        select(QStringLiteral("SELECT count(*) FROM main.%1").arg(quoted(table)), {},
               [&](const QSqlQuery &q) { rows = q.value(0).toLongLong(); });
        return rows;
    }

    bool checkSchema()
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

    void checkSqlite()
    {
        select(QStringLiteral("PRAGMA main.integrity_check"), {}, [&](const QSqlQuery &q) {
            const QString message = q.value(0).toString();
            if (message != QStringLiteral("ok"))
                m_report.problems.append(QStringLiteral("integrity_check: %1").arg(message));
        });
    }

    struct ForeignKey
    {
        QString from;
        QString parent;
        QString to;
    };

    /// The foreign keys of `table` by their id in PRAGMA foreign_key_list (single-column keys only here).
    const QHash<int, ForeignKey> &foreignKeys(const QString &table)
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

    bool hasIdColumn(const QString &table)
    {
        bool found = false;
        select(QStringLiteral("SELECT 1 FROM pragma_table_info(?) WHERE name = 'id'"), {table},
               [&](const QSqlQuery &) { found = true; });
        return found;
    }

    /// Orphans: rows whose parent is missing (line items of a deleted ticket, addresses without contact,
    /// event deliveries without their event, outbox rows without their audit entry, ...), by the schema's own
    /// keys.
    void checkForeignKeys()
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
        for (const Violation &violation : std::as_const(violations)) {
            const ForeignKey key = foreignKeys(violation.table).value(violation.fkid);
            const QString idExpr =
                hasIdColumn(violation.table) ? QStringLiteral("id") : QStringLiteral("rowid");
            QString rowName = QStringLiteral("%1 rowid %2").arg(violation.table).arg(violation.rowid);
            QString value;
            select(QStringLiteral("SELECT %1, %2 FROM main.%3 WHERE rowid = ?")
                       .arg(idExpr, quoted(key.from.isEmpty() ? QStringLiteral("rowid") : key.from),
                            quoted(violation.table)),
                   {violation.rowid}, [&](const QSqlQuery &q) {
                       if (idExpr == QStringLiteral("id"))
                           rowName = QStringLiteral("%1 %2").arg(violation.table, q.value(0).toString());
                       value = q.value(1).toString();
                   });
            m_report.problems.append(QStringLiteral("orphan: %1: %2 %3 refers to a missing %4 row")
                                         .arg(rowName, key.from, value, key.parent));
        }
    }

    /// Every entity row was created through the audited write path, so it has a 'create' entry.
    void checkAudit()
    {
        for (const QString &table : entityTables()) {
            m_report.rowsChecked += count(table);
            select(
                QStringLiteral("SELECT t.id FROM main.%1 t WHERE NOT EXISTS (SELECT 1 FROM main.audit_log a "
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

    /// Every audit entry is a change to push, recorded in the outbox by a trigger in the same transaction.
    // The sync push (issue 3) acknowledges outbox rows; if it deletes them instead of marking them, this
    // check must learn to tell an acknowledged entry from a lost one.
    void checkOutbox()
    {
        m_report.rowsChecked += count(QStringLiteral("audit_log")) + count(QStringLiteral("sync_outbox"));
        select(QStringLiteral("SELECT a.id, a.action, a.entity_type, a.entity_id FROM main.audit_log a "
                              "WHERE NOT EXISTS (SELECT 1 FROM main.sync_outbox o WHERE o.audit_id = a.id) "
                              "ORDER BY a.rowid"),
               {}, [&](const QSqlQuery &q) {
                   m_report.problems.append(
                       QStringLiteral("unsynced: audit entry %1 (%2 %3 %4) has no sync_outbox row")
                           .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                                q.value(3).toString()));
               });
    }

    /// A row and the rows it refers to belong to one technician (the scoping triggers guarantee it on
    /// writes).
    void checkOwners()
    {
        const QStringList scoped = scoping::scopedTables();
        for (const QString &table : scoped) {
            for (const ForeignKey &key : foreignKeys(table)) {
                if (!scoped.contains(key.parent))
                    continue;
                select(QStringLiteral("SELECT c.id, c.user_id, p.id, p.user_id FROM main.%1 c JOIN main.%2 p "
                                      "ON p.%3 = c.%4 WHERE c.user_id IS NOT p.user_id ORDER BY c.rowid")
                           .arg(quoted(table), quoted(key.parent), quoted(key.to), quoted(key.from)),
                       {}, [&](const QSqlQuery &q) {
                           m_report.problems.append(
                               QStringLiteral("cross-user: %1 %2 of user %3 refers to %4 %5 of user %6")
                                   .arg(table, q.value(0).toString(), q.value(1).toString(), key.parent,
                                        q.value(2).toString(), q.value(3).toString()));
                       });
            }
        }
    }

    /// A failed handler (attribute persistence, reach-out scheduling) means lost work until it is retried; an
    /// event nobody delivered means the same.
    void checkEvents()
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
        select(QStringLiteral("SELECT e.event_id, e.event_type, e.user_id FROM main.domain_events e "
                              "WHERE e.dispatched = 0 AND NOT EXISTS (SELECT 1 FROM main.event_deliveries d "
                              "WHERE d.event_id = e.event_id AND d.status <> 'done') ORDER BY e.rowid"),
               {}, [&](const QSqlQuery &q) {
                   m_report.problems.append(
                       QStringLiteral("event not delivered: %1 %2 of user %3")
                           .arg(q.value(1).toString(), q.value(0).toString(), q.value(2).toString()));
               });
    }

    QSqlDatabase m_db;
    IntegrityReport m_report;
    QHash<QString, QHash<int, ForeignKey>> m_foreignKeys;
};

} // namespace

Result<IntegrityReport> checkIntegrity(const QString &path)
{
    Result<IntegrityReport> result = Error::database(QStringLiteral("not checked"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), kConnection);
        db.setDatabaseName(path);
        // Read-only: the check never changes what it checks (no migration, no journal mode switch).
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            result = Error::database(QStringLiteral("cannot open %1: %2").arg(path, db.lastError().text()));
        else
            result = Checker(db).run();
        db.close();
    } // every query and handle on the connection is gone before it is removed
    QSqlDatabase::removeDatabase(kConnection);
    return result;
}

} // namespace fb
