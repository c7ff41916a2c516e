#include "util/money.h"

#include <QRegularExpression>

#include <limits>

namespace fb {

Result<Money> Money::parse(const QString &text, const QString &field)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(-?)(\\d{1,12})(?:\\.(\\d{1,2}))?\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return Error::validation(field, QStringLiteral("'%1' is not an amount like 12.50").arg(text));
    std::int64_t cents = match.captured(2).toLongLong() * 100;
    QString fraction = match.captured(3);
    if (fraction.size() == 1)
        fraction += QLatin1Char('0');
    if (!fraction.isEmpty())
        cents += fraction.toLongLong();
    if (!match.captured(1).isEmpty())
        cents = -cents;
    return Money(cents);
}

QString Money::toDecimalString() const
{
    const std::int64_t absolute = m_cents < 0 ? -m_cents : m_cents;
    return QStringLiteral("%1%2.%3")
        .arg(m_cents < 0 ? QStringLiteral("-") : QString())
        .arg(absolute / 100)
        .arg(absolute % 100, 2, 10, QLatin1Char('0'));
}

Status Money::validate(const QString &field) const
{
    if (m_cents < 0)
        return Error::validation(field, QStringLiteral("must not be negative"));
    if (m_cents > kMaxCents)
        return Error::validation(field, QStringLiteral("must be at most 99999999.99"));
    return {};
}

Result<Money> Money::times(std::int64_t quantity, const QString &field) const
{
    if (quantity != 0 && m_cents > std::numeric_limits<std::int64_t>::max() / quantity)
        return Error::validation(field, QStringLiteral("the amount is too large"));
    const Money product(m_cents * quantity);
    FB_TRY(product.validate(field));
    return product;
}

} // namespace fb
