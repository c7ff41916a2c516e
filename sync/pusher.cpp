#include "pusher.h"

#include "db/database.h"
#include "db/store.h"
#include "db/transaction.h"
#include "pgconnection.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QSet>

#include <csignal>
#include <cstdlib>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcPush, "fieldbook.sync.push")

namespace fb::sync {

namespace {

struct Parent
{
    const char *column;
    const char *table;
};

struct TableInfo
{
    const char *table;
    const char *entityType;
    bool softDelete;
    QList<Parent> parents;
    QList<const char *> moneyColumns;
};

// Foreign-key order: every table's parents come before it.
const QList<TableInfo> &tables()
{
    static const QList<TableInfo> list{
        {"contacts", "contact", true, {}, {}},
        {"addresses", "address", false, {{"contact_id", "contacts"}}, {}},
        {"services", "service", true, {}, {"default_price", "unit_price"}},
        {"tickets", "ticket", true, {{"contact_id", "contacts"}, {"address_id", "addresses"}}, {}},
        {"line_items", "line_item", true, {{"ticket_id", "tickets"}, {"service_id", "services"}},
         {"unit_price", "total_price"}},
        {"invoices", "invoice", true, {{"contact_id", "contacts"}, {"ticket_id", "tickets"}}, {"total_amount"}},
        {"notes", "note", true, {{"contact_id", "contacts"}, {"ticket_id", "tickets"}}, {}},
        {"attributes", "attribute", false, {{"contact_id", "contacts"}, {"source_note_id", "notes"}}, {}},
        {"scheduled_messages", "scheduled_message", false, {{"contact_id", "contacts"}}, {}},
    };
    return list;
}

const TableInfo *tableForEntity(const QString &entityType)
{
    for (const TableInfo &info : tables())
        if (entityType == QLatin1String(info.entityType))
            return &info;
    return nullptr; // "user": profiles are created on the server by an administrator
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

QString moneyText(const QVariant &cents)
{
    const qint64 value = cents.toLongLong();
    const qint64 absolute = value < 0 ? -value : value;
    return QStringLiteral("%1%2.%3")
        .arg(value < 0 ? QStringLiteral("-") : QString())
        .arg(absolute / 100)
        .arg(absolute % 100, 2, 10, QLatin1Char('0'));
}

QJsonValue parsedJson(const QVariant &text)
{
    const QByteArray wrapped = "[" + text.toString().toUtf8() + "]";
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

/// A local row as the server's column types take it through jsonb_populate_recordset: money cents become
/// exact decimal text, 0/1 booleans become JSON booleans, JSON text becomes JSON.
QJsonObject serverRow(const TableInfo &info, const Row &row)
{
    QJsonObject json = rowToJson(row);
    for (const char *column : info.moneyColumns) {
        const QString key = QLatin1String(column);
        if (!row.value(key).isNull())
            json.insert(key, moneyText(row.value(key)));
    }
    if (QLatin1String(info.table) == QLatin1String("services"))
        json.insert(QStringLiteral("is_active"), row.value(QStringLiteral("is_active")).toInt() != 0);
    if (QLatin1String(info.table) == QLatin1String("attributes"))
        json.insert(QStringLiteral("value"), parsedJson(row.value(QStringLiteral("value"))));
    return json;
}

QByteArray upsertStatement(PgConnection &server, const char *table, const QStringList &columns,
                           const QJsonArray &rows, bool doNothing)
{
    const QByteArray name = server.identifier(table);
    QByteArrayList quoted;
    QByteArrayList updates;
    for (const QString &column : columns) {
        const QByteArray id = server.identifier(column.toUtf8());
        quoted.append(id);
        if (column != QStringLiteral("id"))
            updates.append(id + " = EXCLUDED." + id);
    }
    const QByteArray list = quoted.join(", ");
    const QByteArray payload = server.literal(QJsonDocument(rows).toJson(QJsonDocument::Compact));
    QByteArray sql = "INSERT INTO " + name + " (" + list + ") SELECT " + list + " FROM jsonb_populate_recordset(NULL::" +
                     name + ", " + payload + "::jsonb) ON CONFLICT (id) DO ";
    sql += doNothing ? QByteArray("NOTHING") : "UPDATE SET " + updates.join(", ");
    return sql + ";\n";
}

Result<QList<Row>> loadRows(Database &local, const QString &table, const QString &userId, const QSet<QString> &ids)
{
    QList<Row> rows;
    QList<QString> all(ids.begin(), ids.end());
    // Chunks stay far below SQLite's limit of bound variables.
    for (qsizetype start = 0; start < all.size(); start += 500) {
        const QList<QString> chunk = all.mid(start, 500);
        QStringList marks;
        QVariantList values{userId};
        for (const QString &id : chunk) {
            marks.append(QStringLiteral("?"));
            values.append(id);
        }
        // main.<table>: the push needs soft-deleted rows too; user_id keeps it to this technician's rows.
        auto query = local.exec(QStringLiteral("SELECT * FROM main.%1 WHERE user_id = ? AND id IN (%2)")
                                    .arg(table, marks.join(QLatin1Char(','))),
                                values);
        if (!query)
            return query.error();
        while (query->next())
            rows.append(rowFromQuery(*query));
    }
    return rows;
}

} // namespace

Pusher::Pusher(Database &local, const QUuid &userId, int batchSize)
    : m_local(local), m_userId(userId), m_batchSize(batchSize)
{
}

Result<int> Pusher::pendingCount() const
{
    auto query = m_local.exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND pushed_at IS "
                                             "NULL AND quarantined_at IS NULL"),
                              {idText(m_userId)});
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

Result<QList<QuarantinedChange>> Pusher::quarantined() const
{
    auto query = m_local.exec(QStringLiteral("SELECT seq, entity_type, entity_id, quarantine_reason, quarantined_at "
                                             "FROM sync_outbox WHERE user_id = ? AND quarantined_at IS NOT NULL "
                                             "ORDER BY seq"),
                              {idText(m_userId)});
    if (!query)
        return query.error();
    QList<QuarantinedChange> changes;
    while (query->next())
        changes.append({query->value(0).toLongLong(), query->value(1).toString(), idFromVariant(query->value(2)),
                        query->value(3).toString(), fromStoredTime(query->value(4))});
    return changes;
}

Status Pusher::releaseQuarantine()
{
    FB_TRANSACTION(tx, m_local);
    auto released = m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = NULL, quarantine_reason = "
                                                "NULL WHERE user_id = ? AND quarantined_at IS NOT NULL"),
                                 {idText(m_userId)});
    if (!released)
        return released.error();
    return tx.commit();
}

