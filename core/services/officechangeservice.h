#pragma once

#include "models/enums.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QUuid>

#include <optional>

namespace fb {

/// Who made a change that reached this file from elsewhere (an audit entry with `origin` set, migration 007).
struct ChangeAuthor
{
    QString name; ///< as the server names them (sync_authors), else their server login; may be empty
    bool isTechnician = false; ///< the technician themself, on another device of theirs
    bool isDispatcher = false; ///< a dispatcher: "the office"
};

/// What others (the office, a script, the technician's other device) did to one job since the technician
/// last opened it on this device: the changes the schedule marks.
struct OfficeChange
{
    QUuid ticketId;
    bool booked = false;    ///< the job was created elsewhere
    bool cancelled = false; ///< its status became cancelled
    bool deleted = false;   ///< it was deleted elsewhere (it no longer shows in the services' lists)
    /// Its time before the first of these changes and after the last; both invalid when it did not move (or
    /// moved back where it was).
    QDateTime movedFrom;
    QDateTime movedTo;
    /// Its planned length before and after, when it changed.
    std::optional<int> durationFrom;
    std::optional<int> durationTo;
    bool durationChanged = false;
    bool addressChanged = false;
    /// A status change other than to cancelled (e.g. reinstated): before and after.
    std::optional<TicketStatus> statusFrom;
    std::optional<TicketStatus> statusTo;
    QDateTime at;        ///< when the latest of them was made (its author's clock)
    ChangeAuthor author; ///< who made the latest of them
    /// The job as it is now (also for a deleted one, which the services no longer return).
    QDateTime scheduledAt;
    QUuid contactId;
    QUuid addressId;
};

/// A job cancelled (or deleted) by someone other than this device: who and when, for the ticket view's
/// banner.
struct OfficeCancellation
{
    QDateTime at;
    ChangeAuthor author;
    bool deleted = false; ///< deleted rather than cancelled
};

/// Others' changes to the technician's jobs (issue 14, item 6): which jobs the office moved, booked or
/// cancelled since the technician last opened them, and marking a job seen when it is opened (migration 008).
///
/// "Since last opened" is a position in the audit trail (the rowid the trail had when the job was opened),
/// not a time: an office change the pull brings later is news even if the office's clock says it is older.
/// Jobs never opened count from where marking began (the file's history when version 8 arrived, or a
/// restore's end: markAllSeen).
///
/// Cost: unseen() reads the shown jobs through idx_tickets_user_scheduled and, per job, only others' entries
/// on it through the partial index idx_audit_log_others_tickets, past the seen position: never the whole
/// trail, and nothing of this device's own entries. Cheap enough for the GUI thread on every schedule reload.
class OfficeChangeService final
{
public:
    explicit OfficeChangeService(ServiceContext context);

    /// The current user's jobs scheduled in [from, to) (deleted ones included) with changes by others they
    /// have not seen, by ticket id. Only the changes the schedule marks count: a creation, a deletion, and
    /// updates of the time, the planned length, the address or the status.
    Result<QHash<QUuid, OfficeChange>> unseen(const QDateTime &from, const QDateTime &to) const;
    /// The same for one job, or nullopt when there is nothing unseen.
    Result<std::optional<OfficeChange>> unseenFor(const QUuid &ticketId) const;
    /// The technician opened the job: what others did to it so far is seen. Writes only when something was
    /// unseen.
    Status markSeen(const QUuid &ticketId);
    /// Everything in the trail now is seen (after a restore downloaded the whole history).
    Status markAllSeen();

    /// The latest cancellation or deletion of the job by someone other than this device, when its current
    /// status is cancelled (or it is deleted) because of it; nullopt when this device cancelled it or it is
    /// not cancelled.
    Result<std::optional<OfficeCancellation>> cancellation(const QUuid &ticketId) const;

private:
    Result<QHash<QUuid, OfficeChange>> read(const QString &where, const QVariantList &values) const;

    ServiceContext m_ctx;
};

} // namespace fb
