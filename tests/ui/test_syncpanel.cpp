// The sync page (issue 6 part 6) against the real PostgreSQL: the changes waiting are shown, a push's
// progress reaches its total, a change the server refuses for good is listed with its reason and "Retry
// set-aside changes" sends it once the cause is fixed, and failures are listed with their time,
// password-free. Everything arrives through SyncService's queued signals: the panel's thread never waits.
#include "support/pgtestserver.h"
#include "support/uitestsupport.h"
#include "syncpanel/syncpanel.h"
#include "syncservice.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace fb;
using namespace fb::test;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 30'000;

QString cell(QAbstractItemView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

} // namespace

class TestSyncPanel : public QObject
{
    Q_OBJECT

    static sync::SyncSettings settingsFor(UiFixture &f, const QString &url)
    {
        sync::SyncSettings settings;
        settings.databasePath = f.path();
        settings.userId = f.alice();
        settings.serverUrl = url;
        settings.interval = 1h; // cycles run at start, on reconfigure and on demand only
        settings.debounce = 50ms;
        settings.firstRetry = 1h; // a failed cycle is not retried behind the test's back
        settings.connectTimeoutSeconds = 2;
        settings.runExtractions = false;
        return settings;
    }

private Q_SLOTS:
    void initTestCase() { qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1"); }

    void pendingChangesThenAPushWithProgress()
    {
        UiFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        for (int i = 0; i < 6; ++i)
            f.addCustomer(QStringLiteral("Customer %1").arg(i));

        // Not set up yet: the changes wait, and the page says so.
        sync::SyncSettings settings = settingsFor(f, {});
        settings.batchSize = 4; // several batches, so the bar moves
        sync::SyncService service(settings);
        ui::SyncPanel panel(f.context(), &service);
        panel.show();
        FIND_CHILD(state, QLabel, &panel, "syncStateLabel");
        FIND_CHILD(pending, QLabel, &panel, "syncPendingLabel");
        FIND_CHILD(progress, QProgressBar, &panel, "syncProgress");
        FIND_CHILD(syncNow, QPushButton, &panel, "syncPanelNowButton");
        FIND_CHILD(setUp, QPushButton, &panel, "syncSetUpButton");
        QVERIFY(state->text().contains(QStringLiteral("not set up")));
        QVERIFY(setUp->isVisible());
        QVERIFY(!syncNow->isEnabled());
        QTRY_VERIFY(service.pendingCount() > 0);
        const int waiting = service.pendingCount();
        QVERIFY2(waiting > 8, qPrintable(QString::number(waiting))); // contacts, addresses, their audit
        QTRY_COMPARE(pending->text(), QStringLiteral("%1 changes").arg(waiting));
        QVERIFY(!progress->isVisible());

        // The server is set: the push reports each batch, up to everything.
        QSignalSpy reported(&service, &sync::SyncService::pushProgress);
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        settings.serverUrl = tech.url;
        service.reconfigure(settings);
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY2(reported.size() >= 3, qPrintable(QString::number(reported.size())));
        QCOMPARE(reported.first().at(0).toInt(), 0);
        QCOMPARE(reported.last().at(0).toInt(), waiting);
        QCOMPARE(reported.last().at(1).toInt(), waiting);
        QVERIFY(progress->isVisible());
        QCOMPARE(progress->maximum(), waiting);
        QCOMPARE(progress->value(), waiting);
        QCOMPARE(progress->text(), QStringLiteral("%1 of %1 changes processed").arg(waiting));

        QTRY_COMPARE(pending->text(), QStringLiteral("Nothing: every change was sent"));
        QTRY_VERIFY(state->text().startsWith(QStringLiteral("Online")));
        QVERIFY(!setUp->isVisible());
        QTRY_VERIFY(syncNow->isEnabled());
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM contacts")).value(0),
                 QStringLiteral("6"));

        // Sync now from the page runs a cycle.
        QTest::mouseClick(syncNow, Qt::LeftButton);
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.size(), 2);
    }

    void aRefusedChangeIsListedWithItsReasonAndRetried()
    {
        UiFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QVERIFY(server
                    .adminExec(QStringLiteral(
                        "ALTER TABLE contacts ADD CONSTRAINT no_poison CHECK (name <> 'POISON')"))
                    .ok());
        f.addCustomer(QStringLiteral("Before"));
        ContactCreate poison;
        poison.name = QStringLiteral("POISON");
        VERIFY_OK(f->contacts.create(poison));
        f.addCustomer(QStringLiteral("After"));

        sync::SyncService service(settingsFor(f, tech.url));
        ui::SyncPanel panel(f.context(), &service);
        panel.show();
        FIND_CHILD(quarantine, QAbstractItemView, &panel, "quarantineView");
        FIND_CHILD(retry, QPushButton, &panel, "retryQuarantineButton");

        QTRY_COMPARE_WITH_TIMEOUT(quarantine->model()->rowCount(), 1, kWaitMs);
        QCOMPARE(cell(quarantine, 0, 0), QStringLiteral("Customer POISON"));
        QCOMPARE(cell(quarantine, 0, 1), QStringLiteral("Created"));
        QVERIFY2(cell(quarantine, 0, 2).contains(QStringLiteral("no_poison")),
                 qPrintable(cell(quarantine, 0, 2)));
        QVERIFY(!cell(quarantine, 0, 3).isEmpty());
        QTRY_VERIFY(retry->isEnabled());
        // The rest went through.
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts ORDER BY name")),
                 (QStringList{QStringLiteral("After"), QStringLiteral("Before")}));

        // Fixed on the server; Retry sends it, and the list empties.
        QVERIFY(server.adminExec(QStringLiteral("ALTER TABLE contacts DROP CONSTRAINT no_poison")).ok());
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(quarantine->model()->rowCount(), 0, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(
            server.adminQuery(QStringLiteral("SELECT count(*) FROM contacts WHERE name = 'POISON'")).value(0),
            QStringLiteral("1"), kWaitMs);
        QTRY_VERIFY(!retry->isEnabled());
    }

    void failuresAreListedWithTheirTimeAndNoPassword()
    {
        UiFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QUrl wrong(tech.url);
        wrong.setPassword(QStringLiteral("not-the-password"));
        sync::SyncService service(settingsFor(f, wrong.toString()));
        ui::SyncPanel panel(f.context(), &service);
        FIND_CHILD(errors, QAbstractItemView, &panel, "syncErrorsView");
        FIND_CHILD(state, QLabel, &panel, "syncStateLabel");

        QTRY_COMPARE_WITH_TIMEOUT(errors->model()->rowCount(), 1, kWaitMs);
        QVERIFY(!cell(errors, 0, 0).isEmpty()); // when
        QCOMPARE(cell(errors, 0, 1), QStringLiteral("Sync"));
        const QString message = cell(errors, 0, 2);
        QVERIFY2(message.contains(QStringLiteral("password authentication failed")), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("not-the-password")), qPrintable(message));
        // A refusal is an answer: the server is online, and the state says what went wrong on hover.
        QTRY_VERIFY(state->text().startsWith(QStringLiteral("Online")));
        QVERIFY(state->toolTip().contains(QStringLiteral("password authentication failed")));
    }
};

QTEST_MAIN(TestSyncPanel)
#include "test_syncpanel.moc"
