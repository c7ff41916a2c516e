// The model API key at rest (sync/llm/llmkeystore.h over sync/keychain.h): a keychain job always answers,
// once, on the caller's thread, within its timeout, whatever the machine has, and says truthfully why there
// is no key: a session bus that never answers is "did not answer", no session bus (or no keychain service on
// it) is "no keychain is available on this machine" with where the key comes from instead, and a keychain
// that refuses says so. No test here reaches the machine's own keychain: each sets DBUS_SESSION_BUS_ADDRESS
// itself, to a silent or refusing bus served by this process (support/fakesessionbus.h), to nothing, or to a
// private dbus-daemon, bare or with a fake KWallet (support/privatesessionbus.h, support/fakekwallet.h).
//
// qtkeychain picks its back end, and QtDBus its session bus, once per process: each case that needs a fresh
// process runs keychain_client (support/keychainclient.cpp), the same keychain code in a process of its own.
#include "llm/llmkeystore.h"
#include "support/fakekwallet.h"
#include "support/fakesessionbus.h"
#include "support/gapmeter.h"
#include "support/privatesessionbus.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <optional>

using namespace fb;
using namespace fb::sync;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 30'000;

/// Sets an environment variable (or unsets it, for a null value) for the life of the object.
class ScopedEnv final
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name))
    {
        m_old = qgetenv(name);
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

/// What keychain_client printed, and how its process went.
struct ClientRun
{
    QJsonObject answer;
    qint64 elapsedMs = 0; ///< from start to exit
    bool exited = false;  ///< within the test's bound, normally, with status 0
    QString output;       ///< stdout and stderr, for failure messages
};

} // namespace

class TestLlmKeyStore final : public QObject
{
    Q_OBJECT

    /// This process's own bus: silent. Set before anything here asks the keychain.
    test::FakeSessionBus m_silentBus{test::FakeSessionBus::Behaviour::Silent};
    QTemporaryDir m_home;

