#include "contactspage.h"

#include "common/contactsearch.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contactdetail.h"
#include "contactdialog.h"
#include "contactlistmodel.h"
#include "contactviews.h"
#include "core.h"
#include "events/changefeed.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace fb::ui {

namespace {

// Ctrl+N is the main window's New ticket; a new customer is the page's own New.
const QKeySequence kNewContactKey(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
const QKeySequence kSearchKey(Qt::CTRL | Qt::Key_F);

/// The sort orders the combo box offers (a header click may pick another column; the box then shows none).
struct SortChoice
{
    const char *label;
    ContactListModel::Column column;
    Qt::SortOrder order;
};
constexpr SortChoice kSortChoices[] = {
    {QT_TRANSLATE_NOOP("fb::ui::ContactsPage", "Name"), ContactListModel::Name, Qt::AscendingOrder},
    {QT_TRANSLATE_NOOP("fb::ui::ContactsPage", "Last visit, most recent first"), ContactListModel::LastVisit,
     Qt::DescendingOrder},
    {QT_TRANSLATE_NOOP("fb::ui::ContactsPage", "Newest customers first"), ContactListModel::Since,
     Qt::DescendingOrder},
};
} // namespace

ContactsPage::ContactsPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_contacts(new ContactListModel(this)),
      m_sorted(new QSortFilterProxyModel(this)),
      m_finder(new ContactSearch(
          context, [this](const ContactSearch::Answer &answer) { receive(answer); }, this)),
      m_search(new QLineEdit(this)), m_openTickets(new QCheckBox(tr("Open tic&kets"), this)),
      m_unpaidInvoices(new QCheckBox(tr("&Unpaid invoices"), this)), m_sort(new QComboBox(this)),
      m_list(contactTableView("contactsView", this)), m_listStatus(new QLabel(this)),
      m_edit(new QPushButton(themedIcon(QStringLiteral("document-edit")), tr("&Edit..."), this)),
      m_delete(new QPushButton(themedIcon(QStringLiteral("list-remove")), tr("&Delete..."), this)),
      m_detailStack(new QStackedWidget(this)), m_detail(new ContactDetail(context, this))
{
    setObjectName(QStringLiteral("contactsPage"));
    QWidget *listSide = buildListSide();
    buildDetailSide();
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(listSide);
    splitter->addWidget(m_detailStack);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addWidget(splitter);

    connect(&m_context.changes(), &ChangeFeed::changed, this, &ContactsPage::changed);
    setFocusProxy(m_search);
    if (isVisible()) {
        reload();
        return;
    }
    // Built hidden with the window, which opens on the schedule: the first page of customers is read on the
    // read thread (a cold file's pages, beside the window's first paint), so it is there when the page is
    // first shown. Shown before that answer came, the page reads it at once (runSearch: still unread).
    m_stale = true;
    m_finder->start({QString(), kListLimit, {}, true});
}

QWidget *ContactsPage::buildListSide()
{
    // The list side: search, filters and sort, the list.
    setUpSearch();
    QHBoxLayout *filters = buildFilterBar();
    setUpList();
    QHBoxLayout *listButtons = buildListButtons();
    auto *listSide = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(kSpacing);
    listLayout->addWidget(m_search);
    listLayout->addLayout(filters);
    listLayout->addWidget(m_list, 1);
    listLayout->addWidget(m_listStatus);
    listLayout->addLayout(listButtons);

    return listSide;
}

void ContactsPage::setUpSearch()
{
    m_search->setObjectName(QStringLiteral("contactSearch"));
    m_search->setPlaceholderText(tr("Search name, e-mail, phone or address"));
    m_search->setToolTip(withShortcut(tr("Search the customers"), kSearchKey));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(themedIcon(QStringLiteral("edit-find")), QLineEdit::LeadingPosition);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &ContactsPage::runSearch);
    new QShortcut(
        kSearchKey, this, m_search,
        [this] {
            m_search->setFocus();
            m_search->selectAll();
        },
        Qt::WidgetWithChildrenShortcut);
}

