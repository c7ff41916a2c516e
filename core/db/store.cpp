#include "db/store.h"

#include "audit/auditlogger.h"
#include "db/database.h"
#include "db/scoping.h"
#include "db/statement.h"
#include "db/tablecatalog.h"
#include "util/timeutil.h"

#include <QSqlQuery>
#include <QSqlRecord>

#include <optional>

namespace fb {

Row rowFromQuery(const QSqlQuery &query)
{
    Row row;
    const QSqlRecord record = query.record();
    for (int i = 0; i < record.count(); ++i)
        row.insert(record.fieldName(i), record.value(i));
    return row;
}

Row rowFromStatement(const Statement &statement)
{
    Row row;
    for (int i = 0; i < statement.columnCount(); ++i)
        row.insert(statement.columnName(i), statement.value(i));
    return row;
}

QJsonObject rowToJson(const Row &row)
{
    QJsonObject json;
    for (auto it = row.begin(); it != row.end(); ++it) {
        const QVariant &value = it.value();
        if (value.isNull())
            json.insert(it.key(), QJsonValue::Null);
        else if (value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Int ||
                 value.typeId() == QMetaType::Bool)
            json.insert(it.key(), value.toLongLong());
        else
            json.insert(it.key(), value.toString());
    }
    return json;
}

Store::Store(Database &db, AuditLogger &audit) : m_db(db), m_audit(audit)
{
}

QString Store::entityType(const QString &table)
{
    if (const catalog::Table *info = catalog::table(table))
        return info->entityType;
    QString type = table;
    if (type.endsWith(QLatin1Char('s')))
        type.chop(1);
    return type; // users: profiles, the one audited table that is not synced
}

// Every statement here goes through Database::run() and read(): prepared once per connection and kept, since
// each write of a service runs the same few (a fetch, the insert or update, its audit entry).

Result<Row> Store::readOne(const QString &sql, const QString &table, const QVariantList &values) const
{
    std::optional<Row> found;
    FB_TRY(m_db.read(sql, values, [&](const Statement &row) {
        found = rowFromStatement(row);
        return false;
    }));
    if (!found)
        return Error::notFound(
            QStringLiteral("%1 %2 not found").arg(entityType(table), values.constFirst().toString()));
    return *std::move(found);
}

Result<Row> Store::fetch(const QString &table, const QUuid &id) const
{
    return readOne(QStringLiteral("SELECT * FROM %1 WHERE id = ?").arg(table), table, {idText(id)});
}

Result<Row> Store::fetchAny(const QString &table, const QUuid &id) const
{
    // After a write: read the stored row even if it is now soft-deleted and hidden from the scoped view.
    return readOne(QStringLiteral("SELECT * FROM main.%1 WHERE id = ?").arg(table), table, {idText(id)});
}

Status Store::insert(const QString &table, const Row &row)
{
    QStringList columns;
    QStringList marks;
    QVariantList values;
    for (auto it = row.begin(); it != row.end(); ++it) {
        columns.append(it.key());
        marks.append(QStringLiteral("?"));
        values.append(it.value());
    }
    FB_TRY(m_db.run(QStringLiteral("INSERT INTO main.%1 (%2) VALUES (%3)")
                        .arg(table, columns.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))),
                    values));
    return m_audit.logChange(entityType(table), idFromVariant(row.value(QStringLiteral("id"))),
                             AuditAction::Create, QJsonObject{{QStringLiteral("created"), rowToJson(row)}});
}

