#include "llm/llmerror.h"

#include "extraction/llmclient.h"

#include <QStringList>

namespace fb::sync {

QString LlmError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Config:
        return QStringLiteral("config");
    case Kind::Invalid:
        return QStringLiteral("invalid_request");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Http:
        return QStringLiteral("http");
    case Kind::Parse:
        return QStringLiteral("parse");
    }
    return {};
}

QString LlmError::describe() const
{
    QString line = kindName(kind);
    if (!apiErrorType.isEmpty())
        line += QLatin1Char(' ') + apiErrorType;
    line += httpStatus > 0 ? QStringLiteral(", HTTP %1").arg(httpStatus) : QStringLiteral(", no HTTP status");
    line += requestId.isEmpty() ? QStringLiteral(", no request-id")
                                : QStringLiteral(", request-id %1").arg(requestId);
    if (attempts > 1)
        line += QStringLiteral(", after %1 attempts").arg(attempts);
    QString text = message;
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return line + QStringLiteral(": ") + text;
}

QString LlmError::details() const
{
    QStringList parts;
    if (httpStatus > 0)
        parts << QStringLiteral("HTTP %1").arg(httpStatus);
    if (!requestId.isEmpty())
        parts << QStringLiteral("request-id %1").arg(requestId);
    return parts.join(QStringLiteral(", "));
}

QString LlmError::plainMessage() const
{
    switch (kind) {
    case Kind::Config:
        return llmwords::notSetUp();
    case Kind::Network:
    case Kind::Timeout:
        return llmwords::unreachable();
    case Kind::Parse:
        return QStringLiteral("The model's answer could not be read: add details by hand");
    case Kind::Invalid:
        return QStringLiteral("The model's settings are not valid (%1): check them in Settings").arg(message);
    case Kind::Http:
        break;
    }
    if (httpStatus == 401 || httpStatus == 403)
        return llmwords::keyRefused();
    if (httpStatus == 402)
        return QStringLiteral("The model's account cannot pay for the request: check it with the provider");
    if (httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500)
        return llmwords::busy();
    // 400, 404, 413...: the API's own message says what it did not accept.
    QString text = message.simplified();
    return text.isEmpty()
               ? QStringLiteral("The model refused the request: add details by hand")
               : QStringLiteral("The model refused the request (%1): add details by hand").arg(text);
}

Error LlmError::toError() const
{
    ErrorCode code = ErrorCode::Database;
    switch (kind) {
    case Kind::Config:
    case Kind::Network:
    case Kind::Timeout:
        code = ErrorCode::Unavailable;
        break;
    case Kind::Parse:
        code = ErrorCode::Parse;
        break;
    case Kind::Invalid:
        break;
    case Kind::Http:
        if (httpStatus == 401 || httpStatus == 402 || httpStatus == 403 || httpStatus == 408 ||
            httpStatus == 409 || httpStatus == 429 || httpStatus >= 500)
            code = ErrorCode::Unavailable;
        break;
    }
    return Error{code, {}, plainMessage(), describe()};
}

} // namespace fb::sync
