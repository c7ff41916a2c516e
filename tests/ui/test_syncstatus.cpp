// The status bar against a real PostgreSQL (issue 5 part 1, issue 3 part 5): online means the server
// answered, the pending count follows local writes, a write made on a screen reaches the server on its own,
// and Sync now runs a cycle. The window's thread never waits: everything arrives through SyncService's queued
// signals.
#include "shell/mainwindow.h"
#include "support/pgtestserver.h"
#include "support/uitestsupport.h"
#include "syncservice.h"

#include <QAbstractButton>
#include <QLabel>
#include <QSignalSpy>
#include <QtTest>

using namespace fb;
using namespace fb::test;
using namespace std::chrono_literals;

class TestSyncStatus : public QObject
{
    Q_OBJECT

    static sync::SyncSettings settingsFor(UiFixture &f, const QString &url)
    {
        sync::SyncSettings settings;
        settings.databasePath = f.path();
        settings.userId = f.alice();
        settings.serverUrl = url;
        settings.interval = 1h; // only the first cycle, writes and Sync now run cycles here
        settings.debounce = 50ms;
        settings.firstRetry = 50ms;
        settings.maxRetry = 400ms;
        settings.connectTimeoutSeconds = 2;
        return settings;
    }

private Q_SLOTS:
    void theStatusBarFollowsTheServer()
    {
        UiFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));

        sync::SyncService service(settingsFor(f, tech.url));
        ui::MainWindow window(f.context(), &service);
        window.show();
        FIND_CHILD(online, QLabel, &window, "syncOnline");
        FIND_CHILD(pending, QLabel, &window, "syncPending");
        FIND_CHILD(lastSuccess, QLabel, &window, "syncLastSuccess");
        FIND_CHILD(syncNow, QAbstractButton, &window, "syncNowButton");

        QTRY_COMPARE(online->text(), QStringLiteral("Online"));
        QTRY_COMPARE(pending->text(), QStringLiteral("All changes sent"));
        QTRY_COMPARE(lastSuccess->text(), QStringLiteral("Last sync just now"));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")),
                 QStringList{QStringLiteral("Rosa Diaz")});

        // A write announced by a screen goes to the server without anyone asking.
        ContactCreate contact;
        contact.name = QStringLiteral("Sam Lee");
        VERIFY_OK(f->contacts.create(contact));
        QTRY_COMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts ORDER BY name")),
                     (QStringList{QStringLiteral("Rosa Diaz"), QStringLiteral("Sam Lee")}));
        QTRY_COMPARE(pending->text(), QStringLiteral("All changes sent"));

        // Sync now runs a cycle on demand, and the button says so while it runs.
        QTRY_VERIFY(syncNow->isEnabled());
        QSignalSpy started(&service, &sync::SyncService::cycleStarted);
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QTest::mouseClick(syncNow, Qt::LeftButton);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(started.size(), 1);
        QCOMPARE(finished.first().first().toBool(), true);
        QTRY_VERIFY(syncNow->isEnabled());
    }

    void aRefusedLoginIsOnlineButSaysWhy()
    {
        UiFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QUrl wrong(tech.url);
        wrong.setPassword(QStringLiteral("not-the-password"));
        sync::SyncService service(settingsFor(f, wrong.toString()));
        ui::MainWindow window(f.context(), &service);
        FIND_CHILD(online, QLabel, &window, "syncOnline");
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QVERIFY(finished.wait(10'000));
        // The server answered (with a refusal): online, and the reason is on the label's tooltip,
        // password-free.
        QTRY_COMPARE(online->text(), QStringLiteral("Online"));
        QTRY_VERIFY(!online->toolTip().isEmpty());
        QVERIFY2(!online->toolTip().contains(QStringLiteral("not-the-password")),
                 qPrintable(online->toolTip()));
    }
};

QTEST_MAIN(TestSyncStatus)
#include "test_syncstatus.moc"
