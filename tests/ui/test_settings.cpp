// The settings dialog (issue 6 part 6): what is typed comes back in a new dialog, secrets never reach the
// settings file, each "Test connection" answers without blocking the window (an unreachable server, the real
// PostgreSQL, the mock model API of tests/llm), and Save applies a new server and password to the running
// sync service. Most tests take the documented fallback without a keychain (FIELDBOOK_LLM_NO_KEYCHAIN=1),
// where a secret is used for the session and never written anywhere; one saves into a keychain of its own (a
// fake KWallet on a private session bus), never the machine's.
#include "common/feedback.h"
#include "common/moneytext.h"
#include "llm/mockanthropicserver.h"
#include "servercredentialstore.h"
#include "settings/settingsdialog.h"
#include "support/fakekwallet.h"
#include "support/pgtestserver.h"
#include "support/privatesessionbus.h"
#include "support/uitestsupport.h"
#include "syncapi/appsettings.h"
#include "syncservice.h"
#include "syncsettingsbackend.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace fb;
using namespace fb::test;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 30'000;

/// Replaces a line edit's text the way a person does: select all, type.
void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

QByteArray settingsFileBytes()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

/// What app hands the dialog: the saved settings (read from the file when made) and sync's backend.
struct Wings
{
    explicit Wings(sync::SyncService *service = nullptr) : backend(service) {}
    AppSettings settings;
    sync::SyncSettingsBackend backend;
};

