#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace fb::ui {

class AddressListModel;
class AttributeListModel;
class ContactListModel;
class ContactTicketsModel;
class UiContext;

/// Customers: the list and a customer with its addresses; new and edit through ContactDialog.
///
/// The list is the newest customers, or while something is typed in the search field, the customers it
/// finds (name, e-mail, phone and addresses). Beside it, the selected customer: addresses, confirmed
/// attributes and tickets (Enter or a double-click opens a ticket).
class ContactsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactsPage)

public:
    explicit ContactsPage(UiContext &context, QWidget *parent = nullptr);

    /// Selects and shows one customer.
    void showContact(const QUuid &contactId);
    /// The selected customer, or a null id.
    QUuid currentContactId() const;

    /// How many customers the list reads at most (the service's default page).
    static constexpr int kListLimit = 100;

public Q_SLOTS:
    void reload();
    /// Opens ContactDialog for a new customer (Ctrl+Shift+N).
    void newContact();
    /// Opens ContactDialog for the selected customer (Enter, double-click).
    void editContact();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void runSearch();
    void showDetail(const QUuid &contactId);
    void openSelectedTicket();
    void selectRow(int row);

    UiContext &m_context;
    ContactListModel *m_contacts;
    AddressListModel *m_addresses;
    AttributeListModel *m_attributes;
    ContactTicketsModel *m_tickets;

    QLineEdit *m_search;
    QTableView *m_list;
    QLabel *m_listStatus;
    QPushButton *m_edit;
    QStackedWidget *m_detailStack;
    QLabel *m_name;
    QLabel *m_info;
    QLabel *m_notes;
    QListView *m_addressView;
    QTableView *m_attributeView;
    QTableView *m_ticketView;
    QUuid m_shown;
};

} // namespace fb::ui
