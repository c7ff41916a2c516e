#include "services/conflictservice.h"

#include "db/database.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace fb {

namespace {

/// A JSON value stored as text (any JSON, scalars included); Null for SQL NULL or text that is not JSON.
QJsonValue jsonValue(const QVariant &stored)
{
    if (stored.isNull())
        return QJsonValue::Null;
    // QJsonDocument parses only objects and arrays: a scalar is read as the one element of an array.
    const QByteArray text = "[" + stored.toString().toUtf8() + "]";
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return QJsonValue::Null;
    return document.array().at(0);
}

} // namespace

ConflictService::ConflictService(ServiceContext context) : m_ctx(context)
{
}

SyncConflict::Outcome ConflictService::parseOutcome(const QString &text)
{
    if (text == QLatin1String("theirs"))
        return SyncConflict::Outcome::Theirs;
    if (text == QLatin1String("mine"))
        return SyncConflict::Outcome::Mine;
    if (text == QLatin1String("deleted"))
        return SyncConflict::Outcome::Deleted;
    if (text == QLatin1String("kept"))
        return SyncConflict::Outcome::Kept;
    return SyncConflict::Outcome::Unknown;
}

Result<QList<SyncConflict>> ConflictService::list(int limit) const
{
    auto query = m_ctx.db.exec(
        QStringLiteral(
            "SELECT id, entity_type, entity_id, field, base, theirs, mine, outcome, theirs_author, "
            "detected_at FROM main.sync_conflicts WHERE user_id = ? "
            "ORDER BY detected_at DESC, rowid DESC LIMIT ?"),
        {idText(m_ctx.db.currentUser()), limit});
    if (!query)
        return query.error();
    QList<SyncConflict> conflicts;
    while (query->next()) {
        SyncConflict conflict;
        conflict.id = query->value(0).toString();
        conflict.entityType = query->value(1).toString();
        conflict.entityId = idFromVariant(query->value(2));
        conflict.field = query->value(3).toString();
        conflict.base = jsonValue(query->value(4));
        conflict.theirs = jsonValue(query->value(5));
        conflict.mine = jsonValue(query->value(6));
        conflict.outcomeText = query->value(7).toString();
        conflict.outcome = parseOutcome(conflict.outcomeText);
        conflict.theirsAuthor = query->value(8).toString();
        conflict.detectedAt = fromStoredTime(query->value(9));
        conflicts.append(conflict);
    }
    return conflicts;
}

} // namespace fb