QHBoxLayout *ContactsPage::buildFilterBar()
{
    m_openTickets->setObjectName(QStringLiteral("openTicketsFilter"));
    m_openTickets->setToolTip(tr("Only customers with a ticket still scheduled or in progress"));
    m_unpaidInvoices->setObjectName(QStringLiteral("unpaidInvoicesFilter"));
    m_unpaidInvoices->setToolTip(tr("Only customers with an invoice sent and not yet paid"));
    connect(m_openTickets, &QCheckBox::toggled, this, &ContactsPage::runSearch);
    connect(m_unpaidInvoices, &QCheckBox::toggled, this, &ContactsPage::runSearch);

    m_sort->setObjectName(QStringLiteral("contactSort"));
    for (const SortChoice &choice : kSortChoices)
        m_sort->addItem(tr(choice.label));
    auto *sortLabel = new QLabel(tr("&Sort:"), this);
    sortLabel->setBuddy(m_sort);

    auto *filters = new QHBoxLayout;
    filters->setSpacing(2 * kSpacing);
    filters->addWidget(new QLabel(tr("Only with:"), this));
    filters->addWidget(m_openTickets);
    filters->addWidget(m_unpaidInvoices);
    filters->addStretch();
    filters->addWidget(sortLabel);
    filters->addWidget(m_sort);

    return filters;
}

void ContactsPage::setUpList()
{
    // Sorting is the view's (a proxy over the page the core read): the core gives at most kListLimit
    // customers, newest first or by name, and any order of those is a cheap sort here.
    m_sorted->setSourceModel(m_contacts);
    m_sorted->setSortRole(ContactListModel::SortRole);
    m_sorted->setSortLocaleAware(true);
    m_list->setModel(m_sorted);
    m_list->setSortingEnabled(true);
    QHeaderView *header = m_list->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(ContactListModel::Name, QHeaderView::Stretch);
    header->setSectionResizeMode(ContactListModel::Phone, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ContactListModel::Email, QHeaderView::Stretch);
    header->setSectionResizeMode(ContactListModel::Address, QHeaderView::Stretch);
    header->setSectionResizeMode(ContactListModel::LastVisit, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ContactListModel::Since, QHeaderView::ResizeToContents);
    connect(header, &QHeaderView::sortIndicatorChanged, this, &ContactsPage::syncSortCombo);
    connect(m_sort, &QComboBox::activated, this, &ContactsPage::applySort);
    applySort(0);

    connect(m_list, &QTableView::doubleClicked, this, &ContactsPage::editContact);
    onEnter(m_list, this, [this] { editContact(); });
    onKeys(m_list, {QKeySequence::Delete}, this, [this] { deleteContact(); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showDetail(current.isValid() ? current.data(ContactListModel::IdRole).toUuid() : QUuid());
            });

    m_listStatus->setObjectName(QStringLiteral("contactsStatus"));
    m_listStatus->setWordWrap(true);
}

QHBoxLayout *ContactsPage::buildListButtons()
{
    auto *newButton = new QPushButton(themedIcon(QStringLiteral("contact-new")), tr("New customer"), this);
    newButton->setObjectName(QStringLiteral("newContactButton"));
    newButton->setToolTip(withShortcut(tr("Add a customer"), kNewContactKey));
    connect(newButton, &QPushButton::clicked, this, &ContactsPage::newContact);
    // A window shortcut of this page: active only while the page is the one shown.
    new QShortcut(kNewContactKey, this, this, &ContactsPage::newContact, Qt::WindowShortcut);
    m_edit->setObjectName(QStringLiteral("editContactButton"));
    m_edit->setToolTip(withShortcut(tr("Edit the selected customer"), QKeySequence(Qt::Key_Return)));
    m_edit->setEnabled(false);
    connect(m_edit, &QPushButton::clicked, this, &ContactsPage::editContact);
    m_delete->setObjectName(QStringLiteral("deleteContactButton"));
    m_delete->setToolTip(withShortcut(tr("Delete the selected customer (asks first)"), QKeySequence::Delete));
    m_delete->setEnabled(false);
    connect(m_delete, &QPushButton::clicked, this, &ContactsPage::deleteContact);

    auto *listButtons = new QHBoxLayout;
    listButtons->setSpacing(kSpacing);
    listButtons->addWidget(newButton);
    listButtons->addWidget(m_edit);
    listButtons->addStretch();
    listButtons->addWidget(m_delete);

    return listButtons;
}

