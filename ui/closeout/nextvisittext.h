#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace fb::ui {

/// The next visit typed as a technician says it: a day and a time, "tue 9", "tuesday 09:00", "wed 14:30",
/// "thu 2pm", "tomorrow 8", "today 16:00". The day is a weekday (English, as a name or its start of at least
/// two letters, or the system language's names), "today" or "tomorrow"; a weekday is the next one after
/// today (typed on a Tuesday, "tue" is a week on). Without a day the date of `current` stays; without a time,
/// its time. Returns the local time, or nullopt when the text is not a day and time (a time that does not
/// exist, such as 25:00, included). Whether it lies in the future is the caller's check.
std::optional<QDateTime> parseVisitText(const QString &text, const QDateTime &nowLocal,
                                        const QDateTime &currentLocal);

} // namespace fb::ui
