#pragma once

#include "extraction/llmclient.h"
#include "llm/llmerror.h"
#include "llm/llmsettings.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace fb::sync {

/// What one exchange with the model came to: the answer, or the typed error.
struct LlmOutcome
{
    std::optional<LlmResponse> response;
    LlmError error; ///< meaningful when there is no response
    int httpStatus = 0;
    int attempts = 0;
    /// The model that answered, as the API names it in its answer ("claude-sonnet-4-5-20250929"); empty
    /// when there was no answer or it did not say.
    QString model;
    bool ok() const { return response.has_value(); }
};

/// An LlmClient over HTTP (QNetworkAccessManager, asynchronous, on the thread the client lives on): the
/// transport, timeouts and retries every provider shares. Subclasses say how a request is written and an
/// answer read (AnthropicClient, OpenAiClient).
///
/// Timeouts: a connect timeout (no request sent within it) and a total timeout per attempt (no complete
/// answer within it). Retries follow the official SDKs: an `x-should-retry: true|false` header decides when
/// present; otherwise connection failures, timeouts and the statuses 408, 409, 429 and >= 500 (529 included)
/// are retried, other statuses never. A 429 without retry-after(-ms) whose error mentions a spend or billing
/// limit is a limit the shop must raise, not a rate to wait out: it is not retried. The delay before retry n
/// (0-based) is retry-after-ms or retry-after when the server gives one between 0 and 60 s, else min(0.5 *
/// 2^n, 8) s minus up to 25% jitter; settings.retryDelayScale multiplies it. settings.deadline, when set,
/// bounds the whole exchange, retries and their waits included.
///
/// `done` is called exactly once per request, never before send() returns; a client destroyed with requests
/// in flight fails them (Network, "cancelled"). The key is sent in a header and never logged.
class HttpLlmClient : public QObject, public LlmClient
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpLlmClient)

public:
    /// `network` is used when given (not owned); otherwise the client makes its own.
    HttpLlmClient(LlmSettings settings, QNetworkAccessManager *network, QObject *parent);
    ~HttpLlmClient() override;

    const LlmSettings &settings() const { return m_settings; }
    /// Why nothing can be sent (no key, no base URL), or empty: callers that run a queue check it first
    /// instead of failing every request the same way.
    virtual QString configurationProblem() const = 0;
    /// For a key read from the keychain after construction.
    void setApiKey(const QString &key) { m_settings.apiKey = key; }

    using ExchangeCallback = std::function<void(const LlmOutcome &)>;
    /// Like send(), with the typed error, the HTTP status and the number of attempts.
    void exchange(const LlmRequest &request, ExchangeCallback done);
    void send(const LlmRequest &request, Callback done) override;

    /// Whether a failed attempt is worth retrying (see the class comment). `headers` keys are lower case.
    static bool shouldRetry(int httpStatus, const QList<std::pair<QByteArray, QByteArray>> &headers,
                            const QString &apiErrorType, const QString &message);
    /// The server's requested delay (retry-after-ms, else retry-after in seconds or as an HTTP date), if
    /// usable.
    static std::optional<std::chrono::milliseconds>
    serverRetryDelay(const QList<std::pair<QByteArray, QByteArray>> &headers);
    /// min(0.5 * 2^retriesSoFar, 8) s times (1 - 0.25 * jitter), jitter in [0, 1].
    static std::chrono::milliseconds backoffDelay(int retriesSoFar, double jitter);

protected:
    /// A prepared HTTP request: where it goes, its headers and its body.
    struct Prepared
    {
        QNetworkRequest request;
        QByteArray body;
    };
    /// Why this request would be refused by the API before it is sent (a thinking budget out of range), or
    /// empty.
    virtual QString requestProblem(const LlmRequest &request) const = 0;
    virtual Prepared prepare(const LlmRequest &request) const = 0;
    /// The answer of a 2xx body, or `problem` set.
    virtual std::optional<LlmResponse> parseAnswer(const QJsonObject &body, QString &problem) const = 0;
    /// error.type and error.message of an error body.
    virtual void parseErrorBody(const QJsonObject &body, QString &type, QString &message) const = 0;
    virtual QByteArray requestIdHeader() const = 0;

    /// {base}{path}, keeping a path the base URL already has. `path` starts with the API version ("/v1/...");
    /// a base that ends with it (http://localhost:11434/v1, as local servers document theirs) does not
    /// repeat it.
    QUrl endpoint(const QString &path) const;

private:
    struct Call;
    void startAttempt(const std::shared_ptr<Call> &call);
    void attemptFinished(const std::shared_ptr<Call> &call, QNetworkReply *reply);
    void complete(const std::shared_ptr<Call> &call, LlmOutcome outcome);
    void deadlinePassed(const std::shared_ptr<Call> &call);
    QString deadlineMessage() const;

    LlmSettings m_settings;
    QNetworkAccessManager *m_network = nullptr;
    QList<std::shared_ptr<Call>> m_calls; ///< in flight or waiting to retry
};

} // namespace fb::sync
