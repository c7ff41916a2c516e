#pragma once

#include <QList>
#include <QString>
#include <QStringList>

/// The synced tables, described once: their columns, soft delete, parents and how their rows belong to a
/// technician. Scoping builds its read views from it, the push its upserts and parent look-ups, the integrity
/// check its per-table checks, and a pull will map the server's values onto local columns with it.
/// tests/core/db/test_table_catalog.cpp holds it to the local migrations and the server's schema.
namespace fb::catalog {

/// What a column holds, and so how it travels between SQLite and PostgreSQL.
enum class ColumnKind
{
    Uuid,      ///< TEXT here (canonical lowercase), UUID on the server
    Text,      ///< TEXT, TEXT
    Integer,   ///< INTEGER, INT
    Cents,     ///< INTEGER cents here, NUMERIC(10,2) dollars on the server
    Timestamp, ///< ISO 8601 UTC text with milliseconds here, TIMESTAMPTZ on the server
    Boolean,   ///< INTEGER 0/1 here, BOOLEAN on the server
    Json,      ///< JSON text here, JSONB on the server
};

/// The kind's name as the catalogue's tests and messages write it ("uuid", "cents", ...).
QString kindName(ColumnKind kind);

struct Column
{
    QString name;
    ColumnKind kind;
    bool nullable;
};

/// A column that refers to the id of a row of another table.
struct Reference
{
    QString column;
    QString table;
};

/// How a row belongs to a technician.
enum class Ownership
{
    UserIdColumn,  ///< its own user_id column
    ThroughParent, ///< the row its ownerColumn refers to belongs to the technician
};

struct Table
{
    QString name;
    QString entityType; ///< the audit log's and the outbox's name for its rows ("line_item")
    QList<Column> columns;
    bool softDelete; ///< rows are marked deleted_at, never removed
    /// Every reference, in column order (user_id -> users included); parents come before the table in
    /// tables() unless they are not synced themselves (users).
    QList<Reference> references;
    Ownership ownership;
    QString ownerColumn; ///< "user_id", or the reference column whose parent row carries the user
    bool onServer;       ///< the central schema has the table: the push sends its rows

    const Column *column(const QString &columnName) const;
    QStringList columnNames() const;
};

/// Every synced table, in foreign-key order (parents first).
const QList<Table> &tables();
/// The synced table named `name`, or nullptr.
const Table *table(const QString &name);
/// The synced table whose rows the audit log calls `entityType`, or nullptr ("user": profiles are made on the
/// server by an administrator).
const Table *tableForEntity(const QString &entityType);

} // namespace fb::catalog
