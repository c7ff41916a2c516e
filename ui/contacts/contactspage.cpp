#include "contactspage.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the screen lands.
ContactsPage::ContactsPage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("contactsPage"));
}

void ContactsPage::showContact(const QUuid &contactId)
{
    Q_UNUSED(contactId)
}

void ContactsPage::reload()
{
}

} // namespace fb::ui
