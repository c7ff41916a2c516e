#include "util/timeutil.h"

#include "util/testclock.h"

#include <QVariant>

#include <atomic>
#include <limits>

namespace fb {

namespace {

constexpr qint64 kSystemClock = std::numeric_limits<qint64>::min();
std::atomic<qint64> g_fixedNowMs{kSystemClock};

} // namespace

QDateTime nowUtc()
{
    const qint64 fixed = g_fixedNowMs.load(std::memory_order_relaxed);
    return QDateTime::fromMSecsSinceEpoch(fixed != kSystemClock ? fixed : QDateTime::currentMSecsSinceEpoch(),
                                          Qt::UTC);
}

void setFixedNowForTesting(const QDateTime &fixed)
{
    g_fixedNowMs.store(fixed.isValid() ? fixed.toMSecsSinceEpoch() : kSystemClock, std::memory_order_relaxed);
}

QString toStoredTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QVariant toStoredTimeOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(toStoredTime(time)) : QVariant(QMetaType(QMetaType::QString));
}

QDateTime fromStoredTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!parsed.isValid())
        return {};
    return parsed.toUTC();
}

QDateTime addCalendarMonths(const QDateTime &time, int months)
{
    // QDate::addMonths clamps to the last day of a shorter month; keep the wall-clock time in UTC.
    const QDateTime utc = time.toUTC();
    return QDateTime(utc.date().addMonths(months), utc.time(), Qt::UTC);
}

QString idText(const QUuid &id)
{
    return id.isNull() ? QString() : id.toString(QUuid::WithoutBraces);
}

QVariant idOrNull(const QUuid &id)
{
    return id.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(idText(id));
}

QUuid idFromVariant(const QVariant &value)
{
    return value.isNull() ? QUuid() : QUuid::fromString(value.toString());
}

QUuid newId()
{
    return QUuid::createUuid();
}

} // namespace fb
