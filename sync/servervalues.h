#pragma once

#include "db/tablecatalog.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QVariant>

/// Values that come from the server, in the convention of its audit entries and row states (server migration
/// 004): money as decimal dollars (text "156.00", or a number from other writers), times as ISO 8601 with any
/// precision and offset, booleans and integers as JSON, ids as uuid text. Here they become the local
/// convention: integer cents, UTC text with milliseconds, 0/1, lowercase ids, JSON text.
namespace fb::sync::servervalues {

/// The local value of a server value of a column of `kind`. A value that cannot be read (a money text that is
/// not a number) becomes an invalid QVariant, for the caller to refuse with the column's name.
QVariant toLocal(catalog::ColumnKind kind, const QJsonValue &value);

/// Cents from "156.00", "156", "-3.5", 156.0; nullopt-like invalid QVariant when not a number. More than two
/// decimals are refused rather than rounded: money is never invented.
QVariant centsFromServer(const QJsonValue &value);

/// "2026-12-05T14:05:58.123Z" from any ISO 8601 timestamp with an offset; the fraction is cut to
/// milliseconds (never rounded up into the next second). Empty when unreadable.
QString timeFromServer(const QString &text);

/// An audit entry's `changes` in the local convention: the columns of `table` in {"created": row},
/// {"deleted": row} and {field: {"old", "new"}}; other keys are kept as they are.
QJsonObject changesToLocal(const catalog::Table *table, const QJsonObject &changes);

/// A value in the local convention as JSON, as the local audit trail writes it (rowToJson): numbers for
/// integers, cents and booleans, text otherwise (a JSON column's JSON text included).
QJsonValue localJson(catalog::ColumnKind kind, const QVariant &value);

} // namespace fb::sync::servervalues
