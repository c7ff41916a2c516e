#pragma once

#include "util/result.h"

#include <QString>

class QLocale;

#include <compare>
#include <cstdint>

namespace fb {

/// An amount of money in integer cents. Never a float: parsing and formatting are exact.
class Money
{
public:
    /// The largest amount the seed's DECIMAL(10,2) columns hold: 99,999,999.99.
    static constexpr std::int64_t kMaxCents = 9'999'999'999;

    constexpr Money() = default;
    static constexpr Money fromCents(std::int64_t cents) { return Money(cents); }

    constexpr std::int64_t cents() const { return m_cents; }

    /// Parses the plain decimal that toDecimalString() writes ("12", "12.5", "12.50", "-3.25") exactly.
    /// Rejects more than two decimals and anything else. Not for what a person types: see parseTyped().
    static Result<Money> parse(const QString &text, const QString &field = QStringLiteral("amount"));

    /// Whether a typed amount may be below zero. Every price and amount a person types is not.
    enum class Negative
    {
        Refused,
        Allowed
    };

    /// The one reader of money a person types, in `locale`'s way of writing numbers: "12,50" where the
    /// decimal separator is a comma, "1,250.00" or "1.250,00" with group separators only where the locale
    /// puts them (en_IN: "1,25,000.00"), a currency sign before or after (the locale's, its ISO code, $ € £),
    /// spaces. Exact to the cent, never through a double; more than two decimals are refused, and so is a
    /// negative amount unless allowed. The error names `field` as the user reads it ("Price") and says what
    /// to type ("type an amount like 12,50"). The range (at most kMaxCents) is validate()'s. `currency`, when
    /// given, is one more sign tolerated: the business's own (a setting: "CHF", "kr").
    static Result<Money> parseTyped(const QString &text, const QLocale &locale, const QString &field,
                                    Negative negative = Negative::Refused, const QString &currency = {});

    /// The amount as parseTyped() reads it back in `locale`, without grouping or symbol: "1234,50" in German.
    QString toTypedString(const QLocale &locale) const;
    /// "12.50" written the way `locale` writes it: the example an error or a placeholder shows.
    static QString typedExample(const QLocale &locale);

    /// The amount for people: `locale`'s grouping, decimal separator and currency pattern, with
    /// `currencySymbol` where the locale puts its own ("$1,234.50" in en_US, "1.234,50 €" in de_DE). Exact:
    /// never through a double.
    QString toDisplayString(const QLocale &locale, const QString &currencySymbol) const;

    /// "1234.50": a plain decimal with two places, as the server's DECIMAL(10,2) takes it.
    QString toDecimalString() const;

    /// Validation shared by every money field: not negative, at most kMaxCents.
    Status validate(const QString &field) const;

    /// Multiplication by a quantity that refuses to overflow.
    Result<Money> times(std::int64_t quantity, const QString &field) const;

    constexpr Money operator+(Money other) const { return Money(m_cents + other.m_cents); }
    constexpr auto operator<=>(const Money &) const = default;

private:
    constexpr explicit Money(std::int64_t cents) : m_cents(cents) {}
    std::int64_t m_cents = 0;
};

} // namespace fb
