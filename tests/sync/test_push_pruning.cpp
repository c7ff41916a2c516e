// Pruning and the push against a real PostgreSQL (issue 16): the housekeeping removes only what the server
// committed and acknowledged; a change the server did not commit stays and is pushed later; after pruning the
// server holds the whole trail, the file checks clean, and History reads every entry. The window's sync
// worker runs the housekeeping after a successful cycle.
#include "db/housekeeping.h"
#include "db/integritycheck.h"
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "syncservice.h"
#include "util/timeutil.h"

#include <QSignalSpy>
#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

QStringList serverAuditIds(const test::PgTestDatabase &server, const QUuid &user)
{
    return server.adminQuery(
        QStringLiteral("SELECT id::text FROM audit_log WHERE user_id = '%1' ORDER BY id").arg(idText(user)));
}

/// Every audit entry written on this device, with or without its outbox row.
QStringList localEntries(Database &db, const QUuid &user)
{
    auto query =
        must(db.exec(QStringLiteral("SELECT id FROM main.audit_log WHERE user_id = ? AND origin IS NULL "
                                    "ORDER BY id"),
                     {idText(user)}),
             "reading the local trail");
    QStringList ids;
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
}

Result<sync::PushReport> push(Database &db, const QUuid &user, const QString &url, int batchSize = 10)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        return connection.error();
    return sync::Pusher(db, user, batchSize).pushAll(**connection);
}

QList<QUuid> createCustomers(test::CoreFixture &f, int count, const QString &prefix)
{
    QList<QUuid> ids;
    for (int i = 0; i < count; ++i)
        ids.append(f.addCustomer(QStringLiteral("%1 %2").arg(prefix).arg(i)).contact.id);
    return ids;
}

QStringList problems(const QString &path)
{
    auto report = checkIntegrity(path);
    if (!report)
        return {report.error().toString()};
    return report->problems;
}

} // namespace

class TestPushPruning final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prunesOnlyWhatTheServerCommitted()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const QList<QUuid> first = createCustomers(f, 12, QStringLiteral("First"));
        auto pushed = push(f->db(), f.alice(), tech.url);
        QVERIFY2(pushed.ok(), qPrintable(pushed.ok() ? QString() : pushed.error().toString()));
        const int acknowledged = outboxAcknowledged(f->db(), f.alice());
        QCOMPARE(acknowledged, outboxTotal(f->db(), f.alice()));
        auto history = f->audit().entityHistory(QStringLiteral("contact"), first.first());
        VERIFY_OK(history);

        // Changes made after the push; then a push the server refuses at COMMIT: nothing acknowledged.
        createCustomers(f, 5, QStringLiteral("Second"));
        const int pending = outboxTotal(f->db(), f.alice()) - acknowledged;
        QVERIFY(pending > 0);
        VERIFY_OK(server.adminExec(QStringLiteral(
            "CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'refused at commit by the test' USING ERRCODE = '40001'; END $$")));
        VERIFY_OK(server.adminExec(QStringLiteral("CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON "
                                                  "audit_log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                                                  "EXECUTE FUNCTION refuse_commit()")));
        QVERIFY(!push(f->db(), f.alice(), tech.url).ok());
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), acknowledged);

        // The housekeeping takes the acknowledged rows only.
        auto pruned = housekeeping::pruneAll(f->db());
        VERIFY_OK(pruned);
        QCOMPARE(pruned->outboxRows, acknowledged);
        QCOMPARE(outboxTotal(f->db(), f.alice()), pending);
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), 0);
        QCOMPARE(*sync::Pusher(f->db(), f.alice()).pendingCount(), pending);
        QCOMPARE(problems(f.path()), QStringList());

        // The server fixed: the next push sends exactly the changes still pending, and the server has the
        // whole trail, once.
        VERIFY_OK(server.adminExec(QStringLiteral("DROP TRIGGER refuse_commit ON audit_log")));
        auto later = push(f->db(), f.alice(), tech.url);
        QVERIFY2(later.ok(), qPrintable(later.ok() ? QString() : later.error().toString()));
        QCOMPARE(later->pushed, pending);
        QCOMPARE(later->remaining, 0);
        QCOMPARE(serverAuditIds(server, f.alice()), localEntries(f->db(), f.alice()));
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'"))
                .value(0)
                .toInt(),
            acknowledged + pending);
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));

        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(outboxTotal(f->db(), f.alice()), 0);
        QCOMPARE(problems(f.path()), QStringList());
        // History reads the same entries as before pruning.
        auto after = f->audit().entityHistory(QStringLiteral("contact"), first.first());
        VERIFY_OK(after);
        QCOMPARE(after->size(), history->size());
        for (qsizetype i = 0; i < after->size(); ++i)
            QCOMPARE(after->at(i).changes, history->at(i).changes);
    }

    void theSyncWorkerPrunesAfterASuccessfulCycle()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        createCustomers(f, 6, QStringLiteral("Customer"));
        const int total = outboxTotal(f->db(), f.alice());
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox_pruned")), 0);

        sync::SyncSettings settings;
        settings.databasePath = f.path();
        settings.userId = f.alice();
        settings.serverUrl = tech.url;
        settings.interval = std::chrono::hours(1);
        settings.runExtractions = false;
        settings.housekeepingAfterStart = std::chrono::hours(1); // only the pass after the cycle
        {
            sync::SyncService service(settings);
            QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
            QCOMPARE(finished.first().first().toBool(), true);
            // The pass runs right after the cycle, on the worker's thread.
            QTRY_COMPARE_WITH_TIMEOUT(
                test::scalar(f, QStringLiteral("SELECT coalesce(sum(rows), 0) FROM sync_outbox_pruned")),
                total, 10000);
            QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")), 0);
        }
        QCOMPARE(serverAuditIds(server, f.alice()), localEntries(f->db(), f.alice()));
        QCOMPARE(problems(f.path()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestPushPruning)
#include "test_push_pruning.moc"
