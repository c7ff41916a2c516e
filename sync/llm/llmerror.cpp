#include "llm/llmerror.h"

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
    return Error{code, {}, describe()};
}

} // namespace fb::sync