void ContactsPage::buildDetailSide()
{
    // The detail side: a hint until a customer is selected.
    auto *empty =
        new QLabel(tr("Select a customer to see their profile, notes, tickets, invoices and history."), this);
    empty->setObjectName(QStringLiteral("contactDetailEmpty"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    m_detailStack->addWidget(empty);
    m_detailStack->addWidget(m_detail);
}

QUuid ContactsPage::currentContactId() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(ContactListModel::IdRole).toUuid() : QUuid();
}

void ContactsPage::reload()
{
    m_stale = false;
    if (searching()) {
        m_finder->start({m_search->text().trimmed(), kListLimit, filter(), true});
        return;
    }
    readNewestNow();
}

bool ContactsPage::searching() const
{
    return !m_search->text().trimmed().isEmpty() || m_openTickets->isChecked() ||
           m_unpaidInvoices->isChecked();
}

void ContactsPage::changed(const ChangeSet &changes)
{
    // The list shows each customer's activity (jobs and invoices) and first address; the detail also their
    // line items, notes, details, suggestions and reach-outs. The extraction queue writing suggestions
    // behind the list changes nothing the list shows.
    const bool list = changes.touchesAny({QStringLiteral("contact"), QStringLiteral("address"),
                                          QStringLiteral("ticket"), QStringLiteral("invoice")});
    const bool detail =
        list ||
        changes.touchesAny({QStringLiteral("line_item"), QStringLiteral("note"), QStringLiteral("attribute"),
                            QStringLiteral("scheduled_message"), QStringLiteral("attribute_suggestions")});
    if (!detail)
        return;
    if (list) {
        if (!changes.fromOtherConnection)
            m_newestState = NewestState::Outdated;
        else if (m_newestState == NewestState::Current)
            m_newestState = NewestState::Behind;
    }
    if (changes.fromOtherConnection && !isVisible()) {
        // Read again when shown (or when a customer is opened): nothing is read for a page no one sees. A
        // read on its way (the first page read ahead at start) may have begun before this change: its answer
        // would be kept as the list as it is now, so it is dropped.
        m_stale = true;
        if (list)
            m_finder->cancel();
        return;
    }
    if (!list) {
        if (const QUuid shown = currentContactId(); !shown.isNull())
            showDetail(shown);
        return;
    }
    if (changes.fromOtherConnection) {
        // Another writer's change (the sync worker, a `fieldbook` command): the list is read again on the
        // read thread, like a search, and follows when the answer comes; the latest read wins.
        m_finder->start({m_search->text().trimmed(), kListLimit, filter(), true});
        return;
    }
    // This window's own change: the plain list is read at once, so what was just saved is listed when the
    // call returns.
    reload();
}

void ContactsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_stale, false))
        runSearch();
}

ContactFilter ContactsPage::filter() const
{
    ContactFilter f;
    f.openTickets = m_openTickets->isChecked();
    f.unpaidInvoices = m_unpaidInvoices->isChecked();
    return f;
}

QString ContactsPage::filterPhrase(const ContactFilter &f)
{
    if (f.openTickets && f.unpaidInvoices)
        return tr("with open tickets and unpaid invoices");
    if (f.openTickets)
        return tr("with open tickets");
    if (f.unpaidInvoices)
        return tr("with unpaid invoices");
    return {};
}

