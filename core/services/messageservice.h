#pragma once

#include "models/scheduledmessage.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

/// Reach-outs: messages scheduled for a contact. Sending itself is the server's job; the app marks them.
class MessageService final
{
public:
    explicit MessageService(ServiceContext context);

    Result<ScheduledMessage> schedule(const ScheduledMessageCreate &data);
    Result<ScheduledMessage> getById(const QUuid &id) const;
    /// Only a pending message can be cancelled.
    Result<ScheduledMessage> cancel(const QUuid &id);
    /// Pending messages, soonest first.
    Result<QList<ScheduledMessage>> listPending() const;
    Result<QList<ScheduledMessage>> listForContact(const QUuid &contactId) const;
    /// Every message of any status (sent, cancelled and failed ones too), soonest first: the reach-outs list.
    Result<QList<ScheduledMessage>> list() const;
    /// Only a pending message can be marked sent.
    Result<ScheduledMessage> markSent(const QUuid &id);

private:
    Result<ScheduledMessage> transition(const QUuid &id, MessageStatus to);
    ServiceContext m_ctx;
};

} // namespace fb
