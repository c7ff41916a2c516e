#pragma once

#include "util/result.h"

#include <QList>
#include <QString>

namespace fb::schema {

/// One bundled migration: resources/migrations/local/NNN_description.sql brings the database to version NNN.
struct Migration
{
    int version = 0;
    QString file; // a Qt resource path
};

/// The migrations bundled in this build, in version order.
QList<Migration> bundledMigrations();

/// The schema version this build creates (the last migration's), 0 when none is bundled.
int latestVersion();

/// What a database file's own header (its first 100 bytes) says, read with plain file I/O: no SQLite lock,
/// no write, no -wal or -shm file. Valid for the whole database only while no -wal file holds changes.
struct FileHeader
{
    bool empty = true; ///< a missing or zero-length file: a new database
    bool wal = false;  ///< the file is in WAL journal mode
    int userVersion = 0;
};

/// Reads `path`'s header; an error names the file when it cannot be read or is not a SQLite database.
Result<FileHeader> readFileHeader(const QString &path);

/// One object of a database's schema, as sqlite_master records it.
struct SchemaObject
{
    QString type; // table, index, trigger or view
    QString name;
    QString table; // the table an index or trigger belongs to
    QString sql;
};

/// The schema this build expects: every bundled migration applied, in order, to an empty in-memory database.
/// Internal objects (sqlite_*) are left out; FTS5's shadow tables are in.
Result<QList<SchemaObject>> expectedSchema();

/// A difference between a file's schema and the expected one, for `fieldbook check`.
struct SchemaDifference
{
    enum class Kind
    {
        Missing, ///< this build creates it; the file does not have it
        Changed, ///< both have it, with different definitions
        Extra,   ///< the file has it; this build does not create it
    };
    Kind kind = Kind::Missing;
    SchemaObject expected; // empty for Extra
    SchemaObject actual;   // empty for Missing

    /// One line in words naming the object, e.g. "the trigger audit_log_no_delete on audit_log is missing
    /// (it enforces: audit_log is append-only: entries cannot be deleted)".
    QString describe() const;
};

/// Compares `actual` with `expected` by type and name; definitions are compared with whitespace and letter
/// case of keywords outside quotes normalized. Sorted by kind, then type, then name.
QList<SchemaDifference> compare(const QList<SchemaObject> &expected, const QList<SchemaObject> &actual);

/// `sql` with runs of whitespace made one space and everything outside quotes in lower case, so layout and
/// keyword case do not count as a difference.
QString normalizedSql(const QString &sql);

} // namespace fb::schema
