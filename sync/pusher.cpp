#include "pusher.h"

#include "db/database.h"
#include "db/tablecatalog.h"
#include "db/transaction.h"
#include "pgconnection.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QSet>
#include <QSqlRecord>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcPush, "fieldbook.sync.push")

namespace fb::sync {

namespace {

/// The synced tables the server has, in foreign-key order: the ones the push sends.
const QList<const catalog::Table *> &tables()
{
    static const QList<const catalog::Table *> list = [] {
        QList<const catalog::Table *> pushed;
        for (const catalog::Table &table : catalog::tables())
            if (table.onServer)
                pushed.append(&table);
        return pushed;
    }();
    return list;
}

const catalog::Table *tableForEntity(const QString &entityType)
{
    const catalog::Table *table = catalog::tableForEntity(entityType);
    return table && table->onServer ? table : nullptr; // "user": profiles are created on the server by an
                                                       // administrator
}

const catalog::Table *tableForTable(const QString &name)
{
    const catalog::Table *table = catalog::table(name);
    return table && table->onServer ? table : nullptr;
}

/// Test hook for the crash tests: FIELDBOOK_SYNC_CRASH_AT=<point> kills the process with SIGKILL there, as a
/// power cut or `kill -9` would. Read once; costs nothing when unset.
void crashPoint(const char *point)
{
    static const QByteArray wanted = qgetenv("FIELDBOOK_SYNC_CRASH_AT");
    if (!wanted.isEmpty() && wanted == point) {
        ::kill(::getpid(), SIGKILL);
        ::_exit(137);
    }
}

/// Whether the server refused a statement because of the change's own content: its values (class 22, data
/// exception), a constraint or a reference that does not hold (23, integrity; the server's same-owner
/// triggers say 23503), a rule of a trigger about the row (P0 raised by PL/pgSQL, 27, 09, 44), or a row that
/// belongs to another user (row-level security's WITH CHECK). Everything else is about the server, the
/// login's rights or the schema (permission denied, an undefined table, column or function, ...): no change
/// is at fault, so none is set aside and the cycle fails with the reason, to be retried.
bool refusedForItsContent(const PgResult &result)
{
    const QByteArray &state = result.sqlState();
    if (state.startsWith("22") || state.startsWith("23") || state.startsWith("P0") ||
        state.startsWith("27") || state.startsWith("09") || state.startsWith("44"))
        return true;
    return state == "42501" && result.message().contains(QStringLiteral("row-level security"));
}

/// One sentence for a refusal that is not about a change: what the server said and what to do.
Error serverProblem(const PgResult &result, const QString &server)
{
    const QByteArray &state = result.sqlState();
    const QString said = result.toError().message;
    if (state == "42501")
        return Error{
            ErrorCode::Forbidden,
            {},
            QStringLiteral("%1 refused the push for the login's rights, not for any change (%2): "
                           "make the login a Fieldbook technician (fieldbook server-add-technician) "
                           "or run fieldbook server-init to restore the grants; nothing was set aside")
                .arg(server, said)};
    if (state.startsWith("42") || state.startsWith("3F") || state.startsWith("0A"))
        return Error{
            ErrorCode::Database,
            {},
            QStringLiteral("%1 does not have the schema this Fieldbook pushes to (%2): run fieldbook "
                           "server-init on it; nothing was set aside")
                .arg(server, said)};
    return Error{ErrorCode::Database,
                 {},
                 QStringLiteral("%1 failed the push for a reason that is not about any change (%2); nothing "
                                "was set aside, the next sync tries again")
                     .arg(server, said)};
}

QString moneyText(const QVariant &cents)
{
    const qint64 value = cents.toLongLong();
    const qint64 absolute = value < 0 ? -value : value;
    return QStringLiteral("%1%2.%3")
        .arg(value < 0 ? QStringLiteral("-") : QString())
        .arg(absolute / 100)
        .arg(absolute % 100, 2, 10, QLatin1Char('0'));
}

/// Appends `text` to `out` as a JSON string (UTF-8; quotes, backslashes and control characters escaped).
void appendJsonString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    out += '"';
    qsizetype run = 0; // start of the bytes not yet copied
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8.at(i));
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.constData() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escaped, sizeof escaped);
        }
        }
    }
    out.append(utf8.constData() + run, utf8.size() - run);
    out += '"';
}

