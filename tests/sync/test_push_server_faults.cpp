// A misconfigured or misbehaving server strands nothing (issue 11, part 2 and the locks of part 4), through
// the real `fieldbook sync` against a real PostgreSQL: a database without the Fieldbook schema, a login
// without the technician role, a table locked by another technician. Each fails the whole cycle with one line
// saying what to fix, sets nothing aside, and the next cycle after the fix pushes everything. Changes the
// server did refuse for their own content are tried again when the server's schema changes, a day later, or
// on demand; and a contact the server refuses does not take its children with it unless they truly depend on
// it.
#include "core.h"
#include "pgconnection.h"
#include "serveradmin.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <memory>

using namespace fb;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    qint64 elapsedMs = 0;
    QString all() const { return out + err; }
};

/// Runs the real executable with no password source but the URL, for at most `limitMs` (then it is killed and
/// the run counts as hung: exit code -1).
Run fieldbook(const QStringList &arguments, int limitMs = 120000)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"FIELDBOOK_SYNC_CRASH_AT", "FIELDBOOK_SYNC_BATCH_SIZE", "PGPASSWORD", "PGSERVICE"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/nonexistent/fieldbook-test-pgpass"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess process;
    process.setProcessEnvironment(environment);
    QElapsedTimer clock;
    clock.start();
    process.start(QStringLiteral(FIELDBOOK_BINARY), arguments);
    if (!process.waitForStarted())
        qFatal("fieldbook did not start");
    const bool finished = process.waitForFinished(limitMs);
    if (!finished) {
        process.kill();
        process.waitForFinished();
    }
    return {finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError()), clock.elapsed()};
}

QString uniqueName(const QString &prefix)
{
    return prefix + QUuid::createUuid().toString(QUuid::Id128).left(16);
}

qint64 setAsideCount(test::CoreFixture &f)
{
    return test::scalar(f,
                        QStringLiteral("SELECT count(*) FROM sync_outbox WHERE quarantined_at IS NOT NULL"));
}

qint64 pendingCount(test::CoreFixture &f)
{
    return test::scalar(
        f, QStringLiteral(
               "SELECT count(*) FROM sync_outbox WHERE pushed_at IS NULL AND quarantined_at IS NULL"));
}

QStringList syncArguments(test::CoreFixture &f, const QString &url)
{
    return {QStringLiteral("sync"), QStringLiteral("--db"), f.path(), QStringLiteral("--server"), url};
}

/// A one-line failure that says what to fix and sets nothing aside.
#define VERIFY_CYCLE_FAILED_SAYING(run, words)                                                               \
    do {                                                                                                     \
        QVERIFY2((run).exitCode == 1, qPrintable((run).all()));                                              \
        QVERIFY2((run).err.contains(words), qPrintable((run).err));                                          \
        QCOMPARE((run).err.trimmed().count(QLatin1Char('\n')), 0);                                           \
        QVERIFY2(!(run).out.contains(QStringLiteral("set aside:")), qPrintable((run).out));                  \
    } while (false)

} // namespace

