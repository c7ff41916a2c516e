#include "schedulepage.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the screen lands.
SchedulePage::SchedulePage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("schedulePage"));
}

QDate SchedulePage::currentDate() const
{
    return {};
}

void SchedulePage::setDate(const QDate &date)
{
    Q_UNUSED(date)
}

void SchedulePage::goToToday()
{
}

void SchedulePage::newTicket()
{
}

void SchedulePage::reload()
{
}

} // namespace fb::ui
