// The Anthropic Messages API client (sync/llm/anthropicclient.h) against a mock of the API that validates
// requests as the real one does (llm/mockanthropicserver.h): what is sent, how every kind of answer is read,
// and how failures are retried and reported.
#include "extraction/attributeextractor.h"
#include "llm/anthropicclient.h"
#include "llm/llmsettings.h"
#include "llm/mockanthropicserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fb;
using namespace fb::sync;
using Scenario = fb::test::MockAnthropicServer::Scenario;

Q_DECLARE_METATYPE(fb::test::MockAnthropicServer::Scenario)

namespace {

constexpr int kWaitMs = 30'000;

/// The error of a failed result, for QVERIFY2 (which evaluates its message even when the check passes).
template <typename R> QString errorText(const R &result)
{
    return result.ok() ? QString() : result.error().toString();
}
const QString kNotes = QStringLiteral("Elderly woman. Dog named Biscuit, keep gate closed.");

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
    settings.baseUrl = server.url();
    settings.apiKey = QString::fromLatin1(server.expectedKey());
    settings.model = QStringLiteral("claude-sonnet-4-5");
    settings.retryDelayScale = 0.001; // retries in milliseconds
    settings.totalTimeout = std::chrono::seconds(20);
    return settings;
}

/// Runs one exchange to its end.
std::optional<LlmOutcome> exchange(HttpLlmClient &client, const LlmRequest &request)
{
    auto outcome = std::make_shared<std::optional<LlmOutcome>>();
    client.exchange(request, [outcome](const LlmOutcome &o) { *outcome = o; });
    if (!QTest::qWaitFor([&] { return outcome->has_value(); }, kWaitMs))
        return std::nullopt;
    return *outcome;
}

/// Runs one extraction (client + AttributeExtractor's prompt and parser) to its end.
std::optional<Result<ExtractedAttributes>> extract(LlmClient &client, const QString &notes = kNotes)
{
    AttributeExtractor extractor(client);
    auto result = std::make_shared<std::optional<Result<ExtractedAttributes>>>();
    extractor.extract(notes, [result](Result<ExtractedAttributes> r) { *result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result->has_value(); }, kWaitMs))
        return std::nullopt;
    return *result;
}

/// A port on 127.0.0.1 that takes no new connection: a listening socket with a backlog of 0 whose accept
/// queue is filled by one connection that is never accepted. Linux then drops every further SYN, so a
/// client's connect neither succeeds nor fails (as with a firewall that drops packets), deterministically and
/// without leaving the machine.
class NoConnectionPort final
{
public:
    NoConnectionPort()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_listener < 0 || ::bind(m_listener, reinterpret_cast<sockaddr *>(&address), length) != 0 ||
            ::listen(m_listener, 0) != 0 ||
            ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
        // Blocking: it returns once the connection sits in the accept queue, which is then full.
        m_filler = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_filler < 0 || ::connect(m_filler, reinterpret_cast<sockaddr *>(&address), length) != 0)
            m_port = 0;
    }
    ~NoConnectionPort()
    {
        if (m_filler >= 0)
            ::close(m_filler);
        if (m_listener >= 0)
            ::close(m_listener);
    }
    NoConnectionPort(const NoConnectionPort &) = delete;
    NoConnectionPort &operator=(const NoConnectionPort &) = delete;

    quint16 port() const { return m_port; }
    /// Whether the listener still has no connection to accept beyond the filler (the client's never arrived).
    bool onlyTheFillerArrived() const
    {
        const int accepted = ::accept4(m_listener, nullptr, nullptr, SOCK_NONBLOCK);
        if (accepted < 0)
            return false;
        ::close(accepted);
        pollfd waiting{m_listener, POLLIN, 0};
        return ::poll(&waiting, 1, 0) == 0;
    }

private:
    int m_listener = -1;
    int m_filler = -1;
    quint16 m_port = 0;
};

} // namespace

