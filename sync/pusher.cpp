#include "pusher.h"

#include "audit/auditchanges.h"
#include "crashpoint.h"
#include "db/database.h"
#include "db/tablecatalog.h"
#include "db/transaction.h"
#include "deviceid.h"
#include "pgconnection.h"
#include "syncapi/outbox.h"
#include "util/money.h"
#include "util/timeutil.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QSqlRecord>

#include <algorithm>
#include <cmath>
#include <cstdlib>

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

/// A JSON value as compact text (a scalar too, which QJsonDocument cannot hold alone).
QString jsonText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

/// JSON text as a value (null when it is not JSON).
QJsonValue parseJson(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument parsed = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || parsed.array().size() != 1)
        return QJsonValue(text);
    return parsed.array().first();
}

/// A value of the local convention as SQLite stores it (for binding).
QVariant localVariant(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return {};
    if (value.isDouble())
        return QVariant(qint64(value.toDouble()));
    if (value.isBool())
        return QVariant(qint64(value.toBool() ? 1 : 0));
    if (value.isString())
        return value.toString();
    return jsonText(value);
}

QJsonObject rowToServer(const catalog::Table &table, const QJsonObject &row)
{
    QJsonObject out;
    for (auto it = row.begin(); it != row.end(); ++it) {
        const catalog::Column *column = table.column(it.key());
        out.insert(it.key(), column ? convention::toServer(column->kind, it.value()) : it.value());
    }
    return out;
}

} // namespace

namespace convention {

QJsonValue toServer(catalog::ColumnKind kind, const QJsonValue &local)
{
    if (local.isNull() || local.isUndefined())
        return QJsonValue::Null;
    switch (kind) {
    case catalog::ColumnKind::Cents:
        return local.isDouble() ? QJsonValue(moneyText(qint64(local.toDouble()))) : local;
    case catalog::ColumnKind::Boolean:
        return local.isDouble() ? QJsonValue(local.toDouble() != 0) : local;
    case catalog::ColumnKind::Json:
        return local.isString() ? parseJson(local.toString()) : local;
    case catalog::ColumnKind::Uuid:
        return local.isString() ? QJsonValue(local.toString().toLower()) : local;
    default:
        return local;
    }
}

QJsonValue toLocal(catalog::ColumnKind kind, const QJsonValue &server)
{
    if (server.isNull() || server.isUndefined())
        return QJsonValue::Null;
    switch (kind) {
    case catalog::ColumnKind::Cents: {
        if (server.isDouble())
            return QJsonValue(qint64(std::llround(server.toDouble() * 100)));
        // Exact, never through a double; the server's numeric prints "156.00" (or "156" in a seed entry).
        QString text = server.toString().trimmed();
        const qsizetype dot = text.indexOf(QLatin1Char('.'));
        if (dot >= 0) {
            QString fraction = text.mid(dot + 1);
            while (fraction.size() > 2 && fraction.endsWith(QLatin1Char('0')))
                fraction.chop(1);
            text = text.left(dot + 1) + fraction;
        }
        const auto money = Money::parse(text);
        return money ? QJsonValue(qint64(money->cents())) : server;
    }
    case catalog::ColumnKind::Boolean:
        return server.isBool() ? QJsonValue(qint64(server.toBool() ? 1 : 0)) : server;
    case catalog::ColumnKind::Json:
        return QJsonValue(jsonText(server));
    case catalog::ColumnKind::Uuid:
        return server.isString() ? QJsonValue(server.toString().toLower()) : server;
    case catalog::ColumnKind::Integer:
        return server.isDouble() ? QJsonValue(qint64(server.toDouble())) : server;
    case catalog::ColumnKind::Timestamp: {
        // Any precision and offset ("...58.123456+00:00" from Python): to the millisecond, truncated.
        static const QRegularExpression fraction(QStringLiteral("(\\.\\d{3})\\d+"));
        QString text = server.toString();
        text.replace(fraction, QStringLiteral("\\1"));
        const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
        return time.isValid() ? QJsonValue(toStoredTime(time)) : server;
    }
    case catalog::ColumnKind::Text:
        return server;
    }
    return server;
}

QJsonObject changesToServer(const catalog::Table *table, const QJsonObject &changes)
{
    if (!table)
        return changes;
    QJsonObject out;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const QString &key = it.key();
        if ((key == QStringLiteral("created") || key == QStringLiteral("deleted")) && it.value().isObject()) {
            out.insert(key, rowToServer(*table, it.value().toObject()));
        } else if (const catalog::Column *column = table->column(key); column && it.value().isObject()) {
            const QJsonObject change = it.value().toObject();
            QJsonObject converted;
            for (auto side = change.begin(); side != change.end(); ++side)
                converted.insert(side.key(), toServer(column->kind, side.value()));
            out.insert(key, converted);
        } else {
            out.insert(key, it.value());
        }
    }
    return out;
}

} // namespace convention

