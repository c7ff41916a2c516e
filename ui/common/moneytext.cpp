#include "moneytext.h"

#include "syncapi/appsettings.h"

#include <QCoreApplication>
#include <QLocale>

#include <optional>

namespace fb::ui {

namespace {

/// The saved symbol, read from the settings once per process (formatMoney runs for every row of a list).
std::optional<QString> &savedSymbol()
{
    static std::optional<QString> symbol;
    return symbol;
}

} // namespace

QString businessCurrency()
{
    std::optional<QString> &saved = savedSymbol();
    if (!saved)
        saved = AppSettings::savedCurrencySymbol();
    return saved->isEmpty() ? QLocale().currencySymbol() : *saved;
}

void setBusinessCurrency(const QString &symbol)
{
    savedSymbol() = symbol.trimmed();
}

Result<Money> readMoney(const QString &text, const QString &field, Money::Negative negative)
{
    return Money::parseTyped(text, QLocale(), field, negative, businessCurrency());
}

QString moneyPlaceholder(qint64 cents)
{
    return QCoreApplication::translate("fb::ui::money", "e.g. %1")
        .arg(Money::fromCents(cents).toTypedString(QLocale()));
}

} // namespace fb::ui
