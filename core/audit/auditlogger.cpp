#include "audit/auditlogger.h"

#include "audit/auditchanges.h"
#include "db/database.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QSqlRecord>

namespace fb {

QString auditActionName(AuditAction action)
{
    switch (action) {
    case AuditAction::Create:
        return QStringLiteral("create");
    case AuditAction::Update:
        return QStringLiteral("update");
    case AuditAction::Delete:
        return QStringLiteral("delete");
    }
    return {};
}

namespace {

AuditAction actionFromName(const QString &name)
{
    if (name == QStringLiteral("update"))
        return AuditAction::Update;
    if (name == QStringLiteral("delete"))
        return AuditAction::Delete;
    return AuditAction::Create;
}

Result<QList<AuditEntry>> readEntries(Result<QSqlQuery> query)
{
    if (!query)
        return query.error();
    QList<AuditEntry> entries;
    while (query->next()) {
        AuditEntry entry;
        entry.id = idFromVariant(query->value(0));
        entry.userId = idFromVariant(query->value(1));
        entry.entityType = query->value(2).toString();
        entry.entityId = idFromVariant(query->value(3));
        entry.action = actionFromName(query->value(4).toString());
        const QString createdAt = query->value(6).toString();
        entry.changes = audit::fullChanges(query->value(5).toString(), query->value(3).toString(),
                                           query->value(1).toString(), createdAt);
        entry.createdAt = fromStoredTime(createdAt);
        entry.origin = query->value(7).toString();
        entry.authorLogin = query->value(8).toString();
        entry.authorName = query->value(9).toString();
        entry.byOffice = query->value(10).toString() == QLatin1String("dispatcher");
        entries.append(entry);
    }
    return entries;
}

} // namespace

AuditLogger::AuditLogger(Database &db) : m_db(db)
{
}

Status AuditLogger::logChange(const QString &entityType, const QUuid &entityId, AuditAction action,
                              const QJsonObject &changes)
{
    // Kept prepared (Database::run): every write of every service runs this statement. A 'create' entry is
    // stored without the row's columns that repeat the entry's own (audit/auditchanges.h).
    const QString userId = idText(m_db.currentUser());
    const QString entity = idText(entityId);
    const QString createdAt = toStoredTime(nowUtc());
    const QJsonObject stored = audit::storedChanges(changes, entity, userId, createdAt);
    return m_db.run(
        QStringLiteral(
            "INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, changes, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {idText(newId()), userId, entityType, entity, auditActionName(action),
         QString::fromUtf8(QJsonDocument(stored).toJson(QJsonDocument::Compact)), createdAt});
}

// rowid is the insertion order of this append-only table: it breaks ties between entries of one millisecond.
Result<QList<AuditEntry>> AuditLogger::entityHistory(const QString &entityType, const QUuid &entityId) const
{
    return readEntries(
        m_db.exec(QStringLiteral(
                      "SELECT a.id, a.user_id, a.entity_type, a.entity_id, a.action, a.changes, "
                      "a.created_at, a.origin, "
                      "a.author_login, s.name, s.kind FROM audit_log a LEFT JOIN sync_authors s ON "
                      "s.author_id = a.user_id "
                      "WHERE a.entity_type = ? AND a.entity_id = ? ORDER BY a.created_at DESC, a.rowid DESC"),
                  {entityType, idText(entityId)}));
}

Result<QList<AuditEntry>> AuditLogger::userActivity(const QUuid &userId, int limit,
                                                    const QStringList &excludedTypes) const
{
    QVariantList values{idText(userId)};
    QString excluded;
    if (!excludedTypes.isEmpty()) {
        QStringList marks;
        for (const QString &type : excludedTypes) {
            marks.append(QStringLiteral("?"));
            values.append(type);
        }
        excluded = QStringLiteral(" AND a.entity_type NOT IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    values.append(limit);
    return readEntries(
        m_db.exec(QStringLiteral("SELECT a.id, a.user_id, a.entity_type, a.entity_id, a.action, a.changes, "
                                 "a.created_at, a.origin, "
                                 "a.author_login, s.name, s.kind FROM audit_log a INDEXED BY "
                                 "idx_audit_log_created LEFT JOIN sync_authors s ON s.author_id = a.user_id "
                                 "WHERE a.user_id = ?%1 ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?")
                      .arg(excluded),
                  values));
}

QJsonObject computeChanges(const QJsonObject &oldState, const QJsonObject &newState,
                           const QSet<QString> &excluded)
{
    QSet<QString> keys;
    for (auto it = oldState.begin(); it != oldState.end(); ++it)
        keys.insert(it.key());
    for (auto it = newState.begin(); it != newState.end(); ++it)
        keys.insert(it.key());
    QJsonObject changes;
    for (const QString &key : std::as_const(keys)) {
        if (excluded.contains(key))
            continue;
        // A missing key reads as null, as dict.get() does in the seed.
        const QJsonValue before = oldState.value(key).isUndefined() ? QJsonValue() : oldState.value(key);
        const QJsonValue after = newState.value(key).isUndefined() ? QJsonValue() : newState.value(key);
        if (before != after)
            changes.insert(key, QJsonObject{{QStringLiteral("old"), before}, {QStringLiteral("new"), after}});
    }
    return changes;
}

} // namespace fb
