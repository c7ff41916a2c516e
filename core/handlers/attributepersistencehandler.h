#pragma once

#include "events/events.h"
#include "util/result.h"

namespace fb {

class AttributeService;
class EventBus;

/// On TicketCompletedEvent, saves the technician-confirmed attributes on the contact: one upsert per
/// (contact, key), linked to the close-out note when there is one. All of an event's attributes are saved in
/// one transaction (the bus's), so a failure saves none and the retry saves all.
class AttributePersistenceHandler final
{
public:
    static constexpr const char *kName = "AttributePersistenceHandler";

    AttributePersistenceHandler(EventBus &bus, AttributeService &attributes);
    Status handleTicketCompleted(const TicketCompletedEvent &event);

private:
    AttributeService &m_attributes;
};

} // namespace fb