/// The ids as one JSON array parameter (for `IN (SELECT value FROM json_each(?))`): a single statement
/// however many there are, and no bound-variable limit (binding hundreds of variables one by one costs more
/// than the read itself).
QString jsonIdList(const QSet<QString> &ids)
{
    QByteArray list = "[";
    for (const QString &id : ids) {
        if (list.size() > 1)
            list += ',';
        appendJsonString(list, id);
    }
    list += ']';
    return QString::fromUtf8(list);
}

/// One local table's rows as JSON objects, one a line, written straight from the query:
/// money cents become exact decimal text, 0/1 booleans JSON booleans, JSON text is embedded as JSON.
struct TableRows
{
    QStringList columns;
    QByteArray json;
    QSet<QString> ids;                       ///< the rows found
    QMap<QString, QSet<QString>> references; ///< parent table -> ids the rows point at
};

/// How loadRows() writes a column's value.
enum class Kind
{
    Plain,
    Money,
    Boolean,
    Json
};

Kind kindOf(const catalog::Table *info, const QString &table, const QString &column)
{
    if (const catalog::Column *described = info ? info->column(column) : nullptr) {
        switch (described->kind) {
        case catalog::ColumnKind::Cents:
            return Kind::Money;
        case catalog::ColumnKind::Boolean:
            return Kind::Boolean;
        case catalog::ColumnKind::Json:
            return Kind::Json;
        default:
            return Kind::Plain;
        }
    }
    return table == QStringLiteral("audit_log") && column == QStringLiteral("changes") ? Kind::Json
                                                                                       : Kind::Plain;
}

/// The columns of a query's rows as loadRows() writes them.
struct RowLayout
{
    QList<QByteArray> keys; ///< each column's JSON key with its colon
    QList<Kind> kinds;
    int idColumn = -1;
    QList<QPair<int, QString>> parentColumns; ///< column -> pushed parent table
};

RowLayout rowLayout(const QSqlRecord &record, const catalog::Table *info, const QString &table,
                    QStringList &columns)
{
    RowLayout layout;
    for (int i = 0; i < record.count(); ++i) {
        const QString name = record.fieldName(i);
        columns.append(name);
        QByteArray key;
        appendJsonString(key, name);
        layout.keys.append(key + ':');
        layout.kinds.append(kindOf(info, table, name));
        if (name == QStringLiteral("id"))
            layout.idColumn = i;
    }
    // Parents the server has (user_id's users are created there by an administrator).
    if (info)
        for (const catalog::Reference &parent : info->references)
            if (tableForTable(parent.table))
                layout.parentColumns.append({int(record.indexOf(parent.column)), parent.table});
    return layout;
}

void appendValue(QByteArray &json, const QVariant &value, Kind kind)
{
    if (value.isNull()) {
        json += "null";
        return;
    }
    switch (kind) {
    case Kind::Money:
        appendJsonString(json, moneyText(value));
        break;
    case Kind::Boolean:
        json += value.toInt() != 0 ? "true" : "false";
        break;
    case Kind::Json:
        // JSON text (the local schema checks json_valid()): a line break in it can only be white space.
        json += value.toString().toUtf8().replace('\n', ' ').replace('\r', ' ');
        break;
    case Kind::Plain:
        if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int ||
            value.typeId() == QMetaType::Bool)
            json += QByteArray::number(value.toLongLong());
        else
            appendJsonString(json, value.toString());
        break;
    }
}

