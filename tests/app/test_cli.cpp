// The fieldbook command line, run as a user runs it: the built binary in a QProcess, on files in a temp dir.
#include "core.h"
#include "db/database.h"
#include "support/testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLoggingCategory>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace fb;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

/// Runs fieldbook with `arguments`; one that has not finished after `timeoutMs` is killed and reported as
/// such (exit code -1). `runAs` is put in front of the binary (a command that runs it, e.g. setpriv).
Run runFieldbook(const QStringList &arguments, int timeoutMs = 5 * 60 * 1000, const QStringList &runAs = {},
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    if (runAs.isEmpty())
        process.start(QStringLiteral(FIELDBOOK_BINARY), arguments);
    else
        process.start(runAs.first(),
                      runAs.mid(1) + QStringList{QStringLiteral(FIELDBOOK_BINARY)} + arguments);
    Run run;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        run.err = QStringLiteral("fieldbook did not finish: ") + process.errorString();
        process.kill();
        process.waitForFinished(10 * 1000);
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err += QStringLiteral("\n") + QString::fromUtf8(process.readAllStandardError());
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

/// An environment for the window: its data and settings in `home`, offscreen, no keychain.
QProcessEnvironment windowEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    environment.insert(QStringLiteral("FIELDBOOK_NO_KEYCHAIN"), QStringLiteral("1"));
    return environment;
}

/// What a file and its folder look like on disk: its bytes, modification time and the folder's file names (a
/// -wal or -shm left behind shows there).
struct OnDisk
{
    QByteArray bytes;
    QDateTime modified;
    QStringList entries;
};

OnDisk onDisk(const QString &path)
{
    OnDisk state;
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
        state.bytes = file.readAll();
    state.modified = QFileInfo(path).lastModified().toUTC();
    state.entries = QFileInfo(path).dir().entryList(QDir::Files | QDir::Hidden, QDir::Name);
    return state;
}

bool setOldModificationTime(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadWrite) &&
           file.setFileTime(QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5), Qt::UTC),
                            QFileDevice::FileModificationTime);
}

/// How to run fieldbook so that a read-only folder is read-only for it: root writes anywhere, so as root it
/// runs without the capabilities that let it (setpriv, util-linux). Empty: run it as it is.
QStringList withoutRootsOverride()
{
    if (geteuid() != 0)
        return {};
    return {QStandardPaths::findExecutable(QStringLiteral("setpriv")),
            QStringLiteral("--bounding-set=-dac_override,-dac_read_search"),
            QStringLiteral("--inh-caps=-all"), QStringLiteral("--")};
}

/// A folder made read-only for the scope (and writable again after, so the temporary dir can go).
class ReadOnlyFolder
{
public:
    explicit ReadOnlyFolder(QString path) : m_path(std::move(path))
    {
        QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                                          QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                          QFileDevice::ReadOther | QFileDevice::ExeOther);
    }
    ~ReadOnlyFolder()
    {
        QFile::setPermissions(m_path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                          QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                          QFileDevice::ExeGroup);
    }
    ReadOnlyFolder(const ReadOnlyFolder &) = delete;
    ReadOnlyFolder &operator=(const ReadOnlyFolder &) = delete;

private:
    QString m_path;
};

/// Reads a database file directly, as the admin view (main.<table>): no Fieldbook connection involved.
class RawDb
{
public:
    explicit RawDb(const QString &path) : m_name(test::uniqueConnectionName())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            qFatal("cannot open %s", qPrintable(path));
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    /// The first column of every row of `sql`, as text.
    QStringList column(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name));
        QStringList values;
        if (!query.exec(sql)) {
            values.append(QStringLiteral("SQL error: ") + query.lastError().text());
            return values;
        }
        while (query.next())
            values.append(query.value(0).toString());
        return values;
    }
    int count(const QString &table) const
    {
        return column(QStringLiteral("SELECT count(*) FROM main.%1").arg(table)).value(0).toInt();
    }

private:
    QString m_name;
};

const QStringList &allTables()
{
    static const QStringList tables{QStringLiteral("users"),         QStringLiteral("contacts"),
                                    QStringLiteral("addresses"),     QStringLiteral("services"),
                                    QStringLiteral("tickets"),       QStringLiteral("line_items"),
                                    QStringLiteral("invoices"),      QStringLiteral("notes"),
                                    QStringLiteral("attributes"),    QStringLiteral("scheduled_messages"),
                                    QStringLiteral("audit_log"),     QStringLiteral("sync_outbox"),
                                    QStringLiteral("domain_events"), QStringLiteral("event_deliveries")};
    return tables;
}

