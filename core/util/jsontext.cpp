#include "util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace fb {

QString jsonValueToText(const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2)); // strip the wrapping [ ]
}

QJsonValue jsonValueFromText(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument parsed = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return parsed.array().at(0);
}

} // namespace fb