void ContactsPage::runSearch()
{
    if (searching()) {
        // Grows with the customers: on the read thread; the list stays as it is until the answer comes.
        m_finder->start({m_search->text().trimmed(), kListLimit, filter(), true});
        return;
    }
    switch (m_newestState) {
    case NewestState::Current:
        // As read last, and nothing it shows changed since: shown again without a read.
        m_finder->cancel();
        showFound({}, {}, m_newest, m_newestActivity);
        return;
    case NewestState::Behind:
        // Only others' changes since (the sync worker's): shown as read last at once, and read again on the
        // read thread; the list follows when the answer comes.
        showFound({}, {}, m_newest, m_newestActivity);
        m_finder->start({QString(), kListLimit, {}, true});
        return;
    case NewestState::Unread:
    case NewestState::Outdated:
        break;
    }
    readNewestNow();
}

void ContactsPage::readNewestNow()
{
    // The newest customers: bounded by kListLimit whatever the size of the file. Read here, at once, and a
    // search's answer still on its way is dropped.
    m_finder->cancel();
    const Core &core = m_context.core();
    ContactSearch::Answer answer{{QString(), kListLimit, {}, true}};
    answer.hits = core.contacts.searchHits(QString(), kListLimit, {});
    if (answer.hits) {
        QList<QUuid> ids;
        ids.reserve(answer.hits->size());
        for (const ContactSearchHit &hit : std::as_const(*answer.hits))
            ids.append(hit.contact.id);
        answer.activity = core.contacts.activity(ids);
    }
    receive(answer);
}

void ContactsPage::receive(const ContactSearch::Answer &answer)
{
    const ContactSearch::Request &request = answer.request;
    if (request.query.isEmpty() && !request.filter.openTickets && !request.filter.unpaidInvoices &&
        answer.hits && answer.activity) {
        // The plain list as it is now (every change since asked for another read, which this one would not
        // be the answer of): kept, so clearing the search shows it without reading it again.
        m_newest = *answer.hits;
        m_newestActivity = *answer.activity;
        m_newestState = NewestState::Current;
    }
    showFound(request.query, request.filter, answer.hits, answer.activity);
}

void ContactsPage::showFound(const QString &text, const ContactFilter &f,
                             const Result<QList<ContactSearchHit>> &found,
                             const Result<QHash<QUuid, ContactActivity>> &activity)
{
    const QUuid selected = currentContactId();
    const int rowAfterRemoval = std::exchange(m_rowAfterRemoval, -1);
    const bool pickFirst = std::exchange(m_pickWhenShown, false);
    if (!found) {
        m_contacts->setContacts({});
        m_listStatus->setText(tr("Could not read the customers: %1").arg(found.error().toString()));
        showDetail({});
        Q_EMIT listShown(text);
        return;
    }
    // Without the activity the list still works; only the last visits and the tooltips' open work are
    // missing.
    m_contacts->setHits(*found, activity ? *activity : QHash<QUuid, ContactActivity>());

    const int count = int(found->size());
    const QString filtered = filterPhrase(f);
    // Plurals spelled out: without a translation loaded, %n plurals read "2 customer(s)".
    const QString customers = count == 1 ? tr("1 customer") : tr("%1 customers").arg(count);
    if (!text.isEmpty()) {
        if (count == 0)
            m_listStatus->setText(filtered.isEmpty()
                                      ? tr("No customer matches \u201c%1\u201d.").arg(text)
                                      : tr("No customer %1 matches \u201c%2\u201d.").arg(filtered, text));
        else
            m_listStatus->setText(tr("%1 found").arg(count));
    } else if (!filtered.isEmpty()) {
        if (count == 0)
            m_listStatus->setText(tr("No customer %1.").arg(filtered));
        else if (count >= kListLimit)
            m_listStatus->setText(
                tr("The %1 newest customers %2; search to narrow them.").arg(count).arg(filtered));
        else
            m_listStatus->setText(QStringLiteral("%1 %2").arg(customers, filtered));
    } else {
        if (count == 0)
            m_listStatus->setText(tr("No customers yet: add the first with New customer."));
        else if (count >= kListLimit)
            m_listStatus->setText(tr("The %1 newest customers; search to find the others.").arg(count));
        else
            m_listStatus->setText(customers);
    }
    if (!activity)
        m_listStatus->setText(m_listStatus->text() + QLatin1Char(' ') +
                              tr("(Last visits could not be read: %1)").arg(activity.error().toString()));
    // The selection stays on the same customer when they are still listed; after a deletion, on the customer
    // that moved up into its row.
    const int row = m_contacts->rowOf(selected);
    if (row < 0 && rowAfterRemoval >= 0 && m_sorted->rowCount() > 0) {
        selectRow(
            m_sorted->mapToSource(m_sorted->index(std::min(rowAfterRemoval, m_sorted->rowCount() - 1), 0))
                .row());
    } else {
        selectRow(row);
    }
    if (pickFirst && m_sorted->rowCount() > 0) {
        if (!m_list->currentIndex().isValid())
            selectRow(m_sorted->mapToSource(m_sorted->index(0, 0)).row());
        m_list->setFocus();
    }
    Q_EMIT listShown(text);
}

