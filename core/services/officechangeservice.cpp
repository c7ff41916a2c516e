#include "services/officechangeservice.h"

#include "audit/auditchanges.h"
#include "db/database.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

namespace fb {

namespace {

const QString kTicket = QStringLiteral("ticket");

/// Others' entries on the current user's jobs past what the technician has seen of each, oldest first.
/// INDEXED BY makes the promise of the header a rule: should the planner ever be unable to answer through the
/// partial index, the query fails rather than scanning the trail on the GUI thread.
const QString kUnseenSelect = QStringLiteral(
    "SELECT t.id, t.deleted_at, t.scheduled_at, t.contact_id, t.address_id, a.action, a.changes, "
    "a.created_at, "
    "a.user_id, a.author_login, s.name, s.kind "
    "FROM main.tickets t "
    "JOIN main.audit_log a INDEXED BY idx_audit_log_others_tickets "
    "  ON a.entity_type = 'ticket' AND a.origin IS NOT NULL AND a.entity_id = t.id "
    " AND a.rowid > coalesce((SELECT v.seen_through FROM main.office_changes_seen v WHERE v.ticket_id = "
    "t.id), "
    "                        (SELECT b.seen_through FROM main.office_changes_since b WHERE b.id = 1), 0) "
    "LEFT JOIN main.sync_authors s ON s.author_id = a.user_id "
    "WHERE t.user_id = ? AND %1 "
    "ORDER BY a.rowid");

ChangeAuthor authorOf(const QSqlQuery &query, int userColumn, const QUuid &currentUser)
{
    ChangeAuthor author;
    author.name = query.value(userColumn + 2).toString();
    if (author.name.isEmpty())
        author.name = query.value(userColumn + 1).toString(); // the server login
    author.isTechnician = idFromVariant(query.value(userColumn)) == currentUser;
    author.isDispatcher = query.value(userColumn + 3).toString() == QLatin1String("dispatcher");
    return author;
}

std::optional<TicketStatus> statusOf(const QJsonValue &value)
{
    auto status = parseTicketStatus(value.toString());
    return status ? std::optional<TicketStatus>(*status) : std::nullopt;
}

/// Folds one update's fields into `change`; whether any of them is one the schedule marks.
bool foldUpdate(OfficeChange &change, const QJsonObject &fields)
{
    bool marked = false;
    for (auto field = fields.begin(); field != fields.end(); ++field) {
        const QJsonObject values = field.value().toObject();
        const QJsonValue before = values.value(QLatin1String("old"));
        const QJsonValue after = values.value(QLatin1String("new"));
        const QString &name = field.key();
        if (name == QLatin1String("scheduled_at")) {
            if (!change.movedFrom.isValid())
                change.movedFrom = fromStoredTime(before.toVariant());
            change.movedTo = fromStoredTime(after.toVariant());
        } else if (name == QLatin1String("scheduled_duration_minutes")) {
            if (!change.durationChanged)
                change.durationFrom = before.isDouble() ? std::optional<int>(before.toInt()) : std::nullopt;
            change.durationTo = after.isDouble() ? std::optional<int>(after.toInt()) : std::nullopt;
            change.durationChanged = true;
        } else if (name == QLatin1String("address_id")) {
            change.addressChanged = true;
        } else if (name == QLatin1String("status")) {
            if (!change.statusFrom)
                change.statusFrom = statusOf(before);
            change.statusTo = statusOf(after);
        } else if (name == QLatin1String("deleted_at")) {
            change.deleted = !after.isNull() && !after.isUndefined();
        } else {
            continue;
        }
        marked = true;
    }
    return marked;
}

/// What is left to mark once every entry is folded in: nothing when the job ended where it started.
bool settle(OfficeChange &change)
{
    if (change.movedFrom.isValid() && change.movedFrom == change.movedTo)
        change.movedFrom = change.movedTo = QDateTime();
    if (change.durationChanged && change.durationFrom == change.durationTo)
        change.durationChanged = false;
    change.cancelled = change.statusTo == TicketStatus::Cancelled && change.statusFrom != change.statusTo;
    if (change.cancelled || change.statusFrom == change.statusTo)
        change.statusFrom = change.statusTo = std::nullopt;
    return change.booked || change.deleted || change.cancelled || change.movedTo.isValid() ||
           change.durationChanged || change.addressChanged || change.statusTo.has_value();
}

} // namespace

OfficeChangeService::OfficeChangeService(ServiceContext context) : m_ctx(context)
{
}

Result<QHash<QUuid, OfficeChange>> OfficeChangeService::read(const QString &where,
                                                             const QVariantList &values) const
{
    const QUuid user = m_ctx.db.currentUser();
    QVariantList bound{idText(user)};
    bound.append(values);
    auto query = m_ctx.db.exec(kUnseenSelect.arg(where), bound);
    if (!query)
        return query.error();
    QHash<QUuid, OfficeChange> changes;
    while (query->next()) {
        const QUuid id = idFromVariant(query->value(0));
        OfficeChange &change = changes[id];
        change.ticketId = id;
        change.scheduledAt = fromStoredTime(query->value(2));
        change.contactId = idFromVariant(query->value(3));
        change.addressId = idFromVariant(query->value(4));
        const QString action = query->value(5).toString();
        const QJsonObject entry = audit::fullChanges(query->value(6).toString(), query->value(0).toString(),
                                                     query->value(8).toString(), query->value(7).toString());
        bool marked = true;
        if (action == QLatin1String("create"))
            change.booked = true;
        else if (action == QLatin1String("delete"))
            change.deleted = true;
        else
            marked = foldUpdate(change, entry);
        if (!marked)
            continue;
        change.at = fromStoredTime(query->value(7));
        change.author = authorOf(*query, 8, user);
    }
    for (auto it = changes.begin(); it != changes.end();) {
        if (settle(*it))
            ++it;
        else
            it = changes.erase(it);
    }
    return changes;
}

Result<QHash<QUuid, OfficeChange>> OfficeChangeService::unseen(const QDateTime &from,
                                                               const QDateTime &to) const
{
    return read(QStringLiteral("t.scheduled_at >= ? AND t.scheduled_at < ?"),
                {toStoredTime(from), toStoredTime(to)});
}

Result<std::optional<OfficeChange>> OfficeChangeService::unseenFor(const QUuid &ticketId) const
{
    auto changes = read(QStringLiteral("t.id = ?"), {idText(ticketId)});
    if (!changes)
        return changes.error();
    if (changes->isEmpty())
        return std::optional<OfficeChange>();
    return std::optional<OfficeChange>(changes->begin().value());
}

Status OfficeChangeService::markSeen(const QUuid &ticketId)
{
    // Only when others wrote something since: opening a job is not a write in the usual case.
    auto pending = m_ctx.db.exec(
        QStringLiteral(
            "SELECT EXISTS (SELECT 1 FROM main.audit_log a INDEXED BY idx_audit_log_others_tickets "
            "WHERE a.entity_type = 'ticket' AND a.origin IS NOT NULL AND a.entity_id = ? AND a.rowid > "
            "coalesce((SELECT seen_through FROM main.office_changes_seen WHERE ticket_id = ?), "
            "(SELECT seen_through FROM main.office_changes_since WHERE id = 1), 0))"),
        {idText(ticketId), idText(ticketId)});
    if (!pending)
        return pending.error();
    if (!pending->next() || !pending->value(0).toBool())
        return {};
    auto seen = m_ctx.db.exec(
        QStringLiteral(
            "INSERT INTO main.office_changes_seen (ticket_id, seen_through, seen_at) "
            "SELECT t.id, (SELECT coalesce(max(rowid), 0) FROM main.audit_log), ? FROM main.tickets t "
            "WHERE t.id = ? AND t.user_id = ? "
            "ON CONFLICT (ticket_id) DO UPDATE SET seen_through = excluded.seen_through, "
            "seen_at = excluded.seen_at"),
        {toStoredTime(nowUtc()), idText(ticketId), idText(m_ctx.db.currentUser())});
    return seen ? Status{} : Status{seen.error()};
}

Status OfficeChangeService::markAllSeen()
{
    auto seen =
        m_ctx.db.exec(QStringLiteral("UPDATE main.office_changes_since SET seen_through = "
                                     "(SELECT coalesce(max(rowid), 0) FROM main.audit_log) WHERE id = 1"));
    return seen ? Status{} : Status{seen.error()};
}

Result<std::optional<OfficeCancellation>> OfficeChangeService::cancellation(const QUuid &ticketId) const
{
    const QUuid user = m_ctx.db.currentUser();
    auto ticket = m_ctx.db.exec(
        QStringLiteral("SELECT status, deleted_at FROM main.tickets WHERE id = ? AND user_id = ?"),
        {idText(ticketId), idText(user)});
    if (!ticket)
        return ticket.error();
    if (!ticket->next())
        return std::optional<OfficeCancellation>();
    const bool deleted = !ticket->value(1).isNull();
    if (!deleted && ticket->value(0).toString() != toString(TicketStatus::Cancelled))
        return std::optional<OfficeCancellation>();
    // The job's own trail, newest first (idx_audit_log_entity): the entry that cancelled or deleted it.
    auto entries = m_ctx.db.exec(
        QStringLiteral(
            "SELECT a.action, a.changes, a.created_at, a.origin, a.user_id, a.author_login, s.name, "
            "s.kind FROM main.audit_log a LEFT JOIN main.sync_authors s ON s.author_id = a.user_id "
            "WHERE a.entity_type = ? AND a.entity_id = ? ORDER BY a.rowid DESC"),
        {kTicket, idText(ticketId)});
    if (!entries)
        return entries.error();
    while (entries->next()) {
        const QString action = entries->value(0).toString();
        const QJsonObject fields =
            audit::fullChanges(entries->value(1).toString(), idText(ticketId), entries->value(4).toString(),
                               entries->value(2).toString());
        const QJsonValue status =
            fields.value(QLatin1String("status")).toObject().value(QLatin1String("new"));
        const QJsonValue gone =
            fields.value(QLatin1String("deleted_at")).toObject().value(QLatin1String("new"));
        const bool cancels = deleted ? action == QLatin1String("delete") || (gone.isString())
                                     : status.toString() == toString(TicketStatus::Cancelled);
        if (!cancels)
            continue;
        if (entries->value(3).isNull())
            return std::optional<OfficeCancellation>(); // this device cancelled it
        OfficeCancellation found;
        found.at = fromStoredTime(entries->value(2));
        found.author = authorOf(*entries, 4, user);
        found.deleted = deleted;
        return std::optional<OfficeCancellation>(found);
    }
    return std::optional<OfficeCancellation>();
}

} // namespace fb