Result<TableRows> loadRows(Database &local, const QString &table, const catalog::Table *info,
                           const QString &userId, const QSet<QString> &ids)
{
    TableRows rows;
    if (ids.isEmpty())
        return rows;
    // main.<table>: the push needs soft-deleted rows too; user_id keeps it to this technician's rows.
    auto query = local.exec(
        QStringLiteral("SELECT * FROM main.%1 WHERE user_id = ? AND id IN (SELECT value FROM json_each(?))")
            .arg(table),
        {userId, jsonIdList(ids)});
    if (!query)
        return query.error();

    const RowLayout layout = rowLayout(query->record(), info, table, rows.columns);
    while (query->next()) {
        rows.json += rows.json.isEmpty() ? "{" : "\n{";
        for (int i = 0; i < layout.keys.size(); ++i) {
            if (i > 0)
                rows.json += ',';
            rows.json += layout.keys.at(i);
            appendValue(rows.json, query->value(i), layout.kinds.at(i));
        }
        rows.json += '}';
        if (layout.idColumn >= 0)
            rows.ids.insert(query->value(layout.idColumn).toString());
        for (const auto &[column, parentTable] : layout.parentColumns) {
            const QVariant parentId = query->value(column);
            if (!parentId.isNull())
                rows.references[parentTable].insert(parentId.toString());
        }
    }
    return rows;
}

QByteArray upsertStatement(PgConnection &server, const QByteArray &table, const TableRows &rows,
                           bool doNothing)
{
    const QByteArray name = server.identifier(table);
    QByteArrayList quoted;
    QByteArrayList updates;
    for (const QString &column : rows.columns) {
        const QByteArray id = server.identifier(column.toUtf8());
        quoted.append(id);
        if (column != QStringLiteral("id"))
            updates.append(id + " = EXCLUDED." + id);
    }
    // One JSON object a line, each parsed as its own small jsonb (string_to_table: PostgreSQL 14+): parsing
    // the whole batch as one jsonb array cost the server about a fifth more CPU (tests/bench/bench_sync.cpp).
    QByteArray sql = "INSERT INTO " + name + " (" + quoted.join(", ") + ") SELECT r." + quoted.join(", r.") +
                     " FROM string_to_table(" + server.literal(rows.json) +
                     ", E'\\n') line, LATERAL jsonb_populate_record(NULL::" + name +
                     ", line::jsonb) r ON CONFLICT (id) DO ";
    sql += doNothing ? QByteArray("NOTHING") : "UPDATE SET " + updates.join(", ");
    return sql + ";\n";
}

} // namespace

Pusher::Pusher(Database &local, const QUuid &userId, int batchSize)
    : m_local(local), m_userId(userId), m_batchSize(batchSize)
{
}

Result<int> Pusher::pendingCount() const
{
    auto query =
        m_local.exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND pushed_at IS "
                                    "NULL AND quarantined_at IS NULL"),
                     {idText(m_userId)});
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

Result<QList<QuarantinedChange>> Pusher::quarantined() const
{
    auto query =
        m_local.exec(QStringLiteral("SELECT o.seq, o.entity_type, o.entity_id, o.quarantine_reason, "
                                    "o.quarantined_at, a.action, a.changes FROM sync_outbox o "
                                    "LEFT JOIN audit_log a ON a.id = o.audit_id "
                                    "WHERE o.user_id = ? AND o.quarantined_at IS NOT NULL ORDER BY o.seq"),
                     {idText(m_userId)});
    if (!query)
        return query.error();
    QList<QuarantinedChange> changes;
    while (query->next()) {
        QuarantinedChange change{query->value(0).toLongLong(),
                                 query->value(1).toString(),
                                 idFromVariant(query->value(2)),
                                 query->value(3).toString(),
                                 fromStoredTime(query->value(4)),
                                 query->value(5).toString(),
                                 {}};
        // An update's entry is {field: {old, new}}: its keys are what changed.
        if (change.action == QLatin1String("update"))
            change.fields = QJsonDocument::fromJson(query->value(6).toString().toUtf8()).object().keys();
        changes.append(std::move(change));
    }
    return changes;
}

