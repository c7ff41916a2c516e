#include "util/result.h"

namespace fb {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Validation:
        return QStringLiteral("validation");
    case ErrorCode::NotFound:
        return QStringLiteral("not_found");
    case ErrorCode::InvalidState:
        return QStringLiteral("invalid_state");
    case ErrorCode::Forbidden:
        return QStringLiteral("forbidden");
    case ErrorCode::Database:
        return QStringLiteral("database");
    case ErrorCode::Parse:
        return QStringLiteral("parse");
    case ErrorCode::Unavailable:
        return QStringLiteral("unavailable");
    }
    return QStringLiteral("unknown");
}

QString Error::toString() const
{
    return field.isEmpty() ? message : field + QStringLiteral(": ") + message;
}

} // namespace fb

namespace fb {

QString Error::toLogString() const
{
    return detail.isEmpty() ? toString() : QStringLiteral("%1 (%2)").arg(toString(), detail);
}

} // namespace fb
