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

namespace {

constexpr qint64 kMsPerDay = 86400000;

// Days since 1970-01-01 of a proleptic Gregorian date and back (H. Hinnant's algorithms), so the stored form
// is written and read without QDateTime::toString's format parsing and QLocale, or fromString's general ISO
// parser: a week view reads ~1,900 tickets with four times each, and every write stamps two.
qint64 daysFromCivil(int year, int month, int day)
{
    year -= month <= 2 ? 1 : 0;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yoe = year - era * 400;
    const qint64 doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civilFromDays(qint64 days, int &year, int &month, int &day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    day = int(doy - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

int daysInMonth(int year, int month)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

/// `count` digits of `text` from `at` as a number, or -1 when one of them is not a digit.
int digitsAt(QStringView text, int at, int count)
{
    int value = 0;
    for (int i = at; i < at + count; ++i) {
        const char16_t c = text[i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

} // namespace

QString toStoredTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const qint64 ms = time.toMSecsSinceEpoch();
    qint64 days = ms / kMsPerDay;
    qint64 inDay = ms % kMsPerDay;
    if (inDay < 0) {
        inDay += kMsPerDay;
        --days;
    }
    int year = 0;
    int month = 0;
    int day = 0;
    civilFromDays(days, year, month, day);
    if (year < 1 || year > 9999) // not four digits: Qt's formatting, as always before
        return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    char16_t text[24];
    const auto put = [&text](int at, int value, int width) {
        for (int i = at + width - 1; i >= at; --i, value /= 10)
            text[i] = char16_t(u'0' + value % 10);
    };
    put(0, year, 4);
    text[4] = u'-';
    put(5, month, 2);
    text[7] = u'-';
    put(8, day, 2);
    text[10] = u'T';
    put(11, int(inDay / 3600000), 2);
    text[13] = u':';
    put(14, int(inDay / 60000 % 60), 2);
    text[16] = u':';
    put(17, int(inDay / 1000 % 60), 2);
    text[19] = u'.';
    put(20, int(inDay % 1000), 3);
    text[23] = u'Z';
    return QString(reinterpret_cast<const QChar *>(text), 24);
}

QVariant toStoredTimeOrNull(const QDateTime &time)
{
    return time.isValid() ? QVariant(toStoredTime(time)) : QVariant(QMetaType(QMetaType::QString));
}

QDateTime fromStoredTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    const QString text = value.toString();
    // The stored form exactly ("2026-11-27T22:53:01.123Z", as toStoredTime writes it): read directly.
    // Anything else (an offset, no milliseconds, an out-of-range field) goes to Qt's ISO parser, as it always
    // did.
    if (text.size() == 24 && text[4] == u'-' && text[7] == u'-' && text[10] == u'T' && text[13] == u':' &&
        text[16] == u':' && text[19] == u'.' && text[23] == u'Z') {
        const int year = digitsAt(text, 0, 4);
        const int month = digitsAt(text, 5, 2);
        const int day = digitsAt(text, 8, 2);
        const int hour = digitsAt(text, 11, 2);
        const int minute = digitsAt(text, 14, 2);
        const int second = digitsAt(text, 17, 2);
        const int ms = digitsAt(text, 20, 3);
        if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
            hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && ms >= 0)
            return QDateTime::fromMSecsSinceEpoch(daysFromCivil(year, month, day) * kMsPerDay +
                                                      ((hour * 60 + minute) * 60 + second) * 1000LL + ms,
                                                  Qt::UTC);
    }
    QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
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
