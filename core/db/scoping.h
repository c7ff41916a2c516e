#pragma once

#include <QStringList>

namespace fb::scoping {

// The lists below are read from the table catalogue (db/tablecatalog.h), where each table is described once.

/// User-scoped tables whose rows are soft-deleted (deleted_at): their scoped views hide deleted rows.
const QStringList &softDeleteTables();
/// User-scoped tables without soft delete.
const QStringList &plainTables();
/// Both, in foreign-key order (parents first).
const QStringList &scopedTables();
bool isSoftDelete(const QString &table);

/// The rows of `table` the current user may see, as a FROM clause over main.<table> with its conditions:
/// "main.notes AS n WHERE current_user_id() IS NOT NULL AND n.user_id = current_user_id() AND n.deleted_at IS
/// NULL". The scoped views are built from the same definition. Queries that need rowid (a view has none: it
/// reads as NULL) use this, e.g. to list rows in insertion order when created_at ties within a millisecond.
/// `indexedBy` names an index the read must walk (INDEXED BY): for a read whose order an index gives, which
/// the planner would otherwise answer through an index on user_id and a sort.
QString visibleRows(const QString &table, const QString &alias, const QString &indexedBy = {});

} // namespace fb::scoping
