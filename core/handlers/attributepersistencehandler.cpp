#include "handlers/attributepersistencehandler.h"

#include "events/eventbus.h"
#include "services/attributeservice.h"
#include "util/timeutil.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAttributes, "fieldbook.handlers.attributes")

namespace fb {

AttributePersistenceHandler::AttributePersistenceHandler(EventBus &bus, AttributeService &attributes)
    : m_attributes(attributes)
{
    bus.subscribe<TicketCompletedEvent>(
        QString::fromLatin1(kName),
        [this](const TicketCompletedEvent &event) { return handleTicketCompleted(event); });
}

Status AttributePersistenceHandler::handleTicketCompleted(const TicketCompletedEvent &event)
{
    if (event.confirmedAttributes.isEmpty())
        return {};
    for (auto it = event.confirmedAttributes.begin(); it != event.confirmedAttributes.end(); ++it) {
        auto saved = m_attributes.setAttribute({event.contactId, it.key(), it.value(), event.sourceNoteId});
        if (!saved)
            return saved.error();
    }
    qCInfo(lcAttributes).noquote() << "persisted" << event.confirmedAttributes.size()
                                   << "attributes for contact" << idText(event.contactId);
    return {};
}

} // namespace fb
