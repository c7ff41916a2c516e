#include "reachoutspage.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the screen lands.
ReachOutsPage::ReachOutsPage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("reachOutsPage"));
}

void ReachOutsPage::reload()
{
}

} // namespace fb::ui
