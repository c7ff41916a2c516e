#include "handlers/scheduledmessagehandler.h"

#include "events/eventbus.h"
#include "services/messageservice.h"
#include "util/timeutil.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcReachOut, "fieldbook.handlers.reachout")

namespace fb {

ScheduledMessageHandler::ScheduledMessageHandler(EventBus &bus, MessageService &messages)
    : m_messages(messages)
{
    bus.subscribe<TicketCompletedEvent>(
        QString::fromLatin1(kName),
        [this](const TicketCompletedEvent &event) { return handleTicketCompleted(event); });
}

Status ScheduledMessageHandler::handleTicketCompleted(const TicketCompletedEvent &event)
{
    if (event.nextServiceAction != QStringLiteral("reach_out") || !event.reachOutMonths ||
        *event.reachOutMonths < 1)
        return {};
    // From the close-out's time, not the delivery's: a retried delivery schedules the same day.
    ScheduledMessageCreate message;
    message.contactId = event.contactId;
    message.templateName = QString::fromLatin1(kTemplate);
    message.scheduledFor = addCalendarMonths(event.occurredAt, *event.reachOutMonths);
    auto scheduled = m_messages.schedule(message);
    if (!scheduled)
        return scheduled.error();
    qCInfo(lcReachOut).noquote() << "scheduled reach-out for contact" << idText(event.contactId) << "in"
                                 << *event.reachOutMonths << "months";
    return {};
}

} // namespace fb