namespace {

QJsonValue parseServerJson(const PgResult &result, int row, int column)
{
    if (result.isNull(row, column))
        return QJsonValue::Null;
    return parseJson(result.value(row, column));
}

} // namespace

Pusher::Pusher(Database &local, const QUuid &userId, int batchSize)
    : m_local(local), m_userId(userId), m_batchSize(batchSize)
{
}

Result<int> Pusher::pendingCount() const
{
    // Kept per technician by the outbox's triggers (local migration 016): one row, whatever the file's size.
    auto query = m_local.exec(QStringLiteral("SELECT pending FROM sync_outbox_pending WHERE user_id = ?"),
                              {idText(m_userId)});
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

Result<QList<QuarantinedChange>> Pusher::quarantined() const
{
    auto query =
        m_local.exec(QStringLiteral("SELECT o.seq, o.entity_type, o.entity_id, o.quarantine_reason, "
                                    "o.quarantined_at, a.action, a.changes, a.user_id, a.created_at "
                                    "FROM sync_outbox o "
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
            change.fields = audit::fullChanges(query->value(6).toString(), query->value(2).toString(),
                                               query->value(7).toString(), query->value(8).toString())
                                .keys();
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
    QSet<QString> auditIds;
    for (const Entry &entry : entries)
        auditIds.insert(entry.auditId);
    auto query = m_local.exec(
        QStringLiteral(
            "SELECT a.id, a.user_id, a.entity_type, a.entity_id, a.action, a.changes, a.created_at "
            "FROM main.audit_log a WHERE a.id IN (SELECT value FROM json_each(?))"),
        {jsonIdList(auditIds)});
    if (!query)
        return query.error();
    QHash<QString, QJsonObject> byId;
    QMap<QString, QSet<QString>> softDeleted; // table -> rows whose delete entry is in the batch
    QMap<QString, QSet<QString>> updated;     // table -> rows with updated_at whose update entry is in it
    while (query->next()) {
        const QString entityType = query->value(2).toString();
        const QString action = query->value(4).toString();
        const catalog::Table *info = tableForEntity(entityType);
        // The server receives every entry in the full form (audit/auditchanges.h).
        const QJsonObject changes =
            audit::fullChanges(query->value(5).toString(), query->value(3).toString(),
                               query->value(1).toString(), query->value(6).toString());
        QJsonObject entry{{QStringLiteral("id"), query->value(0).toString()},
                          {QStringLiteral("user_id"), query->value(1).toString()},
                          {QStringLiteral("entity_type"), entityType},
                          {QStringLiteral("entity_id"), query->value(3).toString()},
                          {QStringLiteral("action"), action},
                          {QStringLiteral("changes"), convention::changesToServer(info, changes)},
                          {QStringLiteral("created_at"), query->value(6).toString()}};
        if (info && info->softDelete && action == QStringLiteral("delete"))
            softDeleted[info->name].insert(query->value(3).toString());
        if (info && info->column(QStringLiteral("updated_at")) && action == QStringLiteral("update"))
            updated[info->name].insert(query->value(3).toString());
        byId.insert(query->value(0).toString(), entry);
    }
    // A soft delete's entry holds the row before it; the tombstone's time is the row's deleted_at (written a
    // moment before the entry), so the server's row says the same instant as the device's. Likewise an
    // update's entry leaves updated_at out (as the seed's do): the row's own goes along, for the server to
    // keep the later of its own and this one.
    QHash<QString, QString> tombstones;
    QHash<QString, QString> stamps;
    const auto readStamps = [&](const QMap<QString, QSet<QString>> &rows, const QString &column,
                                QHash<QString, QString> &into) -> Status {
        for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
            auto read = m_local.exec(QStringLiteral("SELECT id, %2 FROM main.%1 WHERE user_id = ? AND id IN "
                                                    "(SELECT value FROM json_each(?)) AND %2 IS NOT NULL")
                                         .arg(it.key(), column),
                                     {user, jsonIdList(it.value())});
            if (!read)
                return read.error();
            while (read->next())
                into.insert(read->value(0).toString(), read->value(1).toString());
        }
        return {};
    };
    FB_TRY(readStamps(softDeleted, QStringLiteral("deleted_at"), tombstones));
    FB_TRY(readStamps(updated, QStringLiteral("updated_at"), stamps));
    QByteArray batch = "[";
    for (const Entry &entry : entries) {
        auto found = byId.find(entry.auditId);
        if (found == byId.end())
            continue; // the outbox names an entry the audit log does not have: nothing to send
        const QString action = found->value(QStringLiteral("action")).toString();
        const QString stamp = action == QStringLiteral("delete")   ? tombstones.value(entry.entityId)
                              : action == QStringLiteral("update") ? stamps.value(entry.entityId)
                                                                   : QString();
        if (!stamp.isEmpty())
            found->insert(action == QStringLiteral("delete") ? QStringLiteral("deleted_at")
                                                             : QStringLiteral("updated_at"),
                          stamp);
        if (batch.size() > 1)
            batch += ",\n";
        batch += QJsonDocument(*found).toJson(QJsonDocument::Compact);
    }
    batch += ']';

    QByteArray script = "BEGIN;\n";
    script += "SELECT set_config('app.current_user_id', " + server.literal(user.toUtf8()) +
              ", true), set_config('app.include_deleted', 'on', true), set_config('app.fieldbook_device', " +
              server.literal(m_device.toUtf8()) + ", true);\n";
    // Fails loudly, before any data, if this login may not act as this technician.
    script += "SELECT fieldbook_user_id();\n";
    // The last statement's rows are the answer: the conflicts the batch met.
    script += "SELECT conflict_id, audit_id, entity_type, entity_id, field, base, theirs, mine, outcome, "
              "theirs_author, to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
              "to_char(row_deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
              "FROM fieldbook_push(" +
              server.literal(batch) + "::jsonb);\n";
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
    QList<Conflict> conflicts;
    if (applied.ok()) {
        for (int row = 0; row < applied.rows(); ++row) {
            const catalog::Table *info = tableForEntity(applied.value(row, 2));
            const catalog::Column *column = info ? info->column(applied.value(row, 4)) : nullptr;
            const auto local = [&](int at) {
                const QJsonValue value = parseServerJson(applied, row, at);
                return column ? convention::toLocal(column->kind, value) : value;
            };
            conflicts.append({applied.value(row, 0), applied.value(row, 1), applied.value(row, 2),
                              applied.value(row, 3), applied.value(row, 4), local(5), local(6), local(7),
                              applied.value(row, 8), applied.value(row, 9), applied.value(row, 10),
                              applied.value(row, 11)});
        }
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
        // The first half may have set aside a creation together with later changes of its row.
        auto rest = stillPending(entries.mid(half));
        if (!rest)
            return rest.error();
        if (rest->isEmpty())
            return {};
        return pushRange(server, *rest, report);
    }
    crashPoint("after-commit");
    FB_TRY(acknowledge(entries, conflicts));
    crashPoint("after-ack");
    report.conflicts += int(conflicts.size());
    report.pushed += int(entries.size());
    ++report.batches;
    return {};
}

Status Pusher::acknowledge(const QList<Entry> &entries, const QList<Conflict> &conflicts)
{
    FB_TRANSACTION(tx, m_local);
    const QString now = toStoredTime(nowUtc());
    for (const Conflict &conflict : conflicts)
        FB_TRY(applyConflict(conflict, now));
    QList<qint64> seqs;
    seqs.reserve(entries.size());
    for (const Entry &entry : entries)
        seqs.append(entry.seq);
    FB_TRY(outbox::acknowledge(m_local, m_userId, seqs, now));
    return tx.commit();
}

Status Pusher::applyConflict(const Conflict &conflict, const QString &now)
{
    // Once: a batch re-sent after a crash returns the conflicts its entries met the first time.
    auto stored = m_local.exec(
        QStringLiteral(
            "INSERT INTO sync_conflicts (id, user_id, entity_type, entity_id, field, base, theirs, "
            "mine, outcome, audit_id, detected_at, theirs_author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?) ON CONFLICT (id) DO NOTHING"),
        {conflict.id, idText(m_userId), conflict.entityType, conflict.entityId, conflict.field,
         jsonText(conflict.base), jsonText(conflict.theirs), jsonText(conflict.mine), conflict.outcome,
         conflict.auditId, conflict.detectedAt.isEmpty() ? now : conflict.detectedAt,
         conflict.theirsAuthor.isEmpty() ? QVariant() : QVariant(conflict.theirsAuthor)});
    if (!stored)
        return stored.error();
    if (stored->numRowsAffected() == 0)
        return {};

    const catalog::Table *info = tableForEntity(conflict.entityType);
    if (!info)
        return {};
    if (conflict.outcome == QStringLiteral("theirs")) {
        // The server kept its value: so does the device, unless the field changed here again since (that
        // change is still to be pushed, and meets the server's value then).
        if (!info->column(conflict.field))
            return {};
        auto set =
            m_local.exec(QStringLiteral("UPDATE main.%1 SET %2 = ? WHERE id = ? AND user_id = ? AND %2 IS ?")
                             .arg(info->name, conflict.field),
                         {localVariant(conflict.theirs), conflict.entityId, idText(m_userId),
                          localVariant(conflict.mine)});
        if (!set)
            return set.error();
        return {};
    }
    if (conflict.outcome != QStringLiteral("deleted") && conflict.outcome != QStringLiteral("kept"))
        return {};
    // The row was deleted on the server: marked deleted here too (the work a 'kept' ticket holds stays in
    // it).
    if (info->softDelete) {
        auto marked =
            m_local.exec(QStringLiteral("UPDATE main.%1 SET deleted_at = ? WHERE id = ? AND user_id = ? "
                                        "AND deleted_at IS NULL")
                             .arg(info->name),
                         {conflict.rowDeletedAt.isEmpty() ? now : conflict.rowDeletedAt, conflict.entityId,
                          idText(m_userId)});
        if (!marked)
            return marked.error();
        return {};
    }
    // Gone on the server. Removed here too, unless a local row still refers to it (then the pull settles it).
    Transaction inner(m_local);
    if (!inner.began())
        return inner.began().error();
    auto removed =
        m_local.exec(QStringLiteral("DELETE FROM main.%1 WHERE id = ? AND user_id = ?").arg(info->name),
                     {conflict.entityId, idText(m_userId)});
    if (removed)
        FB_TRY(inner.commit());
    else
        qCInfo(lcPush).noquote() << conflict.entityType << conflict.entityId
                                 << "deleted on the server stays here for now:" << removed.error().message;
    return {};
}

Status Pusher::quarantine(const Entry &entry, const QString &reason)
{
    FB_TRANSACTION(tx, m_local);
    const QString now = toStoredTime(nowUtc());
    auto marked =
        m_local.exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = ?, "
                                    "attempts = attempts + 1 WHERE seq = ?"),
                     {now, reason, entry.seq});
    if (!marked)
        return marked.error();
    // A row whose creation is set aside does not exist on the server: its later changes would meet no row
    // there (and be recorded as deleted at the office), so they wait with it and come back with it.
    auto followers = m_local.exec(
        QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = ? "
                       "WHERE user_id = ? AND entity_id = ? AND seq > ? AND pushed_at IS NULL AND "
                       "quarantined_at IS NULL AND EXISTS (SELECT 1 FROM main.audit_log a WHERE a.id = ? AND "
                       "a.action = 'create')"),
        {now, QStringLiteral("waits for its creation (change %1), set aside: %2").arg(entry.seq).arg(reason),
         idText(m_userId), entry.entityId, entry.seq, entry.auditId});
    if (!followers)
        return followers.error();
    return tx.commit();
}

