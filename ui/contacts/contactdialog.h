#pragma once

#include <QDialog>
#include <QUuid>

namespace fb::ui {

class UiContext;

/// Creates (a null id) or edits a customer with their addresses. After accept(), contactId() is the saved
/// customer's id.
class ContactDialog final : public QDialog
{
    Q_OBJECT

public:
    ContactDialog(UiContext &context, const QUuid &contactId, QWidget *parent = nullptr);
    QUuid contactId() const { return m_contactId; }

private:
    UiContext &m_context;
    QUuid m_contactId;
};

} // namespace fb::ui
