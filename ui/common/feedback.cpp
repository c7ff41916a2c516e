#include "feedback.h"

#include "util/result.h"

#include <QDateTime>
#include <QLocale>
#include <QMessageBox>
#include <QRegularExpression>

namespace fb::ui {

void showError(QWidget *parent, const QString &action, const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, action, action, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void showError(QWidget *parent, const QString &action, const Error &error)
{
    showError(parent, action, error.toString());
}

QString formatMoney(qint64 cents)
{
    // Integer arithmetic only: the locale gives the grouping, the decimal point and where the symbol goes.
    const QLocale locale;
    const qint64 magnitude = cents < 0 ? -cents : cents;
    const QString number = locale.toString(magnitude / 100) + locale.decimalPoint() +
                           QStringLiteral("%1").arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    QString pattern = locale.toCurrencyString(qlonglong(7)); // "$7", "7 €"
    pattern.replace(locale.toString(7), number);
    return cents < 0 ? locale.negativeSign() + pattern : pattern;
}

QString formatLocal(const QDateTime &utc)
{
    if (!utc.isValid())
        return {};
    return QLocale().toString(utc.toLocalTime(), QStringLiteral("ddd d MMM, ")) +
           formatTime(utc.toLocalTime().time());
}

QString formatTime(const QTime &time)
{
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    static const QRegularExpression seconds(QStringLiteral("[:.]ss?"));
    format.remove(seconds);
    return QLocale().toString(time, format);
}

} // namespace fb::ui
