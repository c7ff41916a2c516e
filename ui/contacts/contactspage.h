#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace fb {
struct ContactFilter;
}

namespace fb::ui {

class ContactDetail;
class ContactListModel;
class UiContext;

/// Customers: the list and the selected customer's page; new and edit through ContactDialog, soft delete
/// after a confirmation.
///
/// The list is the newest customers, or while something is typed in the search field, the customers it
/// finds (name, e-mail, phone and addresses), narrowed by the "open tickets" and "unpaid invoices" filters
/// and sorted by name, last visit or since when they are customers. Beside it, ContactDetail: addresses,
/// attributes and suggestions to review, notes, tickets, invoices and the history.
class ContactsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactsPage)

public:
    explicit ContactsPage(UiContext &context, QWidget *parent = nullptr);

    /// Selects and shows one customer (clearing the search and filters when they hide them).
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
    /// Asks (without blocking) whether to delete the selected customer, and soft-deletes them on Yes
    /// (Delete).
    void deleteContact();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Search, filters and sort, the list, its status line and its buttons.
    QWidget *buildListSide();
    void setUpSearch();
    QHBoxLayout *buildFilterBar();
    /// The list sorted by the view, its keys and the selection that shows a customer.
    void setUpList();
    QHBoxLayout *buildListButtons();
    /// The selected customer's page, or a hint while none is selected.
    void buildDetailSide();
    void runSearch();
    void showDetail(const QUuid &contactId);
    /// Selects the model row `row` (or nothing for -1) and shows that customer.
    void selectRow(int row);
    void applySort(int comboIndex);
    void syncSortCombo(int column, Qt::SortOrder order);
    ContactFilter filter() const;
    QString filterPhrase() const;
    void removeContact(const QUuid &contactId, int listRow);

    UiContext &m_context;
    ContactListModel *m_contacts;
    QSortFilterProxyModel *m_sorted;

    QLineEdit *m_search;
    QCheckBox *m_openTickets;
    QCheckBox *m_unpaidInvoices;
    QComboBox *m_sort;
    QTableView *m_list;
    QLabel *m_listStatus;
    QPushButton *m_edit;
    QPushButton *m_delete;
    QStackedWidget *m_detailStack;
    ContactDetail *m_detail;
};

} // namespace fb::ui