class TestPushServerFaults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aDatabaseWithoutTheSchemaSetsNothingAside()
    {
        test::CoreFixture f;
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        f.addCustomer(QStringLiteral("Jake Peralta"));
        const qint64 pending = pendingCount(f);
        QVERIFY(pending > 0);

        // A database the administrator forgot to initialize, and a login that can connect to it.
        const QString database = uniqueName(QStringLiteral("fbbare_"));
        const QString login = uniqueName(QStringLiteral("fbbare_login_"));
        auto cluster =
            test::connectOrDie(test::PgTestServer::instance().adminUrl(QStringLiteral("postgres")));
        QVERIFY(cluster->exec(QStringLiteral("CREATE DATABASE %1").arg(database)).ok());
        QVERIFY(cluster->exec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD 'pw-%1'").arg(login)).ok());
        const QString url = QStringLiteral("postgresql://%1:pw-%1@%2:%3/%4")
                                .arg(login, test::PgTestServer::instance().host())
                                .arg(test::PgTestServer::instance().port())
                                .arg(database);

        const Run first = fieldbook(syncArguments(f, url));
        VERIFY_CYCLE_FAILED_SAYING(first,
                                   QStringLiteral("has no Fieldbook schema: run fieldbook server-init"));
        QCOMPARE(setAsideCount(f), 0);
        QCOMPARE(pendingCount(f), pending);
        // Again: the CLI (and so the systemd timer) does not give up on the changes either.
        const Run again = fieldbook(syncArguments(f, url));
        VERIFY_CYCLE_FAILED_SAYING(again, QStringLiteral("has no Fieldbook schema"));
        QCOMPARE(setAsideCount(f), 0);

        // The administrator fixes the server: the schema, and the login made a technician of this profile.
        const Run init = fieldbook({QStringLiteral("server-init"), QStringLiteral("--server"),
                                    test::PgTestServer::instance().adminUrl(database)});
        QVERIFY2(init.exitCode == 0, qPrintable(init.all()));
        {
            auto admin = test::connectOrDie(test::PgTestServer::instance().adminUrl(database));
            QVERIFY(admin
                        ->exec(QStringLiteral("INSERT INTO users (id, name, email) VALUES ('%1', 'Alice', "
                                              "'alice@example.com')")
                                   .arg(idText(f.alice())))
                        .ok());
            QVERIFY(admin
                        ->exec(QStringLiteral("INSERT INTO fieldbook_logins VALUES ('%1', '%2')")
                                   .arg(login, idText(f.alice())))
                        .ok());
            QVERIFY(admin->exec(QStringLiteral("GRANT fieldbook_technician TO %1").arg(login)).ok());
        }
        const Run fixed = fieldbook(syncArguments(f, url));
        QVERIFY2(fixed.exitCode == 0, qPrintable(fixed.all()));
        QVERIFY2(fixed.out.contains(QStringLiteral("; 0 set aside; 0 pending")), qPrintable(fixed.out));
        QCOMPARE(pendingCount(f), 0);
        auto admin = test::connectOrDie(test::PgTestServer::instance().adminUrl(database));
        QCOMPARE(admin->exec(QStringLiteral("SELECT count(*) FROM contacts")).value(0, 0),
                 QStringLiteral("2"));
        admin.reset();
        (void)cluster->exec(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(database));
        (void)cluster->exec(QStringLiteral("DROP ROLE %1").arg(login));
    }

    void aLoginWithoutTheTechnicianRoleSetsNothingAside()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const qint64 pending = pendingCount(f);
        QVERIFY(server.adminExec(QStringLiteral("REVOKE fieldbook_technician FROM %1").arg(tech.login)).ok());

        const Run refused = fieldbook(syncArguments(f, tech.url));
        VERIFY_CYCLE_FAILED_SAYING(refused,
                                   QStringLiteral("is not a Fieldbook technician") + QStringLiteral(" on "));
        QVERIFY2(refused.err.contains(QStringLiteral("server-add-technician")), qPrintable(refused.err));
        QCOMPARE(setAsideCount(f), 0);
        QCOMPARE(pendingCount(f), pending);

        // A grant revoked table by table shows as what it is too.
        QVERIFY(server.adminExec(QStringLiteral("GRANT fieldbook_technician TO %1").arg(tech.login)).ok());
        QVERIFY(
            server.adminExec(QStringLiteral("REVOKE INSERT ON addresses FROM fieldbook_technician")).ok());
        const Run noRights = fieldbook(syncArguments(f, tech.url));
        VERIFY_CYCLE_FAILED_SAYING(noRights, QStringLiteral("lacks the rights a push needs on addresses"));
        QCOMPARE(setAsideCount(f), 0);

        QVERIFY(server.adminExec(QStringLiteral("GRANT INSERT ON addresses TO fieldbook_technician")).ok());
        const Run fixed = fieldbook(syncArguments(f, tech.url));
        QVERIFY2(fixed.exitCode == 0, qPrintable(fixed.all()));
        QVERIFY2(fixed.out.contains(QStringLiteral("; 0 set aside; 0 pending")), qPrintable(fixed.out));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")),
                 QStringList{QStringLiteral("Rosa Diaz")});
    }

    void aLoginBoundToAnotherTechnicianSetsNothingAside()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        // The login belongs to someone else: this profile's changes cannot go in under it.
        const auto other = server.addTechnician(QUuid::createUuid(), QStringLiteral("bob@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Run refused = fieldbook(syncArguments(f, other.url));
        VERIFY_CYCLE_FAILED_SAYING(refused, QStringLiteral("cannot push this profile's changes"));
        QCOMPARE(setAsideCount(f), 0);
    }

    void aLockedTableMakesThePushGiveUpNotHang()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        test::CoreFixture other;
        const auto hostile = server.addTechnician(other.alice(), QStringLiteral("mallory@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const qint64 pending = pendingCount(f);

        // Another technician's login locks the table and keeps the transaction open.
        auto locker = test::connectOrDie(hostile.url);
        QVERIFY(locker->exec(QStringLiteral("BEGIN")).ok());
        const auto locked = locker->exec(QStringLiteral("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE"));
        QVERIFY2(locked.ok(), qPrintable(locked.message()));

        const Run blocked = fieldbook(syncArguments(f, tech.url), 60000);
        QVERIFY2(blocked.exitCode != -1, "fieldbook sync hung behind another session's lock");
        VERIFY_CYCLE_FAILED_SAYING(blocked, QStringLiteral("locked by another session"));
        QVERIFY2(blocked.elapsedMs < 30000, qPrintable(QString::number(blocked.elapsedMs)));
        QCOMPARE(setAsideCount(f), 0);
        QCOMPARE(pendingCount(f), pending);

        QVERIFY(locker->exec(QStringLiteral("ROLLBACK")).ok());
        const Run after = fieldbook(syncArguments(f, tech.url));
        QVERIFY2(after.exitCode == 0, qPrintable(after.all()));
        QCOMPARE(pendingCount(f), 0);
    }

    void aRefusedContactKeepsOnlyItsTrueDependantsAside()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto kept = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Run first = fieldbook(syncArguments(f, tech.url));
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));

        // The office adds a rule the laptop does not know: no codes written into a customer's notes.
        QVERIFY(server
                    .adminExec(QStringLiteral(
                        "ALTER TABLE contacts ADD CONSTRAINT no_codes CHECK (coalesce(notes, '') !~ 'CODE')"))
                    .ok());
        // An existing contact's change the server refuses, then a new address of that contact: the address
        // needs nothing of the refused change.
        ContactUpdate change;
        change.notes = QStringLiteral("CODE 4821 at the side gate");
        VERIFY_OK(f->contacts.update(kept.contact.id, change));
        const Address second = test::must(f->addresses.create({kept.contact.id,
                                                               QStringLiteral("Shop"),
                                                               QStringLiteral("2 Side St"),
                                                               QStringLiteral("Springfield"),
                                                               QStringLiteral("IL"),
                                                               QStringLiteral("62701"),
                                                               {}}),
                                          "address");
        // A new contact the server refuses, and its address: that one truly depends on it.
        const Contact refused = test::must(
            f->contacts.create({QStringLiteral("Jake Peralta"), {}, {}, QStringLiteral("CODE 1234")}),
            "contact");
        const Address orphan = test::must(f->addresses.create({refused.id,
                                                               {},
                                                               QStringLiteral("9 Elm St"),
                                                               QStringLiteral("Springfield"),
                                                               QStringLiteral("IL"),
                                                               QStringLiteral("62701"),
                                                               {}}),
                                          "address");

        const Run run = fieldbook(syncArguments(f, tech.url));
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        QVERIFY2(run.out.contains(QStringLiteral("set aside: contact %1").arg(idText(kept.contact.id))),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("set aside: contact %1").arg(idText(refused.id))),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("set aside: address %1").arg(idText(orphan.id))),
                 qPrintable(run.out));
        QVERIFY2(!run.out.contains(QStringLiteral("set aside: address %1").arg(idText(second.id))),
                 qPrintable(run.out));
        QCOMPARE(setAsideCount(f), 3);
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT street FROM addresses WHERE id = '%1'").arg(idText(second.id))),
                 QStringList{QStringLiteral("2 Side St")});
        // The refused change did not reach the server through its child either.
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT coalesce(notes, '') FROM contacts WHERE id = '%1'")
                                       .arg(idText(kept.contact.id))),
                 QStringList{kept.contact.notes.value_or(QString())});
    }

    void setAsideChangesAreTriedAgain()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto sync = syncArguments(f, tech.url);
        const auto poison = [&] {
            QVERIFY(
                server
                    .adminExec(QStringLiteral(
                        "ALTER TABLE contacts ADD CONSTRAINT no_poison CHECK (name !~ '^POISON') NOT VALID"))
                    .ok());
        };
        const auto cure = [&] {
            QVERIFY(server.adminExec(QStringLiteral("ALTER TABLE contacts DROP CONSTRAINT no_poison")).ok());
        };
        const auto onServer = [&](const QString &name) {
            return server
                       .adminQuery(
                           QStringLiteral("SELECT count(*) FROM contacts WHERE name = '%1'").arg(name))
                       .value(0) == QStringLiteral("1");
        };

        // 1. When the server's schema version changes (the administrator ran server-init).
        poison();
        test::must(f->contacts.create({QStringLiteral("POISON 1"), {}, {}, {}}), "contact");
        QCOMPARE(fieldbook(sync).exitCode, 0);
        QCOMPARE(setAsideCount(f), 1);
        cure();
        const Run sameSchema = fieldbook(sync);
        QCOMPARE(sameSchema.exitCode, 0);
        QCOMPARE(setAsideCount(f), 1); // nothing says the cause is gone yet
        QVERIFY(server.adminExec(QStringLiteral("INSERT INTO fieldbook_schema_version (version) VALUES (99)"))
                    .ok());
        const Run upgraded = fieldbook(sync);
        QVERIFY2(upgraded.exitCode == 0, qPrintable(upgraded.all()));
        QVERIFY2(
            upgraded.out.contains(QStringLiteral("tried again 1 change(s) set aside, as the server's schema "
                                                 "changed from version")),
            qPrintable(upgraded.out));
        QCOMPARE(setAsideCount(f), 0);
        QVERIFY(onServer(QStringLiteral("POISON 1")));

        // 2. A day later, on a cycle that finds the server healthy.
        poison();
        test::must(f->contacts.create({QStringLiteral("POISON 2"), {}, {}, {}}), "contact");
        QCOMPARE(fieldbook(sync).exitCode, 0);
        QCOMPARE(setAsideCount(f), 1);
        cure();
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ? WHERE quarantined_at "
                                        "IS NOT NULL"),
                         {toStoredTime(nowUtc().addSecs(-25 * 3600))}));
        const Run dayLater = fieldbook(sync);
        QVERIFY2(dayLater.exitCode == 0, qPrintable(dayLater.all()));
        QVERIFY2(dayLater.out.contains(QStringLiteral("tried again 1 change(s) set aside")),
                 qPrintable(dayLater.out));
        QCOMPARE(setAsideCount(f), 0);
        QVERIFY(onServer(QStringLiteral("POISON 2")));

        // 3. On demand from the command line (and the systemd timer's arguments).
        poison();
        test::must(f->contacts.create({QStringLiteral("POISON 3"), {}, {}, {}}), "contact");
        QCOMPARE(fieldbook(sync).exitCode, 0);
        QCOMPARE(setAsideCount(f), 1);
        cure();
        const Run retried = fieldbook(sync + QStringList{QStringLiteral("--retry-set-aside")});
        QVERIFY2(retried.exitCode == 0, qPrintable(retried.all()));
        QVERIFY2(retried.out.contains(QStringLiteral("; 0 set aside; 0 pending")), qPrintable(retried.out));
        QCOMPARE(setAsideCount(f), 0);
        QVERIFY(onServer(QStringLiteral("POISON 3")));
    }
};

QTEST_GUILESS_MAIN(TestPushServerFaults)
#include "test_push_server_faults.moc"
