// Restore and crash safety of the pull (issue 14, items 5 and 8), through the real executable: a technician's
// whole history restored into a new file equals the original laptop's (rows, money, audit trail) and passes
// `fieldbook check`; a restore killed mid-way resumes; a pull killed at each of its steps converges on the
// next sync with every office change applied and recorded once.
#include "core.h"
#include "db/tablecatalog.h"
#include "pgconnection.h"
#include "support/fieldbookprocess.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QProcess>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace fb;
using namespace fb::test;

namespace {

using Run = test::FieldbookRun;
using test::fieldbook;

bool succeeded(const Run &run)
{
    return run.succeeded();
}

/// Every synced table's rows and the audit trail of a file, as text lines (one per row, columns sorted), for
/// comparing two files. The audit trail is compared on what an entry says (id, author, entity, action,
/// changes as JSON, time); where it came from (origin, author_login) differs between devices by design.
QStringList contents(const QString &path)
{
    auto core = must(Core::open(path, uniqueConnectionName()), "opening a file");
    QStringList lines;
    for (const catalog::Table &table : catalog::tables()) {
        if (!table.onServer)
            continue;
        auto query =
            must(core->db().exec(QStringLiteral("SELECT * FROM main.%1 ORDER BY id").arg(table.name)),
                 "reading a table");
        while (query.next()) {
            QStringList fields;
            const QSqlRecord record = query.record();
            for (int i = 0; i < record.count(); ++i)
                fields.append(record.fieldName(i) + QLatin1Char('=') +
                              (query.isNull(i) ? QStringLiteral("NULL") : query.value(i).toString()));
            fields.sort();
            lines.append(table.name + QLatin1Char(' ') + fields.join(QLatin1Char(' ')));
        }
    }
    auto audit =
        // Read as every reader reads them (audit_changes()): the original's 'create' entries are stored lean,
        // the restored file's came from the server whole.
        must(core->db().exec(QStringLiteral("SELECT id, user_id, entity_type, entity_id, action, "
                                            "audit_changes(changes, entity_id, user_id, created_at), "
                                            "created_at FROM main.audit_log ORDER BY id")),
             "reading the audit trail");
    while (audit.next()) {
        const QJsonDocument changes = QJsonDocument::fromJson(audit.value(5).toString().toUtf8());
        lines.append(QStringLiteral("audit %1 %2 %3 %4 %5 %6 %7")
                         .arg(audit.value(0).toString(), audit.value(1).toString(), audit.value(2).toString(),
                              audit.value(3).toString(), audit.value(4).toString(),
                              QString::fromUtf8(changes.toJson(QJsonDocument::Compact)),
                              audit.value(6).toString()));
    }
    return lines;
}

/// The first difference between two files' contents, or an empty string.
QString firstDifference(const QStringList &original, const QStringList &restored)
{
    const QSet<QString> a(original.cbegin(), original.cend());
    const QSet<QString> b(restored.cbegin(), restored.cend());
    for (const QString &line : original)
        if (!b.contains(line))
            return QStringLiteral("only in the original: ") + line;
    for (const QString &line : restored)
        if (!a.contains(line))
            return QStringLiteral("only in the restored file: ") + line;
    return {};
}

/// A demo laptop whose technician exists on the server, fully synced.
struct Laptop
{
    QTemporaryDir dir;
    QString path;
    QUuid user;
    PgTestDatabase::Technician tech;
    QStringList sync() const
    {
        return {QStringLiteral("sync"), QStringLiteral("--db"), path, QStringLiteral("--server"), tech.url};
    }
};

void setUpLaptop(Laptop &laptop, PgTestDatabase &server, int contacts)
{
    laptop.path = laptop.dir.filePath(QStringLiteral("laptop.db"));
    const Run demo = fieldbook({QStringLiteral("demo"), QStringLiteral("--db"), laptop.path,
                                QStringLiteral("--contacts"), QString::number(contacts)});
    if (!succeeded(demo))
        qFatal("demo failed: %s", qPrintable(demo.err));
    QString email;
    {
        auto core = must(Core::open(laptop.path, uniqueConnectionName()), "opening the demo");
        const auto users = must(core->users.list(), "profiles");
        laptop.user = users.first().id;
        email = users.first().email;
    }
    laptop.tech = server.addTechnician(laptop.user, email, QStringLiteral("Demo Technician"));
    const Run synced = fieldbook(laptop.sync());
    if (!succeeded(synced))
        qFatal("first sync failed: %s", qPrintable(synced.out + synced.err));
}

struct OfficeMove
{
    QString office;  ///< the dispatcher's user id
    int entries = 0; ///< the audit entries the server wrote for the move
};

/// The office moves every scheduled job of the technician by a day, as one statement of a dispatcher.
OfficeMove officeMovesEveryJob(PgTestDatabase &server, const QUuid &user)
{
    const QString login = QStringLiteral("office_") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    const QString password = QStringLiteral("pw-") + QUuid::createUuid().toString(QUuid::Id128);
    const QString office = idText(newId());
    must(server.adminExec(
             QStringLiteral("INSERT INTO users (id, name, email) VALUES ('%1', 'Office', '%2@x.example')")
                 .arg(office, login)),
         "office user");
    must(server.adminExec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2' IN ROLE fieldbook_dispatcher")
                              .arg(login, password)),
         "office role");
    must(server.adminExec(
             QStringLiteral("INSERT INTO fieldbook_logins (login_role, user_id, kind) VALUES ('%1', '%2', "
                            "'dispatcher')")
                 .arg(login, office)),
         "office binding");
    auto connection =
        must(sync::PgConnection::connect(QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                                             .arg(login, password, PgTestServer::instance().host())
                                             .arg(PgTestServer::instance().port())
                                             .arg(server.name())),
             "office connects");
    const sync::PgResult moved = connection->exec(
        QStringLiteral(
            "UPDATE tickets SET scheduled_at = scheduled_at + interval '1 day 30 minutes' WHERE user_id = "
            "'%1' AND status = 'scheduled' AND deleted_at IS NULL")
            .arg(idText(user)));
    if (!moved.ok())
        qFatal("the office's move failed: %s", qPrintable(moved.message()));
    return {
        office,
        server.adminQuery(QStringLiteral("SELECT count(*) FROM audit_log WHERE user_id = '%1'").arg(office))
            .value(0)
            .toInt()};
}