Result<int> Pusher::releaseQuarantine()
{
    FB_TRANSACTION(tx, m_local);
    auto released =
        m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = NULL, quarantine_reason = "
                                    "NULL WHERE user_id = ? AND quarantined_at IS NOT NULL"),
                     {idText(m_userId)});
    if (!released)
        return released.error();
    const int count = released->numRowsAffected();
    FB_TRY(tx.commit());
    return count;
}

Result<int> Pusher::releaseDue(int serverSchema, QString *why)
{
    const QString user = idText(m_userId);
    FB_TRANSACTION(tx, m_local);
    auto seen = m_local.exec(
        QStringLiteral("SELECT value FROM sync_state WHERE user_id = ? AND key = 'server_schema_version'"),
        {user});
    if (!seen)
        return seen.error();
    const QString before = seen->next() ? seen->value(0).toString() : QString();
    const QString now = QString::number(serverSchema);
    int count = 0;
    if (!before.isEmpty() && before != now) {
        // The administrator changed the server (server-init): what it refused may well pass now.
        auto released =
            m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = NULL, quarantine_reason = "
                                        "NULL WHERE user_id = ? AND quarantined_at IS NOT NULL"),
                         {user});
        if (!released)
            return released.error();
        count = released->numRowsAffected();
        if (count > 0 && why)
            *why = QStringLiteral("the server's schema changed from version %1 to %2").arg(before, now);
    } else {
        const QString cutoff = toStoredTime(
            nowUtc().addSecs(-std::chrono::duration_cast<std::chrono::seconds>(kRetrySetAsideAfter).count()));
        auto released =
            m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = NULL, quarantine_reason = "
                                        "NULL WHERE user_id = ? AND quarantined_at IS NOT NULL AND "
                                        "quarantined_at <= ?"),
                         {user, cutoff});
        if (!released)
            return released.error();
        count = released->numRowsAffected();
        if (count > 0 && why)
            *why = QStringLiteral("they were set aside a day or more ago");
    }
    if (before != now) {
        auto stored = m_local.exec(
            QStringLiteral(
                "INSERT INTO sync_state (user_id, key, value) VALUES (?, 'server_schema_version', ?) "
                "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
            {user, now});
        if (!stored)
            return stored.error();
    }
    FB_TRY(tx.commit());
    return count;
}

Result<QSet<QString>> Pusher::notYetOnServer(const QString &entityType, const QSet<QString> &ids) const
{
    QSet<QString> pending;
    if (ids.isEmpty())
        return pending;
    // A row whose create entry was pushed is on the server (and a create set aside means the row never got
    // there: a child that needs it is refused on its own and set aside with it, as it truly depends on it).
    auto query = m_local.exec(
        QStringLiteral("SELECT a.entity_id FROM audit_log a JOIN sync_outbox o ON o.audit_id = a.id "
                       "WHERE a.entity_type = ? AND a.entity_id IN (SELECT value FROM json_each(?)) "
                       "AND a.action = 'create' AND o.user_id = ? AND o.pushed_at IS NULL "
                       "AND o.quarantined_at IS NULL"),
        {entityType, jsonIdList(ids), idText(m_userId)});
    if (!query)
        return query.error();
    while (query->next())
        pending.insert(query->value(0).toString());
    return pending;
}

