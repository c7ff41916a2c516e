#include "closeoutwizard.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the wizard lands.
CloseOutWizard::CloseOutWizard(UiContext &context, const QUuid &ticketId, QWidget *parent)
    : QWizard(parent), m_context(context), m_ticketId(ticketId)
{
    setObjectName(QStringLiteral("closeOutWizard"));
}

} // namespace fb::ui
