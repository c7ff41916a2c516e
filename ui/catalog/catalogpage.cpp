#include "catalogpage.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the screen lands.
CatalogPage::CatalogPage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("catalogPage"));
}

void CatalogPage::reload()
{
}

} // namespace fb::ui
