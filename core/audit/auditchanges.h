#pragma once

#include "util/result.h"

#include <QJsonObject>
#include <QString>

namespace fb::audit {

// How an audit entry's `changes` is stored (issue 16: the file's size per customer).
//
// An entry's meaning is its full form: create {"created": row}, update {field: {"old", "new"}}, delete
// {"deleted": row}. A 'create' entry written by this version leaves out of the created row the columns that
// only repeat the entry's own columns, and names them in a sibling key "same", one letter each:
//   i  the row's id          = the entry's entity_id
//   u  the row's user_id     = the entry's user_id
//   c  the row's created_at  = the entry's created_at (both written in the same transaction, usually the same
//                              millisecond; when not, created_at stays in the row)
//   a  the row's updated_at  = the row's created_at (a new row)
// e.g. {"created": {"email": ..., "name": ...}, "same": "iuca"}. A column is left out only when its value is
// exactly that text, so putting it back gives the same row, byte for byte once serialised. Entries written
// before (and those the pull brings from the server) are in the full form, and read as they are.
//
// Every reader of `changes` goes through fullChanges() (C++) or the SQL function audit_changes(changes,
// entity_id, user_id, created_at), which calls it: both forms read identically, and what is pushed to the
// server is the full form.

/// The form to store for an entry with these columns (`createdAt` as stored: toStoredTime).
QJsonObject storedChanges(const QJsonObject &changes, const QString &entityId, const QString &userId,
                          const QString &createdAt);

/// The full form of an entry's stored `changes`, given the entry's own columns as stored.
QJsonObject fullChanges(const QJsonObject &stored, const QString &entityId, const QString &userId,
                        const QString &createdAt);
/// The same from the stored JSON text (an empty object for text that is not a JSON object).
QJsonObject fullChanges(const QString &storedText, const QString &entityId, const QString &userId,
                        const QString &createdAt);

/// Registers audit_changes(changes, entity_id, user_id, created_at) on an SQLite connection (sqlite3*): the
/// full form as compact JSON text (the stored text itself when it is in the full form already).
Status registerSqlFunctions(void *sqliteHandle);

} // namespace fb::audit
