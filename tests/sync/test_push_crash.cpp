// Kill -9 at every step of a push (issue 3), with the real `fieldbook sync` on a demo database: for each
// crash point the process dies by SIGKILL, then a normal sync finishes the job, and afterwards every local
// audit entry is on the server exactly once, every local row equals the server's field by field, and the
// outbox is fully acknowledged. The crash points are the push's test hook (FIELDBOOK_SYNC_CRASH_AT,
// sync/pusher.cpp): before the batch is sent, while the server runs it, before COMMIT, after COMMIT but
// before the local acknowledgement, and after it; with FIELDBOOK_SYNC_BATCH_SIZE=50 also between batches.
#include "core.h"
#include "pgconnection.h"
#include "support/fieldbookprocess.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace fb;
using namespace fb::test;

namespace {

using Run = test::FieldbookRun;
using test::fieldbook;

/// What the test reads from the device's file between runs of the executable.
struct DeviceState
{
    int outbox = 0;
    int acknowledged = 0;
    int quarantined = 0;
    QStringList auditIds;
};

DeviceState readDevice(const QString &path, const QUuid &user)
{
    auto core = must(Core::open(path, test::uniqueConnectionName()), "opening the demo database");
    Database &db = core->db();
    DeviceState state;
    const QVariantList forUser{idText(user)};
    state.outbox =
        localCount(db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ?"), forUser);
    state.acknowledged = localCount(
        db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND pushed_at IS NOT NULL"),
        forUser);
    state.quarantined = localCount(
        db,
        QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND quarantined_at IS NOT NULL"),
        forUser);
    state.auditIds = localAuditIds(db, user);
    return state;
}

} // namespace

class TestPushCrash final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedAtEachStepThenResynced_data()
    {
        QTest::addColumn<QString>("point");
        QTest::addColumn<int>("batchSize");          // 0: the default, which takes the demo's backlog at once
        QTest::addColumn<bool>("batchOnServer");     // whether the first batch is committed when it dies
        QTest::addColumn<bool>("batchAcknowledged"); // whether the device acknowledged it
        QTest::newRow("before-send") << QStringLiteral("before-send") << 0 << false << false;
        QTest::newRow("during") << QStringLiteral("during") << 0 << false << false;
        QTest::newRow("before-commit") << QStringLiteral("before-commit") << 0 << false << false;
        QTest::newRow("after-commit") << QStringLiteral("after-commit") << 0 << true << false;
        QTest::newRow("after-ack") << QStringLiteral("after-ack") << 0 << true << true;
        QTest::newRow("after-commit of the first of several batches")
            << QStringLiteral("after-commit") << 50 << true << false;
        QTest::newRow("between batches (after-ack of the first)")
            << QStringLiteral("after-ack") << 50 << true << true;
    }

    void killedAtEachStepThenResynced()
    {
        QFETCH(QString, point);
        QFETCH(int, batchSize);
        QFETCH(bool, batchOnServer);
        QFETCH(bool, batchAcknowledged);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("demo.db"));
        const Run demo = fieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path,
                                    QStringLiteral("--contacts"), QStringLiteral("10")});
        QVERIFY2(demo.status == QProcess::NormalExit && demo.exitCode == 0, qPrintable(demo.err));

        QUuid user;
        QString email;
        {
            auto core = must(Core::open(path, test::uniqueConnectionName()), "opening the demo database");
            const auto users = must(core->users.list(), "listing profiles");
            QCOMPARE(users.size(), 1);
            user = users.first().id;
            email = users.first().email;
        }
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(user, email, QStringLiteral("Demo Technician"));
        const DeviceState before = readDevice(path, user);
        const int total = before.outbox;
        QCOMPARE(before.acknowledged, 0);
        const int batch = batchSize > 0 ? batchSize : total;
        if (batchSize > 0)
            QVERIFY2(total > 2 * batchSize, "the demo backlog must span several batches");
        else
            QVERIFY2(total <= 2000, "the demo backlog must fit the default batch");

        QMap<QString, QString> environment{{QStringLiteral("FIELDBOOK_SYNC_CRASH_AT"), point}};
        if (batchSize > 0)
            environment.insert(QStringLiteral("FIELDBOOK_SYNC_BATCH_SIZE"), QString::number(batchSize));
        const QStringList sync{QStringLiteral("sync"), QStringLiteral("--db"), path,
                               QStringLiteral("--server"), tech.url};
        const Run crashed = fieldbook(sync, environment);
        QCOMPARE(crashed.status, QProcess::CrashExit);
        QCOMPARE(crashed.exitCode, int(SIGKILL));

        // Where the crash left things: the first batch committed or not, acknowledged or not, nothing else.
        const DeviceState afterCrash = readDevice(path, user);
        QCOMPARE(afterCrash.acknowledged, batchAcknowledged ? batch : 0);
        const QStringList onServer = server.adminQuery(
            QStringLiteral("SELECT id::text FROM audit_log WHERE user_id = '%1' ORDER BY id")
                .arg(idText(user)));
        QCOMPARE(int(onServer.size()), batchOnServer ? batch : 0);

        // A normal sync finishes the job.
        const Run resumed = fieldbook(
            sync, batchSize > 0 ? QMap<QString, QString>{{QStringLiteral("FIELDBOOK_SYNC_BATCH_SIZE"),
                                                          QString::number(batchSize)}}
                                : QMap<QString, QString>{});
        QVERIFY2(resumed.status == QProcess::NormalExit && resumed.exitCode == 0,
                 qPrintable(resumed.out + resumed.err));
        QVERIFY2(
            resumed.out.contains(QStringLiteral("pushed %1 change(s)").arg(total - afterCrash.acknowledged)),
            qPrintable(resumed.out));

        // Every local audit entry on the server exactly once (same ids, same count, one arrival each)...
        const DeviceState after = readDevice(path, user);
        QCOMPARE(after.auditIds.size(), total);
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT id::text FROM audit_log WHERE user_id = '%1' ORDER BY id")
                         .arg(idText(user))),
                 after.auditIds);
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'")),
            QStringList{QString::number(total)});
        // ...every entity row equal to the server's, field by field...
        {
            auto core = must(Core::open(path, test::uniqueConnectionName()), "opening the demo database");
            const QStringList diff = differences(core->db(), server.adminUrl(), user);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
        }
        // ...and the outbox fully acknowledged, nothing set aside.
        QCOMPARE(after.acknowledged, total);
        QCOMPARE(after.quarantined, 0);
    }
};

QTEST_GUILESS_MAIN(TestPushCrash)
#include "test_push_crash.moc"
