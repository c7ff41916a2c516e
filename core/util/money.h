#pragma once

#include "util/result.h"

#include <QString>

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

    /// Parses "12", "12.5", "12.50", "-3.25" exactly. Rejects more than two decimals and anything else.
    static Result<Money> parse(const QString &text, const QString &field = QStringLiteral("amount"));

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
