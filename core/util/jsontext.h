#pragma once

#include <QJsonValue>
#include <QString>

namespace fb {

/// JSON text of any value, scalars included ("\"dog\"", "3", "{\"name\":\"Biscuit\"}"): how attribute values
/// are stored (the server's JSONB). QJsonDocument only writes arrays and objects, hence the wrapping.
QString jsonValueToText(const QJsonValue &value);
/// The value of JSON text written by jsonValueToText(); undefined for text that is not JSON.
QJsonValue jsonValueFromText(const QString &text);

} // namespace fb