Result<QList<Pusher::Entry>> Pusher::nextBatch() const
{
    auto query = m_local.exec(QStringLiteral("SELECT seq, audit_id, entity_type, entity_id FROM sync_outbox "
                                             "WHERE user_id = ? AND pushed_at IS NULL AND quarantined_at IS NULL "
                                             "ORDER BY seq LIMIT ?"),
                              {idText(m_userId), m_batchSize});
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
        if (const TableInfo *info = tableForEntity(entry.entityType))
            touched[QLatin1String(info->table)].insert(entry.entityId);
    }

    // Rows in reverse foreign-key order, so each table adds its parents before they are loaded: a child's
    // current state may point at a parent changed in a later entry, and the parent must reach the server first.
    QMap<QString, QList<Row>> rowsByTable;
    QMap<QString, QStringList> deletedByTable;
    for (auto it = tables().crbegin(); it != tables().crend(); ++it) {
        const QString table = QLatin1String(it->table);
        const QSet<QString> ids = touched.value(table);
        if (ids.isEmpty())
            continue;
        auto rows = loadRows(m_local, table, user, ids);
        if (!rows)
            return rows.error();
        QSet<QString> found;
        for (const Row &row : std::as_const(*rows)) {
            found.insert(row.value(QStringLiteral("id")).toString());
            for (const Parent &parent : it->parents) {
                const QVariant parentId = row.value(QLatin1String(parent.column));
                if (!parentId.isNull())
                    touched[QLatin1String(parent.table)].insert(parentId.toString());
            }
        }
        // A touched row that is gone locally was hard-deleted (tables without soft delete): delete it there too.
        for (const QString &id : ids)
            if (!found.contains(id) && !it->softDelete)
                deletedByTable[table].append(id);
        rowsByTable.insert(table, *rows);
    }

    QByteArray script = "BEGIN;\n";
    script += "SELECT set_config('app.current_user_id', " + server.literal(user.toUtf8()) +
              ", true), set_config('app.include_deleted', 'on', true);\n";
    // Fails loudly, before any data, if this login may not act as this technician.
    script += "SELECT fieldbook_user_id();\n";
    // Deletes first, children before parents: a key (contact, attribute key) freed by a delete can be reused by
    // a row created after it.
    for (auto it = tables().crbegin(); it != tables().crend(); ++it) {
        const QStringList ids = deletedByTable.value(QLatin1String(it->table));
        if (ids.isEmpty())
            continue;
        QByteArrayList literals;
        for (const QString &id : ids)
            literals.append(server.literal(id.toUtf8()));
        script += "DELETE FROM " + server.identifier(it->table) + " WHERE id IN (" + literals.join(", ") +
                  ");\n";
    }
    for (const TableInfo &info : tables()) {
        const QList<Row> rows = rowsByTable.value(QLatin1String(info.table));
        if (rows.isEmpty())
            continue;
        QJsonArray json;
        for (const Row &row : rows)
            json.append(serverRow(info, row));
        script += upsertStatement(server, info.table, rows.first().keys(), json, false);
    }

    auto audit = loadRows(m_local, QStringLiteral("audit_log"), user, auditIds);
    if (!audit)
        return audit.error();
    if (!audit->isEmpty()) {
        QJsonArray json;
        for (const Row &row : std::as_const(*audit)) {
            QJsonObject entry = rowToJson(row);
            entry.insert(QStringLiteral("changes"), parsedJson(row.value(QStringLiteral("changes"))));
            json.append(entry);
        }
        script += upsertStatement(server, "audit_log", audit->first().keys(), json, true);
    }
    return script;
}

