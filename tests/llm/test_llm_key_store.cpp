// The model API key at rest (sync/llm/llmkeystore.h): a keychain lookup always answers, once, even on a
// machine without a keychain service (CI, a headless laptop) or with one that never replies, so the key can
// fall back to the environment and nothing waits forever.
#include "llm/llmkeystore.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace fb;
using namespace fb::sync;

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

} // namespace

class TestLlmKeyStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void theEnvironmentCanTurnTheKeychainOff()
    {
        {
            ScopedEnv off("FIELDBOOK_LLM_NO_KEYCHAIN", "1");
            QVERIFY(!LlmKeyStore::enabled());
        }
        ScopedEnv on("FIELDBOOK_LLM_NO_KEYCHAIN", QByteArray());
        QCOMPARE(LlmKeyStore::enabled(), LlmKeyStore::compiledIn());
    }

    void aLookupAnswersOnceWhateverTheMachineHas()
    {
        ScopedEnv on("FIELDBOOK_LLM_NO_KEYCHAIN", QByteArray());
        int calls = 0;
        std::optional<Result<QString>> result;
        LlmKeyStore::read(
            LlmProvider::Anthropic,
            [&](Result<QString> key) {
                ++calls;
                result = std::move(key);
            },
            std::chrono::milliseconds(200));
        QCOMPARE(calls, 0); // on the event loop, never inside read()
        QVERIFY(QTest::qWaitFor([&] { return calls > 0; }, kWaitMs));
        // Past the timeout: the lookup's answer and its timeout do not both call back.
        QTest::qWait(400);
        QCOMPARE(calls, 1);
        if (!result->ok()) {
            // CI has no keychain service: a clear reason, not a hang.
            QVERIFY2(result->error().code == ErrorCode::Unavailable ||
                         result->error().code == ErrorCode::NotFound,
                     qPrintable(result->error().toString()));
            QVERIFY2(result->error().message.contains(QStringLiteral("keychain")),
                     qPrintable(result->error().message));
        }
    }

    void aKeychainServiceThatNeverAnswersTimesOut()
    {
        if (!LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        // A session bus that accepts the connection and never says a word (a keychain daemon stuck on a
        // password prompt looks the same from here). Last in this file: the bus address is read once.
        QTemporaryDir dir;
        QLocalServer silentBus;
        QVERIFY(silentBus.listen(dir.filePath(QStringLiteral("bus"))));
        QList<QLocalSocket *> connections;
        connect(&silentBus, &QLocalServer::newConnection, this, [&] {
            while (QLocalSocket *socket = silentBus.nextPendingConnection())
                connections.append(socket);
        });
        ScopedEnv on("FIELDBOOK_LLM_NO_KEYCHAIN", QByteArray());
        ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + silentBus.fullServerName().toLocal8Bit());

        std::optional<Result<QString>> key;
        LlmKeyStore::read(
            LlmProvider::Anthropic, [&](Result<QString> answer) { key = std::move(answer); },
            std::chrono::milliseconds(300));
        QVERIFY(QTest::qWaitFor([&] { return key.has_value(); }, kWaitMs));
        QVERIFY(!key->ok());
        QCOMPARE(key->error().code, ErrorCode::Unavailable);
        QCOMPARE(key->error().message, QStringLiteral("the keychain did not answer"));
        // It was the keychain service's silence that ended it, not a missing one.
        QTRY_VERIFY_WITH_TIMEOUT(!connections.isEmpty(), kWaitMs);
    }
};

QTEST_GUILESS_MAIN(TestLlmKeyStore)
#include "test_llm_key_store.moc"
