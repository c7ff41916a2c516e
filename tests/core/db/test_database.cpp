// Database: pragmas, schema versions and migrations, foreign keys, and the Transaction guard's nesting.
#include "db/database.h"
#include "db/schema.h"
#include "db/transaction.h"
#include "support/testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>

using namespace fb;

namespace {

template <typename R> QString errorText(const R &result)
{
    return result.ok() ? QString() : result.error().toString();
}

QVariant pragma(Database &db, const char *name)
{
    auto query = db.exec(QStringLiteral("PRAGMA %1").arg(QLatin1String(name)));
    if (!query || !query->next())
        return {};
    return query->value(0);
}

qint64 scalar(Database &db, const QString &sql, const QVariantList &values = {})
{
    auto query = db.exec(sql, values);
    if (!query || !query->next())
        return -1;
    return query->value(0).toLongLong();
}

/// Runs statements on a plain QSqlDatabase connection (no Fieldbook set-up), then closes it.
bool rawExec(const QString &path, const QStringList &statements)
{
    const QString name = test::uniqueConnectionName();
    bool ok = true;
    {
        QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        raw.setDatabaseName(path);
        ok = raw.open();
        for (const QString &statement : statements) {
            if (!ok)
                break;
            QSqlQuery query(raw);
            ok = query.exec(statement);
            if (!ok)
                qWarning("%s: %s", qPrintable(statement), qPrintable(query.lastError().text()));
        }
        raw.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QVariant rawValue(const QString &path, const QString &sql)
{
    const QString name = test::uniqueConnectionName();
    QVariant value;
    {
        QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        raw.setDatabaseName(path);
        if (raw.open()) {
            QSqlQuery query(raw);
            if (query.exec(sql) && query.next())
                value = query.value(0);
        }
        raw.close();
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

/// What a file and its folder look like on disk: the file's bytes, its modification time and the folder's
/// entries (a -wal, -shm or -journal file left behind shows here).
struct OnDisk
{
    QByteArray bytes;
    QDateTime modified;
    QStringList entries;
    bool operator==(const OnDisk &) const = default;
};

OnDisk onDisk(const QString &path)
{
    QFile file(path);
    OnDisk state;
    if (file.open(QIODevice::ReadOnly))
        state.bytes = file.readAll();
    state.modified = QFileInfo(path).lastModified().toUTC();
    state.entries = QFileInfo(path).dir().entryList(QDir::Files | QDir::Hidden, QDir::Name);
    return state;
}

} // namespace

class TestDatabase final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opensWithDurableSettings()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto db = Database::open(dir.filePath(QStringLiteral("fieldbook.db")), test::uniqueConnectionName());
        QVERIFY2(db.ok(), qPrintable(errorText(db)));
        Database &d = **db;
        QCOMPARE(pragma(d, "journal_mode").toString(), QStringLiteral("wal"));
        QCOMPARE(pragma(d, "synchronous").toInt(), 2); // FULL
        QCOMPARE(pragma(d, "foreign_keys").toInt(), 1);
        QVERIFY(Database::latestSchemaVersion() >= 1);
        QCOMPARE(d.schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(pragma(d, "user_version").toInt(), Database::latestSchemaVersion());
        QCOMPARE(d.transactionDepth(), 0);
        QCOMPARE(d.appliedMigrations().size(), schema::bundledMigrations().size());
        QCOMPARE(d.appliedMigrations().constLast(), Database::latestSchemaVersion());
    }

    // Every connection's allocations go straight to the allocator, without SQLite's one global lock for
    // counting them: a background thread at a lower priority, stopped while holding that lock, would stop the
    // window's statements with it (issue 16; bench_gui_stall saw 120-143 ms). Counted memory stays 0.
    void noConnectionWaitsOnAnotherToCountMemory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto db = Database::open(dir.filePath(QStringLiteral("fieldbook.db")), test::uniqueConnectionName());
        QVERIFY2(db.ok(), qPrintable(errorText(db)));
        QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (x TEXT)")).ok());
        for (int i = 0; i < 100; ++i)
            QVERIFY((*db)
                        ->exec(QStringLiteral("INSERT INTO t VALUES (?)"), {QString(1000, QLatin1Char('x'))})
                        .ok());
        auto read = (*db)->exec(QStringLiteral("SELECT group_concat(x) FROM t"));
        QVERIFY(read.ok() && read->next());
        QCOMPARE(read->value(0).toString().size(), 100 * 1000 + 99);
        QCOMPARE(test::sqliteMemoryCounted(), 0);
    }

    // Connections that read a lot go through a memory map; the window's own (it starts cold after every
    // boot and reads a screen's worth) can read without one, and back.
    void aConnectionReadsWithOrWithoutAMemoryMap()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto db = Database::open(dir.filePath(QStringLiteral("fieldbook.db")), test::uniqueConnectionName());
        QVERIFY2(db.ok(), qPrintable(errorText(db)));
        QCOMPARE(pragma(**db, "mmap_size").toLongLong(), Database::kMemoryMapBytes);
        QVERIFY((*db)->setMemoryMapped(false).ok());
        QCOMPARE(pragma(**db, "mmap_size").toLongLong(), 0);
        QVERIFY((*db)->exec(QStringLiteral("CREATE TABLE t (x)")).ok());
        QVERIFY((*db)->exec(QStringLiteral("INSERT INTO t VALUES (1)")).ok());
        auto read = (*db)->exec(QStringLiteral("SELECT x FROM t"));
        QVERIFY(read.ok() && read->next());
        QCOMPARE(read->value(0).toInt(), 1);
        QVERIFY((*db)->setMemoryMapped(true).ok());
        QCOMPARE(pragma(**db, "mmap_size").toLongLong(), Database::kMemoryMapBytes);
    }

    // A read a newer question made pointless (a search the next keystroke superseded) stops as soon as its
    // condition says so, and the connection reads normally afterwards.
    void aStatementStopsWhenItsConditionSaysSo()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto db = Database::open(dir.filePath(QStringLiteral("fieldbook.db")), test::uniqueConnectionName());
        QVERIFY2(db.ok(), qPrintable(errorText(db)));
        const QString endless = QStringLiteral(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000) "
            "SELECT count(*) FROM n");
        int checks = 0;
        {
            const Database::StopWhen stop(**db, [&checks] { return ++checks > 3; });
            auto counted = (*db)->exec(endless);
            QVERIFY(!counted.ok());
            QVERIFY2(counted.error().message.contains(QStringLiteral("interrupt"), Qt::CaseInsensitive),
                     qPrintable(counted.error().message));
        }
        QCOMPARE(checks, 4);
        // Gone with its guard: the next statement runs to its end.
        auto small = (*db)->exec(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                                "FROM n WHERE i < 100000) SELECT count(*) FROM n"));
        QVERIFY(small.ok());
        QVERIFY(small->next());
        QCOMPARE(small->value(0).toInt(), 100000);
        QCOMPARE(checks, 4);
    }

    void aMissingFolderIsAnErrorNotCreated()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath(QStringLiteral("typo/sub"));
        auto db = Database::open(folder + QStringLiteral("/fieldbook.db"), test::uniqueConnectionName());
        QVERIFY(!db.ok());
        QCOMPARE(db.error().code, ErrorCode::NotFound);
        QVERIFY2(db.error().message.contains(folder) &&
                     db.error().message.contains(QStringLiteral("does not exist")),
                 qPrintable(errorText(db)));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("typo"))));
    }

    void anOlderFileGetsOnlyTheMissingMigrations()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("older.db"));
        const int previous = Database::latestSchemaVersion() - 1;
        QVERIFY(test::createDatabaseAtVersion(path, previous));
        auto db = Database::open(path, test::uniqueConnectionName());
        QVERIFY2(db.ok(), qPrintable(errorText(db)));
        QCOMPARE((*db)->appliedMigrations(), QList<int>{Database::latestSchemaVersion()});
        QCOMPARE((*db)->schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(pragma(**db, "journal_mode").toString(), QStringLiteral("wal"));
        db = Error::database(QStringLiteral("closed"));
        auto again = Database::open(path, test::uniqueConnectionName());
        QVERIFY2(again.ok(), qPrintable(errorText(again)));
        QVERIFY((*again)->appliedMigrations().isEmpty());
    }

    void connectionNameMustBeFree()
    {
        QTemporaryDir dir;
        const QString name = test::uniqueConnectionName();
        auto first = Database::open(dir.filePath(QStringLiteral("a.db")), name);
        QVERIFY2(first.ok(), qPrintable(errorText(first)));
        auto second = Database::open(dir.filePath(QStringLiteral("b.db")), name);
        QVERIFY(!second.ok());
        // The first connection is unharmed.
        QCOMPARE((*first)->schemaVersion(), Database::latestSchemaVersion());
    }

    void reopeningKeepsDataAndDoesNotMigrateAgain()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer(QStringLiteral("Kept Across Restarts"));
        const qint64 objects = scalar(f->db(), QStringLiteral("SELECT count(*) FROM main.sqlite_master"));
        const qint64 entries = scalar(f->db(), QStringLiteral("SELECT count(*) FROM audit_log"));
        // A table the migrations know nothing about: re-running them from scratch would not keep it, and the
        // migrations' CREATE TABLEs would fail on the existing tables.
        QVERIFY(f->db()
                    .execScript(
                        QStringLiteral("CREATE TABLE main.marker (x); INSERT INTO main.marker VALUES (42)"))
                    .ok());

        auto reopened = f.reopen();
        QCOMPARE(reopened->db().schemaVersion(), Database::latestSchemaVersion());
        QVERIFY(reopened->setCurrentUser(f.alice()).ok());
        auto contact = reopened->contacts.getById(customer.contact.id);
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
        QCOMPARE(contact->name, QStringLiteral("Kept Across Restarts"));
        QCOMPARE(scalar(reopened->db(), QStringLiteral("SELECT x FROM main.marker")), 42);
        QCOMPARE(scalar(reopened->db(), QStringLiteral("SELECT count(*) FROM main.sqlite_master")),
                 objects + 1);
        QCOMPARE(scalar(reopened->db(), QStringLiteral("SELECT count(*) FROM audit_log")), entries);
    }

    void newerDatabaseIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.db"));
        QVERIFY(rawExec(path, {QStringLiteral("CREATE TABLE from_the_future (x)"),
                               QStringLiteral("INSERT INTO from_the_future VALUES (1)"),
                               QStringLiteral("PRAGMA user_version = 999")}));
        auto db = Database::open(path, test::uniqueConnectionName());
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(QStringLiteral("newer")), qPrintable(errorText(db)));
        QVERIFY2(db.error().message.contains(QStringLiteral("999")), qPrintable(errorText(db)));
        // Never downgraded or touched.
        QCOMPARE(rawValue(path, QStringLiteral("PRAGMA user_version")).toInt(), 999);
        QCOMPARE(rawValue(path, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'contacts'"))
                     .toInt(),
                 0);
        QCOMPARE(rawValue(path, QStringLiteral("SELECT x FROM from_the_future")).toInt(), 1);
    }

    void newerDatabaseIsRefusedWithoutTouchingTheFile_data()
    {
        QTest::addColumn<QString>("journalMode");
        QTest::newRow("rollback journal") << QStringLiteral("DELETE");
        QTest::newRow("WAL") << QStringLiteral("WAL");
    }

    void newerDatabaseIsRefusedWithoutTouchingTheFile()
    {
        QFETCH(QString, journalMode);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.db"));
        QVERIFY(rawExec(path, {QStringLiteral("PRAGMA journal_mode = %1").arg(journalMode),
                               QStringLiteral("CREATE TABLE from_the_future (x)"),
                               QStringLiteral("INSERT INTO from_the_future VALUES (1)"),
                               QStringLiteral("PRAGMA user_version = 999")}));
        {
            // An old time, so that any write would show as a new one.
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5), Qt::UTC),
                                     QFileDevice::FileModificationTime));
        }
        const OnDisk before = onDisk(path);
        QCOMPARE(before.entries, QStringList{QStringLiteral("future.db")});

        auto db = Database::open(path, test::uniqueConnectionName());
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(QStringLiteral("newer")), qPrintable(errorText(db)));
        const OnDisk after = onDisk(path);
        QCOMPARE(after.entries, before.entries); // no -wal, -shm or -journal left behind
        QCOMPARE(after.modified, before.modified);
        QVERIFY2(after.bytes == before.bytes, "the refused file's bytes changed");
    }

    void aFileThatIsNotADatabaseIsRefusedUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.db"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("ladder, squeegee, bucket\n").repeated(20));
        file.close();
        const OnDisk before = onDisk(path);
        auto db = Database::open(path, test::uniqueConnectionName());
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(QStringLiteral("not a SQLite database")),
                 qPrintable(errorText(db)));
        QCOMPARE(onDisk(path), before);
    }

    void failingMigrationLeavesTheFileAsItWas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("clash.db"));
        // A version-0 file that already has a table the first migration creates late in its script, so the
        // tables created before the clash must be rolled back.
        QVERIFY(rawExec(path, {QStringLiteral("CREATE TABLE event_deliveries (x)"),
                               QStringLiteral("INSERT INTO event_deliveries VALUES ('mine')")}));
        auto db = Database::open(path, test::uniqueConnectionName());
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(QStringLiteral("migration")), qPrintable(errorText(db)));
        QVERIFY2(db.error().message.contains(QStringLiteral("event_deliveries")), qPrintable(errorText(db)));
        QCOMPARE(rawValue(path, QStringLiteral("PRAGMA user_version")).toInt(), 0);
        QCOMPARE(rawValue(path, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name IN ('users', "
                                               "'contacts', 'audit_log')"))
                     .toInt(),
                 0);
        QCOMPARE(rawValue(path, QStringLiteral("SELECT x FROM event_deliveries")).toString(),
                 QStringLiteral("mine"));
    }

    void foreignKeysAreEnforced()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const QString now = toStoredTime(nowUtc());
        const QString sql =
            QStringLiteral("INSERT INTO main.tickets (id, user_id, contact_id, address_id, "
                           "scheduled_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        auto orphan = f->db().exec(sql, {idText(newId()), idText(f.alice()), idText(newId()),
                                         idText(customer.address.id), now, now, now});
        QVERIFY(!orphan.ok());
        QVERIFY2(orphan.error().message.contains(QStringLiteral("FOREIGN KEY")),
                 qPrintable(errorText(orphan)));
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM main.tickets")), 0);

        // With a real contact the same statement is accepted: it was the reference that was refused.
        auto valid = f->db().exec(sql, {idText(newId()), idText(f.alice()), idText(customer.contact.id),
                                        idText(customer.address.id), now, now, now});
        QVERIFY2(valid.ok(), qPrintable(errorText(valid)));

        // A referenced contact cannot be removed from under its ticket.
        auto removed = f->db().exec(QStringLiteral("DELETE FROM main.contacts WHERE id = ?"),
                                    {idText(customer.contact.id)});
        QVERIFY(!removed.ok());
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM main.contacts")), 1);
    }

    void transactionWithoutCommitRollsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tx.db"));
        auto opened = Database::open(path, test::uniqueConnectionName());
        QVERIFY2(opened.ok(), qPrintable(errorText(opened)));
        Database &db = **opened;
        QVERIFY(db.execScript(QStringLiteral("CREATE TABLE main.scratch (v TEXT)")).ok());
        {
            Transaction tx(db);
            QVERIFY(tx.began().ok());
            QCOMPARE(db.transactionDepth(), 1);
            QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('dropped')")).ok());
            QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.scratch")), 1);
        }
        QCOMPARE(db.transactionDepth(), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.scratch")), 0);

        {
            Transaction tx(db);
            QVERIFY(tx.began().ok());
            QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('kept')")).ok());
            QVERIFY(tx.commit().ok());
            QVERIFY(!tx.commit().ok()); // a second commit is an error, not a silent no-op
        }
        QCOMPARE(db.transactionDepth(), 0);
        // Committed means visible to another connection.
        auto other = Database::open(path, test::uniqueConnectionName());
        QVERIFY2(other.ok(), qPrintable(errorText(other)));
        QCOMPARE(scalar(**other, QStringLiteral("SELECT count(*) FROM main.scratch WHERE v = 'kept'")), 1);
        QCOMPARE(scalar(**other, QStringLiteral("SELECT count(*) FROM main.scratch")), 1);
    }

    void nestedTransactionRollsBackOnlyItsOwnWork()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nested.db"));
        auto opened = Database::open(path, test::uniqueConnectionName());
        QVERIFY2(opened.ok(), qPrintable(errorText(opened)));
        Database &db = **opened;
        QVERIFY(db.execScript(QStringLiteral("CREATE TABLE main.scratch (v TEXT)")).ok());
        {
            Transaction outer(db);
            QVERIFY(outer.began().ok());
            QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('outer-before')")).ok());
            {
                Transaction inner(db);
                QVERIFY(inner.began().ok());
                QCOMPARE(db.transactionDepth(), 2);
                QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('inner-dropped')")).ok());
                {
                    Transaction innermost(db);
                    QVERIFY(innermost.began().ok());
                    QCOMPARE(db.transactionDepth(), 3);
                    QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('innermost')")).ok());
                    QVERIFY(innermost.commit().ok());
                }
            } // inner rolls back, with the innermost work it had absorbed
            QCOMPARE(db.transactionDepth(), 1);
            {
                Transaction inner(db);
                QVERIFY(inner.began().ok());
                QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('inner-kept')")).ok());
                QVERIFY(inner.commit().ok());
            }
            QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('outer-after')")).ok());
            QVERIFY(outer.commit().ok());
        }
        QCOMPARE(db.transactionDepth(), 0);
        auto rows = db.exec(QStringLiteral("SELECT v FROM main.scratch ORDER BY rowid"));
        QVERIFY(rows.ok());
        QStringList values;
        while (rows->next())
            values.append(rows->value(0).toString());
        QCOMPARE(values, (QStringList{QStringLiteral("outer-before"), QStringLiteral("inner-kept"),
                                      QStringLiteral("outer-after")}));

        // A committed inner transaction is still undone when its outer one rolls back.
        {
            Transaction outer(db);
            QVERIFY(outer.began().ok());
            {
                Transaction inner(db);
                QVERIFY(inner.began().ok());
                QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('inner-committed')")).ok());
                QVERIFY(inner.commit().ok());
            }
        }
        QCOMPARE(db.transactionDepth(), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.scratch")), 3);
    }

    void failedStatementInsideATransactionKeepsEarlierWork()
    {
        test::CoreFixture f;
        Database &db = f->db();
        QVERIFY(db.execScript(QStringLiteral("CREATE TABLE main.scratch (v TEXT NOT NULL)")).ok());
        {
            Transaction tx(db);
            QVERIFY(tx.began().ok());
            QVERIFY(db.exec(QStringLiteral("INSERT INTO main.scratch VALUES ('first')")).ok());
            QVERIFY(!db.exec(QStringLiteral("INSERT INTO main.scratch VALUES (NULL)")).ok());
            QVERIFY(tx.commit().ok());
        }
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.scratch")), 1);
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "test_database.moc"
