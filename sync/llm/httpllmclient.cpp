#include "llm/httpllmclient.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcLlm, "fieldbook.llm")

namespace fb::sync {

namespace {

using Headers = QList<std::pair<QByteArray, QByteArray>>;

QByteArray headerValue(const Headers &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    return {};
}

bool mentionsSpendLimit(const QString &apiErrorType, const QString &message)
{
    if (apiErrorType == QStringLiteral("billing_error"))
        return true;
    const QString lower = message.toLower();
    return lower.contains(QStringLiteral("spend")) || lower.contains(QStringLiteral("billing")) ||
           lower.contains(QStringLiteral("credit balance")) || lower.contains(QStringLiteral("quota"));
}

/// The first characters of a body that is not JSON (an HTML error page from a proxy), on one line.
QString snippet(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(200)).simplified();
    return text.isEmpty() ? QStringLiteral("(empty body)") : text;
}

} // namespace

struct HttpLlmClient::Call
{
    Prepared prepared;
    ExchangeCallback done;
    int attempts = 0;
    QPointer<QNetworkReply> reply;
    bool connected = false;
    QString timedOut; ///< "connect", "total" or "deadline" when a timer aborted the attempt
    bool completed = false;
    QPointer<QTimer> deadline; ///< the whole exchange's (settings.deadline), owned by the client
};

HttpLlmClient::HttpLlmClient(LlmSettings settings, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_network(network)
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
}

HttpLlmClient::~HttpLlmClient()
{
    // Fail what is still in flight, once, without letting the replies call back into a half-destroyed client.
    const auto calls = std::exchange(m_calls, {});
    for (const auto &call : calls) {
        if (call->reply) {
            call->reply->disconnect(this);
            call->reply->abort();
            call->reply->deleteLater();
        }
        if (call->completed)
            continue;
        call->completed = true;
        LlmOutcome outcome;
        outcome.attempts = call->attempts;
        outcome.error.kind = LlmError::Kind::Network;
        outcome.error.attempts = call->attempts;
        outcome.error.message = QStringLiteral("cancelled: the client was shut down");
        if (call->done)
            call->done(outcome);
    }
}

QUrl HttpLlmClient::endpoint(const QString &path) const
{
    QUrl url = m_settings.effectiveBaseUrl();
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const qsizetype version = path.indexOf(QLatin1Char('/'), 1); // "/v1" of "/v1/messages"
    if (version > 0 && base.endsWith(path.left(version)))
        base.chop(version);
    url.setPath(base + path);
    return url;
}

void HttpLlmClient::send(const LlmRequest &request, Callback done)
{
    exchange(request, [done = std::move(done)](const LlmOutcome &outcome) {
        if (outcome.ok())
            done(*outcome.response);
        else
            done(outcome.error.toError());
    });
}

void HttpLlmClient::exchange(const LlmRequest &request, ExchangeCallback done)
{
    auto call = std::make_shared<Call>();
    call->done = std::move(done);
    m_calls.append(call);

    LlmError refusal;
    if (const QString problem = configurationProblem(); !problem.isEmpty()) {
        refusal.kind = LlmError::Kind::Config;
        refusal.message = problem;
    } else if (const QString invalid = requestProblem(request); !invalid.isEmpty()) {
        refusal.kind = LlmError::Kind::Invalid;
        refusal.message = invalid;
    } else {
        call->prepared = prepare(request);
        if (m_settings.deadline.count() > 0) {
            call->deadline = new QTimer(this);
            call->deadline->setSingleShot(true);
            connect(call->deadline, &QTimer::timeout, this, [this, call] { deadlinePassed(call); });
            call->deadline->start(m_settings.deadline);
        }
        startAttempt(call);
        return;
    }
    // What people read is the error's plainMessage(); the details stay in the log.
    qCInfo(lcLlm).noquote() << QStringLiteral("not sent: %1").arg(refusal.describe());
    // Nothing to send: answer on the next turn of the event loop, as a network answer would come.
    QMetaObject::invokeMethod(
        this,
        [this, call, refusal] {
            LlmOutcome outcome;
            outcome.error = refusal;
            complete(call, outcome);
        },
        Qt::QueuedConnection);
}

