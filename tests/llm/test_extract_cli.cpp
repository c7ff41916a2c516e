// `fieldbook extract`, as a shop runs it to check its key and model: the real binary against the mock API.
#include "llm/mockanthropicserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using Scenario = fb::test::MockAnthropicServer::Scenario;

Q_DECLARE_METATYPE(fb::test::MockAnthropicServer::Scenario)

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestExtractCli final : public QObject
{
    Q_OBJECT

    std::unique_ptr<fb::test::MockAnthropicServer> m_server;
    QTemporaryDir m_home; // an empty configuration: settings come from the environment only

    /// Runs the binary without blocking this thread's event loop, which the mock server needs.
    Run extract(const QStringList &arguments, const QByteArray &stdinText = {}, bool withKey = true,
                const QString &provider = QStringLiteral("anthropic"))
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("ANTHROPIC_API_KEY"));
        env.remove(QStringLiteral("OPENAI_API_KEY"));
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path());
        env.insert(QStringLiteral("FIELDBOOK_LLM_NO_KEYCHAIN"), QStringLiteral("1"));
        env.insert(QStringLiteral("FIELDBOOK_LLM_PROVIDER"), provider);
        env.insert(QStringLiteral("FIELDBOOK_LLM_BASE_URL"), m_server->url().toString());
        env.insert(QStringLiteral("FIELDBOOK_LLM_MODEL"), QStringLiteral("claude-haiku-4-5"));
        if (withKey)
            env.insert(provider == QStringLiteral("anthropic") ? QStringLiteral("ANTHROPIC_API_KEY")
                                                               : QStringLiteral("OPENAI_API_KEY"),
                       QString::fromLatin1(m_server->expectedKey()));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(FIELDBOOK_BINARY), QStringList{QStringLiteral("extract")} + arguments);
        if (!process.waitForStarted())
            return {};
        process.write(stdinText);
        process.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60'000))
            process.kill();
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<fb::test::MockAnthropicServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void printsTheAttributesAsJson_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::newRow("anthropic") << QStringLiteral("anthropic");
        QTest::newRow("openai-compatible") << QStringLiteral("openai");
    }

    void printsTheAttributesAsJson()
    {
        QFETCH(QString, provider);
        const Run run =
            extract({QStringLiteral("--notes"), QStringLiteral("Dog named Biscuit, keep gate closed")}, {},
                    true, provider);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonDocument doc = QJsonDocument::fromJson(run.out.toUtf8());
        QVERIFY2(doc.isObject(), qPrintable(run.out));
        QCOMPARE(doc.object(), QJsonDocument::fromJson(m_server->answer().toUtf8()).object());
        QCOMPARE(m_server->received.size(), 1);
        QVERIFY(m_server->received.first().rawBody.contains("Dog named Biscuit"));
        QCOMPARE(m_server->received.first().body.value(QStringLiteral("model")).toString(),
                 QStringLiteral("claude-haiku-4-5"));
    }

    void readsTheNotesFromStdin()
    {
        m_server->script({Scenario::FencedJson});
        const Run run = extract({}, "Elderly woman. Dog named Biscuit.\n");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(QJsonDocument::fromJson(run.out.toUtf8()).object().contains(QStringLiteral("pet")));
        QVERIFY(m_server->received.first().rawBody.contains("Elderly woman. Dog named Biscuit."));
    }

    void failuresAreOneLineWithTypeStatusAndRequestId_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("status");
        QTest::newRow("401") << Scenario::Unauthorized << QStringLiteral("http authentication_error") << 401;
        QTest::newRow("spend-limit 429")
            << Scenario::SpendLimit << QStringLiteral("http rate_limit_error") << 429;
        QTest::newRow("truncated") << Scenario::Truncated << QStringLiteral("truncated") << 200;
        QTest::newRow("refusal") << Scenario::Refusal << QStringLiteral("refused") << 200;
        QTest::newRow("malformed JSON") << Scenario::MalformedJson << QStringLiteral("parse") << 200;
    }

    void failuresAreOneLineWithTypeStatusAndRequestId()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, type);
        QFETCH(int, status);
        m_server->setFallback(scenario);
        const Run run = extract({QStringLiteral("--notes"), QStringLiteral("Dog named Biscuit")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
        const QStringList lines = run.err.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1);
        const QString line = lines.first();
        QVERIFY2(line.startsWith(QStringLiteral("fieldbook extract: %1, HTTP %2, request-id %3")
                                     .arg(type)
                                     .arg(status)
                                     .arg(m_server->received.last().requestId)),
                 qPrintable(line));
    }

    void withoutAKeyNothingIsSent()
    {
        const Run run = extract({QStringLiteral("--notes"), QStringLiteral("Dog")}, {}, false);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(QStringLiteral("fieldbook extract: config")), qPrintable(run.err));
        QVERIFY(m_server->received.isEmpty());
    }

    void noNotesIsAUsageError()
    {
        const Run run = extract({}, "  \n");
        QCOMPARE(run.exitCode, 2);
        QVERIFY(m_server->received.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestExtractCli)
#include "test_extract_cli.moc"
