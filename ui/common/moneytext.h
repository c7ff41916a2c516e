#pragma once

#include "util/money.h"

#include <QString>

class QLineEdit;

namespace fb::ui {

/// Money as people type and read it, one way on every screen (issue 15 item 4).
///
/// Reading: every money field of the app goes through readMoney(), which is Money::parseTyped in the
/// locale of the user (QLocale(), so QLocale::setDefault in tests) with the business's currency sign
/// tolerated besides the locale's own: "12,50" in German, "1,250.00" or "$1,250.00" in American English.
/// Showing: formatMoney() (feedback.h) writes amounts in the locale's way with the business's currency.

/// The currency the business's amounts are shown with: the settings' business/currencySymbol
/// (AppSettings::currencySymbol, read once), else the locale's symbol.
QString businessCurrency();
/// After the settings changed it (the settings dialog's Save); empty: follow the locale again.
void setBusinessCurrency(const QString &symbol);

/// An amount a person typed into a field the form calls `field` ("Price"), in the user's locale.
Result<Money> readMoney(const QString &text, const QString &field,
                        Money::Negative negative = Money::Negative::Refused);

/// "e.g. 120,00": a placeholder for a money field, written the way the user's locale writes amounts.
QString moneyPlaceholder(qint64 cents);

} // namespace fb::ui