void HttpLlmClient::startAttempt(const std::shared_ptr<Call> &call)
{
    ++call->attempts;
    call->connected = false;
    call->timedOut.clear();
    QNetworkReply *reply = m_network->post(call->prepared.request, call->prepared.body);
    call->reply = reply;

    auto *connectTimer = new QTimer(reply);
    connectTimer->setSingleShot(true);
    auto *totalTimer = new QTimer(reply);
    totalTimer->setSingleShot(true);
    const auto connected = [call, connectTimer] {
        call->connected = true;
        connectTimer->stop();
    };
    connect(reply, &QNetworkReply::requestSent, connectTimer, connected);
    connect(reply, &QNetworkReply::metaDataChanged, connectTimer, connected);
    connect(connectTimer, &QTimer::timeout, reply, [call, reply] {
        if (!call->connected) {
            call->timedOut = QStringLiteral("connect");
            reply->abort();
        }
    });
    connect(totalTimer, &QTimer::timeout, reply, [call, reply] {
        call->timedOut = QStringLiteral("total");
        reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { attemptFinished(call, reply); });
    connectTimer->start(m_settings.connectTimeout);
    totalTimer->start(m_settings.totalTimeout);
}

void HttpLlmClient::attemptFinished(const std::shared_ptr<Call> &call, QNetworkReply *reply)
{
    // The timers are the reply's children: they stop with it.
    reply->deleteLater();
    call->reply = nullptr;
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray(); // an aborted reply is closed
    Headers headers;
    for (const auto &[key, value] : reply->rawHeaderPairs())
        headers.append({key.toLower(), value});
    const QString requestId = QString::fromUtf8(headerValue(headers, requestIdHeader()));

    LlmOutcome outcome;
    outcome.httpStatus = status;
    outcome.attempts = call->attempts;
    LlmError &error = outcome.error;
    error.httpStatus = status;
    error.requestId = requestId;
    error.attempts = call->attempts;
    bool retryable = false;

    if (call->timedOut == QStringLiteral("deadline")) {
        error.kind = LlmError::Kind::Timeout;
        error.httpStatus = 0;
        error.message = deadlineMessage();
    } else if (!call->timedOut.isEmpty()) {
        error.kind = LlmError::Kind::Timeout;
        error.httpStatus = 0;
        error.message =
            call->timedOut == QStringLiteral("connect")
                ? QStringLiteral("no connection within %1 ms").arg(m_settings.connectTimeout.count())
                : QStringLiteral("no complete answer within %1 ms").arg(m_settings.totalTimeout.count());
        retryable = shouldRetry(0, headers, {}, {});
    } else if (status == 0) {
        error.kind = LlmError::Kind::Network;
        error.message = reply->errorString();
        retryable = shouldRetry(0, headers, {}, {});
    } else if (status >= 200 && status < 300) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        QString problem;
        std::optional<LlmResponse> response;
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            problem = QStringLiteral("the answer is not a JSON object: %1").arg(snippet(body));
        else
            response = parseAnswer(doc.object(), problem);
        if (response) {
            response->requestId = requestId;
            // Both APIs name the model at the top of the answer.
            outcome.model = doc.object().value(QStringLiteral("model")).toString();
            outcome.response = std::move(response);
            qCDebug(lcLlm).noquote() << "answer" << requestId << "stop_reason" << outcome.response->stopReason
                                     << "after" << call->attempts << "attempt(s)";
            complete(call, std::move(outcome));
            return;
        }
        error.kind = LlmError::Kind::Parse;
        error.message = problem;
    } else {
        error.kind = LlmError::Kind::Http;
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isObject())
            parseErrorBody(doc.object(), error.apiErrorType, error.message);
        if (error.message.isEmpty()) {
            const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            error.message = QStringLiteral("%1 %2").arg(
                reason.isEmpty() ? QStringLiteral("HTTP error") : reason, snippet(body));
        }
        retryable = shouldRetry(status, headers, error.apiErrorType, error.message);
    }

    const bool retrying = retryable && call->attempts <= m_settings.maxRetries;
    qCWarning(lcLlm).noquote() << QStringLiteral("attempt %1 failed: %2%3")
                                      .arg(call->attempts)
                                      .arg(error.describe(),
                                           retrying ? QStringLiteral(" (retrying)") : QString());
    if (!retrying) {
        complete(call, std::move(outcome));
        return;
    }
    const auto serverDelay = serverRetryDelay(headers);
    const std::chrono::milliseconds delay =
        serverDelay ? *serverDelay
                    : backoffDelay(call->attempts - 1, QRandomGenerator::global()->generateDouble());
    const auto scaled =
        std::chrono::milliseconds(qint64(std::llround(double(delay.count()) * m_settings.retryDelayScale)));
    QTimer::singleShot(scaled, this, [this, call] {
        if (!call->completed)
            startAttempt(call);
    });
}

