#pragma once

#include "events/events.h"
#include "util/result.h"

namespace fb {

class EventBus;
class MessageService;

/// On TicketCompletedEvent with "reach_out", schedules a pending "service_reminder" message N calendar months
/// after the close-out (the seed's N x 30 days drifts: 12 x 30 days is not a year).
class ScheduledMessageHandler final
{
public:
    static constexpr const char *kName = "ScheduledMessageHandler";
    static constexpr const char *kTemplate = "service_reminder";

    ScheduledMessageHandler(EventBus &bus, MessageService &messages);
    Status handleTicketCompleted(const TicketCompletedEvent &event);

private:
    MessageService &m_messages;
};

} // namespace fb
