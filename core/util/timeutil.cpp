#include "util/timeutil.h"

#include <QVariant>

namespace fb {

QDateTime nowUtc()
{
    return QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
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