Result<int> Pusher::checkServer(PgConnection &server)
{
    const QString where = server.describe();
    // Bounded waits for everything that follows on this connection: a technician's login can LOCK TABLE, and
    // nobody's push may hang behind it.
    PgResult timeouts = server.exec(
        QStringLiteral("SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, "
                       "false), set_config('idle_in_transaction_session_timeout', $2, false)"),
        {QByteArray::number(qint64(m_lockTimeout.count())),
         QByteArray::number(qint64(kStatementTimeout.count()))});
    if (!timeouts.ok())
        return timeouts.transient() ? timeouts.toError(QStringLiteral("checking the server"))
                                    : serverProblem(timeouts, where);

    PgResult facts = server.exec(QStringLiteral(
        "SELECT current_user, to_regprocedure('public.fieldbook_schema_version()') IS NOT NULL, "
        "to_regclass('public.fieldbook_schema_version') IS NOT NULL, "
        "CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldbook_technician') "
        "THEN pg_has_role(current_user, 'fieldbook_technician', 'MEMBER') ELSE false END"));
    if (!facts.ok())
        return facts.transient() ? facts.toError(QStringLiteral("checking the server"))
                                 : serverProblem(facts, where);
    const QString role = facts.value(0, 0);
    const bool hasVersionFunction = facts.value(0, 1) == QStringLiteral("t");
    const bool hasSchema = facts.value(0, 2) == QStringLiteral("t");
    const bool technician = facts.value(0, 3) == QStringLiteral("t");
    if (!hasSchema)
        return Error{
            ErrorCode::Database,
            {},
            QStringLiteral("%1 has no Fieldbook schema: run fieldbook server-init on it; nothing was "
                           "sent or set aside")
                .arg(where)};
    if (!technician)
        return Error{
            ErrorCode::Forbidden,
            {},
            QStringLiteral("the login %1 is not a Fieldbook technician on %2: create it with fieldbook "
                           "server-add-technician (or GRANT fieldbook_technician TO %1); nothing was "
                           "sent or set aside")
                .arg(role, where)};
    if (!hasVersionFunction)
        return Error{
            ErrorCode::Database,
            {},
            QStringLiteral("%1 has a Fieldbook schema older than version %2: run fieldbook server-init "
                           "on it; nothing was sent or set aside")
                .arg(where)
                .arg(kMinimumServerSchema)};
    PgResult version = server.exec(QStringLiteral("SELECT fieldbook_schema_version()"));
    if (!version.ok())
        return version.transient() ? version.toError(QStringLiteral("checking the server"))
                                   : serverProblem(version, where);
    const int schema = version.value(0, 0).toInt();
    if (schema < kMinimumServerSchema)
        return Error{
            ErrorCode::Database,
            {},
            QStringLiteral("%1 has Fieldbook schema version %2, older than the %3 this Fieldbook needs: "
                           "run fieldbook server-init on it; nothing was sent or set aside")
                .arg(where)
                .arg(schema)
                .arg(kMinimumServerSchema)};

    // The rights the push uses, table by table: a grant revoked by hand shows here, not as refused changes.
    QStringList missing;
    QByteArrayList checks;
    // One has_table_privilege per right: given a list, it is true when ANY of them is held.
    const auto allOf = [&server](const QByteArray &table, const QByteArrayList &privileges) {
        QByteArrayList each;
        for (const QByteArray &privilege : privileges)
            each.append("has_table_privilege(" + server.literal("public." + table) + ", '" + privilege +
                        "')");
        return each.join(" AND ");
    };
    for (const catalog::Table *info : tables())
        checks.append(allOf(info->name.toUtf8(),
                            info->softDelete ? QByteArrayList{"SELECT", "INSERT", "UPDATE"}
                                             : QByteArrayList{"SELECT", "INSERT", "UPDATE", "DELETE"}));
    checks.append(allOf("audit_log", {"SELECT", "INSERT"}));
    PgResult rights = server.exec(QString::fromUtf8("SELECT " + checks.join(", ")));
    if (!rights.ok())
        return rights.transient() ? rights.toError(QStringLiteral("checking the server"))
                                  : serverProblem(rights, where);
    for (int i = 0; i < int(checks.size()); ++i)
        if (rights.value(0, i) != QStringLiteral("t"))
            missing.append(i < int(tables().size()) ? tables().at(i)->name : QStringLiteral("audit_log"));
    if (!missing.isEmpty())
        return Error{
            ErrorCode::Forbidden,
            {},
            QStringLiteral("the login %1 lacks the rights a push needs on %2 of %3: run fieldbook "
                           "server-init on the server to restore the grants; nothing was sent or set "
                           "aside")
                .arg(role, missing.join(QStringLiteral(", ")), where)};

    // The identity every batch sets, checked the way the server checks it; nothing is written.
    PgResult begun = server.exec(QStringLiteral("BEGIN READ ONLY"));
    if (!begun.ok())
        return begun.transient() ? begun.toError(QStringLiteral("checking the server"))
                                 : serverProblem(begun, where);
    PgResult bound =
        server.exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, true), fieldbook_user_id()"),
                    {idText(m_userId).toUtf8()});
    (void)server.exec(QStringLiteral("ROLLBACK"));
    if (!bound.ok()) {
        if (bound.transient())
            return bound.toError(QStringLiteral("checking the server"));
        return Error{
            ErrorCode::Forbidden,
            {},
            QStringLiteral("the login %1 cannot push this profile's changes to %2 (%3): bind it to "
                           "this technician with fieldbook server-add-technician --id %4; nothing was "
                           "sent or set aside")
                .arg(role, where, bound.message(), idText(m_userId))};
    }
    return schema;
}