Status Pusher::holdBackBehindSetAside()
{
    // A row's changes go in order: one made after an earlier change of the same row was set aside (a
    // creation the server refused, say) would meet a row the server does not have, or values it never saw.
    // It waits with the earlier one, set aside with it, and both come back together when released. The rows
    // with a change set aside are found first (usually none), so a large backlog is not scanned against
    // itself.
    auto held = m_local.exec(
        QStringLiteral(
            "UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = 'waits for an earlier "
            "change of the same row, set aside' WHERE user_id = ? AND pushed_at IS NULL AND "
            "quarantined_at IS NULL AND entity_id IN (SELECT q.entity_id FROM sync_outbox q WHERE "
            "q.user_id = ? AND q.quarantined_at IS NOT NULL AND q.pushed_at IS NULL) AND seq > (SELECT "
            "min(q.seq) FROM sync_outbox q WHERE q.user_id = ? AND q.entity_id = sync_outbox.entity_id "
            "AND q.quarantined_at IS NOT NULL AND q.pushed_at IS NULL)"),
        {toStoredTime(nowUtc()), idText(m_userId), idText(m_userId), idText(m_userId)});
    return held ? Status{} : Status{held.error()};
}

Result<QList<Pusher::Entry>> Pusher::stillPending(const QList<Entry> &entries) const
{
    QStringList seqs;
    for (const Entry &entry : entries)
        seqs.append(QString::number(entry.seq));
    // seq values are integers read from the outbox: safe to list inline.
    auto query = m_local.exec(
        QStringLiteral(
            "SELECT seq FROM sync_outbox WHERE seq IN (%1) AND quarantined_at IS NULL AND pushed_at IS NULL")
            .arg(seqs.join(QLatin1Char(','))));
    if (!query)
        return query.error();
    QSet<qint64> pending;
    while (query->next())
        pending.insert(query->value(0).toLongLong());
    QList<Entry> kept;
    for (const Entry &entry : entries)
        if (pending.contains(entry.seq))
            kept.append(entry);
    return kept;
}

Result<PushReport> Pusher::pushAll(PgConnection &server, const Progress &progress)
{
    PushReport report;
    auto schema = checkServer(server);
    if (!schema)
        return schema.error();
    report.serverSchema = *schema;
    auto device = deviceId(m_local, m_userId);
    if (!device)
        return device.error();
    m_device = *device;
    auto released = releaseDue(*schema, &report.releasedWhy);
    if (!released)
        return released.error();
    report.released = *released;
    if (report.released > 0)
        qCInfo(lcPush).noquote() << "trying again" << report.released << "change(s) set aside, as"
                                 << report.releasedWhy;
    FB_TRY(holdBackBehindSetAside());
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
