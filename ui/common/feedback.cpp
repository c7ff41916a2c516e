#include "feedback.h"

#include "humanize.h"
#include "moneytext.h"
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
    showError(parent, action, errorText(error));
}

QString formatMoney(qint64 cents)
{
    return Money::fromCents(cents).toDisplayString(QLocale(), businessCurrency());
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
