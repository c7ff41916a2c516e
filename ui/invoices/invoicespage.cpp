#include "invoicespage.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the screen lands.
InvoicesPage::InvoicesPage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("invoicesPage"));
}

void InvoicesPage::reload()
{
}

} // namespace fb::ui