void HttpLlmClient::complete(const std::shared_ptr<Call> &call, LlmOutcome outcome)
{
    if (call->completed)
        return;
    call->completed = true;
    m_calls.removeOne(call);
    if (call->deadline)
        call->deadline->deleteLater();
    if (call->done)
        call->done(outcome);
}

void HttpLlmClient::deadlinePassed(const std::shared_ptr<Call> &call)
{
    if (call->completed)
        return;
    if (call->reply) {
        // attemptFinished() reports it, without a retry.
        call->timedOut = QStringLiteral("deadline");
        call->reply->abort();
        return;
    }
    // Between two attempts: the retry's timer finds the call completed and sends nothing.
    LlmOutcome outcome;
    outcome.attempts = call->attempts;
    outcome.error.kind = LlmError::Kind::Timeout;
    outcome.error.attempts = call->attempts;
    outcome.error.message = deadlineMessage();
    qCWarning(lcLlm).noquote() << outcome.error.describe();
    complete(call, std::move(outcome));
}

QString HttpLlmClient::deadlineMessage() const
{
    const qint64 ms = m_settings.deadline.count();
    return QStringLiteral("the model server did not answer within %1")
        .arg(ms % 1000 == 0 ? QStringLiteral("%1 s").arg(ms / 1000) : QStringLiteral("%1 ms").arg(ms));
}

bool HttpLlmClient::shouldRetry(int httpStatus, const Headers &headers, const QString &apiErrorType,
                                const QString &message)
{
    const QByteArray explicitly = headerValue(headers, "x-should-retry").toLower();
    if (explicitly == "true")
        return true;
    if (explicitly == "false")
        return false;
    if (httpStatus == 0)
        return true; // no answer: connection failure or timeout
    if (httpStatus == 429) {
        const bool hasDelay = !headerValue(headers, "retry-after").isEmpty() ||
                              !headerValue(headers, "retry-after-ms").isEmpty();
        return hasDelay || !mentionsSpendLimit(apiErrorType, message);
    }
    return httpStatus == 408 || httpStatus == 409 || httpStatus >= 500;
}

std::optional<std::chrono::milliseconds> HttpLlmClient::serverRetryDelay(const Headers &headers)
{
    constexpr double kMaxMs = 60'000;
    bool ok = false;
    const double ms = headerValue(headers, "retry-after-ms").toDouble(&ok);
    if (ok && ms >= 0 && ms < kMaxMs)
        return std::chrono::milliseconds(qint64(std::ceil(ms)));
    const QByteArray after = headerValue(headers, "retry-after");
    if (after.isEmpty())
        return std::nullopt;
    const double seconds = after.toDouble(&ok);
    double delayMs = -1;
    if (ok) {
        delayMs = seconds * 1000;
    } else {
        const QDateTime at = QDateTime::fromString(QString::fromLatin1(after), Qt::RFC2822Date);
        if (at.isValid())
            delayMs = double(QDateTime::currentDateTimeUtc().msecsTo(at));
    }
    if (delayMs >= 0 && delayMs < kMaxMs)
        return std::chrono::milliseconds(qint64(std::ceil(delayMs)));
    return std::nullopt;
}

std::chrono::milliseconds HttpLlmClient::backoffDelay(int retriesSoFar, double jitter)
{
    const double seconds = std::min(0.5 * std::pow(2.0, std::max(0, retriesSoFar)), 8.0);
    const double factor = 1.0 - 0.25 * std::clamp(jitter, 0.0, 1.0);
    return std::chrono::milliseconds(qint64(std::llround(seconds * factor * 1000)));
}

} // namespace fb::sync
