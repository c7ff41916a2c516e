// The keychain can never freeze the window (issue 12 item 5). The session bus here accepts connections and
// never says a word, the way a bus daemon that hangs looks: QtDBus waits for such a bus without a bound, on
// the thread that asks. With the settings dialog open and the sync service starting (both read the keychain
// at once: the server password and the model key), the GUI thread keeps running its timers and takes typing
// at once, and each lookup ends at its timeout (10 s) as "did not answer": the dialog says so, and the sync
// service goes on without the keychain's password (libpq's ~/.pgpass), its first cycle running.
#include "settings/settingsdialog.h"
#include "support/fakesessionbus.h"
#include "support/gapmeter.h"
#include "support/uitestsupport.h"
#include "syncapi/appsettings.h"
#include "syncservice.h"
#include "syncsettingsbackend.h"

#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace fb;
using namespace fb::test;

namespace {

/// The keychain lookups' timeout (keychain::readTimeout()) plus room for a loaded machine.
constexpr int kLookupMs = 25'000;

/// A local port nothing listens on: a connect to it is refused at once.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

class TestKeychainResponsive final : public QObject
{
    Q_OBJECT

    FakeSessionBus m_bus{FakeSessionBus::Behaviour::Silent};
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        QVERIFY(m_bus.listen());
        // This process's session bus is the silent one, before anything asks the keychain.
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_bus.address());
        qunsetenv("FIELDBOOK_NO_KEYCHAIN");
        qunsetenv("FIELDBOOK_LLM_NO_KEYCHAIN");
        qunsetenv("FIELDBOOK_SERVER_URL");
        qunsetenv("ANTHROPIC_API_KEY");
        qunsetenv("OPENAI_API_KEY");
        QCoreApplication::setOrganizationName(QStringLiteral("FieldbookTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_keychain_responsive"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
    }

    void theWindowStaysResponsiveWhileTheKeychainIsStuck()
    {
        UiFixture fixture;
        const QString url =
            QStringLiteral("postgresql://tess@127.0.0.1:%1/fieldbook?connect_timeout=5").arg(closedPort());
        QSettings().setValue(QStringLiteral("sync/serverUrl"), url);

        sync::SyncSettings settings;
        settings.databasePath = fixture.path();
        settings.userId = fixture.alice();
        settings.serverUrl = url;           // no password: the service asks the keychain for this server's
        settings.llm = sync::LlmSettings{}; // no key: the service asks the keychain for it too
        sync::SyncService service(settings);
        QSignalSpy cycles(&service, &sync::SyncService::cycleFinished);
        AppSettings appSettings;
        sync::SyncSettingsBackend backend(&service);
        ui::SettingsDialog dialog(fixture.context(), appSettings, backend);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FIND_CHILD(note, QLabel, &dialog, "serverPasswordNote");
        FIND_CHILD(password, QLineEdit, &dialog, "serverPasswordEdit");
        GapMeter meter; // from here on, the GUI thread only waits for events

        // While the lookups are stuck, what is typed shows at once.
        QTest::qWait(500);
        password->setFocus();
        QTest::keyClicks(password, QStringLiteral("typed-while-stuck"));
        QCOMPARE(password->text(), QStringLiteral("typed-while-stuck"));
        QVERIFY(cycles.isEmpty()); // the first cycle waits for the keychain's answer, not for ever

        QTRY_VERIFY_WITH_TIMEOUT(note->text().contains(QStringLiteral("did not answer")), kLookupMs);
        QVERIFY2(note->text().contains(QStringLiteral("the keychain did not answer within 10 s")),
                 qPrintable(note->text()));
        QVERIFY2(note->text().contains(QStringLiteral("~/.pgpass")), qPrintable(note->text()));
        QVERIFY2(meter.maxGapMs() < kResponsiveMs, qPrintable(QString::number(meter.maxGapMs())));
        // The keychain thread did reach the bus: it was its silence that ended the lookups.
        QVERIFY(m_bus.connections() > 0);

        // The sync service went on without a password from the keychain: its first cycle ran (and failed on
        // the server nobody runs, which is not the keychain's business).
        QVERIFY(cycles.wait(kLookupMs));
        QCOMPARE(cycles.first().first().toBool(), false);
        QVERIFY2(meter.maxGapMs() < kResponsiveMs, qPrintable(QString::number(meter.maxGapMs())));
    }
};

QTEST_MAIN(TestKeychainResponsive)
#include "test_keychain_responsive.moc"
