#pragma once

#include <QString>

class QDateTime;
class QTime;
class QWidget;

namespace fb {
struct Error;
}

namespace fb::ui {

/// Tells the user that `action` failed and why (the error in words, errorText(): the field as the form
/// names it, never a column), in a
/// window-modal message box opened without a nested event loop, so nothing waits on it and tests can find it
/// (objectName "errorMessage") and close it.
void showError(QWidget *parent, const QString &action, const Error &error);
void showError(QWidget *parent, const QString &action, const QString &message);

/// The spacing rhythm: every margin and gap is a multiple of 8 pixels.
constexpr int kSpacing = 8;

/// Formats cents as money in the locale's format with the business's currency ("$1,234.50", "1.234,50 €";
/// moneytext.h).
QString formatMoney(qint64 cents);
/// A stored UTC time shown in local time, short format ("Mon 14 Dec, 09:30").
QString formatLocal(const QDateTime &utc);
/// A local time of day in the locale's short format, without seconds (the C locale's short format has them).
QString formatTime(const QTime &time);

} // namespace fb::ui