class TestAnthropicClient final : public QObject
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

    void okSendsWhatTheApiDocumentsAndReadsTheAnswer()
    {
        AnthropicClient client(settingsFor(*m_server));
        const LlmRequest request = AttributeExtractor::buildRequest(kNotes);
        const auto outcome = exchange(client, request);
        QVERIFY(outcome);
        QVERIFY2(outcome->ok(), qPrintable(outcome->error.describe()));

        QCOMPARE(m_server->received.size(), 1);
        const auto &sent = m_server->received.first();
        QCOMPARE(sent.path, QByteArray("/v1/messages"));
        QCOMPARE(sent.headers.value("x-api-key"), QByteArray("test-key"));
        QCOMPARE(sent.headers.value("anthropic-version"), QByteArray("2023-06-01"));
        QCOMPARE(sent.headers.value("content-type"), QByteArray("application/json"));
        // The system prompt is the top-level field; the only message is the user's, with the notes wrapped.
        QCOMPARE(sent.body.value(QStringLiteral("system")).toString(), AttributeExtractor::systemPrompt());
        const QJsonArray messages = sent.body.value(QStringLiteral("messages")).toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.first()[QStringLiteral("role")].toString(), QStringLiteral("user"));
        QVERIFY(messages.first()[QStringLiteral("content")].toString().contains(
            QStringLiteral("<notes>\n%1\n</notes>").arg(kNotes)));
        const QJsonObject thinking = sent.body.value(QStringLiteral("thinking")).toObject();
        QCOMPARE(thinking.value(QStringLiteral("type")).toString(), QStringLiteral("enabled"));
        const int budget = thinking.value(QStringLiteral("budget_tokens")).toInt();
        const int maxTokens = sent.body.value(QStringLiteral("max_tokens")).toInt();
        QVERIFY(budget >= 1024);
        QVERIFY(budget < maxTokens);
        QVERIFY(!sent.body.contains(QStringLiteral("temperature")));
        QVERIFY(!sent.body.contains(QStringLiteral("top_k")));
        QVERIFY(!sent.body.contains(QStringLiteral("output_config")));
        QCOMPARE(sent.body.value(QStringLiteral("model")).toString(), QStringLiteral("claude-sonnet-4-5"));

        QCOMPARE(outcome->response->text, m_server->answer());
        QVERIFY(outcome->response->thinking.contains(QStringLiteral("Biscuit")));
        QCOMPARE(outcome->response->stopReason, QStringLiteral("end_turn"));
        QCOMPARE(outcome->response->requestId, sent.requestId);
        QCOMPARE(outcome->attempts, 1);

        const auto extracted = extract(client);
        QVERIFY(extracted && extracted->ok());
        QCOMPARE((*extracted)->attributes, expectedAttributes());
    }

    void answerShapes_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::newRow("ok (thinking + text)") << Scenario::Ok;
        QTest::newRow("fenced JSON") << Scenario::FencedJson;
        QTest::newRow("prose around JSON") << Scenario::ProseAroundJson;
        QTest::newRow("redacted_thinking") << Scenario::RedactedThinking;
        QTest::newRow("split text blocks") << Scenario::SplitText;
    }

    void answerShapes()
    {
        QFETCH(Scenario, scenario);
        m_server->script({scenario});
        AnthropicClient client(settingsFor(*m_server));
        const auto extracted = extract(client);
        QVERIFY(extracted);
        QVERIFY2(extracted->ok(), qPrintable(errorText(*extracted)));
        QCOMPARE((*extracted)->attributes, expectedAttributes());
        // The thinking is never taken for the answer.
        QVERIFY(!(*extracted)->rawResponse.contains(QStringLiteral("The notes mention")));
        QCOMPARE(m_server->received.size(), 1);
    }

    void unusableAnswersAreErrorsNotEmptyResults_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed JSON") << Scenario::MalformedJson << QStringLiteral("not a JSON object");
        QTest::newRow("truncated (max_tokens)") << Scenario::Truncated << QStringLiteral("truncated");
        QTest::newRow("refusal") << Scenario::Refusal << QStringLiteral("refused");
    }

    void unusableAnswersAreErrorsNotEmptyResults()
    {
        QFETCH(Scenario, scenario);
        QFETCH(QString, mentions);
        m_server->script({scenario});
        AnthropicClient client(settingsFor(*m_server));
        const auto extracted = extract(client);
        QVERIFY(extracted);
        QVERIFY(!extracted->ok());
        QCOMPARE(extracted->error().code, ErrorCode::Parse);
        QVERIFY2(extracted->error().message.contains(mentions), qPrintable(extracted->error().message));
        QCOMPARE(m_server->received.size(), 1); // an answer is not retried
    }

    void structuredOutputOnlyWhenTheModelSupportsIt_data()
    {
        QTest::addColumn<bool>("supported");
        QTest::newRow("supported") << true;
        QTest::newRow("not supported") << false;
    }

    void structuredOutputOnlyWhenTheModelSupportsIt()
    {
        QFETCH(bool, supported);
        LlmSettings settings = settingsFor(*m_server);
        settings.structuredOutput = supported;
        AnthropicClient client(settings);
        const auto extracted = extract(client);
        QVERIFY(extracted && extracted->ok());
        const QJsonObject body = m_server->received.first().body;
        QCOMPARE(body.contains(QStringLiteral("output_config")), supported);
        if (supported) {
            const QJsonObject format =
                body[QStringLiteral("output_config")][QStringLiteral("format")].toObject();
            QCOMPARE(format.value(QStringLiteral("type")).toString(), QStringLiteral("json_schema"));
            QCOMPARE(format.value(QStringLiteral("schema")).toObject(),
                     AttributeExtractor::buildRequest(kNotes).jsonSchema);
        }
    }

    // The mock is only worth testing against if it refuses what the API refuses: the seed's mistakes
    // included.
    void mockRefusesWhatTheApiRefuses_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("withKey");
        QTest::addColumn<bool>("withVersion");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorType");
        const QByteArray good = R"({"model":"m","max_tokens":4096,"system":"s",
            "thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"n"}]})";
        const QString invalid = QStringLiteral("invalid_request_error");
        QTest::newRow("valid") << good << true << true << 200 << QString();
        QTest::newRow("system role in messages")
            << QByteArray(R"({"model":"m","max_tokens":4096,"messages":[{"role":"system","content":"s"},
                             {"role":"user","content":"n"}]})")
            << true << true << 400 << invalid;
        QTest::newRow("thinking: true") << QByteArray(R"({"model":"m","max_tokens":4096,"thinking":true,
                             "messages":[{"role":"user","content":"n"}]})")
                                        << true << true << 400 << invalid;
        QTest::newRow("budget 512")
            << QByteArray(R"({"model":"m","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":512},
                             "messages":[{"role":"user","content":"n"}]})")
            << true << true << 400 << invalid;
        QTest::newRow("budget not below max_tokens")
            << QByteArray(
                   R"({"model":"m","max_tokens":1024,"thinking":{"type":"enabled","budget_tokens":1024},
                             "messages":[{"role":"user","content":"n"}]})")
            << true << true << 400 << invalid;
        QTest::newRow("temperature with thinking")
            << QByteArray(R"({"model":"m","max_tokens":4096,"temperature":0.2,
                             "thinking":{"type":"enabled","budget_tokens":1024},
                             "messages":[{"role":"user","content":"n"}]})")
            << true << true << 400 << invalid;
        QTest::newRow("no x-api-key")
            << good << false << true << 401 << QStringLiteral("authentication_error");
        QTest::newRow("no anthropic-version") << good << true << false << 400 << invalid;
    }

    void mockRefusesWhatTheApiRefuses()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, withKey);
        QFETCH(bool, withVersion);
        QFETCH(int, status);
        QFETCH(QString, errorType);
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(m_server->url().toString() + QStringLiteral("/v1/messages")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (withKey)
            request.setRawHeader("x-api-key", m_server->expectedKey());
        if (withVersion)
            request.setRawHeader("anthropic-version", "2023-06-01");
        QNetworkReply *reply = network.post(request, body);
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, kWaitMs));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        if (status != 200) {
            QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
            QCOMPARE(answer[QStringLiteral("error")][QStringLiteral("type")].toString(), errorType);
        }
        QVERIFY(!reply->rawHeader("request-id").isEmpty());
        reply->deleteLater();
    }

    void failuresThenOkSucceedsWithinTheRetries()
    {
        m_server->script({Scenario::Overloaded, Scenario::ServerError, Scenario::Ok});
        AnthropicClient client(settingsFor(*m_server)); // 2 retries by default
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome);
        QVERIFY2(outcome->ok(), qPrintable(outcome->error.describe()));
        QCOMPARE(outcome->attempts, 3);
        QCOMPARE(m_server->played(), 3);
        // Every attempt sent the same request.
        QCOMPARE(m_server->received.at(0).rawBody, m_server->received.at(2).rawBody);
    }

    // Issue 15: what people read of a failure is words (llmwords), never "config, no HTTP status, no
    // request-id"; the log line (describe()) keeps those details.
    void failuresReadInWords_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("said");
        QTest::newRow("no key") << int(LlmError::Kind::Config) << 0 << llmwords::notSetUp();
        QTest::newRow("offline") << int(LlmError::Kind::Network) << 0 << llmwords::unreachable();
        QTest::newRow("no answer in time") << int(LlmError::Kind::Timeout) << 0 << llmwords::unreachable();
        QTest::newRow("wrong key") << int(LlmError::Kind::Http) << 401 << llmwords::keyRefused();
        QTest::newRow("overloaded") << int(LlmError::Kind::Http) << 529 << llmwords::busy();
    }
    void failuresReadInWords()
    {
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(QString, said);
        LlmError error;
        error.kind = LlmError::Kind(kind);
        error.httpStatus = status;
        error.requestId = status ? QStringLiteral("req_42") : QString();
        error.message = QStringLiteral("no Anthropic API key is configured");
        const Error core = error.toError();
        QCOMPARE(core.message, said);
        QCOMPARE(core.code, ErrorCode::Unavailable);
        for (const char *jargon : {"config", "HTTP", "request-id", "req_42", "network", "timeout"})
            QVERIFY2(!core.message.contains(QLatin1String(jargon)), qPrintable(core.message));
        QVERIFY(error.describe().contains(LlmError::kindName(error.kind)));
        if (status)
            QCOMPARE(error.details(), QStringLiteral("HTTP %1, request-id req_42").arg(status));
    }

    void retryableFailuresGiveUpAfterTheRetries_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("apiType");
        QTest::addColumn<bool>("hasRequestId");
        QTest::newRow("429 with retry-after")
            << Scenario::RateLimited << 429 << QStringLiteral("rate_limit_error") << true;
        QTest::newRow("529 overloaded")
            << Scenario::Overloaded << 529 << QStringLiteral("overloaded_error") << true;
        QTest::newRow("500") << Scenario::ServerError << 500 << QStringLiteral("api_error") << true;
        QTest::newRow("HTML 502 from a proxy") << Scenario::HtmlBadGateway << 502 << QString() << false;
    }

    void retryableFailuresGiveUpAfterTheRetries()
    {
        QFETCH(Scenario, scenario);
        QFETCH(int, status);
        QFETCH(QString, apiType);
        QFETCH(bool, hasRequestId);
        m_server->setFallback(scenario);
        LlmSettings settings = settingsFor(*m_server);
        settings.maxRetries = 3;
        AnthropicClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome);
        QVERIFY(!outcome->ok());
        QCOMPARE(m_server->played(), 4);
        const LlmError &error = outcome->error;
        QCOMPARE(error.kind, LlmError::Kind::Http);
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.apiErrorType, apiType);
        QCOMPARE(error.attempts, 4);
        QCOMPARE(error.requestId, hasRequestId ? m_server->received.last().requestId : QString());
        QVERIFY(!error.message.isEmpty());
        if (!hasRequestId)
            QVERIFY2(error.message.contains(QStringLiteral("Bad Gateway")), qPrintable(error.message));
        // The core's error (what people read, and what the queue keeps) says what happened in words; the
        // status and the request-id are the log's line (describe()).
        const Error coreError = error.toError();
        QCOMPARE(coreError.code, ErrorCode::Unavailable);
        QCOMPARE(coreError.message, llmwords::busy());
        QVERIFY(!coreError.message.contains(QStringLiteral("HTTP")));
        QVERIFY(error.describe().contains(QStringLiteral("HTTP %1").arg(status)));
        if (hasRequestId)
            QVERIFY(error.describe().contains(error.requestId));
    }

    void refusalsThatRetryingCannotFixAreNotRetried_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("code");
        const int unavailable = int(ErrorCode::Unavailable);
        QTest::newRow("429 spend limit") << Scenario::SpendLimit << 429 << unavailable;
        QTest::newRow("500 with x-should-retry: false") << Scenario::ShouldRetryFalse << 500 << unavailable;
        QTest::newRow("401") << Scenario::Unauthorized << 401 << unavailable;
        QTest::newRow("400") << Scenario::BadRequest << 400 << int(ErrorCode::Database);
    }

    void refusalsThatRetryingCannotFixAreNotRetried()
    {
        QFETCH(Scenario, scenario);
        QFETCH(int, status);
        QFETCH(int, code);
        m_server->setFallback(scenario);
        AnthropicClient client(settingsFor(*m_server));
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(m_server->played(), 1);
        QCOMPARE(outcome->error.httpStatus, status);
        QCOMPARE(outcome->error.requestId, m_server->received.first().requestId);
        QCOMPARE(int(outcome->error.toError().code), code);
    }

    void aWrongKeyIsRefusedByTheApi()
    {
        LlmSettings settings = settingsFor(*m_server);
        settings.apiKey = QStringLiteral("sk-ant-wrong");
        AnthropicClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.httpStatus, 401);
        QCOMPARE(outcome->error.apiErrorType, QStringLiteral("authentication_error"));
        QCOMPARE(m_server->received.size(), 1);
    }

    void aHangingServerTimesOut()
    {
        m_server->setFallback(Scenario::Hang);
        LlmSettings settings = settingsFor(*m_server);
        settings.totalTimeout = std::chrono::milliseconds(300);
        settings.maxRetries = 1;
        AnthropicClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Timeout);
        QCOMPARE(outcome->error.httpStatus, 0);
        QCOMPARE(outcome->attempts, 2); // a timeout is retried
        QCOMPARE(m_server->played(), 2);
        QCOMPARE(outcome->error.toError().code, ErrorCode::Unavailable);
    }

    // Issue 11: one deadline for the whole exchange, whether it passes during an attempt or while waiting to
    // retry, with no retry after it.
    void theDeadlineEndsTheWholeExchange_data()
    {
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<int>("retryDelayMs"); // the wait before each retry
        QTest::newRow("during an attempt that never answers") << Scenario::Hang << 1;
        QTest::newRow("while waiting to retry after a 529") << Scenario::Overloaded << 60'000;
    }

    void theDeadlineEndsTheWholeExchange()
    {
        QFETCH(Scenario, scenario);
        QFETCH(int, retryDelayMs);
        m_server->setFallback(scenario);
        LlmSettings settings = settingsFor(*m_server);
        settings.totalTimeout = std::chrono::seconds(60); // per attempt: far away
        settings.maxRetries = 5;
        settings.retryDelayScale = retryDelayMs / 500.0; // the first backoff is 0.5 s minus jitter
        settings.deadline = std::chrono::milliseconds(700);
        AnthropicClient client(settings);
        QElapsedTimer clock;
        clock.start();
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        const qint64 elapsed = clock.elapsed();
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Timeout);
        QVERIFY2(
            outcome->error.message.contains(QStringLiteral("the model server did not answer within 700 ms")),
            qPrintable(outcome->error.message));
        QVERIFY2(elapsed >= 650 && elapsed < 5'000, qPrintable(QString::number(elapsed)));
        QCOMPARE(outcome->error.toError().code, ErrorCode::Unavailable);
        // Nothing is sent after the deadline.
        const int sent = m_server->played();
        QTest::qWait(300);
        QCOMPARE(m_server->played(), sent);
    }

    void aServerThatTakesNoConnectionHitsTheConnectTimeout()
    {
        NoConnectionPort silent;
        QVERIFY(silent.port() != 0);
        LlmSettings settings = settingsFor(*m_server);
        settings.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.port()));
        settings.connectTimeout = std::chrono::milliseconds(300);
        settings.totalTimeout = std::chrono::seconds(60); // far away: only the connect timeout can end it
        settings.maxRetries = 1;
        AnthropicClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Timeout);
        QVERIFY2(outcome->error.message.contains(QStringLiteral("no connection within 300 ms")),
                 qPrintable(outcome->error.message));
        QCOMPARE(outcome->error.httpStatus, 0);
        QCOMPARE(outcome->attempts, 2); // a connect timeout is retried like any failure to connect
        QCOMPARE(outcome->error.toError().code, ErrorCode::Unavailable);
        QVERIFY(silent.onlyTheFillerArrived());
    }

    void aResetConnectionIsANetworkError()
    {
        m_server->setFallback(Scenario::Reset);
        AnthropicClient client(settingsFor(*m_server));
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Network);
        QCOMPARE(outcome->attempts, 3);
        QVERIFY(m_server->played() >= 3);
        QCOMPARE(outcome->error.toError().code, ErrorCode::Unavailable);
    }

    void nothingListeningIsANetworkError()
    {
        const QUrl url = m_server->url();
        m_server.reset(); // the port is closed now
        LlmSettings settings;
        settings.baseUrl = url;
        settings.apiKey = QStringLiteral("test-key");
        settings.retryDelayScale = 0.001;
        AnthropicClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Network);
        QCOMPARE(outcome->attempts, 3);
    }

    void noKeyFailsWithoutSendingAndNeverBeforeSendReturns()
    {
        LlmSettings settings = settingsFor(*m_server);
        settings.apiKey.clear();
        AnthropicClient client(settings);
        bool called = false;
        std::optional<Result<LlmResponse>> result;
        client.send(AttributeExtractor::buildRequest(kNotes), [&](Result<LlmResponse> r) {
            called = true;
            result = std::move(r);
        });
        QVERIFY(!called);
        QVERIFY(QTest::qWaitFor([&] { return called; }, kWaitMs));
        QVERIFY(!result->ok());
        QCOMPARE(result->error().code, ErrorCode::Unavailable);
        // In words for people; the kind ("config") and the reason stay in the detail, for the log.
        QCOMPARE(result->error().message, llmwords::notSetUp());
        QVERIFY(result->error().detail.startsWith(QStringLiteral("config")));
        QVERIFY(m_server->received.isEmpty());
    }

    void aRequestTheApiWouldRefuseIsNotSent_data()
    {
        QTest::addColumn<int>("budget");
        QTest::addColumn<int>("maxTokens");
        QTest::newRow("budget under 1024") << 512 << 4096;
        QTest::newRow("budget not below max_tokens") << 1024 << 1024;
    }

    void aRequestTheApiWouldRefuseIsNotSent()
    {
        QFETCH(int, budget);
        QFETCH(int, maxTokens);
        LlmRequest request = AttributeExtractor::buildRequest(kNotes);
        request.thinkingBudgetTokens = budget;
        request.maxTokens = maxTokens;
        AnthropicClient client(settingsFor(*m_server));
        const auto outcome = exchange(client, request);
        QVERIFY(outcome && !outcome->ok());
        QCOMPARE(outcome->error.kind, LlmError::Kind::Invalid);
        QCOMPARE(outcome->error.toError().code, ErrorCode::Database);
        QVERIFY(m_server->received.isEmpty());
    }

    void aClientDestroyedMidRequestAnswersOnce()
    {
        m_server->setFallback(Scenario::Hang);
        auto client = std::make_unique<AnthropicClient>(settingsFor(*m_server));
        int calls = 0;
        std::optional<Result<LlmResponse>> result;
        client->send(AttributeExtractor::buildRequest(kNotes), [&](Result<LlmResponse> r) {
            ++calls;
            result = std::move(r);
        });
        QVERIFY(QTest::qWaitFor([&] { return m_server->played() == 1; }, kWaitMs));
        QCOMPARE(calls, 0);
        client.reset();
        QCOMPARE(calls, 1);
        QCOMPARE(result->error().code, ErrorCode::Unavailable);
        QTest::qWait(50); // nothing else arrives later
        QCOMPARE(calls, 1);
    }

    void retryPolicy_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("headerName");
        QTest::addColumn<QByteArray>("headerValue");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("retry");
        QTest::newRow("no answer") << 0 << QByteArray() << QByteArray() << QString() << true;
        QTest::newRow("400") << 400 << QByteArray() << QByteArray() << QString() << false;
        QTest::newRow("401") << 401 << QByteArray() << QByteArray() << QString() << false;
        QTest::newRow("404") << 404 << QByteArray() << QByteArray() << QString() << false;
        QTest::newRow("408") << 408 << QByteArray() << QByteArray() << QString() << true;
        QTest::newRow("409") << 409 << QByteArray() << QByteArray() << QString() << true;
        QTest::newRow("429") << 429 << QByteArray() << QByteArray() << QStringLiteral("rate limit") << true;
        QTest::newRow("429 spend limit") << 429 << QByteArray() << QByteArray()
                                         << QStringLiteral("workspace spend limit reached") << false;
        QTest::newRow("429 spend limit with retry-after")
            << 429 << QByteArray("retry-after") << QByteArray("30") << QStringLiteral("spend limit") << true;
        QTest::newRow("500") << 500 << QByteArray() << QByteArray() << QString() << true;
        QTest::newRow("529") << 529 << QByteArray() << QByteArray() << QString() << true;
        QTest::newRow("x-should-retry false on 529")
            << 529 << QByteArray("x-should-retry") << QByteArray("false") << QString() << false;
        QTest::newRow("x-should-retry true on 400")
            << 400 << QByteArray("x-should-retry") << QByteArray("true") << QString() << true;
    }

    void retryPolicy()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, headerName);
        QFETCH(QByteArray, headerValue);
        QFETCH(QString, message);
        QFETCH(bool, retry);
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!headerName.isEmpty())
            headers.append({headerName, headerValue});
        QCOMPARE(HttpLlmClient::shouldRetry(status, headers, QStringLiteral("rate_limit_error"), message),
                 retry);
    }

    void retryDelays_data()
    {
        QTest::addColumn<QByteArray>("headerName");
        QTest::addColumn<QByteArray>("headerValue");
        QTest::addColumn<int>("retriesSoFar");
        QTest::addColumn<double>("jitter");
        QTest::addColumn<int>("expectedMs");
        QTest::newRow("first retry, no jitter") << QByteArray() << QByteArray() << 0 << 0.0 << 500;
        QTest::newRow("second retry") << QByteArray() << QByteArray() << 1 << 0.0 << 1000;
        QTest::newRow("capped at 8 s") << QByteArray() << QByteArray() << 10 << 0.0 << 8000;
        QTest::newRow("full jitter takes 25% off") << QByteArray() << QByteArray() << 2 << 1.0 << 1500;
        QTest::newRow("retry-after seconds")
            << QByteArray("retry-after") << QByteArray("3") << 0 << 0.0 << 3000;
        QTest::newRow("retry-after-ms wins")
            << QByteArray("retry-after-ms") << QByteArray("250") << 0 << 0.0 << 250;
        QTest::newRow("retry-after over a minute is ignored")
            << QByteArray("retry-after") << QByteArray("3600") << 0 << 0.0 << 500;
    }

    void retryDelays()
    {
        QFETCH(QByteArray, headerName);
        QFETCH(QByteArray, headerValue);
        QFETCH(int, retriesSoFar);
        QFETCH(double, jitter);
        QFETCH(int, expectedMs);
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!headerName.isEmpty())
            headers.append({headerName, headerValue});
        const auto server = HttpLlmClient::serverRetryDelay(headers);
        const auto delay = server ? *server : HttpLlmClient::backoffDelay(retriesSoFar, jitter);
        QCOMPARE(int(delay.count()), expectedMs);
    }

    void settingsComeFromSettingsAndTheEnvironment()
    {
        QTemporaryDir dir;
        QSettings stored(dir.filePath(QStringLiteral("fieldbook.ini")), QSettings::IniFormat);
        stored.setValue(QStringLiteral("llm/model"), QStringLiteral("claude-haiku-4-5"));
        stored.setValue(QStringLiteral("llm/structuredOutput"), true);
        stored.setValue(QStringLiteral("llm/timeoutSeconds"), 90);
        QProcessEnvironment env;
        const LlmSettings fromFile = LlmSettings::load(stored, env);
        QCOMPARE(fromFile.effectiveModel(), QStringLiteral("claude-haiku-4-5"));
        QCOMPARE(fromFile.effectiveBaseUrl(), QUrl(QStringLiteral("https://api.anthropic.com")));
        QVERIFY(fromFile.structuredOutput);
        QCOMPARE(fromFile.totalTimeout, std::chrono::milliseconds(90'000));
        QVERIFY(fromFile.apiKey.isEmpty());

        env.insert(QStringLiteral("FIELDBOOK_LLM_BASE_URL"), QStringLiteral("http://127.0.0.1:9"));
        env.insert(QStringLiteral("FIELDBOOK_LLM_MODEL"), QStringLiteral("claude-sonnet-4-5"));
        env.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-ant-from-env"));
        const LlmSettings fromEnv = LlmSettings::load(stored, env);
        QCOMPARE(fromEnv.effectiveBaseUrl(), QUrl(QStringLiteral("http://127.0.0.1:9")));
        QCOMPARE(fromEnv.effectiveModel(), QStringLiteral("claude-sonnet-4-5"));
        QCOMPARE(fromEnv.apiKey, QStringLiteral("sk-ant-from-env"));
    }

    void theKeyIsNeverInSettingsOrLogs()
    {
        const QString key = QStringLiteral("sk-ant-secret-0123456789");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fieldbook.ini"));
        {
            QSettings stored(path, QSettings::IniFormat);
            LlmSettings settings = settingsFor(*m_server);
            settings.apiKey = key;
            settings.save(stored);
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(saved.contains("llm"));
        QVERIFY(!saved.contains(key.toUtf8()));

        // A failing exchange logs warnings: none of them quotes the key.
        static QStringList logged;
        logged.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &message) { logged.append(message); });
        m_server->setFallback(Scenario::ServerError);
        LlmSettings settings = settingsFor(*m_server);
        m_server->setExpectedKey(key.toUtf8());
        settings.apiKey = key;
        AnthropicClient client(settings);
        const auto outcome = exchange(client, AttributeExtractor::buildRequest(kNotes));
        qInstallMessageHandler(previous);
        QVERIFY(outcome && !outcome->ok());
        QVERIFY(!logged.isEmpty());
        for (const QString &line : std::as_const(logged))
            QVERIFY2(!line.contains(key), qPrintable(line));
        QVERIFY(!outcome->error.describe().contains(key));
    }
};

QTEST_GUILESS_MAIN(TestAnthropicClient)
#include "test_anthropic_client.moc"
