// The OpenAI-compatible chat-completions client (sync/llm/openaiclient.h), the second provider behind the
// same LlmClient interface, against the mock's /v1/chat/completions (validated like an OpenAI-compatible
// server).
#include "extraction/attributeextractor.h"
#include "llm/llmclientfactory.h"
#include "llm/mockanthropicserver.h"
#include "llm/openaiclient.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include <memory>
#include <optional>

using namespace fb;
using namespace fb::sync;
using Scenario = fb::test::MockAnthropicServer::Scenario;

Q_DECLARE_METATYPE(fb::test::MockAnthropicServer::Scenario)

namespace {

constexpr int kWaitMs = 30'000;
const QString kNotes = QStringLiteral("Elderly woman. Dog named Biscuit, keep gate closed.");

template <typename R> QString errorText(const R &result)
{
    return result.ok() ? QString() : result.error().toString();
}

QJsonObject expectedAttributes()
{
    return QJsonObject{
        {QStringLiteral("pet"), QJsonObject{{QStringLiteral("type"), QStringLiteral("dog")},
                                            {QStringLiteral("name"), QStringLiteral("Biscuit")}}},
        {QStringLiteral("property_notes"), QStringLiteral("keep gate closed")}};
}

LlmSettings settingsFor(const test::MockAnthropicServer &server)
{
    LlmSettings settings;
    settings.provider = LlmProvider::OpenAiCompatible;
    settings.baseUrl = server.url();
    settings.apiKey = QString::fromLatin1(server.expectedKey());
    settings.model = QStringLiteral("qwen2.5-7b-instruct");
    settings.retryDelayScale = 0.001;
    return settings;
}

std::optional<LlmOutcome> exchange(HttpLlmClient &client, const LlmRequest &request)
{
    auto outcome = std::make_shared<std::optional<LlmOutcome>>();
    client.exchange(request, [outcome](const LlmOutcome &o) { *outcome = o; });
    if (!QTest::qWaitFor([&] { return outcome->has_value(); }, kWaitMs))
        return std::nullopt;
    return *outcome;
}

std::optional<Result<ExtractedAttributes>> extract(LlmClient &client)
{
    AttributeExtractor extractor(client);
    auto result = std::make_shared<std::optional<Result<ExtractedAttributes>>>();
    extractor.extract(kNotes, [result](Result<ExtractedAttributes> r) { *result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result->has_value(); }, kWaitMs))
        return std::nullopt;
    return *result;
}

} // namespace