Result<QList<Pusher::Entry>> Pusher::nextBatch(qint64 afterSeq) const
{
    auto query =
        m_local.exec(QStringLiteral("SELECT seq, audit_id, entity_type, entity_id FROM sync_outbox "
                                    "WHERE user_id = ? AND pushed_at IS NULL AND quarantined_at IS NULL "
                                    "AND seq > ? ORDER BY seq LIMIT ?"),
                     {idText(m_userId), afterSeq, m_batchSize});
    if (!query)
        return query.error();
    QList<Entry> entries;
    while (query->next())
        entries.append({query->value(0).toLongLong(), query->value(1).toString(), query->value(2).toString(),
                        query->value(3).toString()});
    return entries;
}

Result<QByteArray> Pusher::buildScript(PgConnection &server, const QList<Entry> &entries) const
{
    const QString user = idText(m_userId);
    QMap<QString, QSet<QString>> touched; // table -> ids of rows whose current state is pushed
    QSet<QString> auditIds;
    for (const Entry &entry : entries) {
        auditIds.insert(entry.auditId);
        if (const catalog::Table *info = tableForEntity(entry.entityType))
            touched[info->name].insert(entry.entityId);
    }

    // Rows in reverse foreign-key order, so each table adds its parents before they are loaded: a child's
    // current state may point at a parent changed in a later entry, and the parent must reach the server
    // first.
    QMap<QString, TableRows> rowsByTable;
    QMap<QString, QStringList> deletedByTable;
    for (auto it = tables().crbegin(); it != tables().crend(); ++it) {
        const QString &table = (*it)->name;
        const QSet<QString> ids = touched.value(table);
        if (ids.isEmpty())
            continue;
        auto rows = loadRows(m_local, table, *it, user, ids);
        if (!rows)
            return rows.error();
        // A parent goes along only when the server may not have it yet (its create entry still pending): a
        // child's current state may point at a parent created in a later entry, which must reach the server
        // first. A parent already there is left as it is: this batch did not change it, and re-sending its
        // state would overwrite the office's edits, or drag a child into a refusal of the parent's own
        // change.
        for (auto parent = rows->references.cbegin(); parent != rows->references.cend(); ++parent) {
            const catalog::Table *parentInfo = tableForTable(parent.key());
            if (!parentInfo)
                continue;
            auto needed =
                notYetOnServer(parentInfo->entityType, parent.value() - touched.value(parent.key()));
            if (!needed)
                return needed.error();
            touched[parent.key()].unite(*needed);
        }
        // A touched row that is gone locally was hard-deleted (tables without soft delete): delete it there
        // too.
        for (const QString &id : ids)
            if (!rows->ids.contains(id) && !(*it)->softDelete)
                deletedByTable[table].append(id);
        if (!rows->ids.isEmpty())
            rowsByTable.insert(table, std::move(*rows));
    }

    QByteArray script = "BEGIN;\n";
    script += "SELECT set_config('app.current_user_id', " + server.literal(user.toUtf8()) +
              ", true), set_config('app.include_deleted', 'on', true);\n";
    // Fails loudly, before any data, if this login may not act as this technician.
    script += "SELECT fieldbook_user_id();\n";
    // Deletes first, children before parents: a key (contact, attribute key) freed by a delete can be reused
    // by a row created after it.
    for (auto it = tables().crbegin(); it != tables().crend(); ++it) {
        const QStringList ids = deletedByTable.value((*it)->name);
        if (ids.isEmpty())
            continue;
        QByteArrayList literals;
        for (const QString &id : ids)
            literals.append(server.literal(id.toUtf8()));
        script += "DELETE FROM " + server.identifier((*it)->name.toUtf8()) + " WHERE id IN (" +
                  literals.join(", ") + ");\n";
    }
    for (const catalog::Table *info : tables()) {
        const auto rows = rowsByTable.constFind(info->name);
        if (rows != rowsByTable.cend())
            script += upsertStatement(server, info->name.toUtf8(), *rows, false);
    }

    auto audit = loadRows(m_local, QStringLiteral("audit_log"), nullptr, user, auditIds);
    if (!audit)
        return audit.error();
    if (!audit->ids.isEmpty())
        script += upsertStatement(server, "audit_log", *audit, true);
    return script;
}

