#include "services/draftservice.h"

#include "db/database.h"
#include "db/store.h"
#include "util/timeutil.h"

#include <QJsonDocument>

namespace fb {

DraftService::DraftService(ServiceContext context) : m_ctx(context)
{
}

Status DraftService::save(const QUuid &ticketId, const QJsonObject &draft)
{
    // Only a ticket the technician can see (scoped, not deleted) may have a draft.
    if (auto ticket = m_ctx.store.fetch(QStringLiteral("tickets"), ticketId); !ticket)
        return Error::validation(QStringLiteral("ticket_id"), ticket.error().message);
    const QByteArray json = QJsonDocument(draft).toJson(QJsonDocument::Compact);
    if (json.size() > kMaxDraftBytes)
        return Error::validation(QStringLiteral("draft"),
                                 QStringLiteral("is larger than %1 KiB").arg(kMaxDraftBytes / 1024));
    auto saved = m_ctx.db.exec(
        QStringLiteral(
            "INSERT INTO main.closeout_drafts (ticket_id, user_id, json, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (ticket_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at"),
        {idText(ticketId), idText(m_ctx.db.currentUser()), QString::fromUtf8(json), toStoredTime(nowUtc())});
    if (!saved)
        return saved.error();
    return {};
}

Result<std::optional<QJsonObject>> DraftService::load(const QUuid &ticketId) const
{
    // current_user_id() raises when no user is selected: without an identity nothing is read.
    auto query = m_ctx.db.exec(QStringLiteral("SELECT json FROM main.closeout_drafts WHERE ticket_id = ? AND "
                                              "user_id = current_user_id()"),
                               {idText(ticketId)});
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<QJsonObject>();
    const QJsonDocument document = QJsonDocument::fromJson(query->value(0).toString().toUtf8());
    return std::optional<QJsonObject>(document.object());
}

Status DraftService::remove(const QUuid &ticketId)
{
    auto removed = m_ctx.db.exec(
        QStringLiteral(
            "DELETE FROM main.closeout_drafts WHERE ticket_id = ? AND user_id = current_user_id()"),
        {idText(ticketId)});
    if (!removed)
        return removed.error();
    return {};
}

} // namespace fb
