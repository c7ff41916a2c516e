#pragma once

#include <QJsonValue>
#include <QString>

namespace fb::ui {

/// "gate_code" -> "Gate code": a stored key as a person reads it.
QString humanizeKey(const QString &key);

/// An attribute's JSON value as text: strings as they are, numbers without a trailing ".0", booleans as
/// yes/no, a flat object as "name: Biscuit, type: dog", an array as its items joined by commas.
QString attributeValueText(const QJsonValue &value);

/// Elapsed milliseconds as "h:mm:ss" (hours unbounded, never negative).
QString formatElapsed(qint64 ms);

} // namespace fb::ui