Status Pusher::pushRange(PgConnection &server, const QList<Entry> &entries, PushReport &report,
                         QByteArray script, const std::function<void()> &whileServerWorks)
{
    if (script.isEmpty()) {
        auto built = buildScript(server, entries);
        if (!built)
            return built.error();
        script = std::move(*built);
    }

    crashPoint("before-send");
    if (!server.sendScript(script))
        return PgResult(nullptr, {}, QStringLiteral("the connection to the server was lost"), true).toError();
    crashPoint("during");
    if (whileServerWorks)
        whileServerWorks();
    PgResult applied = server.takeResult();
    if (applied.ok()) {
        crashPoint("before-commit");
        applied = server.exec(QStringLiteral("COMMIT"));
    } else if (server.isOpen()) {
        (void)server.exec(QStringLiteral("ROLLBACK"));
    }
    if (!applied.ok()) {
        // Whether a COMMIT whose answer was lost took effect is unknown; re-sending is harmless either way.
        if (applied.sqlState() == "55P03")
            return Error{
                ErrorCode::Unavailable,
                {},
                QStringLiteral("the server is busy: a table the push writes stayed locked by another "
                               "session for more than %1 s; nothing was set aside, the push tries again "
                               "later")
                    .arg(m_lockTimeout.count() / 1000.0)};
        if (applied.sqlState() == "57014")
            return Error{
                ErrorCode::Unavailable,
                {},
                QStringLiteral("the server did not finish a statement of the push within %1 s; nothing "
                               "was set aside, the push tries again later")
                    .arg(std::chrono::duration_cast<std::chrono::seconds>(kStatementTimeout).count())};
        if (applied.transient() || !server.isOpen())
            return applied.toError(QStringLiteral("push interrupted"));
        if (applied.message().startsWith(QStringLiteral("fieldbook:")))
            return applied.toError(); // identity: no entry is at fault
        if (!refusedForItsContent(applied))
            return serverProblem(applied, server.describe());
        if (entries.size() == 1) {
            qCWarning(lcPush).noquote()
                << "change" << entries.first().seq << entries.first().entityType << entries.first().entityId
                << "refused by the server:" << applied.message();
            FB_TRY(quarantine(entries.first(), applied.toError().message));
            ++report.quarantined;
            return {};
        }
        const qsizetype half = entries.size() / 2;
        FB_TRY(pushRange(server, entries.mid(0, half), report));
        return pushRange(server, entries.mid(half), report);
    }
    crashPoint("after-commit");
    FB_TRY(acknowledge(entries));
    crashPoint("after-ack");
    report.pushed += int(entries.size());
    ++report.batches;
    return {};
}

