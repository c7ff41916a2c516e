// Per-user scoping, the local equivalent of the seed's row-level security.
//
// * current_user_id() is an SQL function registered on each connection; it returns the connection's user id,
//   and raises "no current user" when none is set, so a connection without an identity fails loudly.
// * For every user-scoped table, a TEMP VIEW of the same name shadows the table on this connection (SQLite
//   resolves unqualified names in the temp schema first). It keeps the user's rows and, for soft-delete
//   tables, only live ones. Raw SQL like `SELECT * FROM contacts` through the app's connection therefore sees
//   only the current user's live contacts, and `UPDATE contacts ...` is refused (a view), just as a query
//   that forgets its WHERE clause would be saved by RLS on the server.
// * Writes go to `main.<table>`; BEFORE triggers in the schema (migration 001) reject inserting, changing or
//   deleting another user's row, or handing a row to another user.
// * `main.<table>` reads are the equivalent of the server's table owner: only integrity checks and the sync
//   module use them, never the services' reads.
#include "db/scoping.h"

#include "db/database.h"
#include "db/tablecatalog.h"
#include "util/timeutil.h"

#include <sqlite3.h>

#include <QByteArray>

namespace fb {

namespace scoping {

namespace {

QStringList tableNames(bool (*wanted)(const catalog::Table &))
{
    QStringList names;
    for (const catalog::Table &table : catalog::tables())
        if (wanted(table))
            names.append(table.name);
    return names;
}

} // namespace

const QStringList &softDeleteTables()
{
    static const QStringList tables = tableNames([](const catalog::Table &t) { return t.softDelete; });
    return tables;
}

const QStringList &plainTables()
{
    static const QStringList tables = tableNames([](const catalog::Table &t) { return !t.softDelete; });
    return tables;
}

const QStringList &scopedTables()
{
    static const QStringList tables = tableNames([](const catalog::Table &) { return true; });
    return tables;
}

bool isSoftDelete(const QString &table)
{
    const catalog::Table *info = catalog::table(table);
    return info && info->softDelete;
}

namespace {

/// The condition that keeps the rows of the current user, for a table read as `alias`.
QString ownerCondition(const catalog::Table &table, const QString &alias)
{
    if (table.ownership == catalog::Ownership::UserIdColumn)
        return QStringLiteral("%1.%2 = current_user_id()").arg(alias, table.ownerColumn);
    QString parent;
    for (const catalog::Reference &reference : table.references)
        if (reference.column == table.ownerColumn)
            parent = reference.table;
    return QStringLiteral(
               "EXISTS (SELECT 1 FROM main.%1 o WHERE o.id = %2.%3 AND o.user_id = current_user_id())")
        .arg(parent, alias, table.ownerColumn);
}

} // namespace

QString visibleRows(const QString &table, const QString &alias, const QString &indexedBy)
{
    const catalog::Table *info = catalog::table(table);
    Q_ASSERT_X(info, "scoping::visibleRows", "not a synced table");
    const QString owner =
        info ? ownerCondition(*info, alias) : QStringLiteral("%1.user_id = current_user_id()").arg(alias);
    return QStringLiteral("main.%1 AS %2%5 WHERE current_user_id() IS NOT NULL AND %3%4")
        .arg(table, alias, owner,
             isSoftDelete(table) ? QStringLiteral(" AND %1.deleted_at IS NULL").arg(alias) : QString(),
             indexedBy.isEmpty() ? QString() : QStringLiteral(" INDEXED BY %1").arg(indexedBy));
}

} // namespace scoping

namespace {

void currentUserIdFunction(sqlite3_context *context, int, sqlite3_value **)
{
    const auto *state = static_cast<const QByteArray *>(sqlite3_user_data(context));
    if (state->isEmpty()) {
        sqlite3_result_error(context,
                             "no current user is set on this connection (scoped tables are unreadable)", -1);
        return;
    }
    sqlite3_result_text(context, state->constData(), int(state->size()), SQLITE_TRANSIENT);
}

} // namespace

Status Database::registerCurrentUserFunction()
{
    m_scope = std::make_unique<ScopeState>();
    // SQLITE_DETERMINISTIC: the value is constant within a statement, so the planner may use it for look-ups
    // in (user_id, ...) indexes, and the views' constant term `current_user_id() IS NOT NULL` is evaluated
    // once before the first row: a read without a user fails even on an empty table, where a per-row check
    // would never run. Nothing caches a deterministic result across statements, so switching users is safe;
    // the schema never uses the function in an index or CHECK constraint, where that promise would be too
    // weak.
    const int rc = sqlite3_create_function_v2(static_cast<sqlite3 *>(m_handle), "current_user_id", 0,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, &m_scope->userId,
                                              currentUserIdFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return Error::database(QStringLiteral("cannot register current_user_id(): %1")
                                   .arg(QString::fromUtf8(sqlite3_errstr(rc))));
    return {};
}

Status Database::installScoping()
{
    QString script;
    for (const QString &table : scoping::scopedTables()) {
        script += QStringLiteral("DROP VIEW IF EXISTS temp.%1;\n").arg(table);
        script += QStringLiteral("CREATE TEMP VIEW %1 AS SELECT t.* FROM %2;\n")
                      .arg(table, scoping::visibleRows(table, QStringLiteral("t")));
    }
    return execScript(script);
}

void Database::setCurrentUser(const QUuid &userId)
{
    m_scope->userId = idText(userId).toUtf8();
}

QUuid Database::currentUser() const
{
    return m_scope->userId.isEmpty() ? QUuid() : QUuid::fromString(QString::fromUtf8(m_scope->userId));
}

} // namespace fb
