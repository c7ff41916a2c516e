#include "util/money.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <limits>

namespace fb {

namespace {

/// More integer digits than any amount has (kMaxCents has ten): refused before the cents could overflow.
constexpr int kMostWholeDigits = 15;

/// Where `locale` puts its group separators: the size of the last group and of the ones before it (3 and 3
/// in en_US, 3 and 2 in en_IN), read from the locale's own formatting of a long number. Sizes of 0 when the
/// locale does not group.
struct Grouping
{
    QString separator;
    qsizetype least = 0;
    qsizetype higher = 0;
};

Grouping groupingOf(QLocale locale)
{
    locale.setNumberOptions(QLocale::DefaultNumberOptions);
    Grouping grouping;
    grouping.separator = locale.groupSeparator();
    if (grouping.separator.isEmpty())
        return grouping;
    const QStringList groups = locale.toString(qlonglong(1'234'567'890'123)).split(grouping.separator);
    if (groups.size() >= 3) {
        grouping.least = groups.last().size();
        grouping.higher = groups.at(groups.size() - 2).size();
    }
    return grouping;
}

bool isSpaceLike(const QString &separator)
{
    return separator.size() == 1 && separator.front().isSpace();
}

/// Removes `prefix` (or `suffix`) from `text` when it is there, with the spaces next to it.
bool takePrefix(QString &text, const QStringList &candidates)
{
    for (const QString &candidate : candidates) {
        if (text.startsWith(candidate)) {
            text = text.mid(candidate.size()).trimmed();
            return true;
        }
    }
    return false;
}

bool takeSuffix(QString &text, const QStringList &candidates)
{
    for (const QString &candidate : candidates) {
        if (text.endsWith(candidate)) {
            text = text.chopped(candidate.size()).trimmed();
            return true;
        }
    }
    return false;
}

/// The currency signs tolerated around a typed amount, longest first so "US$" goes before "$".
QStringList currencySigns(const QLocale &locale, const QString &currency)
{
    QStringList signs{currency.trimmed(),
                      locale.currencySymbol(QLocale::CurrencySymbol),
                      locale.currencySymbol(QLocale::CurrencyIsoCode),
                      QStringLiteral("$"),
                      QStringLiteral("\u20ac"),
                      QStringLiteral("\u00a3")};
    signs.removeAll(QString());
    signs.removeDuplicates();
    std::stable_sort(signs.begin(), signs.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
    return signs;
}

/// Decimal digits only, in any script ("١٢" as well as "12").
bool isDigits(const QString &text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isDigit(); });
}

/// The value of isDigits() text short enough not to overflow.
std::int64_t digitsValue(const QString &digits)
{
    std::int64_t value = 0;
    for (const QChar c : digits)
        value = value * 10 + c.digitValue();
    return value;
}

/// Whether `whole` is digits grouped the way `grouping` says ("1,250", "12,34,567"), or digits only.
bool isGroupedRightly(const QString &whole, const Grouping &grouping)
{
    if (grouping.separator.isEmpty() || !whole.contains(grouping.separator))
        return true;
    if (grouping.least == 0)
        return false;
    const QStringList groups = whole.split(grouping.separator);
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const qsizetype size = groups.at(i).size();
        if (i == groups.size() - 1 ? size != grouping.least
            : i == 0               ? size < 1 || size > grouping.higher
                                   : size != grouping.higher)
            return false;
    }
    return true;
}

} // namespace

Result<Money> Money::parseTyped(const QString &text, const QLocale &locale, const QString &field,
                                Negative negative, const QString &currency)
{
    const QString example = typedExample(locale);
    const QString typed = text.trimmed();
    const auto notAnAmount = [&] {
        return Error::validation(
            field, QStringLiteral("type an amount like %1 ('%2' is not one)").arg(example, typed));
    };
    if (typed.isEmpty())
        return Error::validation(field, QStringLiteral("type an amount like %1").arg(example));

    // The sign and a currency sign, in either order before the number, or the currency sign after it.
    QString body = typed;
    const QStringList minus{locale.negativeSign(), QStringLiteral("-"), QStringLiteral("\u2212")};
    const QStringList signs = currencySigns(locale, currency);
    bool below = takePrefix(body, minus);
    const bool signFirst = takePrefix(body, signs);
    if (!below)
        below = takePrefix(body, minus);
    if (!signFirst)
        takeSuffix(body, signs);
    if (body.isEmpty())
        return notAnAmount();

    const QString point = locale.decimalPoint();
    const qsizetype at = body.indexOf(point);
    QString whole = at < 0 ? body : body.left(at);
    const QString fraction = at < 0 ? QString() : body.mid(at + point.size());
    const Grouping grouping = groupingOf(locale);
    if (isSpaceLike(grouping.separator)) {
        // French groups with a narrow no-break space; people type a plain one.
        for (QChar &c : whole)
            if (c.isSpace())
                c = grouping.separator.front();
    }
    if (!isGroupedRightly(whole, grouping))
        return notAnAmount();
    if (!grouping.separator.isEmpty())
        whole.remove(grouping.separator);
    if (whole.isEmpty() && fraction.isEmpty())
        return notAnAmount();

    if (!isDigits(whole) || !isDigits(fraction))
        return notAnAmount();
    if (whole.size() > kMostWholeDigits)
        return Error::validation(field, QStringLiteral("'%1' is too large for an amount").arg(typed));
    if (fraction.size() > 2)
        return Error::validation(
            field, QStringLiteral("type an amount with at most two decimals, like %1 ('%2' has more)")
                       .arg(example, typed));
    const std::int64_t total = digitsValue(whole) * 100 + digitsValue(fraction.leftJustified(2, u'0'));
    if (below && total != 0 && negative == Negative::Refused)
        return Error::validation(
            field, QStringLiteral("type an amount of zero or more ('%1' is negative)").arg(typed));
    return Money(below ? -total : total);
}

QString Money::toTypedString(const QLocale &locale) const
{
    QLocale plain = locale;
    plain.setNumberOptions(QLocale::OmitGroupSeparator);
    const std::int64_t absolute = m_cents < 0 ? -m_cents : m_cents;
    return (m_cents < 0 ? locale.negativeSign() : QString()) + plain.toString(qlonglong(absolute / 100)) +
           locale.decimalPoint() +
           plain.toString(qlonglong(absolute % 100)).rightJustified(2, locale.zeroDigit().front());
}

QString Money::typedExample(const QLocale &locale)
{
    return Money(1250).toTypedString(locale);
}

QString Money::toDisplayString(const QLocale &locale, const QString &currencySymbol) const
{
    // The locale gives the grouping, the decimal separator and where the symbol goes; the digits are the
    // integer's own.
    const std::int64_t magnitude = m_cents < 0 ? -m_cents : m_cents;
    const QString number =
        locale.toString(qlonglong(magnitude / 100)) + locale.decimalPoint() +
        locale.toString(qlonglong(magnitude % 100)).rightJustified(2, locale.zeroDigit().front());
    const QString seven = locale.toString(7);
    QString pattern = locale.toCurrencyString(qlonglong(7), currencySymbol); // "$7", "7 €"
    pattern.replace(pattern.indexOf(seven), seven.size(), number);
    return m_cents < 0 ? locale.negativeSign() + pattern : pattern;
}

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
