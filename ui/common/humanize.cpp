#include "humanize.h"

#include <QCoreApplication>
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

QString formatElapsed(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(0, ms) / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace fb::ui