Status Pusher::pushRange(PgConnection &server, const QList<Entry> &entries, PushReport &report)
{
    auto script = buildScript(server, entries);
    if (!script)
        return script.error();

    crashPoint("before-send");
    if (!server.sendScript(*script))
        return PgResult(nullptr, {}, QStringLiteral("the connection to the server was lost"), true).toError();
    crashPoint("during");
    PgResult applied = server.takeResult();
    if (applied.ok()) {
        crashPoint("before-commit");
        applied = server.exec(QStringLiteral("COMMIT"));
    } else if (server.isOpen()) {
        (void)server.exec(QStringLiteral("ROLLBACK"));
    }
    if (!applied.ok()) {
        // Whether a COMMIT whose answer was lost took effect is unknown; re-sending is harmless either way.
        if (applied.transient() || !server.isOpen())
            return applied.toError(QStringLiteral("push interrupted"));
        if (applied.message().startsWith(QStringLiteral("fieldbook:")))
            return applied.toError(); // identity: no entry is at fault
        if (entries.size() == 1) {
            qCWarning(lcPush).noquote() << "change" << entries.first().seq << entries.first().entityType
                                        << entries.first().entityId << "refused by the server:" << applied.message();
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
        auto marked = m_local.exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = ?, attempts = attempts + 1 "
                                                  "WHERE seq IN (%1)")
                                       .arg(seqs.join(QLatin1Char(','))),
                                   {now});
        if (!marked)
            return marked.error();
    }
    auto state = m_local.exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, 'last_push_at', "
                                             "?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                              {idText(m_userId), now});
    if (!state)
        return state.error();
    return tx.commit();
}

Status Pusher::quarantine(const Entry &entry, const QString &reason)
{
    FB_TRANSACTION(tx, m_local);
    auto marked = m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = ?, "
                                              "attempts = attempts + 1 WHERE seq = ?"),
                               {toStoredTime(nowUtc()), reason, entry.seq});
    if (!marked)
        return marked.error();
    return tx.commit();
}

Result<PushReport> Pusher::pushAll(PgConnection &server)
{
    PushReport report;
    for (;;) {
        auto batch = nextBatch();
        if (!batch)
            return batch.error();
        if (batch->isEmpty())
            break;
        if (auto pushed = pushRange(server, *batch, report); !pushed)
            return pushed.error();
    }
    auto remaining = pendingCount();
    if (!remaining)
        return remaining.error();
    report.remaining = *remaining;
    return report;
}

} // namespace fb::sync
