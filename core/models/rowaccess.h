#pragma once

// Small typed accessors between model structs and stored rows (db/store.h Row). The readers take any source
// with value(QLatin1String): a Row, or a Statement's row read by name (db/statement.h StatementColumns).

#include "db/store.h"
#include "util/money.h"
#include "util/timeutil.h"

#include <QDateTime>
#include <QVariant>

#include <optional>

namespace fb::rows {

template <typename Source> QString text(const Source &row, const char *key)
{
    return row.value(QLatin1String(key)).toString();
}
template <typename Source> std::optional<QString> optText(const Source &row, const char *key)
{
    const QVariant v = row.value(QLatin1String(key));
    return v.isNull() ? std::nullopt : std::optional<QString>(v.toString());
}
template <typename Source> QUuid id(const Source &row, const char *key)
{
    return idFromVariant(row.value(QLatin1String(key)));
}
template <typename Source> QDateTime time(const Source &row, const char *key)
{
    return fromStoredTime(row.value(QLatin1String(key)));
}
template <typename Source> std::optional<int> optInt(const Source &row, const char *key)
{
    const QVariant v = row.value(QLatin1String(key));
    return v.isNull() ? std::nullopt : std::optional<int>(v.toInt());
}
template <typename Source> Money money(const Source &row, const char *key)
{
    return Money::fromCents(row.value(QLatin1String(key)).toLongLong());
}
template <typename Source> std::optional<Money> optMoney(const Source &row, const char *key)
{
    const QVariant v = row.value(QLatin1String(key));
    return v.isNull() ? std::nullopt : std::optional<Money>(Money::fromCents(v.toLongLong()));
}

inline QVariant nullText()
{
    return QVariant(QMetaType(QMetaType::QString));
}
inline QVariant nullInt()
{
    return QVariant(QMetaType(QMetaType::LongLong));
}
inline QVariant value(const std::optional<QString> &v)
{
    return v ? QVariant(*v) : nullText();
}
inline QVariant value(const std::optional<int> &v)
{
    return v ? QVariant(qlonglong(*v)) : nullInt();
}
inline QVariant value(const std::optional<Money> &v)
{
    return v ? QVariant(qlonglong(v->cents())) : nullInt();
}
inline QVariant value(Money v)
{
    return QVariant(qlonglong(v.cents()));
}
inline QVariant value(const QDateTime &v)
{
    return toStoredTimeOrNull(v);
}
inline QVariant value(const QUuid &v)
{
    return idOrNull(v);
}

/// An empty string in an update means "clear this field".
inline std::optional<QString> emptyToNull(const QString &v)
{
    return v.isEmpty() ? std::nullopt : std::optional<QString>(v);
}

} // namespace fb::rows
