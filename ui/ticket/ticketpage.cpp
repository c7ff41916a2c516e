#include "ticketpage.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the screen lands.
TicketPage::TicketPage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("ticketPage"));
}

void TicketPage::showTicket(const QUuid &ticketId)
{
    Q_UNUSED(ticketId)
}

QUuid TicketPage::ticketId() const
{
    return {};
}

void TicketPage::reload()
{
}

} // namespace fb::ui