QString describe(const Run &run)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(run.exitCode).arg(run.out, run.err);
}

} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_demo; // a demo database made once, copied by the tests that change it

    QString copyOfDemo(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        if (!QFile::copy(m_demo, path))
            qFatal("cannot copy the demo database");
        return path;
    }

    /// Runs `script` on a Fieldbook connection acting as the demo technician, bypassing the services.
    static bool execAsDemoTechnician(const QString &path, const QString &script)
    {
        auto core = Core::open(path, test::uniqueConnectionName());
        if (!core)
            return false;
        const QStringList users = RawDb(path).column(
            QStringLiteral("SELECT id FROM main.users WHERE email = 'demo@fieldbook.example'"));
        if (users.size() != 1)
            return false;
        (*core)->db().setCurrentUser(QUuid::fromString(users.first()));
        const Status done = (*core)->db().execScript(script);
        if (!done)
            qWarning("%s", qPrintable(done.error().toString()));
        return done.ok();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false"));
        QVERIFY2(QFile::exists(QStringLiteral(FIELDBOOK_BINARY)), FIELDBOOK_BINARY);
        m_demo = m_dir.filePath(QStringLiteral("demo.db"));
        const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), m_demo});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        // A clean exit checkpoints the WAL into the file, so copying the file copies the whole database.
        QVERIFY(!QFile::exists(m_demo + QStringLiteral("-wal")));
    }

    void demoFillsAFreshFileWithEveryKindOfData()
    {
        const RawDb db(m_demo);
        QCOMPARE(db.count(QStringLiteral("users")), 1);
        QCOMPARE(db.column(QStringLiteral("SELECT name || ' <' || email || '>' FROM main.users")),
                 QStringList{QStringLiteral("Demo Technician <demo@fieldbook.example>")});
        QCOMPARE(db.count(QStringLiteral("contacts")), 30);
        // One or two addresses per contact.
        QCOMPARE(db.column(QStringLiteral("SELECT count(*) FROM main.contacts c WHERE (SELECT count(*) FROM "
                                          "main.addresses a WHERE a.contact_id = c.id) NOT BETWEEN 1 AND 2")),
                 QStringList{QStringLiteral("0")});
        QCOMPARE(db.column(QStringLiteral("SELECT DISTINCT label FROM main.addresses ORDER BY label")),
                 (QStringList{QStringLiteral("Home"), QStringLiteral("Office"), QStringLiteral("Rental")}));
        QCOMPARE(db.column(QStringLiteral("SELECT DISTINCT status FROM main.tickets ORDER BY status")),
                 (QStringList{QStringLiteral("cancelled"), QStringLiteral("completed"),
                              QStringLiteral("in_progress"), QStringLiteral("scheduled")}));
        QCOMPARE(
            db.column(
                QStringLiteral("SELECT DISTINCT s.pricing_type FROM main.line_items l JOIN main.services s "
                               "ON s.id = l.service_id ORDER BY 1")),
            (QStringList{QStringLiteral("fixed"), QStringLiteral("flexible"), QStringLiteral("per_unit")}));
        QCOMPARE(db.column(QStringLiteral("SELECT DISTINCT status FROM main.invoices ORDER BY status")),
                 (QStringList{QStringLiteral("draft"), QStringLiteral("paid"), QStringLiteral("sent"),
                              QStringLiteral("void")}));
        QVERIFY(db.count(QStringLiteral("attributes")) > 0);
        QVERIFY(db.count(QStringLiteral("notes")) > 0);
        QVERIFY(db.count(QStringLiteral("scheduled_messages")) > 0);
        // Confirmed attributes and reach-outs came through the close-out's event handlers.
        QVERIFY(
            db.column(QStringLiteral("SELECT count(*) FROM main.scheduled_messages WHERE template_name <> "
                                     "'appointment_reminder'"))
                .value(0)
                .toInt() > 0);
        QVERIFY(
            db.column(QStringLiteral("SELECT count(*) FROM main.attributes WHERE source_note_id IS NOT NULL"))
                .value(0)
                .toInt() > 0);
        // Two weeks around today: nothing scheduled more than 8 days away (a day of slack for time zones).
        QCOMPARE(
            db.column(QStringLiteral("SELECT count(*) FROM main.tickets WHERE julianday(scheduled_at) NOT "
                                     "BETWEEN julianday('now') - 8 AND julianday('now') + 8")),
            QStringList{QStringLiteral("0")});
        // A completed ticket's invoice totals its line items.
        QCOMPARE(db.column(QStringLiteral(
                     "SELECT count(*) FROM main.invoices i WHERE i.total_amount <> (SELECT "
                     "sum(total_price) FROM main.line_items l WHERE l.ticket_id = i.ticket_id)")),
                 QStringList{QStringLiteral("0")});
    }

    void demoPrintsWhatItCreated()
    {
        const QString path = m_dir.filePath(QStringLiteral("summary.db"));
        const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path,
                                      QStringLiteral("--contacts"), QStringLiteral("7")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("contacts +7\\b"))), qPrintable(run.out));
        const RawDb db(path);
        QCOMPARE(db.count(QStringLiteral("contacts")), 7);
        const QString tickets = QStringLiteral("tickets +%1\\b").arg(db.count(QStringLiteral("tickets")));
        QVERIFY2(run.out.contains(QRegularExpression(tickets)), qPrintable(run.out));
    }

    void demoIsDeterministic()
    {
        const QString first = m_dir.filePath(QStringLiteral("first.db"));
        const QString second = m_dir.filePath(QStringLiteral("second.db"));
        for (const QString &path : {first, second}) {
            const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path,
                                          QStringLiteral("--contacts"), QStringLiteral("12")});
            QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        }
        const QString sql =
            QStringLiteral("SELECT name || '|' || coalesce(email, '') || '|' || coalesce(phone, '') "
                           "FROM main.contacts ORDER BY rowid");
        const QStringList contacts = RawDb(first).column(sql);
        QCOMPARE(contacts.size(), 12);
        QCOMPARE(RawDb(second).column(sql), contacts);
        // The first contacts do not depend on how many there are.
        QCOMPARE(RawDb(m_demo).column(sql).mid(0, 12), contacts);
        QVERIFY2(QSet<QString>(contacts.begin(), contacts.end()).size() > 6, "the contacts are varied");
    }

    void demoTwiceAddsNothing()
    {
        const QString path = copyOfDemo(QStringLiteral("twice.db"));
        QMap<QString, int> before;
        {
            const RawDb db(path);
            for (const QString &table : allTables())
                before.insert(table, db.count(table));
        }
        const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path,
                                      QStringLiteral("--contacts"), QStringLiteral("50")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(QStringLiteral("already has demo data")), qPrintable(run.out));
        const RawDb db(path);
        for (const QString &table : allTables())
            QCOMPARE(db.count(table), before.value(table));
    }

    void demoAgainFinishesAnInterruptedDelivery()
    {
        // As if the first run died between its commit and the delivery of its events.
        const QString path = copyOfDemo(QStringLiteral("interrupted.db"));
        QVERIFY(execAsDemoTechnician(path, QStringLiteral("UPDATE main.domain_events SET dispatched = 0")));
        const Run waiting = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(waiting.exitCode == 0 && waiting.out.contains(QStringLiteral("not delivered yet")),
                 qPrintable(describe(waiting)));
        const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 0 && run.out.contains(QStringLiteral("already has demo data")),
                 qPrintable(describe(run)));
        const Run check = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(check.exitCode == 0 && !check.out.contains(QStringLiteral("note:")),
                 qPrintable(describe(check)));
    }

    void demoReusesAnEmptyDemoProfileAndLeavesOtherUsersAlone()
    {
        const QString path = m_dir.filePath(QStringLiteral("shared.db"));
        QString demoId;
        QString aliceId;
        {
            auto core = Core::open(path, test::uniqueConnectionName());
            QVERIFY(core.ok());
            auto alice = (*core)->users.create(
                {QStringLiteral("Alice Able"), QStringLiteral("alice@example.com"), {}});
            auto demo = (*core)->users.create(
                {QStringLiteral("Demo Technician"), QStringLiteral("demo@fieldbook.example"), {}});
            QVERIFY(alice.ok() && demo.ok());
            QVERIFY((*core)->setCurrentUser(alice->id).ok());
            QVERIFY((*core)->contacts.create({QStringLiteral("Margaret Hill"), {}, {}, {}}).ok());
            demoId = idText(demo->id);
            aliceId = idText(alice->id);
        }
        const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(!run.out.contains(QStringLiteral("already")), qPrintable(run.out));
        {
            const RawDb db(path);
            QCOMPARE(db.count(QStringLiteral("users")), 2);
            QCOMPARE(
                db.column(
                    QStringLiteral("SELECT count(*) FROM main.contacts WHERE user_id = '%1'").arg(demoId)),
                QStringList{QStringLiteral("30")});
            QCOMPARE(
                db.column(QStringLiteral("SELECT name FROM main.contacts WHERE user_id = '%1'").arg(aliceId)),
                QStringList{QStringLiteral("Margaret Hill")});
        }
        const Run check = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(check.exitCode == 0, qPrintable(describe(check)));
    }

    void checkPassesOnTheDemoDatabase()
    {
        const Run run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), m_demo});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.startsWith(QStringLiteral("ok: ")), qPrintable(run.out));
        int rows = 0;
        {
            const RawDb db(m_demo);
            for (const QString &table : allTables())
                rows += db.count(table);
        }
        QCOMPARE(run.out.trimmed(), QStringLiteral("ok: %1 rows checked").arg(rows));
    }

    void checkReportsEachProblem_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("expected");
        // The scripts run on a Fieldbook connection acting as the demo technician (the write guards call
        // current_user_id()), but bypass the services, as a bug or a hand edit would.
        QTest::newRow("contact without audit entry")
            << QStringLiteral("INSERT INTO main.contacts (id, user_id, name, created_at, updated_at) VALUES "
                              "('00000000-0000-4000-8000-0000000000c1', current_user_id(), 'Ghost Customer', "
                              "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')")
            << QStringLiteral(
                   "unaudited: contacts 00000000-0000-4000-8000-0000000000c1 has no 'create' entry");
        QTest::newRow("line items of a deleted ticket")
            << QStringLiteral(
                   "PRAGMA foreign_keys = OFF; DELETE FROM main.tickets WHERE id = (SELECT ticket_id "
                   "FROM main.line_items ORDER BY rowid LIMIT 1)")
            << QStringLiteral("orphan: line_items ");
        QTest::newRow("address without contact")
            << QStringLiteral(
                   "PRAGMA foreign_keys = OFF; DELETE FROM main.contacts WHERE id = (SELECT contact_id "
                   "FROM main.addresses ORDER BY rowid LIMIT 1)")
            << QStringLiteral("orphan: addresses ");
        QTest::newRow("audit entry without outbox row")
            << QStringLiteral(
                   "DELETE FROM main.sync_outbox WHERE seq = (SELECT min(seq) FROM main.sync_outbox)")
            << QStringLiteral("has no sync_outbox row");
        QTest::newRow("delivery without event")
            << QStringLiteral("PRAGMA foreign_keys = OFF; DELETE FROM main.domain_events WHERE event_id = "
                              "(SELECT event_id FROM main.event_deliveries ORDER BY rowid LIMIT 1)")
            << QStringLiteral("refers to a missing domain_events row");
        QTest::newRow("failed delivery")
            << QStringLiteral(
                   "UPDATE main.event_deliveries SET status = 'failed', attempts = 3, last_error = "
                   "'disk I/O error' WHERE rowid = (SELECT min(rowid) FROM main.event_deliveries)")
            << QStringLiteral("event delivery failed: ");
        QTest::newRow("audit trigger dropped by hand")
            << QStringLiteral("DROP TRIGGER main.audit_log_no_delete")
            << QStringLiteral("schema: the trigger audit_log_no_delete on audit_log is missing: nothing "
                              "enforces \"audit_log is append-only: entries cannot be deleted\" any more");
        QTest::newRow("audit trigger changed by hand")
            << QStringLiteral(
                   "DROP TRIGGER main.audit_log_no_update; CREATE TRIGGER main.audit_log_no_update "
                   "BEFORE UPDATE ON audit_log WHEN 0 BEGIN SELECT 1; END")
            << QStringLiteral("schema: the trigger audit_log_no_update on audit_log differs from the one "
                              "this Fieldbook creates");
        QTest::newRow("index dropped by hand")
            << QStringLiteral("DROP INDEX main.idx_sync_outbox_user")
            << QStringLiteral("schema: the index idx_sync_outbox_user on sync_outbox is missing");
        QTest::newRow("table added by hand")
            << QStringLiteral("CREATE TABLE main.my_notes (x)")
            << QStringLiteral("schema: the table my_notes is not part of this Fieldbook's schema");
        QTest::newRow("row referring to another user's row")
            << QStringLiteral(
                   "PRAGMA foreign_keys = OFF; "
                   "INSERT INTO main.users (id, name, email, created_at) VALUES "
                   "('00000000-0000-4000-8000-0000000000b0', 'Bob', 'bob@example.com', "
                   "'2024-01-01T00:00:00.000Z'); DROP TRIGGER notes_scope_update; "
                   "UPDATE main.notes SET user_id = '00000000-0000-4000-8000-0000000000b0' WHERE rowid = "
                   "(SELECT min(rowid) FROM main.notes WHERE contact_id IS NOT NULL)")
            << QStringLiteral("cross-user: notes ");
    }

    void checkReportsEachProblem()
    {
        QFETCH(QString, script);
        QFETCH(QString, expected);
        const QString path = copyOfDemo(QStringLiteral("broken.db"));
        QVERIFY(execAsDemoTechnician(path, script));
        const Run run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(expected), qPrintable(run.out));
        QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("\\nFAILED: \\d+ problem\\(s\\)"))),
                 qPrintable(run.out));
        QVERIFY(!run.out.contains(QStringLiteral("ok: ")));
    }

    void checkNeverCreatesAFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("missing.db"));
        const Run run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(path) && run.err.contains(QStringLiteral("does not exist")),
                 qPrintable(run.err));
        QVERIFY(!QFile::exists(path));
    }

    void checkRejectsAFileThatIsNotAFieldbookDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("shopping list: ladder, squeegee, bucket\n");
        file.close();
        const Run run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(!run.out.contains(QStringLiteral("ok: ")), qPrintable(describe(run)));
    }

    // Issue 11, part 6: local files.

    void twoProcessesOpenOneFileAtOnce_data()
    {
        QTest::addColumn<int>("version"); // of the file before; 0: no file yet
        QTest::newRow("new file") << 0;
        QTest::newRow("file of the previous version") << Database::latestSchemaVersion() - 1;
    }

    /// Two windows, or the window and the sync timer, starting on a file that is new or needs the new
    /// migration: both must succeed, and the migrations be applied once.
    void twoProcessesOpenOneFileAtOnce()
    {
        QFETCH(int, version);
        const QStringList demo{QStringLiteral("demo"), QStringLiteral("--contacts"), QStringLiteral("1"),
                               QStringLiteral("--db")};
        // What one process alone makes: the demo is deterministic for a given day and N.
        const QString alone = m_dir.filePath(QStringLiteral("alone-%1.db").arg(version));
        if (version > 0)
            QVERIFY(test::createDatabaseAtVersion(alone, version));
        const Run single = runFieldbook(demo + QStringList{alone});
        QVERIFY2(single.exitCode == 0, qPrintable(describe(single)));
        QMap<QString, int> expected;
        {
            const RawDb db(alone);
            for (const QString &table : allTables())
                expected.insert(table, db.count(table));
        }
        for (int attempt = 1; attempt <= 6; ++attempt) {
            const QString path =
                m_dir.filePath(QStringLiteral("together-%1-%2.db").arg(version).arg(attempt));
            if (version > 0)
                QVERIFY(test::createDatabaseAtVersion(path, version));
            QProcess first;
            QProcess second;
            first.start(QStringLiteral(FIELDBOOK_BINARY), demo + QStringList{path});
            second.start(QStringLiteral(FIELDBOOK_BINARY), demo + QStringList{path});
            QVERIFY(first.waitForFinished(60 * 1000) && second.waitForFinished(60 * 1000));
            QString outputs;
            int created = 0;
            for (QProcess *process : {&first, &second}) {
                const QString out = QString::fromUtf8(process->readAllStandardOutput());
                outputs += out + QString::fromUtf8(process->readAllStandardError());
                QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0,
                         qPrintable(QStringLiteral("attempt %1:\n%2").arg(attempt).arg(outputs)));
                created += out.startsWith(QStringLiteral("Created demo data")) ? 1 : 0;
            }
            QVERIFY2(created == 1, qPrintable(outputs)); // the other found it there
            // The schema is exactly this build's (check compares it), each migration applied once.
            const Run check = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
            QVERIFY2(check.exitCode == 0 && check.out.startsWith(QStringLiteral("ok: ")),
                     qPrintable(describe(check)));
            const RawDb db(path);
            QCOMPARE(db.column(QStringLiteral("PRAGMA user_version")),
                     QStringList{QString::number(Database::latestSchemaVersion())});
            for (const QString &table : allTables())
                QVERIFY2(db.count(table) == expected.value(table),
                         qPrintable(QStringLiteral("attempt %1: %2 rows in %3, %4 from one process alone")
                                        .arg(attempt)
                                        .arg(db.count(table))
                                        .arg(table)
                                        .arg(expected.value(table))));
        }
    }

    void checkChangesNothingAndLeavesNoFilesBehind()
    {
        const QString path = copyOfDemo(QStringLiteral("untouched.db"));
        QVERIFY(setOldModificationTime(path));
        const OnDisk before = onDisk(path);
        QVERIFY(!before.entries.contains(QStringLiteral("untouched.db-wal")));
        const Run run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const OnDisk after = onDisk(path);
        QCOMPARE(after.entries, before.entries); // no untouched.db-wal, untouched.db-shm
        QCOMPARE(after.modified, before.modified);
        QVERIFY2(after.bytes == before.bytes, "check changed the file");
    }

    void checkWorksInAReadOnlyFolder()
    {
        const QStringList runAs = withoutRootsOverride();
        QVERIFY2(
            runAs.isEmpty() || !runAs.first().isEmpty(),
            "as root, setpriv (util-linux) is needed to make a read-only folder read-only for fieldbook");
        const QString folder = m_dir.filePath(QStringLiteral("read-only"));
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/fieldbook.db");
        QVERIFY(QFile::copy(m_demo, path));
        const OnDisk before = onDisk(path);
        Run run;
        {
            const ReadOnlyFolder readOnly(folder);
            run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path}, 60 * 1000, runAs);
        }
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(QStringLiteral("note: the folder %1 is read-only").arg(folder)),
                 qPrintable(run.out));
        QVERIFY2(run.out.trimmed().endsWith(QStringLiteral(" rows checked")) &&
                     run.out.contains(QStringLiteral("ok: ")),
                 qPrintable(run.out));
        QCOMPARE(onDisk(path).entries, before.entries);
    }

    /// A copy of a file whose last changes are still in its -wal, without the -shm (copied while Fieldbook
    /// ran), in a read-only folder: SQLite cannot read the -wal there; check reads it all the same, from a
    /// copy.
    void checkReadsAWalWithoutItsShmInAReadOnlyFolder()
    {
        const QStringList runAs = withoutRootsOverride();
        QVERIFY2(
            runAs.isEmpty() || !runAs.first().isEmpty(),
            "as root, setpriv (util-linux) is needed to make a read-only folder read-only for fieldbook");
        const QString source = copyOfDemo(QStringLiteral("running.db"));
        const QString folder = m_dir.filePath(QStringLiteral("read-only-copy"));
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/fieldbook.db");
        {
            // A connection that keeps its last change in the -wal while the files are copied: a contact
            // written past the services (no audit entry), so that check can only report it if it read the
            // -wal.
            auto core = Core::open(source, test::uniqueConnectionName());
            QVERIFY(core.ok());
            const QStringList users = RawDb(source).column(
                QStringLiteral("SELECT id FROM main.users WHERE email = 'demo@fieldbook.example'"));
            QCOMPARE(users.size(), 1);
            (*core)->db().setCurrentUser(QUuid::fromString(users.first()));
            VERIFY_OK((*core)->db().execScript(QStringLiteral("PRAGMA wal_autocheckpoint = 0")));
            VERIFY_OK((*core)->db().execScript(QStringLiteral(
                "INSERT INTO main.contacts (id, user_id, name, created_at, updated_at) VALUES "
                "('00000000-0000-4000-8000-0000000000d1', current_user_id(), 'Only In The Wal', "
                "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')")));
            QVERIFY(QFileInfo(source + QStringLiteral("-wal")).size() > 0);
            QVERIFY(QFile::copy(source, path));
            QVERIFY(QFile::copy(source + QStringLiteral("-wal"), path + QStringLiteral("-wal")));
        }
        const OnDisk before = onDisk(path);
        Run run;
        {
            const ReadOnlyFolder readOnly(folder);
            run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path}, 60 * 1000, runAs);
        }
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(QStringLiteral(
                     "unaudited: contacts 00000000-0000-4000-8000-0000000000d1 has no 'create' entry")),
                 qPrintable(describe(run)));
        QVERIFY2(
            run.out.contains(QStringLiteral("note: the folder %1 is read-only").arg(folder)) &&
                run.out.contains(QStringLiteral("note: %1-wal holds changes not yet in the file").arg(path)),
            qPrintable(describe(run)));
        QVERIFY2(!run.out.contains(QStringLiteral("cannot")), qPrintable(describe(run)));
        // The same in a writable folder, where nothing is left behind either (no fieldbook.db-shm).
        const Run writable = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(writable.exitCode == 1 && writable.out.contains(QStringLiteral("unaudited: contacts ")) &&
                     !writable.out.contains(QStringLiteral("note: the folder")),
                 qPrintable(describe(writable)));
        const OnDisk after = onDisk(path);
        QCOMPARE(after.entries, before.entries);
        QVERIFY(after.bytes == before.bytes);
    }

    /// Killed right after a commit, before its events were delivered: check says how many wait and how they
    /// get delivered, and that is true.
    void checkSaysUndeliveredEventsWaitForTheNextStart()
    {
        const QString path = copyOfDemo(QStringLiteral("killed.db"));
        QVERIFY(execAsDemoTechnician(
            path, QStringLiteral("UPDATE main.domain_events SET dispatched = 0 WHERE rowid IN (SELECT rowid "
                                 "FROM main.domain_events ORDER BY rowid DESC LIMIT 3)")));
        const Run run = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(
            run.out.contains(QStringLiteral(
                "note: 3 event(s) of Demo Technician <demo@fieldbook.example> saved but not delivered yet "
                "(Fieldbook stopped right after saving them): not lost, Fieldbook delivers them the next "
                "time it works as this technician (the window, or 'fieldbook sync')")),
            qPrintable(run.out));
        QVERIFY2(!run.out.contains(QStringLiteral("FAILED")), qPrintable(run.out));

        // `fieldbook sync` works as the file's technician: it delivers them even when the server is down.
        const Run sync =
            runFieldbook({QStringLiteral("sync"), QStringLiteral("--db"), path, QStringLiteral("--server"),
                          QStringLiteral("postgresql://nobody@127.0.0.1:1/fieldbook")},
                         60 * 1000);
        QVERIFY2(sync.exitCode == 1, qPrintable(describe(sync)));
        const Run after = runFieldbook({QStringLiteral("check"), QStringLiteral("--db"), path});
        QVERIFY2(after.exitCode == 0 && !after.out.contains(QStringLiteral("note:")),
                 qPrintable(describe(after)));
    }

    void dbInAMissingFolderIsRefused_data()
    {
        QTest::addColumn<QStringList>("arguments"); // FOLDER is replaced by a folder that does not exist
        QTest::newRow("demo") << QStringList{QStringLiteral("demo"), QStringLiteral("--db"),
                                             QStringLiteral("FOLDER/fieldbook.db")};
        QTest::newRow("the window") << QStringList{QStringLiteral("--db"),
                                                   QStringLiteral("FOLDER/fieldbook.db")};
    }

    void dbInAMissingFolderIsRefused()
    {
        QFETCH(QStringList, arguments);
        const QString home =
            m_dir.filePath(QStringLiteral("home-") + QString::fromLatin1(QTest::currentDataTag()));
        const QString top =
            m_dir.filePath(QStringLiteral("typo-") + QString::fromLatin1(QTest::currentDataTag()));
        const QString folder = top + QStringLiteral("/jobs");
        arguments.replaceInStrings(QStringLiteral("FOLDER"), folder);
        const Run run = runFieldbook(arguments, 30 * 1000, {}, windowEnvironment(home));
        QVERIFY2(run.exitCode == 2, qPrintable(describe(run)));
        // The last line: Qt may warn about the environment before it.
        QCOMPARE(run.err.trimmed().split(QLatin1Char('\n')).constLast(),
                 QStringLiteral("fieldbook%1: the folder %2 does not exist (add --create to make it)")
                     .arg(arguments.first() == QStringLiteral("demo") ? QStringLiteral(" demo") : QString(),
                          folder));
        QVERIFY(!QFileInfo::exists(top));
    }

    void createMakesTheFolder()
    {
        const QString folder = m_dir.filePath(QStringLiteral("made/by/create"));
        const QString path = folder + QStringLiteral("/fieldbook.db");
        const Run run =
            runFieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path, QStringLiteral("--create"),
                          QStringLiteral("--contacts"), QStringLiteral("1")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.startsWith(QStringLiteral("Created the folder %1\n").arg(folder)),
                 qPrintable(run.out));
        QVERIFY(QFileInfo(path).isFile());

        // The window too: it makes the folder and opens the new file (then it waits for its user: stopped).
        const QString windowFolder = m_dir.filePath(QStringLiteral("made/for/window"));
        const QString windowPath = windowFolder + QStringLiteral("/fieldbook.db");
        QProcess window;
        window.setProcessEnvironment(windowEnvironment(m_dir.filePath(QStringLiteral("home-create"))));
        window.start(QStringLiteral(FIELDBOOK_BINARY),
                     {QStringLiteral("--db"), windowPath, QStringLiteral("--create")});
        QVERIFY(window.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(windowPath).isFile() || window.state() == QProcess::NotRunning,
                                 30 * 1000);
        const bool running = window.state() == QProcess::Running;
        window.kill();
        window.waitForFinished(10 * 1000);
        QVERIFY2(running && QFileInfo(windowPath).isFile(), window.readAllStandardError().constData());
    }

    void badArgumentsAreRefusedNamingTheOption_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("named");
        const QString db = QStringLiteral("never-created.db");
        QTest::newRow("demo without --db") << QStringList{QStringLiteral("demo")} << QStringLiteral("--db");
        QTest::newRow("demo --db without a value")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--db")} << QStringLiteral("--db");
        QTest::newRow("contacts not a number")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("--contacts"),
                           QStringLiteral("abc")}
            << QStringLiteral("--contacts");
        QTest::newRow("contacts zero") << QStringList{QStringLiteral("demo"), QStringLiteral("--db"), db,
                                                      QStringLiteral("--contacts"), QStringLiteral("0")}
                                       << QStringLiteral("--contacts");
        QTest::newRow("contacts above the limit")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("--contacts"),
                           QStringLiteral("100001")}
            << QStringLiteral("--contacts");
        QTest::newRow("contacts with a fraction")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--db"), db,
                           QStringLiteral("--contacts=2.5")}
            << QStringLiteral("--contacts");
        QTest::newRow("unknown demo option")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("--bogus")}
            << QStringLiteral("bogus");
        QTest::newRow("extra argument")
            << QStringList{QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("stray")}
            << QStringLiteral("stray");
        QTest::newRow("check without --db") << QStringList{QStringLiteral("check")} << QStringLiteral("--db");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("unknown global option")
            << QStringList{QStringLiteral("--frob")} << QStringLiteral("frob");
    }

    void badArgumentsAreRefusedNamingTheOption()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, named);
        QProcess process;
        process.setWorkingDirectory(m_dir.path());
        process.start(QStringLiteral(FIELDBOOK_BINARY), arguments);
        QVERIFY(process.waitForFinished(60 * 1000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 2);
        QVERIFY2(err.contains(named), qPrintable(err));
        QCOMPARE(err.trimmed().count(QLatin1Char('\n')), 0); // one line
        QVERIFY(process.readAllStandardOutput().isEmpty());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("never-created.db"))));
    }

    void versionPrintsTheVersion()
    {
        const Run run = runFieldbook({QStringLiteral("--version")});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QStringLiteral("fieldbook " FIELDBOOK_VERSION));
    }

    void helpListsTheCommands_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")};
    }

    void helpListsTheCommands()
    {
        QFETCH(QStringList, arguments);
        const Run run = runFieldbook(arguments);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("\\n  demo +\\S"))), qPrintable(run.out));
        QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("\\n  check +\\S"))),
                 qPrintable(run.out));
        // No command opens the window: the help says how.
        QVERIFY2(run.out.contains(QStringLiteral("--demo")), qPrintable(run.out));
    }

    void commandHelpListsItsOptions()
    {
        const Run run = runFieldbook({QStringLiteral("demo"), QStringLiteral("--help")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("--db FILE")) &&
                     run.out.contains(QStringLiteral("--contacts N")),
                 qPrintable(run.out));
    }

    // `fieldbook screenshots` (issue 5): every main screen and each wizard page, from the demo database the
    // tests made, as real PNG files at the laptop size the app is designed for; the database itself
    // untouched.
    void screenshotsRenderEveryScreenFromACopy()
    {
        const QString db = copyOfDemo(QStringLiteral("screenshots.db"));
        const qint64 auditBefore =
            RawDb(db).column(QStringLiteral("SELECT count(*) FROM audit_log")).value(0).toLongLong();
        const QString out = m_dir.filePath(QStringLiteral("shots"));
        const Run run =
            runFieldbook({QStringLiteral("screenshots"), QStringLiteral("--db"), db, QStringLiteral("--out"),
                          out, QStringLiteral("--theme"), QStringLiteral("light")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList screens = {QStringLiteral("schedule-day"),
                                     QStringLiteral("schedule-week"),
                                     QStringLiteral("ticket"),
                                     QStringLiteral("closeout-1-notes"),
                                     QStringLiteral("closeout-2-review"),
                                     QStringLiteral("closeout-3-next-service"),
                                     QStringLiteral("closeout-4-summary"),
                                     QStringLiteral("customers"),
                                     QStringLiteral("catalog"),
                                     QStringLiteral("invoices"),
                                     QStringLiteral("reach-outs"),
                                     QStringLiteral("search"),
                                     QStringLiteral("new-ticket"),
                                     QStringLiteral("first-run"),
                                     QStringLiteral("history"),
                                     QStringLiteral("sync"),
                                     QStringLiteral("settings")};
        for (const QString &screen : screens) {
            const QImage image(out + QLatin1Char('/') + screen + QStringLiteral(".png"));
            QVERIFY2(!image.isNull(), qPrintable(screen + QStringLiteral(" is missing; ") + run.err));
            QVERIFY2(image.width() >= 400 && image.height() >= 300, qPrintable(screen));
        }
        QCOMPARE(QImage(out + QStringLiteral("/schedule-day.png")).size(), QSize(1366, 768));
        QCOMPARE(RawDb(db).column(QStringLiteral("SELECT count(*) FROM audit_log")).value(0).toLongLong(),
                 auditBefore);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
