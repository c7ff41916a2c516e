#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// Customers: the list and a customer with its addresses; new and edit through ContactDialog.
class ContactsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit ContactsPage(UiContext &context, QWidget *parent = nullptr);

    /// Selects and shows one customer.
    void showContact(const QUuid &contactId);

public Q_SLOTS:
    void reload();

private:
    UiContext &m_context;
};

} // namespace fb::ui
