#include "humanize.h"

#include "util/result.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QStringList>

#include <cmath>

namespace fb::ui {

QString humanizeKey(const QString &key)
{
    QString text = key.trimmed();
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    text.replace(QLatin1Char('-'), QLatin1Char(' '));
    text = text.simplified();
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

QString attributeValueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double: {
        const double number = value.toDouble();
        // Whole numbers ("3 dogs") without a decimal part and without grouping: a gate code the model
        // returned as a number must read 4512, not 4,512.
        if (std::trunc(number) == number && std::abs(number) < 1e15)
            return QString::number(qlonglong(number));
        return QLocale().toString(number, 'g', 15);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QCoreApplication::translate("fb::ui::humanize", "yes")
                              : QCoreApplication::translate("fb::ui::humanize", "no");
    case QJsonValue::Object: {
        // Keys stay lower case inside the value: "Pet: name: Biscuit, type: dog" reads as one fact.
        QStringList parts;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            parts.append(QStringLiteral("%1: %2").arg(humanizeKey(it.key()).toLower(),
                                                      attributeValueText(it.value())));
        return parts.join(QStringLiteral(", "));
    }
    case QJsonValue::Array: {
        QStringList parts;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            parts.append(attributeValueText(item));
        return parts.join(QStringLiteral(", "));
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QString fieldWords(const QString &field)
{
    // The columns the core names in its errors, in the words of the forms where they are typed.
    static const QHash<QString, const char *> words{
        {QStringLiteral("default_price"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Price")},
        {QStringLiteral("unit_price"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Unit price")},
        {QStringLiteral("unit_label"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Unit")},
        {QStringLiteral("total_price"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Total")},
        {QStringLiteral("total_amount"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Amount")},
        {QStringLiteral("amount"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Amount")},
        {QStringLiteral("service_id"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Service")},
        {QStringLiteral("contact_id"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Customer")},
        {QStringLiteral("address_id"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Address")},
        {QStringLiteral("ticket_id"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Job")},
        {QStringLiteral("scheduled_at"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Time")},
        {QStringLiteral("scheduled_for"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Date")},
        {QStringLiteral("scheduled_duration_minutes"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Duration")},
        {QStringLiteral("actual_duration_minutes"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Duration")},
        {QStringLiteral("duration_minutes"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Duration")},
        {QStringLiteral("reach_out_months"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Reach out in")},
        {QStringLiteral("next_visit"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Next visit")},
        {QStringLiteral("email"), QT_TRANSLATE_NOOP("fb::ui::humanize", "E-mail")},
        {QStringLiteral("zip"), QT_TRANSLATE_NOOP("fb::ui::humanize", "ZIP")},
        {QStringLiteral("content"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Notes")},
        {QStringLiteral("template_name"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Message")},
        {QStringLiteral("key"), QT_TRANSLATE_NOOP("fb::ui::humanize", "Detail")},
    };
    if (const auto found = words.constFind(field); found != words.constEnd())
        return QCoreApplication::translate("fb::ui::humanize", found.value());
    // "attributes.gate_code": the detail's own name.
    QString text = field.section(QLatin1Char('.'), -1);
    if (text.endsWith(QLatin1String("_id")))
        text.chop(3);
    return humanizeKey(text);
}

QString errorText(const Error &error)
{
    if (error.field.isEmpty())
        return error.message;
    return QStringLiteral("%1: %2").arg(fieldWords(error.field), error.message);
}

QString formatElapsed(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(0, ms) / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace fb::ui
