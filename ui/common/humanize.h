#pragma once

#include <QJsonValue>
#include <QString>

namespace fb {
struct Error;
}

namespace fb::ui {

/// "gate_code" -> "Gate code": a stored key as a person reads it.
QString humanizeKey(const QString &key);

/// An attribute's JSON value as text: strings as they are, numbers without a trailing ".0", booleans as
/// yes/no, a flat object as "name: Biscuit, type: dog", an array as its items joined by commas.
QString attributeValueText(const QJsonValue &value);

/// A field as the core's errors name it (a column: "default_price", "scheduled_at", "contact_id") in the
/// words the forms use ("Price", "Time", "Customer"); a name that is already words stays as it is.
QString fieldWords(const QString &field);

/// An error as a person reads it: "Price: must not be negative", never a column name ("default_price: ...").
QString errorText(const Error &error);

/// Elapsed milliseconds as "h:mm:ss" (hours unbounded, never negative).
QString formatElapsed(qint64 ms);

} // namespace fb::ui
