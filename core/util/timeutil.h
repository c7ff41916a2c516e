#pragma once

#include <QDateTime>
#include <QString>
#include <QUuid>

namespace fb {

/// Now in UTC, truncated to milliseconds (what we store).
QDateTime nowUtc();

/// The one stored form of a timestamp: ISO 8601 UTC with milliseconds, "2026-11-27T22:53:01.123Z".
/// Text sorts in time order, and maps one-to-one onto PostgreSQL timestamptz.
QString toStoredTime(const QDateTime &time);
QVariant toStoredTimeOrNull(const QDateTime &time);
QDateTime fromStoredTime(const QVariant &value);

/// Adds calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29), unlike the seed's N x 30 days.
QDateTime addCalendarMonths(const QDateTime &time, int months);

/// Canonical lowercase text of a UUID, without braces; empty for a null id.
QString idText(const QUuid &id);
QVariant idOrNull(const QUuid &id);
QUuid idFromVariant(const QVariant &value);
QUuid newId();

} // namespace fb
