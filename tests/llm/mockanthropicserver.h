#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace fb::test {

/// A model API on 127.0.0.1 (ephemeral port) for tests: POST /v1/messages as Anthropic's Messages API and
/// POST /v1/chat/completions as an OpenAI-compatible server.
///
/// Every request is first validated as the real API does, and refused with the API's status and error body:
/// Anthropic: a missing or wrong x-api-key (401), a missing anthropic-version, a non-JSON body, an unknown
/// field, a missing model or max_tokens, a "system" role (or any role but user/assistant) in messages, a
/// first message that is not the user's, thinking that is not an object, a budget under 1024 or not below
/// max_tokens, and a temperature or top_k with thinking (400). OpenAI: a missing or wrong Bearer key (401),
/// no messages, an unknown role, and Anthropic's `thinking` field (400). A valid request then plays the next
/// scripted scenario (or the fallback, Ok).
class MockAnthropicServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MockAnthropicServer)

public:
    enum class Scenario
    {
        Ok,               ///< thinking + text, end_turn
        FencedJson,       ///< the JSON in a ```json fence
        ProseAroundJson,  ///< a sentence, the JSON, a sentence
        MalformedJson,    ///< an unfinished object
        Truncated,        ///< stop_reason max_tokens (OpenAI: finish_reason length)
        Refusal,          ///< stop_reason refusal (OpenAI: message.refusal)
        RedactedThinking, ///< a redacted_thinking block before the text
        SplitText,        ///< the answer in two text blocks around a thinking block
        RateLimited,      ///< 429 rate_limit_error with retry-after: 1
        SpendLimit,       ///< 429 without retry-after: the workspace's spend limit
        Overloaded,       ///< 529 overloaded_error
        ServerError,      ///< 500 api_error
        ShouldRetryFalse, ///< 500 api_error with x-should-retry: false
        BadRequest,       ///< 400 invalid_request_error (scripted)
        Unauthorized,     ///< 401 authentication_error (scripted, whatever the key)
        Hang,             ///< reads the request and never answers
        Reset,            ///< reads the request and resets the connection
        HtmlBadGateway,   ///< 502 with an HTML page from a proxy, no request-id
    };

    /// One request as it arrived, and what the server answered.
    struct Received
    {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; ///< names in lower case
        QByteArray rawBody;
        QJsonObject body;
        int status = 0; ///< 0 when it hung or reset
        QString requestId;
        QString errorMessage; ///< of a refused request
    };

    explicit MockAnthropicServer(QObject *parent = nullptr);
    ~MockAnthropicServer() override;

    /// Listens on 127.0.0.1, on an ephemeral port unless `port` is given (a model that comes back where a
    /// client was refused).
    bool listen(quint16 port = 0);
    QUrl url() const;

    void setExpectedKey(const QByteArray &key) { m_key = key; }
    QByteArray expectedKey() const { return m_key; }
    /// Each request takes the next scenario; the fallback answers when the script is used up.
    void script(const QList<Scenario> &scenarios) { m_script = scenarios; }
    void setFallback(Scenario scenario) { m_fallback = scenario; }
    /// The JSON text the answering scenarios carry.
    void setAnswer(const QString &json) { m_answer = json; }
    QString answer() const { return m_answer; }

    QList<Received> received;
    /// Requests that reached a scenario (validated), as opposed to refused ones.
    int played() const { return m_played; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, Received request);
    /// An error status and body if the request is not one the real API would take.
    bool refuseAnthropic(Received &request, int &status, QByteArray &body) const;
    bool refuseOpenAi(Received &request, int &status, QByteArray &body) const;
    void play(QTcpSocket *socket, Received &request, Scenario scenario, bool openAi);
    void respond(QTcpSocket *socket, Received &request, int status, const QByteArray &body,
                 const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {},
                 const QByteArray &contentType = QByteArrayLiteral("application/json"),
                 bool withRequestId = true, bool openAi = false);

    QTcpServer m_server;
    QByteArray m_key = QByteArrayLiteral("test-key");
    QList<Scenario> m_script;
    Scenario m_fallback = Scenario::Ok;
    QString m_answer;
    int m_played = 0;
    int m_nextId = 1;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QPointer<QTcpSocket>> m_hanging;
};

} // namespace fb::test
