#include "nextvisittext.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

namespace fb::ui {

namespace {

/// 1 (Monday) to 7, 0 for today, -1 for tomorrow, or nullopt when `word` names no day.
std::optional<int> dayOf(const QString &word)
{
    if (word == QStringLiteral("today"))
        return 0;
    if (word == QStringLiteral("tomorrow") || word == QStringLiteral("tmrw") || word == QStringLiteral("tmr"))
        return -1;
    static const QStringList english{QStringLiteral("monday"),    QStringLiteral("tuesday"),
                                     QStringLiteral("wednesday"), QStringLiteral("thursday"),
                                     QStringLiteral("friday"),    QStringLiteral("saturday"),
                                     QStringLiteral("sunday")};
    std::optional<int> found;
    for (int day = 1; day <= 7; ++day) {
        const QLocale locale;
        const bool named =
            word == locale.dayName(day, QLocale::LongFormat).toLower() ||
            word == locale.dayName(day, QLocale::ShortFormat).toLower().remove(QLatin1Char('.'));
        const bool prefix = word.size() >= 2 && english.at(day - 1).startsWith(word);
        if (named)
            return day;
        if (prefix) {
            if (found)
                return std::nullopt; // ambiguous ("t" is excluded by the length; none of two letters is)
            found = day;
        }
    }
    return found;
}

} // namespace

std::optional<QDateTime> parseVisitText(const QString &text, const QDateTime &nowLocal,
                                        const QDateTime &currentLocal)
{
    static const QRegularExpression pattern(
        QStringLiteral(
            "^(?:(?<day>[^\\d\\s,.]+)\\.?)?[\\s,]*(?:(?<hour>\\d{1,2})(?:[:.h](?<minute>\\d{2}))?\\s*"
            "(?<ampm>am|pm|a\\.m\\.|p\\.m\\.)?)?$"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    const QString simplified = text.simplified().toLower();
    if (simplified.isEmpty())
        return std::nullopt;
    const QRegularExpressionMatch match = pattern.match(simplified);
    if (!match.hasMatch())
        return std::nullopt;
    const QString dayWord = match.captured(QStringLiteral("day"));
    const QString hourText = match.captured(QStringLiteral("hour"));
    if (dayWord.isEmpty() && hourText.isEmpty())
        return std::nullopt;

    QDate date = currentLocal.date();
    if (!dayWord.isEmpty()) {
        const std::optional<int> day = dayOf(dayWord);
        if (!day)
            return std::nullopt;
        const QDate today = nowLocal.date();
        if (*day == 0) {
            date = today;
        } else if (*day == -1) {
            date = today.addDays(1);
        } else {
            const int ahead = (*day - today.dayOfWeek() + 7) % 7;
            date = today.addDays(ahead == 0 ? 7 : ahead);
        }
    }

    QTime time = currentLocal.time();
    if (!hourText.isEmpty()) {
        int hour = hourText.toInt();
        const int minute = match.captured(QStringLiteral("minute")).isEmpty()
                               ? 0
                               : match.captured(QStringLiteral("minute")).toInt();
        const QString ampm = match.captured(QStringLiteral("ampm"));
        if (!ampm.isEmpty()) {
            if (hour < 1 || hour > 12)
                return std::nullopt;
            const bool pm = ampm.startsWith(QLatin1Char('p'));
            hour = hour % 12 + (pm ? 12 : 0);
        }
        if (hour > 23 || minute > 59)
            return std::nullopt;
        time = QTime(hour, minute);
    }
    const QDateTime result(date, time, Qt::LocalTime);
    if (!result.isValid())
        return std::nullopt;
    return result;
}

} // namespace fb::ui