void ContactsPage::selectRow(int row)
{
    if (row < 0) {
        m_list->selectionModel()->clear();
        showDetail({});
        return;
    }
    const QModelIndex index = m_sorted->mapFromSource(m_contacts->index(row, ContactListModel::Name));
    // Still on that customer (a reload after a change): the list keeps where the technician scrolled it.
    const bool moved = m_list->currentIndex().siblingAtColumn(ContactListModel::Name) != index;
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    if (moved)
        m_list->scrollTo(index);
    // currentRowChanged does not fire when the row number stays the same after a reset.
    showDetail(m_contacts->contacts().at(row).id);
}

void ContactsPage::applySort(int comboIndex)
{
    if (comboIndex < 0 || comboIndex >= int(std::size(kSortChoices)))
        return;
    m_list->sortByColumn(kSortChoices[comboIndex].column, kSortChoices[comboIndex].order);
}

void ContactsPage::syncSortCombo(int column, Qt::SortOrder order)
{
    int match = -1;
    for (int i = 0; i < int(std::size(kSortChoices)); ++i) {
        if (kSortChoices[i].column == column && kSortChoices[i].order == order)
            match = i;
    }
    const QSignalBlocker blocker(m_sort);
    m_sort->setCurrentIndex(match);
}

void ContactsPage::showContact(const QUuid &contactId)
{
    // The list as it is now: read again when it missed a change while hidden, or when a read of the plain
    // list is on its way.
    if (m_stale || (!searching() && (m_finder->isBusy() || m_newestState != NewestState::Current)))
        reload();
    // While a search's answer is on its way, the list shown is not what the search field says.
    int row = m_finder->isBusy() ? -1 : m_contacts->rowOf(contactId);
    if (row < 0 &&
        (!m_search->text().isEmpty() || m_openTickets->isChecked() || m_unpaidInvoices->isChecked())) {
        // Each of these runs the search again: the plain list.
        m_search->clear();
        m_openTickets->setChecked(false);
        m_unpaidInvoices->setChecked(false);
        if (m_finder->isBusy())
            readNewestNow(); // the plain list as it is now, not as kept
        row = m_contacts->rowOf(contactId);
    }
    if (row < 0) {
        // Older than the list's page: shown on top of it.
        auto contact = m_context.core().contacts.getById(contactId);
        if (!contact) {
            showError(this, tr("Could not open the customer"), contact.error());
            return;
        }
        QList<Contact> contacts = m_contacts->contacts();
        contacts.prepend(*contact);
        QList<QUuid> ids;
        for (const Contact &c : std::as_const(contacts))
            ids.append(c.id);
        auto activity = m_context.core().contacts.activity(ids);
        m_contacts->setContacts(contacts, activity ? *activity : QHash<QUuid, ContactActivity>());
        row = 0;
    }
    selectRow(row);
    m_list->setFocus();
}

void ContactsPage::showDetail(const QUuid &contactId)
{
    const bool shown = m_detail->showContact(contactId);
    m_edit->setEnabled(shown);
    m_delete->setEnabled(shown);
    m_detailStack->setCurrentIndex(shown ? 1 : 0);
}