Status Pusher::acknowledge(const QList<Entry> &entries)
{
    FB_TRANSACTION(tx, m_local);
    const QString now = toStoredTime(nowUtc());
    for (qsizetype start = 0; start < entries.size(); start += 500) {
        QStringList seqs;
        for (const Entry &entry : entries.mid(start, 500))
            seqs.append(QString::number(entry.seq));
        // seq values are integers read from the outbox: safe to list inline.
        auto marked =
            m_local.exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = ?, attempts = attempts + 1 "
                                        "WHERE seq IN (%1)")
                             .arg(seqs.join(QLatin1Char(','))),
                         {now});
        if (!marked)
            return marked.error();
    }
    auto state =
        m_local.exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, 'last_push_at', "
                                    "?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                     {idText(m_userId), now});
    if (!state)
        return state.error();
    return tx.commit();
}

Status Pusher::quarantine(const Entry &entry, const QString &reason)
{
    FB_TRANSACTION(tx, m_local);
    auto marked =
        m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = ?, "
                                    "attempts = attempts + 1 WHERE seq = ?"),
                     {toStoredTime(nowUtc()), reason, entry.seq});
    if (!marked)
        return marked.error();
    return tx.commit();
}

Result<PushReport> Pusher::pushAll(PgConnection &server, const Progress &progress)
{
    PushReport report;
    auto schema = checkServer(server);
    if (!schema)
        return schema.error();
    report.serverSchema = *schema;
    auto released = releaseDue(*schema, &report.releasedWhy);
    if (!released)
        return released.error();
    report.released = *released;
    if (report.released > 0)
        qCInfo(lcPush).noquote() << "trying again" << report.released << "change(s) set aside, as"
                                 << report.releasedWhy;
    int total = 0;
    if (progress) {
        auto pending = pendingCount();
        if (!pending)
            return pending.error();
        total = *pending;
    }
    // Changes made during the push join it: the total grows rather than the bar running past its end.
    const auto reportProgress = [&] {
        if (!progress)
            return;
        const int done = report.pushed + report.quarantined;
        total = std::max(total, done);
        progress(done, total);
    };
    auto batch = nextBatch();
    if (batch && !batch->isEmpty())
        reportProgress();
    QByteArray script; // the batch's script when it was built ahead, else empty
    while (batch && !batch->isEmpty()) {
        // While the server applies this batch, read and build the next one (the entries after it), so the
        // client's work overlaps the server's instead of adding to it. Nothing is acknowledged ahead: the
        // next batch is sent only after this one committed and was acknowledged. A failure here is met again
        // when the next batch is read the ordinary way.
        QList<Entry> next;
        QByteArray nextScript;
        const qint64 last = batch->last().seq;
        const auto buildNext = [&] {
            auto entries = nextBatch(last);
            if (!entries || entries->isEmpty())
                return;
            auto built = buildScript(server, *entries);
            if (!built)
                return;
            next = std::move(*entries);
            nextScript = std::move(*built);
        };
        if (auto pushed = pushRange(server, *batch, report, std::move(script), buildNext); !pushed)
            return pushed.error();
        reportProgress();
        script = std::move(nextScript);
        if (!next.isEmpty())
            batch = std::move(next);
        else
            batch = nextBatch();
    }
    if (!batch)
        return batch.error();
    auto remaining = pendingCount();
    if (!remaining)
        return remaining.error();
    report.remaining = *remaining;
    return report;
}

} // namespace fb::sync
