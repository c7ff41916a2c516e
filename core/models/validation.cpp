#include "models/validation.h"

#include <QRegularExpression>

#include <algorithm>

namespace fb::validate {

Status name(const QString &value, const QString &field)
{
    return requiredText(value, field);
}

Status requiredText(const QString &value, const QString &field)
{
    const QString trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return Error::validation(field, QStringLiteral("must not be empty"));
    if (trimmed.size() > kMaxNameLength)
        return Error::validation(field, QStringLiteral("must be at most %1 characters").arg(kMaxNameLength));
    return {};
}

Status shortText(const std::optional<QString> &value, const QString &field)
{
    if (value && value->size() > kMaxNameLength)
        return Error::validation(field, QStringLiteral("must be at most %1 characters").arg(kMaxNameLength));
    return {};
}

Status email(const std::optional<QString> &value, const QString &field)
{
    if (!value || value->isEmpty())
        return {};
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                       "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"));
    if (value->size() > kMaxNameLength || !pattern.match(*value).hasMatch())
        return Error::validation(field, QStringLiteral("'%1' is not a valid e-mail address").arg(*value));
    return {};
}

Status phone(const std::optional<QString> &value, const QString &field)
{
    if (!value || value->isEmpty())
        return {};
    static const QRegularExpression pattern(QStringLiteral("^[0-9+()\\-. ]{3,40}$"));
    if (!pattern.match(*value).hasMatch())
        return Error::validation(field, QStringLiteral("'%1' is not a phone number").arg(*value));
    return {};
}

Status longText(const std::optional<QString> &value, const QString &field)
{
    if (value && value->toUtf8().size() > kMaxNoteBytes)
        return Error::validation(field, QStringLiteral("must be at most 64 KiB"));
    return {};
}

Status quantity(int value, const QString &field)
{
    if (value < 1)
        return Error::validation(field, QStringLiteral("type 1 or more (%1 is not a quantity)").arg(value));
    if (value > kMaxQuantity)
        return Error::validation(field, QStringLiteral("type at most %1").arg(kMaxQuantity));
    return {};
}

Result<int> typedQuantity(const QString &text, const QString &field)
{
    const QString typed = text.trimmed();
    if (typed.isEmpty())
        return Error::validation(field, QStringLiteral("type how many, 1 or more"));
    const bool digits = std::all_of(typed.cbegin(), typed.cend(), [](QChar c) { return c.isDigit(); });
    if (!digits || typed.size() > 9)
        return Error::validation(
            field, QStringLiteral("type a whole number of 1 or more ('%1' is not one)").arg(typed));
    int value = 0;
    for (const QChar c : typed)
        value = value * 10 + c.digitValue();
    if (value < 1)
        return Error::validation(field, QStringLiteral("type 1 or more ('%1' is not a quantity)").arg(typed));
    FB_TRY(quantity(value, field));
    return value;
}

Status pricing(PricingType type, const std::optional<Money> &defaultPrice,
               const std::optional<Money> &unitPrice)
{
    if (defaultPrice)
        FB_TRY(defaultPrice->validate(QStringLiteral("default_price")));
    if (unitPrice)
        FB_TRY(unitPrice->validate(QStringLiteral("unit_price")));
    if (type == PricingType::Fixed && !defaultPrice)
        return Error::validation(QStringLiteral("default_price"),
                                 QStringLiteral("is required for fixed pricing"));
    if (type == PricingType::PerUnit && !unitPrice)
        return Error::validation(QStringLiteral("unit_price"),
                                 QStringLiteral("is required for per-unit pricing"));
    return {};
}

Status attributeKey(const QString &key, const QString &field)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    if (!pattern.match(key).hasMatch())
        return Error::validation(field, QStringLiteral("'%1' is not a snake_case key").arg(key));
    return {};
}

Status minutes(const std::optional<int> &value, const QString &field)
{
    if (value && (*value < 0 || *value > 24 * 60))
        return Error::validation(field, QStringLiteral("must be between 0 and 1440 minutes"));
    return {};
}

} // namespace fb::validate