class TestOpenAiClient final : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::MockAnthropicServer> m_server;

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<test::MockAnthropicServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup() { m_server.reset(); }

    void okSendsAChatCompletionAndReadsTheAnswer()
    {
        OpenAiClient client(settingsFor(*m_server));
        const auto extracted = extract(client);
        QVERIFY(extracted);
        QVERIFY2(extracted->ok(), qPrintable(errorText(*extracted)));
        QCOMPARE((*extracted)->attributes, expectedAttributes());

        QCOMPARE(m_server->received.size(), 1);
        const auto &sent = m_server->received.first();
        QCOMPARE(sent.path, QByteArray("/v1/chat/completions"));
        QCOMPARE(sent.headers.value("authorization"), QByteArray("Bearer test-key"));
        QVERIFY(!sent.headers.contains("x-api-key"));
        const QJsonArray messages = sent.body.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0)[QStringLiteral("role")].toString(), QStringLiteral("system"));
        QCOMPARE(messages.at(0)[QStringLiteral("content")].toString(), AttributeExtractor::systemPrompt());
        QCOMPARE(messages.at(1)[QStringLiteral("role")].toString(), QStringLiteral("user"));
        QVERIFY(messages.at(1)[QStringLiteral("content")].toString().contains(
            QStringLiteral("<notes>\n%1\n</notes>").arg(kNotes)));
        QCOMPARE(sent.body.value(QStringLiteral("model")).toString(), QStringLiteral("qwen2.5-7b-instruct"));
        QCOMPARE(sent.body.value(QStringLiteral("max_tokens")).toInt(), 4096);
        QVERIFY(!sent.body.contains(QStringLiteral("thinking")));
        QVERIFY(!sent.body.contains(QStringLiteral("temperature")));
        QVERIFY(!sent.body.contains(QStringLiteral("response_format")));
    }

    void answerShapes_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::newRow("ok") << Scenario::Ok;
        QTest::newRow("fenced JSON") << Scenario::FencedJson;
        QTest::newRow("prose around JSON") << Scenario::ProseAroundJson;
    }

    void answerShapes()
    {
        QFETCH(Scenario, scenario);
        m_server->script({scenario});
        OpenAiClient client(settingsFor(*m_server));
        const auto extracted = extract(client);
        QVERIFY(extracted);
        QVERIFY2(extracted->ok(), qPrintable(errorText(*extracted)));
        QCOMPARE((*extracted)->attributes, expectedAttributes());
    }

    void unusableAnswersAreErrors_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("finish_reason length") << Scenario::Truncated << QStringLiteral("truncated");
        QTest::newRow("refusal") << Scenario::Refusal << QStringLiteral("refused");
        QTest::newRow("malformed JSON") << Scenario::MalformedJson << QStringLiteral("not a JSON object");
    }

    void unusableAnswersAreErrors()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, mentions);
        m_server->script({scenario});
        OpenAiClient client(settingsFor(*m_server));
        const auto extracted = extract(client);
        QVERIFY(extracted && !extracted->ok());
        QCOMPARE(extracted->error().code, ErrorCode::Parse);
        QVERIFY2(extracted->error().message.contains(mentions), qPrintable(extracted->error().message));
    }

    void structuredOutputOnlyWhenSupported()
    {
        LlmSettings settings = settingsFor(*m_server);
        settings.structuredOutput = true;
        OpenAiClient client(settings);
        QVERIFY(extract(client));
        const QJsonObject format =
            m_server->received.first().body[QStringLiteral("response_format")].toObject();
        QCOMPARE(format.value(QStringLiteral("type")).toString(), QStringLiteral("json_schema"));
        QCOMPARE(format[QStringLiteral("json_schema")][QStringLiteral("schema")].toObject(),
                 AttributeExtractor::buildRequest(kNotes).jsonSchema);
    }

    void retriesThenSucceeds()
    {
        m_server->script({Scenario::RateLimited, Scenario::Overloaded, Scenario::Ok});
        OpenAiClient client(settingsFor(*m_server));
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome);
        QVERIFY2(outcome->ok(), qPrintable(outcome->error.describe()));
        QCOMPARE(outcome->attempts, 3);
        QCOMPARE(outcome->response->requestId, m_server->received.last().requestId);
    }

    void aWrongKeyIsNotRetriedAndReportsTheRequestId()
    {
        LlmSettings settings = settingsFor(*m_server);
        settings.apiKey = QStringLiteral("sk-wrong");
        OpenAiClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Http);
        QCOMPARE(outcome->error.httpStatus, 401);
        QCOMPARE(outcome->error.apiErrorType, QStringLiteral("invalid_request_error"));
        QCOMPARE(outcome->error.message, QStringLiteral("Incorrect API key provided"));
        QVERIFY(!outcome->error.requestId.isEmpty());
        QCOMPARE(outcome->error.requestId, m_server->received.first().requestId);
        QCOMPARE(m_server->received.size(), 1);
    }

    void aServerErrorGivesUpAfterTheRetries()
    {
        m_server->setFallback(Scenario::ServerError);
        OpenAiClient client(settingsFor(*m_server));
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.httpStatus, 500);
        QCOMPARE(m_server->played(), 3);
        QCOMPARE(outcome->error.toError().code, ErrorCode::Unavailable);
    }

    void aLocalServerWithoutAKeyGetsNoAuthorization()
    {
        m_server->setExpectedKey({});
        LlmSettings settings = settingsFor(*m_server);
        settings.apiKey.clear();
        OpenAiClient client(settings);
        const auto extracted = extract(client);
        QVERIFY(extracted && extracted->ok());
        QVERIFY(!m_server->received.first().headers.contains("authorization"));
    }

    void mockRefusesAnthropicsThinkingField()
    {
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(m_server->url().toString() + QStringLiteral("/v1/chat/completions")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("authorization", "Bearer " + m_server->expectedKey());
        QNetworkReply *reply = network.post(
            request, QByteArrayLiteral(R"({"model":"m","thinking":{"type":"enabled","budget_tokens":1024},
                                          "messages":[{"role":"user","content":"n"}]})"));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, kWaitMs));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        reply->deleteLater();
    }

    void theSettingChoosesTheProvider_data()
    {
        QTest::addColumn<bool>("openAi");
        QTest::newRow("anthropic") << false;
        QTest::newRow("openai-compatible") << true;
    }

    void theSettingChoosesTheProvider()
    {
        QFETCH(bool, openAi);
        LlmSettings settings = settingsFor(*m_server);
        settings.provider = openAi ? LlmProvider::OpenAiCompatible : LlmProvider::Anthropic;
        const auto client = createLlmClient(settings);
        const auto extracted = extract(*client);
        QVERIFY(extracted);
        QVERIFY2(extracted->ok(), qPrintable(errorText(*extracted)));
        QCOMPARE(m_server->received.first().path,
                 openAi ? QByteArray("/v1/chat/completions") : QByteArray("/v1/messages"));
    }

    void aBaseUrlWithItsVersionIsNotRepeated_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<bool>("openAi");
        // Local servers document their URL with the version (Ollama: http://localhost:11434/v1).
        QTest::newRow("openai, host only") << QString() << true;
        QTest::newRow("openai, /v1") << QStringLiteral("/v1") << true;
        QTest::newRow("openai, /v1/") << QStringLiteral("/v1/") << true;
        QTest::newRow("anthropic, /v1") << QStringLiteral("/v1") << false;
    }

    void aBaseUrlWithItsVersionIsNotRepeated()
    {
        QFETCH(QString, suffix);
        QFETCH(bool, openAi);
        LlmSettings settings = settingsFor(*m_server);
        settings.provider = openAi ? LlmProvider::OpenAiCompatible : LlmProvider::Anthropic;
        settings.baseUrl = QUrl(m_server->url().toString() + suffix);
        const auto client = createLlmClient(settings);
        const auto extracted = extract(*client);
        QVERIFY(extracted);
        QVERIFY2(extracted->ok(), qPrintable(errorText(*extracted)));
        QCOMPARE(m_server->received.size(), 1);
        QCOMPARE(m_server->received.first().path,
                 openAi ? QByteArray("/v1/chat/completions") : QByteArray("/v1/messages"));
    }

    void aBasePathBeforeTheVersionIsKept()
    {
        // A proxy that serves the API under a prefix: only a trailing version is taken as the API's.
        LlmSettings settings = settingsFor(*m_server);
        settings.baseUrl = QUrl(m_server->url().toString() + QStringLiteral("/llm/v1"));
        OpenAiClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome);
        QCOMPARE(m_server->received.size(), 1);
        QCOMPARE(m_server->received.first().path, QByteArray("/llm/v1/chat/completions"));
    }

    void noBaseUrlIsAConfigurationError()
    {
        LlmSettings settings = settingsFor(*m_server);
        settings.baseUrl = QUrl();
        OpenAiClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Config);
        QVERIFY(m_server->received.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOpenAiClient)
#include "test_openai_client.moc"
