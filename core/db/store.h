#pragma once

#include "util/result.h"

#include <QJsonObject>
#include <QString>
#include <QUuid>
#include <QVariantMap>

class QSqlQuery;

namespace fb {

class AuditLogger;
class Database;
class Statement;

/// A row as stored, keyed by column name (ids as text, money as cents, times as ISO text, NULL as null
/// QVariant).
using Row = QVariantMap;

/// The one place where entity rows are written. Each call writes the row and its audit entry (which feeds the
/// sync outbox through a trigger) in the caller's transaction, so a change, its audit and its sync record
/// commit together or not at all. Services validate first, then call these.
class Store final
{
public:
    Store(Database &db, AuditLogger &audit);

    /// The audit entity type for a table ("contacts" -> "contact").
    static QString entityType(const QString &table);

    /// One row of `table` by id as the current user sees it (scoped, live rows only), or NotFound.
    Result<Row> fetch(const QString &table, const QUuid &id) const;

    /// Inserts a complete row and audits {"created": row}.
    Status insert(const QString &table, const Row &row);

    /// Sets `values` on a row the current user can see (touching updated_at where the table has it), audits
    /// {field: {old, new}} when anything changed, and returns those changes. `auditExtra` is merged into that
    /// audit entry: facts about the change that have no column (a void's reason) travel with it.
    Result<QJsonObject> update(const QString &table, const QUuid &id, const Row &values,
                               const QJsonObject &auditExtra = {});

    /// Sets deleted_at (and updated_at) and audits {"deleted": row as it was}.
    Status softDelete(const QString &table, const QUuid &id);

    /// Removes a row of a table without soft delete and audits {"deleted": row as it was}.
    Status remove(const QString &table, const QUuid &id);

    /// Brings back a soft-deleted row of the current user: clears deleted_at (touching updated_at) and audits
    /// it as an update {"deleted_at": {"old": when, "new": null}}, so the sync push carries the row as an
    /// upsert with deleted_at NULL like any other change. NotFound for a row the current user does not own or
    /// that no longer exists; InvalidState for a live row or a table without soft delete.
    Result<Row> restore(const QString &table, const QUuid &id);

    Database &database() { return m_db; }

private:
    Result<Row> fetchAny(const QString &table, const QUuid &id) const;
    /// The first row `sql` reads (its first value is the id, named when nothing is found), or NotFound.
    Result<Row> readOne(const QString &sql, const QString &table, const QVariantList &values) const;

    Database &m_db;
    AuditLogger &m_audit;
};

/// The current record of `query` as a Row.
Row rowFromQuery(const QSqlQuery &query);
/// The current row of a Statement (Database::read()) as a Row.
Row rowFromStatement(const Statement &statement);
/// JSON for audit and events: SQL NULL becomes JSON null, integers stay integers.
QJsonObject rowToJson(const Row &row);

} // namespace fb
