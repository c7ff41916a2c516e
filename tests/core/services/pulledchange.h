#pragma once

// What the pull (sync/puller.cpp) does with a change the office made to one of the technician's jobs, for
// tests that must not need a server: the row written with plain SQL on main.tickets (no Store, so no outbox
// row) and the office's audit entry added with `origin` 'server', its author named in sync_authors, all in
// one transaction on the given connection.

#include "core.h"
#include "db/transaction.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QVariantMap>

namespace fb::test {

/// Who made the change on the server.
struct ServerAuthor
{
    QUuid id;
    QString name;
    QString kind; ///< 'dispatcher', 'technician' or 'service'
    QString login;
};

inline ServerAuthor officeDispatcher()
{
    return {QUuid(QStringLiteral("{5d0c1a52-0000-4000-8000-00000000da4a}")), QStringLiteral("Dana Smith"),
            QStringLiteral("dispatcher"), QStringLiteral("dana")};
}

/// Applies one pulled change to ticket `ticketId`: `action` 'create' (`row` is the whole new row), 'update'
/// (`row` the changed columns, `changes` their {"old","new"}) or 'delete' (soft: sets deleted_at). `at` is
/// the office's time of the change.
inline Status pullTicketChange(Core &core, const QUuid &ticketId, const QString &action,
                               const QVariantMap &row, const QJsonObject &changes, const QDateTime &at,
                               const ServerAuthor &author = officeDispatcher())
{
    Database &db = core.db();
    FB_TRANSACTION(tx, db);
    Result<QSqlQuery> written = Error::invalidState(QStringLiteral("no action"));
    if (action == QLatin1String("create")) {
        const QStringList columns = row.keys();
        written =
            db.exec(QStringLiteral("INSERT INTO main.tickets (%1) VALUES (%2)")
                        .arg(columns.join(QStringLiteral(", ")),
                             QStringList(columns.size(), QStringLiteral("?")).join(QStringLiteral(", "))),
                    row.values());
    } else {
        QStringList sets;
        QVariantList values;
        for (auto it = row.cbegin(); it != row.cend(); ++it) {
            sets << QStringLiteral("%1 = ?").arg(it.key());
            values << it.value();
        }
        values << idText(ticketId);
        written = db.exec(
            QStringLiteral("UPDATE main.tickets SET %1 WHERE id = ?").arg(sets.join(QStringLiteral(", "))),
            values);
    }
    if (!written)
        return written.error();
    auto entry = db.exec(
        QStringLiteral(
            "INSERT INTO main.audit_log (id, user_id, entity_type, entity_id, action, changes, created_at, "
            "author_login, origin) VALUES (?, ?, 'ticket', ?, ?, ?, ?, ?, 'server')"),
        {idText(newId()), idText(author.id), idText(ticketId), action,
         QString::fromUtf8(QJsonDocument(changes).toJson(QJsonDocument::Compact)), toStoredTime(at),
         author.login});
    if (!entry)
        return entry.error();
    auto named =
        db.exec(QStringLiteral("INSERT INTO main.sync_authors (author_id, name, kind) VALUES (?, ?, ?) "
                               "ON CONFLICT (author_id) DO UPDATE SET name = excluded.name, kind = "
                               "excluded.kind"),
                {idText(author.id), author.name, author.kind});
    if (!named)
        return named.error();
    return tx.commit();
}

/// The office moves a job: scheduled_at from `from` to `to`.
inline Status pullMove(Core &core, const QUuid &ticketId, const QDateTime &from, const QDateTime &to,
                       const QDateTime &at, const ServerAuthor &author = officeDispatcher())
{
    return pullTicketChange(
        core, ticketId, QStringLiteral("update"), {{QStringLiteral("scheduled_at"), toStoredTime(to)}},
        {{QStringLiteral("scheduled_at"), QJsonObject{{QStringLiteral("old"), toStoredTime(from)},
                                                      {QStringLiteral("new"), toStoredTime(to)}}}},
        at, author);
}

/// The office cancels a job whose status is `status` now.
inline Status pullCancel(Core &core, const QUuid &ticketId, const QString &status, const QDateTime &at,
                         const ServerAuthor &author = officeDispatcher())
{
    return pullTicketChange(
        core, ticketId, QStringLiteral("update"),
        {{QStringLiteral("status"), QStringLiteral("cancelled")},
         {QStringLiteral("updated_at"), toStoredTime(at)}},
        {{QStringLiteral("status"), QJsonObject{{QStringLiteral("old"), status},
                                                {QStringLiteral("new"), QStringLiteral("cancelled")}}}},
        at, author);
}

} // namespace fb::test