void ContactsPage::newContact()
{
    auto *dialog = new ContactDialog(m_context, {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { showContact(dialog->contactId()); });
    dialog->open();
}

void ContactsPage::editContact()
{
    const QUuid id = currentContactId();
    if (id.isNull())
        return;
    auto *dialog = new ContactDialog(m_context, id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { showContact(dialog->contactId()); });
    dialog->open();
}

void ContactsPage::deleteContact()
{
    const QUuid id = currentContactId();
    if (id.isNull())
        return;
    const Core &core = m_context.core();
    auto contact = core.contacts.getById(id);
    if (!contact) {
        showError(this, tr("Could not delete the customer"), contact.error());
        return;
    }
    // What stays, in numbers, so the question is answered knowing what a deletion does and does not do.
    auto tickets = core.tickets.listForContact(id);
    auto invoices = core.invoices.listForContact(id);
    int open = 0;
    for (const Ticket &ticket : tickets ? *tickets : QList<Ticket>())
        open += ticket.status == TicketStatus::Scheduled || ticket.status == TicketStatus::InProgress;
    int unpaid = 0;
    for (const Invoice &invoice : invoices ? *invoices : QList<Invoice>())
        unpaid += invoice.status == InvoiceStatus::Sent;
    QStringList details{
        tr("%1 leaves the customer list and the search.").arg(contact->name),
        tr("Nothing is erased: their tickets (%1), invoices (%2), notes and history stay, and the history "
           "screen can restore the customer.")
            .arg(tickets ? tickets->size() : 0)
            .arg(invoices ? invoices->size() : 0)};
    // Plurals spelled out: without a translation loaded, %n plurals read "2 ticket(s)".
    if (open == 1)
        details << tr("Their open ticket stays on the schedule: cancel it first if the work is off.");
    else if (open > 1)
        details << tr("Their %1 open tickets stay on the schedule: cancel them first if the work is off.")
                       .arg(open);
    if (unpaid == 1)
        details << tr("An invoice sent to them is not yet paid.");
    else if (unpaid > 1)
        details << tr("%1 invoices sent to them are not yet paid.").arg(unpaid);

    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Delete customer"), tr("Delete %1?").arg(contact->name),
                        QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(QStringLiteral("deleteContactConfirm"));
    box->setInformativeText(details.join(QLatin1Char(' ')));
    box->button(QMessageBox::Yes)->setText(tr("&Delete customer"));
    box->button(QMessageBox::No)->setText(tr("&Keep"));
    // Enter keeps: a deletion is never one keystroke away.
    box->setDefaultButton(QMessageBox::No);
    box->setEscapeButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const int listRow = m_list->currentIndex().row();
    connect(box, &QMessageBox::buttonClicked, this, [this, box, id, listRow](QAbstractButton *clicked) {
        if (box->standardButton(clicked) == QMessageBox::Yes)
            removeContact(id, listRow);
    });
    box->open();
}

void ContactsPage::removeContact(const QUuid &contactId, int listRow)
{
    if (const Status removed = m_context.core().contacts.remove(contactId); !removed) {
        showError(this, tr("Could not delete the customer"), removed.error());
        return;
    }
    // The list keeps its place: the customer that moved up into the row is selected (when a search's answer
    // is on its way, as it comes).
    if (m_finder->isBusy())
        m_rowAfterRemoval = listRow;
    else if (!m_list->currentIndex().isValid() && m_sorted->rowCount() > 0) {
        const QModelIndex next = m_sorted->index(std::min(listRow, m_sorted->rowCount() - 1), 0);
        selectRow(m_sorted->mapToSource(next).row());
    }
    m_list->setFocus();
}

bool ContactsPage::eventFilter(QObject *watched, QEvent *event)
{
    // Down in the search field moves into the list, so a search is typed, then picked, from the keyboard.
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_finder->isBusy()) {
        // Into the customers found for what is typed, not for a few letters less: as they come.
        m_pickWhenShown = true;
        return true;
    }
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_sorted->rowCount() > 0) {
        if (!m_list->currentIndex().isValid())
            selectRow(m_sorted->mapToSource(m_sorted->index(0, 0)).row());
        m_list->setFocus();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}
} // namespace fb::ui
