#pragma once

#include "services/servicecontext.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUuid>

namespace fb {

/// One field both sides changed, as the server's merge rules decided it (issue 14, item 4; sync_conflicts,
/// migration 007, written by the push's acknowledgement).
struct SyncConflict
{
    enum class Outcome
    {
        Theirs,  ///< the other side's value was kept (the office's, or another device's)
        Mine,    ///< this technician's value was kept
        Deleted, ///< the row was deleted on the other side: the change was not applied
        Kept,    ///< the row was deleted on the other side, but the technician's work on it was kept
        Unknown, ///< an outcome this build does not know (a newer server)
    };

    QString id;
    QString entityType; ///< "ticket", "contact", ...
    QUuid entityId;
    QString field; ///< the column, e.g. "scheduled_at"
    /// JSON values in the local convention (money in cents, times as stored text); Null when absent.
    QJsonValue base;
    QJsonValue theirs;
    QJsonValue mine;
    Outcome outcome = Outcome::Unknown;
    QString outcomeText;  ///< as stored
    QString theirsAuthor; ///< who made the other change, as the server names them; may be empty
    QDateTime detectedAt;
};

/// The technician's side of the merge conflicts: the Sync screen lists them (newest first). Read only: the
/// sync layer writes them.
class ConflictService final
{
public:
    /// The Sync screen shows at most this many.
    static constexpr int kMaxListed = 500;

    explicit ConflictService(ServiceContext context);

    /// The current user's conflicts, newest first (idx_sync_conflicts_user), at most `limit`.
    Result<QList<SyncConflict>> list(int limit = kMaxListed) const;

    static SyncConflict::Outcome parseOutcome(const QString &text);

private:
    ServiceContext m_ctx;
};

} // namespace fb