    /// The environment of a fresh process: nothing of this machine's or this user's (HOME, XDG dirs, bus,
    /// display, desktop), the bus given (null: none), and `extra` on top.
    QProcessEnvironment clientEnvironment(const QByteArray &bus,
                                          const QList<std::pair<QString, QString>> &extra = {})
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
        // An empty runtime directory: no user bus at $XDG_RUNTIME_DIR/bus.
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_home.filePath(QStringLiteral("runtime")));
        if (!bus.isNull())
            env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString::fromUtf8(bus));
        for (const auto &[name, value] : extra)
            env.insert(name, value);
        return env;
    }

    /// Runs keychain_client, serving this process's fake buses while it runs; `boundMs` bounds the whole run,
    /// exit included.
    ClientRun runClient(const QStringList &args, const QProcessEnvironment &env, int boundMs,
                        const QByteArray &input = {})
    {
        ClientRun run;
        QProcess client;
        client.setProcessEnvironment(env);
        client.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer clock;
        clock.start();
        client.start(QStringLiteral(FIELDBOOK_KEYCHAIN_CLIENT), args);
        if (!client.waitForStarted(kWaitMs))
            return run;
        client.write(input);
        client.closeWriteChannel();
        (void)QTest::qWaitFor([&] { return client.state() == QProcess::NotRunning; }, boundMs);
        run.elapsedMs = clock.elapsed();
        if (client.state() != QProcess::NotRunning) {
            client.kill();
            client.waitForFinished(kWaitMs);
        } else {
            run.exited = client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0;
        }
        run.output = QString::fromUtf8(client.readAll());
        for (const QString &line : run.output.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1Char('{')))
                run.answer = QJsonDocument::fromJson(line.toUtf8()).object();
        }
        return run;
    }

    static QString describe(const ClientRun &run)
    {
        return QStringLiteral("after %1 ms, exited %2: %3")
            .arg(run.elapsedMs)
            .arg(run.exited)
            .arg(run.output);
    }

    /// The KDE session qtkeychain reads from the environment: with it, KWallet is its first choice whatever
    /// else the machine has (libsecret or not).
    static QList<std::pair<QString, QString>> kdeSession()
    {
        return {{QStringLiteral("XDG_CURRENT_DESKTOP"), QStringLiteral("KDE")},
                {QStringLiteral("KDE_SESSION_VERSION"), QStringLiteral("5")}};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_home.isValid());
        QVERIFY(QDir(m_home.path()).mkpath(QStringLiteral("runtime")));
        QVERIFY(m_silentBus.listen());
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_silentBus.address());
        qunsetenv("FIELDBOOK_NO_KEYCHAIN");
        qunsetenv("FIELDBOOK_LLM_NO_KEYCHAIN");
    }

    void theEnvironmentCanTurnTheKeychainOff()
    {
        {
            ScopedEnv off("FIELDBOOK_LLM_NO_KEYCHAIN", "1");
            QVERIFY(!LlmKeyStore::enabled());
        }
        {
            ScopedEnv off("FIELDBOOK_NO_KEYCHAIN", "1");
            QVERIFY(!LlmKeyStore::enabled());
        }
        QCOMPARE(LlmKeyStore::enabled(), LlmKeyStore::compiledIn());
    }

    void aSilentBusIsReportedAsNoAnswerAndTheCallerNeverWaits()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        // A session bus that accepts the connection and never says a word: QtDBus would wait for it without a
        // bound, on the thread that asked. Here the caller's thread keeps running and the lookup ends at its
        // timeout, as "did not answer" (not as a missing keychain, which the bus's silence does not prove).
        test::GapMeter meter;
        QElapsedTimer clock;
        clock.start();
        int calls = 0;
        std::optional<Result<QString>> key;
        qint64 answeredMs = -1;
        LlmKeyStore::read(
            LlmProvider::Anthropic,
            [&](Result<QString> answer) {
                ++calls;
                answeredMs = clock.elapsed();
                key = std::move(answer);
            },
            300ms);
        QCOMPARE(calls, 0); // on the event loop, never inside read()
        QVERIFY(QTest::qWaitFor([&] { return key.has_value(); }, kWaitMs));
        QTest::qWait(400); // past the timeout: the answer and the timeout do not both call back
        QCOMPARE(calls, 1);
        QVERIFY(!key->ok());
        QCOMPARE(key->error().code, ErrorCode::Unavailable);
        QCOMPARE(key->error().message, QStringLiteral("the keychain did not answer within 0.3 s"));
        QVERIFY2(answeredMs >= 250 && answeredMs < 3000, qPrintable(QString::number(answeredMs)));
        QVERIFY2(meter.maxGapMs() < test::kResponsiveMs, qPrintable(QString::number(meter.maxGapMs())));
        // It was the bus's silence that ended it: the keychain thread did reach it.
        QVERIFY(m_silentBus.connections() > 0);
    }

    void aLookupFromAnotherThreadAnswersOnThatThread()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        QThread thread;
        thread.start();
        QObject context;
        context.moveToThread(&thread);
        std::atomic<QThread *> answeredOn{nullptr};
        std::atomic<bool> answered{false};
        QMetaObject::invokeMethod(&context, [&] {
            LlmKeyStore::read(
                LlmProvider::OpenAiCompatible,
                [&](const Result<QString> &) {
                    answeredOn = QThread::currentThread();
                    answered = true;
                },
                200ms);
        });
        QVERIFY(QTest::qWaitFor([&] { return answered.load(); }, kWaitMs));
        QCOMPARE(answeredOn.load(), &thread);
        thread.quit();
        QVERIFY(thread.wait(kWaitMs));
    }

    void writesAndRemovesAreBoundedToo()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::GapMeter meter;
        std::optional<Status> written;
        std::optional<Status> removed;
        LlmKeyStore::write(
            LlmProvider::Anthropic, QStringLiteral("sk-never-stored"), [&](Status s) { written = s; }, 300ms);
        LlmKeyStore::remove(
            LlmProvider::Anthropic, [&](Status s) { removed = s; }, 300ms);
        QVERIFY(QTest::qWaitFor([&] { return written && removed; }, kWaitMs));
        QVERIFY(!written->ok());
        QCOMPARE(written->error().message, QStringLiteral("the keychain did not answer within 0.3 s"));
        QVERIFY(!removed->ok());
        QCOMPARE(removed->error().message, QStringLiteral("the keychain did not answer within 0.3 s"));
        QVERIFY2(meter.maxGapMs() < test::kResponsiveMs, qPrintable(QString::number(meter.maxGapMs())));
    }

    void aSilentBusNeitherHoldsAFreshProcessNorItsExit()
    {
        // The case of issue 11 and 12, in a process that has asked nothing before: qtkeychain alone would
        // pick its back end by connecting to this bus, and wait there for good (and so would the exit).
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        const int before = m_silentBus.connections();
        const ClientRun run =
            runClient({QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("500")},
                      clientEnvironment(m_silentBus.address()), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
        QCOMPARE(run.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral("the keychain did not answer within 0.5 s"));
        QVERIFY2(run.answer.value(QStringLiteral("answeredMs")).toInteger() < 3000,
                 qPrintable(describe(run)));
        QVERIFY2(run.answer.value(QStringLiteral("maxGapMs")).toInteger() < test::kResponsiveMs,
                 qPrintable(describe(run)));
        QVERIFY2(run.elapsedMs < 10'000, qPrintable(describe(run))); // and it quit
        QVERIFY(m_silentBus.connections() > before);
    }

    void aBusThatAuthenticatesAndThenFallsSilentIsNoAnswer()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::FakeSessionBus bus(test::FakeSessionBus::Behaviour::SilentAfterAuth);
        QVERIFY(bus.listen());
        const ClientRun run = runClient(
            {QStringLiteral("read"), QStringLiteral("llm-api-key-anthropic"), QStringLiteral("500")},
            clientEnvironment(bus.address()), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("NoAnswer"));
        QVERIFY2(run.elapsedMs < 10'000, qPrintable(describe(run)));
        QCOMPARE(bus.connections(), 1);
    }

    void aKeychainThreadStuckForGoodHoldsNeitherTheCallerNorTheExit()
    {
        // The bus answers the keychain thread's probe, then stalls when QtDBus connects: the keychain thread
        // is stuck for good in QtDBus's handshake, and so is Qt's own D-Bus thread, which Qt waits for
        // without a bound at exit. The lookup still ends at its timeout, and the process leaves after a
        // bounded wait.
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::FakeSessionBus bus(test::FakeSessionBus::Behaviour::StallsAfterFirstConnection);
        QVERIFY(bus.listen());
        const ClientRun run =
            runClient({QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("500")},
                      clientEnvironment(bus.address()), 20'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral("the keychain did not answer within 0.5 s"));
        QVERIFY2(run.answer.value(QStringLiteral("maxGapMs")).toInteger() < test::kResponsiveMs,
                 qPrintable(describe(run)));
        QVERIFY2(run.output.contains(QStringLiteral("the keychain thread is stuck")),
                 qPrintable(describe(run)));
        QVERIFY2(run.elapsedMs < 10'000, qPrintable(describe(run)));
        QCOMPARE(bus.connections(), 2); // the probe's, and QtDBus's
    }

    void withoutASessionBusNoKeychainIsAvailable()
    {
        // No DBUS_SESSION_BUS_ADDRESS, nothing at $XDG_RUNTIME_DIR/bus, no display to start one: qtkeychain
        // says "Unknown error"; the key store says what it means, and where the key comes from instead.
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        const ClientRun run =
            runClient({QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("5000")},
                      clientEnvironment(QByteArray()), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
        QCOMPARE(run.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral(
                     "no keychain is available on this machine (no session bus: DBUS_SESSION_BUS_ADDRESS is "
                     "not set): the key comes from ANTHROPIC_API_KEY"));
        QVERIFY2(run.answer.value(QStringLiteral("answeredMs")).toInteger() < 3000,
                 qPrintable(describe(run)));

        const ClientRun openai =
            runClient({QStringLiteral("key-read"), QStringLiteral("openai"), QStringLiteral("5000")},
                      clientEnvironment(QByteArray()), 15'000);
        QVERIFY2(openai.answer.value(QStringLiteral("message"))
                     .toString()
                     .endsWith(QStringLiteral("the key comes from OPENAI_API_KEY")),
                 qPrintable(describe(openai)));
    }

    void aBusAddressWhereNothingListensIsNoKeychain()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        const QByteArray nowhere =
            "unix:path=" + m_home.filePath(QStringLiteral("no-bus-here")).toLocal8Bit();
        const ClientRun run = runClient(
            {QStringLiteral("read"), QStringLiteral("llm-api-key-anthropic"), QStringLiteral("5000")},
            clientEnvironment(nowhere), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("NotAvailable"));
        QVERIFY2(
            run.answer.value(QStringLiteral("reason"))
                .toString()
                .startsWith(QStringLiteral("no session bus: nothing answers at DBUS_SESSION_BUS_ADDRESS")),
            qPrintable(describe(run)));
    }

    void aBusThatRefusesIsAFailureThatSaysSo_data()
    {
        QTest::addColumn<int>("behaviour");
        QTest::addColumn<QString>("reason");
        QTest::newRow("closes the connection") << int(test::FakeSessionBus::Behaviour::Closes)
                                               << QStringLiteral("the session bus closed the connection");
        QTest::newRow("rejects the authentication")
            << int(test::FakeSessionBus::Behaviour::RejectsAuth)
            << QStringLiteral("the session bus rejected the authentication");
    }

    void aBusThatRefusesIsAFailureThatSaysSo()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        QFETCH(int, behaviour);
        QFETCH(QString, reason);
        test::FakeSessionBus bus{test::FakeSessionBus::Behaviour(behaviour)};
        QVERIFY(bus.listen());
        const ClientRun run =
            runClient({QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("5000")},
                      clientEnvironment(bus.address()), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
        QCOMPARE(run.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral("the keychain cannot give the API key: ") + reason);
        QVERIFY2(run.answer.value(QStringLiteral("answeredMs")).toInteger() < 3000,
                 qPrintable(describe(run)));
    }

    void aSessionBusWithoutAKeychainServiceIsNoKeychain()
    {
        // A real bus with nothing on it (a headless session): qtkeychain says "Unknown error" (or "No
        // keychain service available" in a KDE session); the answer says there is no keychain service.
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::PrivateSessionBus bus;
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        for (const auto &desktop : {QList<std::pair<QString, QString>>{}, kdeSession()}) {
            const ClientRun run = runClient({QStringLiteral("password-read"),
                                             QStringLiteral("postgresql://tess@office.example.com/fieldbook"),
                                             QStringLiteral("5000")},
                                            clientEnvironment(bus.address(), desktop), 15'000);
            QVERIFY2(run.exited, qPrintable(describe(run)));
            QCOMPARE(run.answer.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
            QCOMPARE(
                run.answer.value(QStringLiteral("message")).toString(),
                QStringLiteral("no keychain is available on this machine (no keychain service: neither the "
                               "Secret Service nor KWallet is on the session bus): the password comes from "
                               "~/.pgpass or PGPASSWORD"));
        }
    }

    void aKeychainKeepsReadsAndRemovesTheKey()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::PrivateSessionBus bus;
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        test::FakeKWallet wallet(test::FakeKWallet::Wallet::Opens);
        QVERIFY2(wallet.registerOn(bus.address(), &error), qPrintable(error));
        const QProcessEnvironment env = clientEnvironment(bus.address(), kdeSession());

        const ClientRun empty = runClient(
            {QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("5000")}, env, 15'000);
        QCOMPARE(empty.answer.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
        QCOMPARE(empty.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral("no API key is stored in the keychain"));

        const ClientRun written = runClient(
            {QStringLiteral("write"), QStringLiteral("llm-api-key-anthropic"), QStringLiteral("5000")}, env,
            15'000, "sk-ant-from-the-wallet\n");
        QVERIFY2(written.exited, qPrintable(describe(written)));
        QCOMPARE(written.answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("Done"));
        QCOMPARE(wallet.entries.value(QStringLiteral("fieldbook/llm-api-key-anthropic")),
                 QStringLiteral("sk-ant-from-the-wallet"));

        const ClientRun read = runClient(
            {QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("5000")}, env, 15'000);
        QVERIFY2(read.exited, qPrintable(describe(read)));
        QCOMPARE(read.answer.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(read.answer.value(QStringLiteral("secret")).toString(),
                 QStringLiteral("sk-ant-from-the-wallet"));

        const ClientRun removed = runClient(
            {QStringLiteral("remove"), QStringLiteral("llm-api-key-anthropic"), QStringLiteral("5000")}, env,
            15'000);
        QCOMPARE(removed.answer.value(QStringLiteral("outcome")).toString(), QStringLiteral("Done"));
        QVERIFY(wallet.entries.isEmpty());
    }

    void aKeychainThatRefusesAccessSaysSo()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::PrivateSessionBus bus;
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        test::FakeKWallet wallet(test::FakeKWallet::Wallet::Denies);
        QVERIFY2(wallet.registerOn(bus.address(), &error), qPrintable(error));
        const ClientRun run =
            runClient({QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("5000")},
                      clientEnvironment(bus.address(), kdeSession()), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("code")).toString(), QStringLiteral("unavailable"));
        QCOMPARE(run.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral(
                     "the keychain cannot give the API key: it refused access (Access to keychain denied)"));
    }

    void aWalletWaitingForAPasswordIsNoAnswer()
    {
        // The wallet asks its owner for a password nobody types: the lookup ends at its timeout, the caller's
        // thread never waits, and the process quits at once.
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        test::PrivateSessionBus bus;
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        test::FakeKWallet wallet(test::FakeKWallet::Wallet::NeverOpens);
        QVERIFY2(wallet.registerOn(bus.address(), &error), qPrintable(error));
        const ClientRun run =
            runClient({QStringLiteral("key-read"), QStringLiteral("anthropic"), QStringLiteral("1000")},
                      clientEnvironment(bus.address(), kdeSession()), 15'000);
        QVERIFY2(run.exited, qPrintable(describe(run)));
        QCOMPARE(run.answer.value(QStringLiteral("message")).toString(),
                 QStringLiteral("the keychain did not answer within 1 s"));
        QVERIFY2(run.answer.value(QStringLiteral("maxGapMs")).toInteger() < test::kResponsiveMs,
                 qPrintable(describe(run)));
        QVERIFY2(run.elapsedMs < 10'000, qPrintable(describe(run)));
        QCOMPARE(wallet.opens(), 1);
    }
};

QTEST_GUILESS_MAIN(TestLlmKeyStore)
#include "test_llm_key_store.moc"
