#pragma once

#include "services/servicecontext.h"
#include "util/result.h"

#include <QJsonObject>
#include <QUuid>

#include <optional>

namespace fb {

/// Close-out drafts: what the technician typed in a close-out they cancelled, one JSON object per ticket, for
/// the current user only (migration 005).
///
/// Design choice: drafts are UI state, not domain data, so they bypass the audited Store: no audit entry, no
/// sync outbox row, never pushed. The JSON's shape belongs to the wizard; the core only keeps it.
class DraftService final
{
public:
    /// A draft larger than this is refused (the notes alone are at most 64 KiB).
    static constexpr int kMaxDraftBytes = 1024 * 1024;

    explicit DraftService(ServiceContext context);

    /// Creates or replaces the draft of a ticket the current user can see.
    Status save(const QUuid &ticketId, const QJsonObject &draft);
    /// The ticket's draft, or nullopt when there is none.
    Result<std::optional<QJsonObject>> load(const QUuid &ticketId) const;
    /// Deletes the ticket's draft; no draft is not an error.
    Status remove(const QUuid &ticketId);

private:
    ServiceContext m_ctx;
};

} // namespace fb
