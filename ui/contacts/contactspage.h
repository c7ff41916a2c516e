#pragma once

#include "common/contactsearch.h"
#include "services/contactservice.h"
#include "util/result.h"

#include <QDate>
#include <QHash>
#include <QList>
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
struct ChangeSet;
}

namespace fb::ui {

class ContactDetail;
class ContactListModel;
class ContactSearch;
class UiContext;

/// Customers: the list and the selected customer's page; new and edit through ContactDialog, soft delete
/// after a confirmation.
///
/// The list is the newest customers, or while something is typed in the search field, the customers it
/// finds (name, e-mail, phone and addresses), narrowed by the "open tickets" and "unpaid invoices" filters
/// and sorted by name, last visit or since when they are customers.
///
/// A search or a filter, whose cost grows with the number of customers, runs on the window's read thread
/// (ContactSearch: the latest wins) and the list follows when its answer comes; the plain list of the newest
/// customers is an index walk of kListLimit rows, the same at 30 customers or 100,000, kept once read. After
/// a change the list reads again only for what it shows (customers, addresses, jobs, invoices): this window's
/// own change at once, another connection's (the sync worker's) on the read thread, and not while the page is
/// hidden. Beside it, ContactDetail: addresses, attributes and suggestions to review, notes, tickets,
/// invoices and the history.
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

Q_SIGNALS:
    /// The list shows the customers found for `query` (the search field's text, trimmed; "" for the newest
    /// customers), or why they could not be read.
    void listShown(const QString &query);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

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
    /// The list for what the search field and the filters say: a search on the read thread; the newest
    /// customers as kept when nothing they show changed, else read again.
    void runSearch();
    /// Whether something is typed or a filter is on (else the list is the newest customers).
    bool searching() const;
    /// Reads the newest customers on the GUI thread (an index walk of kListLimit rows) and shows them.
    void readNewestNow();
    /// A read's answer, from the read thread or readNewestNow().
    void receive(const ContactSearch::Answer &answer);
    /// After a committed change: the list and the detail read again for what they show.
    void changed(const ChangeSet &changes);
    /// Shows what a search found (the list, its status line, the selection kept when still listed).
    void showFound(const QString &text, const ContactFilter &filter,
                   const Result<QList<ContactSearchHit>> &found,
                   const Result<QHash<QUuid, ContactActivity>> &activity);
    void showDetail(const QUuid &contactId);
    /// Selects the model row `row` (or nothing for -1) and shows that customer.
    void selectRow(int row);
    void applySort(int comboIndex);
    void syncSortCombo(int column, Qt::SortOrder order);
    ContactFilter filter() const;
    static QString filterPhrase(const ContactFilter &filter);
    void removeContact(const QUuid &contactId, int listRow);

    UiContext &m_context;
    ContactListModel *m_contacts;
    QSortFilterProxyModel *m_sorted;
    ContactSearch *m_finder;
    /// After a deletion while a search's answer was on its way: the list row to select when it comes.
    int m_rowAfterRemoval = -1;
    /// A change came while the page was hidden: read again when shown.
    bool m_stale = false;
    /// The newest customers as last read, and whether they are still what the file holds.
    enum class NewestState
    {
        Unread,
        Current,  ///< nothing the list shows changed since
        Behind,   ///< others (the sync worker) changed what it shows: shown, and read again off this thread
        Outdated, ///< this window changed what it shows: read again before it is shown
    };
    NewestState m_newestState = NewestState::Unread;
    QList<ContactSearchHit> m_newest;
    QHash<QUuid, ContactActivity> m_newestActivity;
    /// Down came in the search field while its answer was on its way: the first customer found, as it comes.
    bool m_pickWhenShown = false;

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