/// The letter of the invoice number a new standalone invoice gets in a file ("SK-2026-B014" -> 'B').
QChar nextInvoiceLetter(const QString &path, const QUuid &user)
{
    auto core = must(Core::open(path, uniqueConnectionName()), "opening a file");
    must(core->setCurrentUser(user), "the technician");
    const auto contacts = must(core->contacts.list(), "customers");
    const Invoice invoice =
        must(core->invoices.createStandalone(contacts.first().id, Money::fromCents(1000)), "an invoice");
    const QString number = invoice.number.value_or(QString());
    const qsizetype dash = number.lastIndexOf(QLatin1Char('-'));
    return dash >= 0 && dash + 1 < number.size() ? number.at(dash + 1) : QChar();
}

} // namespace

class TestRestoreHistory final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void restoreEqualsTheOriginal()
    {
        PgTestDatabase server;
        Laptop laptop;
        setUpLaptop(laptop, server, 12);
        QVERIFY(officeMovesEveryJob(server, laptop.user).entries > 0);
        QVERIFY(succeeded(fieldbook(laptop.sync())));

        QTemporaryDir dir;
        const QString restored = dir.filePath(QStringLiteral("new-laptop.db"));
        const Run run = fieldbook({QStringLiteral("restore"), QStringLiteral("--db"), restored,
                                   QStringLiteral("--server"), laptop.tech.url});
        QVERIFY2(succeeded(run), qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QStringLiteral("restoring tickets:")), qPrintable(run.out));

        const QString difference = firstDifference(contents(laptop.path), contents(restored));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        const Run check = fieldbook({QStringLiteral("check"), QStringLiteral("--db"), restored});
        QVERIFY2(succeeded(check), qPrintable(check.out + check.err));

        // Restoring onto a file that already holds the work is refused, and the file is left alone.
        const Run again = fieldbook({QStringLiteral("restore"), QStringLiteral("--db"), laptop.path,
                                     QStringLiteral("--server"), laptop.tech.url});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(QStringLiteral("fieldbook sync")), qPrintable(again.err));
    }

    void eachDeviceNumbersWithItsOwnLetter()
    {
        // Issue 15, item 8: invoice numbers are unique across a technician's devices even when the devices
        // number before they have seen each other's invoices. The laptop made the profile: 'A'. Each restored
        // device claims the next free letter from the server during its restore (B, then C: never a letter
        // another device has), and keeps it when its restore is resumed.
        PgTestDatabase server;
        Laptop laptop;
        setUpLaptop(laptop, server, 4);
        QCOMPARE(nextInvoiceLetter(laptop.path, laptop.user), QLatin1Char('A'));

        QTemporaryDir dir;
        QStringList files;
        for (const QString &name : {QStringLiteral("tablet.db"), QStringLiteral("phone.db")}) {
            files << dir.filePath(name);
            const QStringList restore{QStringLiteral("restore"), QStringLiteral("--db"), files.last(),
                                      QStringLiteral("--server"), laptop.tech.url};
            if (files.size() == 2) { // stopped after its letter was claimed, then resumed
                const Run killed = fieldbook(
                    restore, {{QStringLiteral("FIELDBOOK_SYNC_CRASH_AT"), QStringLiteral("restore-page")}});
                QCOMPARE(killed.status, QProcess::CrashExit);
            }
            const Run run = fieldbook(restore);
            QVERIFY2(succeeded(run), qPrintable(run.out + run.err));
        }
        // Neither restored device has seen the other's invoices (nor the laptop's new one) when it numbers.
        QCOMPARE(nextInvoiceLetter(files.at(0), laptop.user), QLatin1Char('B'));
        QCOMPARE(nextInvoiceLetter(files.at(1), laptop.user), QLatin1Char('C'));
        QCOMPARE(server
                     .adminQuery(QStringLiteral("SELECT string_agg(letter, '' ORDER BY letter) FROM "
                                                "fieldbook_invoice_letters WHERE user_id = '%1'")
                                     .arg(idText(laptop.user)))
                     .value(0),
                 QStringLiteral("BC"));
    }

    void interruptedRestoreResumes_data()
    {
        QTest::addColumn<QString>("point");
        QTest::newRow("in the rows") << QStringLiteral("restore-page");
        QTest::newRow("in the history") << QStringLiteral("restore-history-page");
        QTest::newRow("after a page of rows") << QStringLiteral("restore-page-committed");
    }

    void interruptedRestoreResumes()
    {
        QFETCH(QString, point);
        PgTestDatabase server;
        Laptop laptop;
        setUpLaptop(laptop, server, 8);
        QTemporaryDir dir;
        const QString restored = dir.filePath(QStringLiteral("new-laptop.db"));
        const QStringList restore{QStringLiteral("restore"), QStringLiteral("--db"), restored,
                                  QStringLiteral("--server"), laptop.tech.url};
        const Run killed =
            fieldbook(restore, {{QStringLiteral("FIELDBOOK_SYNC_CRASH_AT"), point},
                                {QStringLiteral("FIELDBOOK_SYNC_PULL_PAGE"), QStringLiteral("7")}});
        QCOMPARE(killed.status, QProcess::CrashExit);
        const Run resumed =
            fieldbook(restore, {{QStringLiteral("FIELDBOOK_SYNC_PULL_PAGE"), QStringLiteral("7")}});
        QVERIFY2(succeeded(resumed), qPrintable(resumed.out + resumed.err));
        QVERIFY2(resumed.out.contains(QStringLiteral("resumed")), qPrintable(resumed.out));

        QVERIFY(succeeded(fieldbook(laptop.sync())));
        const QString difference = firstDifference(contents(laptop.path), contents(restored));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
        QVERIFY(succeeded(fieldbook({QStringLiteral("check"), QStringLiteral("--db"), restored})));
    }

    void pullKilledAtEachStepConverges_data()
    {
        QTest::addColumn<QString>("point");
        QTest::newRow("page fetched") << QStringLiteral("pull-fetched");
        QTest::newRow("page applied, not committed") << QStringLiteral("pull-applied");
        QTest::newRow("page committed") << QStringLiteral("pull-committed");
    }

    void pullKilledAtEachStepConverges()
    {
        QFETCH(QString, point);
        PgTestDatabase server;
        Laptop laptop;
        setUpLaptop(laptop, server, 8);
        const OfficeMove move = officeMovesEveryJob(server, laptop.user);
        QVERIFY(move.entries > 5);

        const QMap<QString, QString> smallPages{
            {QStringLiteral("FIELDBOOK_SYNC_PULL_PAGE"), QStringLiteral("5")}};
        QMap<QString, QString> crash = smallPages;
        crash.insert(QStringLiteral("FIELDBOOK_SYNC_CRASH_AT"), point);
        const Run killed = fieldbook(laptop.sync(), crash);
        QCOMPARE(killed.status, QProcess::CrashExit);
        QCOMPARE(killed.exitCode, int(SIGKILL));
        const Run resumed = fieldbook(laptop.sync(), smallPages);
        QVERIFY2(succeeded(resumed), qPrintable(resumed.out + resumed.err));

        // Every job where the office put it, and each of the office's entries once in the local trail.
        const QStringList onServer = server.adminQuery(
            QStringLiteral(
                "SELECT id::text || ' ' || to_char(scheduled_at AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM tickets WHERE user_id = '%1' ORDER BY id")
                .arg(idText(laptop.user)));
        auto core = must(Core::open(laptop.path, uniqueConnectionName()), "opening the laptop");
        QStringList local;
        auto query = must(
            core->db().exec(QStringLiteral("SELECT id || ' ' || scheduled_at FROM main.tickets ORDER BY id")),
            "local jobs");
        while (query.next())
            local.append(query.value(0).toString());
        QCOMPARE(local, onServer);
        auto entries =
            must(core->db().exec(QStringLiteral("SELECT count(*), count(DISTINCT id) FROM main.audit_log "
                                                "WHERE origin = 'server' AND user_id = ?"),
                                 {move.office}),
                 "pulled entries");
        QVERIFY(entries.next());
        QCOMPARE(entries.value(0).toInt(), move.entries);
        QCOMPARE(entries.value(1).toInt(), move.entries);
    }
};

QTEST_GUILESS_MAIN(TestRestoreHistory)
#include "test_restore_history.moc"
