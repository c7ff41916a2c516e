#include "contactdialog.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the dialog lands.
ContactDialog::ContactDialog(UiContext &context, const QUuid &contactId, QWidget *parent)
    : QDialog(parent), m_context(context), m_contactId(contactId)
{
    setObjectName(QStringLiteral("contactDialog"));
}

} // namespace fb::ui
