#pragma once

#include <QStringList>

namespace fb::scoping {

/// User-scoped tables whose rows are soft-deleted (deleted_at): their scoped views hide deleted rows.
const QStringList &softDeleteTables();
/// User-scoped tables without soft delete.
const QStringList &plainTables();
/// Both, in foreign-key order (parents first).
const QStringList &scopedTables();
bool isSoftDelete(const QString &table);

} // namespace fb::scoping