/// A server that accepts connections and never says a word: a connect to it waits for its timeout.
class SilentServer final : public QObject
{
public:
    SilentServer()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                m_sockets.append(socket);
        });
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
    QList<QTcpSocket *> m_sockets;
};

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;

    struct Fields
    {
        QLineEdit *url = nullptr;
        QLineEdit *password = nullptr;
        QSpinBox *interval = nullptr;
        QComboBox *provider = nullptr;
        QLineEdit *model = nullptr;
        QLineEdit *baseUrl = nullptr;
        QLineEdit *key = nullptr;
        QPushButton *save = nullptr;
        QPushButton *testServer = nullptr;
        QPushButton *testLlm = nullptr;
        QLabel *serverResult = nullptr;
        QLabel *llmResult = nullptr;
        QLabel *passwordNote = nullptr;
    };

    static Fields fieldsOf(ui::SettingsDialog &dialog)
    {
        Fields f;
        f.url = dialog.findChild<QLineEdit *>(QStringLiteral("serverUrlEdit"));
        f.password = dialog.findChild<QLineEdit *>(QStringLiteral("serverPasswordEdit"));
        f.interval = dialog.findChild<QSpinBox *>(QStringLiteral("syncIntervalSpin"));
        f.provider = dialog.findChild<QComboBox *>(QStringLiteral("llmProviderCombo"));
        f.model = dialog.findChild<QLineEdit *>(QStringLiteral("llmModelEdit"));
        f.baseUrl = dialog.findChild<QLineEdit *>(QStringLiteral("llmBaseUrlEdit"));
        f.key = dialog.findChild<QLineEdit *>(QStringLiteral("llmKeyEdit"));
        f.save = dialog.findChild<QPushButton *>(QStringLiteral("saveButton"));
        f.testServer = dialog.findChild<QPushButton *>(QStringLiteral("testServerButton"));
        f.testLlm = dialog.findChild<QPushButton *>(QStringLiteral("testLlmButton"));
        f.serverResult = dialog.findChild<QLabel *>(QStringLiteral("serverTestResult"));
        f.llmResult = dialog.findChild<QLabel *>(QStringLiteral("llmTestResult"));
        f.passwordNote = dialog.findChild<QLabel *>(QStringLiteral("serverPasswordNote"));
        return f;
    }

    static bool allFound(const Fields &f)
    {
        return f.url && f.password && f.interval && f.provider && f.model && f.baseUrl && f.key && f.save &&
               f.testServer && f.testLlm && f.serverResult && f.llmResult && f.passwordNote;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        // No keychain service here: the fallback is what runs, and what is tested.
        qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1");
        qunsetenv("FIELDBOOK_SERVER_URL");
        qunsetenv("ANTHROPIC_API_KEY");
        qunsetenv("OPENAI_API_KEY");
        qunsetenv("FIELDBOOK_LLM_BASE_URL");
        qunsetenv("FIELDBOOK_LLM_MODEL");
        qunsetenv("FIELDBOOK_LLM_PROVIDER");
        QCoreApplication::setOrganizationName(QStringLiteral("FieldbookTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_settings"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
    }

    void init()
    {
        QSettings().clear();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        ui::setBusinessCurrency(QString());
    }

    // Issue 15 item 4: the business's currency is a setting, the locale's until one is saved; amounts are
    // shown with it at once, and it is kept in the settings file.
    void theCurrencyIsASettingDefaultingToTheLocales()
    {
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        UiFixture fixture;
        Wings wings;
        {
            ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
            dialog.open();
            FIND_CHILD(currency, QLineEdit, &dialog, "currencyEdit");
            FIND_CHILD(example, QLabel, &dialog, "currencyExample");
            FIND_CHILD(save, QPushButton, &dialog, "saveButton");
            QCOMPARE(currency->text(), QStringLiteral("\u20ac")); // German: the euro
            QCOMPARE(ui::formatMoney(123450), QStringLiteral("1.234,50\u00a0\u20ac"));

            // Digits are no currency: said under the field, nothing saved.
            retype(currency, QStringLiteral("CHF1"));
            QTest::mouseClick(save, Qt::LeftButton);
            QCOMPARE(takeErrorMessages(), QStringList());
            FIND_CHILD(error, QLabel, &dialog, "currencyEditError");
            QVERIFY(error->isVisible());
            QVERIFY2(error->text().startsWith(QStringLiteral("Currency: ")), qPrintable(error->text()));
            QVERIFY(dialog.isVisible());
            QVERIFY(!QSettings().contains(QStringLiteral("business/currencySymbol")));

            retype(currency, QStringLiteral("CHF"));
            QCOMPARE(example->text(), QStringLiteral("Amounts read 1.234,50\u00a0CHF"));
            QTest::mouseClick(save, Qt::LeftButton);
            QVERIFY(!dialog.isVisible());
        }
        QCOMPARE(QSettings().value(QStringLiteral("business/currencySymbol")).toString(),
                 QStringLiteral("CHF"));
        QCOMPARE(ui::formatMoney(123450), QStringLiteral("1.234,50\u00a0CHF"));
        // A new dialog (a new start) reads it back.
        ui::setBusinessCurrency(AppSettings::savedCurrencySymbol());
        QCOMPARE(ui::formatMoney(-500), QStringLiteral("-5,00\u00a0CHF"));
        Wings again;
        ui::SettingsDialog dialog(fixture.context(), again.settings, again.backend);
        FIND_CHILD(currency, QLineEdit, &dialog, "currencyEdit");
        QCOMPARE(currency->text(), QStringLiteral("CHF"));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        ui::setBusinessCurrency(QString());
    }

    // Issue 15 item 3: Escape closes an untouched settings dialog at once, and asks once something was typed.
    void escapeAsksOnlyAfterChanges()
    {
        UiFixture fixture;
        Wings wings;
        {
            ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
            dialog.open();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QTest::keyClick(dialog.focusWidget(), Qt::Key_Escape);
            QVERIFY(!visibleTopLevel<QMessageBox>(QStringLiteral("discardChangesMessage")));
            QVERIFY(!dialog.isVisible());
        }
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        retype(f.model, QStringLiteral("claude-other"));
        QTest::keyClick(f.model, Qt::Key_Escape);
        auto *question = visibleTopLevel<QMessageBox>(QStringLiteral("discardChangesMessage"));
        QVERIFY(question);
        QVERIFY(dialog.isVisible());
        QTest::mouseClick(question->findChild<QPushButton *>(QStringLiteral("discardButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(!dialog.isVisible());
        QVERIFY(!QSettings().contains(QStringLiteral("llm/model")));
    }

    void settingsPersistAndSecretsStayOutOfTheFile()
    {
        UiFixture fixture;
        {
            Wings wings;
            ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
            dialog.open();
            Fields f = fieldsOf(dialog);
            QVERIFY(allFound(f));
            QCOMPARE(f.interval->value(), 5); // the default
            // Without a keychain the dialog says so, and where a password can be kept instead.
            QVERIFY2(f.passwordNote->text().contains(QStringLiteral("~/.pgpass")),
                     qPrintable(f.passwordNote->text()));

            retype(f.url, QStringLiteral("postgresql://tess@office.example.com:5433/fieldbook"));
            retype(f.password, QStringLiteral("pw-never-in-a-file"));
            f.interval->setFocus();
            f.interval->selectAll();
            QTest::keyClicks(f.interval, QStringLiteral("15"));
            f.provider->setFocus();
            QTest::keyClick(f.provider, Qt::Key_Down); // Anthropic -> OpenAI-compatible
            QCOMPARE(f.provider->currentText(), QStringLiteral("OpenAI-compatible"));
            retype(f.model, QStringLiteral("qwen2.5-7b"));
            retype(f.baseUrl, QStringLiteral("http://127.0.0.1:11434/v1"));
            retype(f.key, QStringLiteral("sk-key-never-in-a-file"));

            QSignalSpy saved(&dialog, &ui::SettingsDialog::saved);
            QTest::mouseClick(f.save, Qt::LeftButton);
            QCOMPARE(saved.size(), 1);
            QVERIFY(!dialog.isVisible());
        }

        // The file has the settings (it is the right file) and not a byte of either secret.
        const QByteArray bytes = settingsFileBytes();
        QVERIFY2(bytes.contains("office.example.com"), bytes.constData());
        QVERIFY2(!bytes.contains("pw-never-in-a-file"), bytes.constData());
        QVERIFY2(!bytes.contains("sk-key-never-in-a-file"), bytes.constData());

        Wings reread;
        ui::SettingsDialog again(fixture.context(), reread.settings, reread.backend);
        Fields f = fieldsOf(again);
        QVERIFY(allFound(f));
        QCOMPARE(f.url->text(), QStringLiteral("postgresql://tess@office.example.com:5433/fieldbook"));
        QCOMPARE(f.interval->value(), 15);
        QCOMPARE(f.provider->currentText(), QStringLiteral("OpenAI-compatible"));
        QCOMPARE(f.model->text(), QStringLiteral("qwen2.5-7b"));
        QCOMPARE(f.baseUrl->text(), QStringLiteral("http://127.0.0.1:11434/v1"));
        // Secrets are never shown again.
        QVERIFY(f.password->text().isEmpty());
        QVERIFY(f.key->text().isEmpty());
    }

    void withAKeychainSaveKeepsTheSecretsThereAndNotInTheFile()
    {
        // A keychain that works: a fake KWallet on a session bus of this test's own, qtkeychain's first
        // choice in a KDE session whatever else the machine has. Save puts the password and the key there
        // (and nowhere else), and a new dialog sees both stored without showing them. The other tests here
        // turn the keychain off and never touch it.
        if (!sync::ServerCredentialStore::compiledIn())
            QSKIP("this build has no keychain support");
        PrivateSessionBus bus;
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        FakeKWallet wallet(FakeKWallet::Wallet::Opens);
        QVERIFY2(wallet.registerOn(bus.address(), &error), qPrintable(error));
        qunsetenv("FIELDBOOK_LLM_NO_KEYCHAIN");
        qputenv("DBUS_SESSION_BUS_ADDRESS", bus.address());
        qputenv("XDG_CURRENT_DESKTOP", "KDE");
        qputenv("KDE_SESSION_VERSION", "5");
        const auto restore = qScopeGuard([] {
            qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1");
            qunsetenv("DBUS_SESSION_BUS_ADDRESS");
            qunsetenv("XDG_CURRENT_DESKTOP");
            qunsetenv("KDE_SESSION_VERSION");
        });

        UiFixture fixture;
        {
            Wings wings;
            ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
            dialog.open();
            Fields f = fieldsOf(dialog);
            QVERIFY(allFound(f));
            retype(f.url, QStringLiteral("postgresql://tess@office.example.com:5433/fieldbook"));
            retype(f.password, QStringLiteral("pw-in-the-wallet"));
            retype(f.key, QStringLiteral("sk-in-the-wallet"));
            QSignalSpy saved(&dialog, &ui::SettingsDialog::saved);
            QTest::mouseClick(f.save, Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, kWaitMs);
            QVERIFY(takeErrorMessages().isEmpty());
            QVERIFY(!dialog.isVisible());
        }
        QCOMPARE(wallet.entries.value(
                     QStringLiteral("fieldbook/server-password-tess@office.example.com:5433/fieldbook")),
                 QStringLiteral("pw-in-the-wallet"));
        QCOMPARE(wallet.entries.value(QStringLiteral("fieldbook/llm-api-key-anthropic")),
                 QStringLiteral("sk-in-the-wallet"));
        const QByteArray bytes = settingsFileBytes();
        QVERIFY2(bytes.contains("office.example.com"), bytes.constData());
        QVERIFY2(!bytes.contains("pw-in-the-wallet"), bytes.constData());
        QVERIFY2(!bytes.contains("sk-in-the-wallet"), bytes.constData());

        Wings reread;
        ui::SettingsDialog again(fixture.context(), reread.settings, reread.backend);
        again.open();
        Fields f = fieldsOf(again);
        QVERIFY(allFound(f));
        QTRY_COMPARE_WITH_TIMEOUT(f.password->placeholderText(),
                                  QStringLiteral("Saved in the keychain: type to replace it"), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(f.key->placeholderText(),
                                  QStringLiteral("Saved in the keychain: type to replace it"), kWaitMs);
        QVERIFY(f.password->text().isEmpty());
        QVERIFY(f.key->text().isEmpty());
    }

    void aPasswordTypedIntoTheUrlIsTakenOutOfIt()
    {
        UiFixture fixture;
        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        retype(f.url, QStringLiteral("postgresql://tess:hunter2-in-url@office.example.com/fieldbook"));
        QTest::mouseClick(f.save, Qt::LeftButton);
        QVERIFY(!dialog.isVisible());

        const QByteArray bytes = settingsFileBytes();
        QVERIFY2(!bytes.contains("hunter2-in-url"), bytes.constData());
        QCOMPARE(QSettings().value(QStringLiteral("sync/serverUrl")).toString(),
                 QStringLiteral("postgresql://tess@office.example.com/fieldbook"));
    }

    void aBadUrlIsRefusedAndNothingIsSaved_data()
    {
        QTest::addColumn<bool>("modelUrl"); // the model's base URL, else the server URL
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("said");
        // A bare host name is a common slip: libpq cannot read it, and the dialog says what a URL looks like.
        QTest::newRow("server: a bare host name")
            << false << QStringLiteral("office.example.com")
            << QStringList{QStringLiteral("server URL"), QStringLiteral("postgresql://")};
        // The model is reached over HTTP: anything else is refused in sync (SettingsBackend), not by libcurl
        // later.
        QTest::newRow("model: not a web address")
            << true << QStringLiteral("ftp://models.example.com")
            << QStringList{
                   QStringLiteral("The model's base URL must be an http:// or https:// address, such as "
                                  "https://api.anthropic.com.")};
    }

    void aBadUrlIsRefusedAndNothingIsSaved()
    {
        QFETCH(bool, modelUrl);
        QFETCH(QString, typed);
        QFETCH(QStringList, said);
        UiFixture fixture;
        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        retype(modelUrl ? f.baseUrl : f.url, typed);
        QSignalSpy saved(&dialog, &ui::SettingsDialog::saved);
        QTest::mouseClick(f.save, Qt::LeftButton);
        // Said under the field (issue 15), not in a message box.
        QCOMPARE(takeErrorMessages(), QStringList());
        auto *line = dialog.findChild<QLabel *>(modelUrl ? QStringLiteral("llmBaseUrlEditError")
                                                         : QStringLiteral("serverUrlEditError"));
        QVERIFY(line && line->isVisible());
        for (const QString &words : said)
            QVERIFY2(line->text().contains(words), qPrintable(line->text()));
        QCOMPARE(saved.size(), 0);
        QVERIFY(dialog.isVisible());
        QVERIFY(!QSettings().contains(QStringLiteral("sync/serverUrl")));
        QVERIFY(!QSettings().contains(QStringLiteral("llm/baseUrl")));
    }

    // Issue 11: the error dialog says what is wrong with a malformed URL without quoting its password
    // (libpq's own words did: `invalid percent-encoded token: "SeCrEt50%off"`).
    void aMalformedUrlsErrorNeverShowsItsPassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("problem");
        QTest::newRow("a plain % in the password")
            << QStringLiteral("postgresql://tech_a:SeCrEt50%offTaIl@127.0.0.1:5432/fb")
            << QStringLiteral("'%' in the password");
        QTest::newRow("an IPv6 host without ']'")
            << QStringLiteral("postgresql://tech_a:SeCrEt-v6TaIl@[::1/fb") << QStringLiteral("closing ']'");
        QTest::newRow("a key=value string")
            << QStringLiteral("host=office user=tess password=SeCrEt-kvTaIl") << QStringLiteral("key=value");
    }

    void aMalformedUrlsErrorNeverShowsItsPassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, problem);
        UiFixture fixture;
        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        retype(f.url, url);
        QTest::mouseClick(f.save, Qt::LeftButton);
        QCOMPARE(takeErrorMessages(), QStringList());
        auto *line = dialog.findChild<QLabel *>(QStringLiteral("serverUrlEditError"));
        QVERIFY(line && line->isVisible());
        const QStringList errors{line->text()};
        QVERIFY2(errors.first().contains(problem), qPrintable(errors.first()));
        QVERIFY2(!errors.first().contains(QStringLiteral("SeCrEt")), qPrintable(errors.first()));
        QVERIFY2(!errors.first().contains(QStringLiteral("TaIl")), qPrintable(errors.first()));
        QVERIFY(!QSettings().contains(QStringLiteral("sync/serverUrl")));
    }

    void testingAnUnreachableServerNeverBlocksTheWindow()
    {
        UiFixture fixture;
        SilentServer silent;
        QVERIFY(silent.port() != 0);
        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        retype(f.url, QStringLiteral("postgresql://tess@127.0.0.1:%1/fieldbook").arg(silent.port()));
        retype(f.password, QStringLiteral("pw-not-in-the-error"));

        // The window's event loop keeps turning while the test waits for the server.
        int ticks = 0;
        int ticksWhenAnswered = -1;
        QTimer heartbeat;
        connect(&heartbeat, &QTimer::timeout, this, [&] { ++ticks; });
        heartbeat.start(20);
        QSignalSpy finished(&dialog, &ui::SettingsDialog::serverTestFinished);
        connect(&dialog, &ui::SettingsDialog::serverTestFinished, this, [&] { ticksWhenAnswered = ticks; });

        QTest::mouseClick(f.testServer, Qt::LeftButton);
        // The click returned at once: no answer yet, the test says it is connecting.
        QCOMPARE(finished.size(), 0);
        QCOMPARE(f.serverResult->text(), QStringLiteral("Connecting…"));
        QVERIFY(!f.testServer->isEnabled());
        // Meanwhile the dialog takes typing.
        retype(f.model, QStringLiteral("typed-while-connecting"));
        QCOMPARE(f.model->text(), QStringLiteral("typed-while-connecting"));

        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(ticksWhenAnswered >= 5, qPrintable(QString::number(ticksWhenAnswered)));
        const QString result = f.serverResult->text();
        QVERIFY2(result.contains(QStringLiteral("cannot connect")), qPrintable(result));
        QVERIFY2(!result.contains(QStringLiteral("pw-not-in-the-error")), qPrintable(result));
        QVERIFY(f.testServer->isEnabled());
    }

    void testingTheRealServerSaysWhoAndWhichSchema()
    {
        UiFixture fixture;
        PgTestDatabase server;
        const auto tech = server.addTechnician(fixture.alice(), QStringLiteral("alice@example.com"));
        const QString version =
            server.adminQuery(QStringLiteral("SELECT max(version) FROM fieldbook_schema_version")).value(0);
        QVERIFY(!version.isEmpty());

        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        retype(f.url, sync::ServerCredentialStore::withoutPassword(tech.url));
        QSignalSpy finished(&dialog, &ui::SettingsDialog::serverTestFinished);

        // A wrong password: the server's refusal, without the password.
        retype(f.password, QStringLiteral("not-the-password"));
        QTest::mouseClick(f.testServer, Qt::LeftButton);
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.takeFirst().first().toBool(), false);
        QVERIFY2(f.serverResult->text().contains(QStringLiteral("password authentication failed")),
                 qPrintable(f.serverResult->text()));
        QVERIFY2(!f.serverResult->text().contains(QStringLiteral("not-the-password")),
                 qPrintable(f.serverResult->text()));

        retype(f.password, tech.password);
        QTest::mouseClick(f.testServer, Qt::LeftButton);
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.takeFirst().first().toBool(), true);
        QCOMPARE(f.serverResult->text(),
                 QStringLiteral("Connected as %1, schema version %2").arg(tech.login, version));
    }

    void savingAppliesTheServerAndPasswordToTheRunningSync()
    {
        UiFixture fixture;
        PgTestDatabase server;
        const auto tech = server.addTechnician(fixture.alice(), QStringLiteral("alice@example.com"));
        fixture.addCustomer(QStringLiteral("Rosa Diaz"));

        // The app as it starts without a server: nothing is pushed.
        sync::SyncSettings settings;
        settings.databasePath = fixture.path();
        settings.userId = fixture.alice();
        settings.interval = 1h;
        settings.connectTimeoutSeconds = 2;
        settings.runExtractions = false;
        sync::SyncService service(settings);
        QVERIFY(!service.isPushConfigured());

        Wings wings(&service);
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        // The URL without the password, the password in its own field: it reaches libpq apart from the URL.
        retype(f.url, sync::ServerCredentialStore::withoutPassword(tech.url));
        retype(f.password, tech.password);
        f.interval->setFocus();
        f.interval->selectAll();
        QTest::keyClicks(f.interval, QStringLiteral("30"));
        QSignalSpy configured(&service, &sync::SyncService::pushConfiguredChanged);
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QTest::mouseClick(f.save, Qt::LeftButton);
        QVERIFY(!dialog.isVisible());

        QCOMPARE(configured.size(), 1);
        QVERIFY(service.isPushConfigured());
        QCOMPARE(service.settings().interval, std::chrono::milliseconds(30min));
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(service.isOnline());
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")),
                 QStringList{QStringLiteral("Rosa Diaz")});
        QVERIFY(!settingsFileBytes().contains(tech.password.toUtf8()));
    }

    void testingTheModelReportsItsModelOrTheTypedError()
    {
        UiFixture fixture;
        MockAnthropicServer model;
        QVERIFY(model.listen());
        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        QCOMPARE(f.provider->currentText(), QStringLiteral("Anthropic"));
        retype(f.baseUrl, model.url().toString());
        retype(f.model, QStringLiteral("claude-test-model"));
        QSignalSpy finished(&dialog, &ui::SettingsDialog::llmTestFinished);

        // A wrong key: the API's refusal with its status and request-id.
        retype(f.key, QStringLiteral("sk-wrong"));
        QTest::mouseClick(f.testLlm, Qt::LeftButton);
        QCOMPARE(finished.size(), 0); // asynchronous
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.takeFirst().first().toBool(), false);
        const QString refused = f.llmResult->text();
        QVERIFY2(refused.contains(QStringLiteral("HTTP 401")), qPrintable(refused));
        QVERIFY2(refused.contains(QStringLiteral("request-id req_")), qPrintable(refused));
        QVERIFY2(!refused.contains(QStringLiteral("sk-wrong")), qPrintable(refused));

        retype(f.key, QString::fromLatin1(model.expectedKey()));
        QTest::mouseClick(f.testLlm, Qt::LeftButton);
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.takeFirst().first().toBool(), true);
        QVERIFY2(f.llmResult->text().startsWith(QStringLiteral("claude-test-model answered (request-id ")),
                 qPrintable(f.llmResult->text()));
        // It was a real extraction request, sent once.
        QCOMPARE(model.played(), 1);
        QCOMPARE(model.received.last().body.value(QStringLiteral("model")).toString(),
                 QStringLiteral("claude-test-model"));
    }

    void testingTheModelWithoutAKeySaysSoAtOnce()
    {
        UiFixture fixture;
        Wings wings;
        ui::SettingsDialog dialog(fixture.context(), wings.settings, wings.backend);
        dialog.open();
        Fields f = fieldsOf(dialog);
        QVERIFY(allFound(f));
        QSignalSpy finished(&dialog, &ui::SettingsDialog::llmTestFinished);
        QTest::mouseClick(f.testLlm, Qt::LeftButton);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(f.llmResult->text().contains(QStringLiteral("key"), Qt::CaseInsensitive),
                 qPrintable(f.llmResult->text()));
    }
};

QTEST_MAIN(TestSettings)
#include "test_settings.moc"