Result<QJsonObject> Store::update(const QString &table, const QUuid &id, const Row &values,
                                  const QJsonObject &auditExtra)
{
    auto before = fetch(table, id);
    if (!before)
        return before.error();
    // Nothing differs: leave the row (and its updated_at) alone, as no audit entry or sync record will say
    // so.
    Row proposed = *before;
    for (auto it = values.begin(); it != values.end(); ++it)
        proposed.insert(it.key(), it.value());
    if (computeChanges(rowToJson(*before), rowToJson(proposed)).isEmpty())
        return QJsonObject();
    Row assigned = values;
    if (before->contains(QStringLiteral("updated_at")) && !assigned.contains(QStringLiteral("updated_at")))
        assigned.insert(QStringLiteral("updated_at"), toStoredTime(nowUtc()));
    QStringList sets;
    QVariantList bound;
    for (auto it = assigned.begin(); it != assigned.end(); ++it) {
        sets.append(it.key() + QStringLiteral(" = ?"));
        bound.append(it.value());
    }
    bound.append(idText(id));
    FB_TRY(m_db.run(
        QStringLiteral("UPDATE main.%1 SET %2 WHERE id = ?").arg(table, sets.join(QStringLiteral(", "))),
        bound));
    auto after = fetchAny(table, id);
    if (!after)
        return after.error();
    const QJsonObject changes = computeChanges(rowToJson(*before), rowToJson(*after));
    if (!changes.isEmpty()) {
        QJsonObject entry = changes;
        for (auto it = auditExtra.begin(); it != auditExtra.end(); ++it)
            entry.insert(it.key(), it.value());
        FB_TRY(m_audit.logChange(entityType(table), id, AuditAction::Update, entry));
    }
    return changes;
}

Status Store::softDelete(const QString &table, const QUuid &id)
{
    auto before = fetch(table, id);
    if (!before)
        return before.error();
    const QString now = toStoredTime(nowUtc());
    const QString sql = before->contains(QStringLiteral("updated_at"))
                            ? QStringLiteral("UPDATE main.%1 SET deleted_at = ?, updated_at = ? WHERE id = ?")
                            : QStringLiteral("UPDATE main.%1 SET deleted_at = ? WHERE id = ?");
    const QVariantList bound = before->contains(QStringLiteral("updated_at"))
                                   ? QVariantList{now, now, idText(id)}
                                   : QVariantList{now, idText(id)};
    FB_TRY(m_db.run(sql.arg(table), bound));
    return m_audit.logChange(entityType(table), id, AuditAction::Delete,
                             QJsonObject{{QStringLiteral("deleted"), rowToJson(*before)}});
}

Status Store::remove(const QString &table, const QUuid &id)
{
    auto before = fetch(table, id);
    if (!before)
        return before.error();
    FB_TRY(m_db.run(QStringLiteral("DELETE FROM main.%1 WHERE id = ?").arg(table), {idText(id)}));
    return m_audit.logChange(entityType(table), id, AuditAction::Delete,
                             QJsonObject{{QStringLiteral("deleted"), rowToJson(*before)}});
}

// Design choice: a restore is an update of deleted_at, not a fourth audit action. The local schema's CHECK
// allows create/update/delete only (widening it means rebuilding the append-only audit_log), and an update is
// what the push, the server's policies and every reader of the trail already understand. Readers recognise a
// restore by deleted_at going from a time to null.
Result<Row> Store::restore(const QString &table, const QUuid &id)
{
    if (!scoping::isSoftDelete(table))
        return Error::invalidState(
            QStringLiteral("a deleted %1 cannot be restored: it is removed, not marked deleted")
                .arg(entityType(table)));
    // The scoped view hides deleted rows: read the table itself, limited to the current user's rows as the
    // view is, so another technician's row reads as not found (current_user_id() fails without a user).
    auto found = readOne(
        QStringLiteral("SELECT * FROM main.%1 WHERE id = ? AND user_id = current_user_id()").arg(table),
        table, {idText(id)});
    if (!found)
        return found.error();
    const Row before = *std::move(found);
    if (before.value(QStringLiteral("deleted_at")).isNull())
        return Error::invalidState(QStringLiteral("%1 %2 is not deleted: there is nothing to restore")
                                       .arg(entityType(table), idText(id)));
    const bool touches = before.contains(QStringLiteral("updated_at"));
    const QString now = toStoredTime(nowUtc());
    FB_TRY(m_db.run((touches
                         ? QStringLiteral("UPDATE main.%1 SET deleted_at = NULL, updated_at = ? WHERE id = ?")
                         : QStringLiteral("UPDATE main.%1 SET deleted_at = NULL WHERE id = ?"))
                        .arg(table),
                    touches ? QVariantList{now, idText(id)} : QVariantList{idText(id)}));
    auto after = fetchAny(table, id);
    if (!after)
        return after.error();
    FB_TRY(m_audit.logChange(entityType(table), id, AuditAction::Update,
                             computeChanges(rowToJson(before), rowToJson(*after))));
    return *after;
}

} // namespace fb
