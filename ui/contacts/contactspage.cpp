#include "contactspage.h"

#include "addresslistmodel.h"
#include "attributelistmodel.h"
#include "common/badgedelegate.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contactdialog.h"
#include "contactlistmodel.h"
#include "contactticketsmodel.h"
#include "core.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

// Ctrl+N is the main window's New ticket; a new customer is the page's own New.
const QKeySequence kNewContactKey(Qt::CTRL | Qt::SHIFT | Qt::Key_N);

QTableView *tableView(const char *name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(QLatin1String(name));
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QLabel *sectionLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    label->setBuddy(buddy);
    return label;
}

/// Enter on `view` calls `slot` (a widget shortcut: the key never travels on to a default button).
template <typename Slot> void onEnter(QAbstractItemView *view, QObject *context, Slot slot)
{
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), view, context, slot, Qt::WidgetShortcut);
}

} // namespace

ContactsPage::ContactsPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_contacts(new ContactListModel(this)),
      m_addresses(new AddressListModel(this)), m_attributes(new AttributeListModel(this)),
      m_tickets(new ContactTicketsModel(this)), m_search(new QLineEdit(this)),
      m_list(tableView("contactsView", this)), m_listStatus(new QLabel(this)),
      m_edit(new QPushButton(themedIcon(QStringLiteral("document-edit")), tr("&Edit..."), this)),
      m_detailStack(new QStackedWidget(this)), m_name(new QLabel(this)), m_info(new QLabel(this)),
      m_notes(new QLabel(this)), m_addressView(new QListView(this)),
      m_attributeView(tableView("contactAttributesView", this)),
      m_ticketView(tableView("contactTicketsView", this))
{
    setObjectName(QStringLiteral("contactsPage"));

    // The list side.
    m_search->setObjectName(QStringLiteral("contactSearch"));
    m_search->setPlaceholderText(tr("Search name, e-mail, phone or address"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(themedIcon(QStringLiteral("edit-find")), QLineEdit::LeadingPosition);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, &ContactsPage::runSearch);

    m_list->setModel(m_contacts);
    m_list->horizontalHeader()->setSectionResizeMode(ContactListModel::Name, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(ContactListModel::Phone, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setStretchLastSection(false);
    m_list->horizontalHeader()->setSectionResizeMode(ContactListModel::Email, QHeaderView::Stretch);
    connect(m_list, &QTableView::doubleClicked, this, &ContactsPage::editContact);
    onEnter(m_list, this, [this] { editContact(); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showDetail(current.isValid() ? current.data(ContactListModel::IdRole).toUuid() : QUuid());
            });

    m_listStatus->setObjectName(QStringLiteral("contactsStatus"));
    m_listStatus->setWordWrap(true);

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

    auto *listButtons = new QHBoxLayout;
    listButtons->setSpacing(kSpacing);
    listButtons->addWidget(newButton);
    listButtons->addWidget(m_edit);
    listButtons->addStretch();

    auto *listSide = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listSide);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->setSpacing(kSpacing);
    listLayout->addWidget(m_search);
    listLayout->addWidget(m_list, 1);
    listLayout->addWidget(m_listStatus);
    listLayout->addLayout(listButtons);

    // The detail side: a hint until a customer is selected.
    auto *empty = new QLabel(tr("Select a customer to see their addresses, attributes and tickets."), this);
    empty->setObjectName(QStringLiteral("contactDetailEmpty"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);

    m_name->setObjectName(QStringLiteral("contactNameLabel"));
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.4);
    nameFont.setWeight(QFont::DemiBold);
    m_name->setFont(nameFont);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setObjectName(QStringLiteral("contactInfoLabel"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setObjectName(QStringLiteral("contactNotesLabel"));
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_addressView->setObjectName(QStringLiteral("contactAddressesView"));
    m_addressView->setModel(m_addresses);
    m_addressView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_addressView->setMaximumHeight(12 * kSpacing);
    m_attributeView->setModel(m_attributes);
    m_attributeView->horizontalHeader()->setSectionResizeMode(AttributeListModel::Key,
                                                              QHeaderView::ResizeToContents);
    m_ticketView->setModel(m_tickets);
    m_ticketView->setItemDelegateForColumn(ContactTicketsModel::Status, new BadgeDelegate(m_ticketView));
    m_ticketView->horizontalHeader()->setSectionResizeMode(ContactTicketsModel::When,
                                                           QHeaderView::ResizeToContents);
    m_ticketView->horizontalHeader()->setSectionResizeMode(ContactTicketsModel::Status,
                                                           QHeaderView::ResizeToContents);
    m_ticketView->setToolTip(withShortcut(tr("Open a ticket"), QKeySequence(Qt::Key_Return)));
    connect(m_ticketView, &QTableView::doubleClicked, this, &ContactsPage::openSelectedTicket);
    onEnter(m_ticketView, this, [this] { openSelectedTicket(); });

    auto *detail = new QWidget(this);
    detail->setObjectName(QStringLiteral("contactDetail"));
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(kSpacing, 0, 0, 0);
    detailLayout->setSpacing(kSpacing);
    detailLayout->addWidget(m_name);
    detailLayout->addWidget(m_info);
    detailLayout->addWidget(m_notes);
    detailLayout->addWidget(sectionLabel(tr("Addresses"), m_addressView, detail));
    detailLayout->addWidget(m_addressView);
    detailLayout->addWidget(sectionLabel(tr("Confirmed attributes"), m_attributeView, detail));
    detailLayout->addWidget(m_attributeView, 1);
    detailLayout->addWidget(sectionLabel(tr("Tickets"), m_ticketView, detail));
    detailLayout->addWidget(m_ticketView, 2);

    m_detailStack->addWidget(empty);
    m_detailStack->addWidget(detail);

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

    connect(&m_context, &UiContext::dataChanged, this, &ContactsPage::reload);
    setFocusProxy(m_search);
    reload();
}

QUuid ContactsPage::currentContactId() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(ContactListModel::IdRole).toUuid() : QUuid();
}

void ContactsPage::reload()
{
    runSearch();
}

void ContactsPage::runSearch()
{
    const QUuid selected = currentContactId();
    const QString text = m_search->text().trimmed();
    const Core &core = m_context.core();
    auto found = text.isEmpty() ? core.contacts.list(kListLimit) : core.contacts.search(text, kListLimit);
    if (!found) {
        m_contacts->setContacts({});
        m_listStatus->setText(tr("Could not read the customers: %1").arg(found.error().toString()));
        showDetail({});
        return;
    }
    m_contacts->setContacts(*found);
    const int count = int(found->size());
    if (text.isEmpty()) {
        m_listStatus->setText(count == 0 ? tr("No customers yet: add the first with New customer.")
                              : count >= kListLimit
                                  ? tr("The %1 newest customers; search to find the others.").arg(count)
                                  : tr("%n customer(s), newest first", nullptr, count));
    } else {
        m_listStatus->setText(count == 0 ? tr("No customer matches \u201c%1\u201d.").arg(text)
                                         : tr("%n found", nullptr, count));
    }
    // The selection stays on the same customer when they are still listed.
    selectRow(m_contacts->rowOf(selected));
}

void ContactsPage::selectRow(int row)
{
    if (row < 0) {
        m_list->selectionModel()->clear();
        showDetail({});
        return;
    }
    const QModelIndex index = m_contacts->index(row, ContactListModel::Name);
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_list->scrollTo(index);
    // currentRowChanged does not fire when the row number stays the same after a reset.
    showDetail(m_contacts->contacts().at(row).id);
}

void ContactsPage::showContact(const QUuid &contactId)
{
    int row = m_contacts->rowOf(contactId);
    if (row < 0 && !m_search->text().isEmpty()) {
        m_search->clear(); // runs the search: the plain list
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
        m_contacts->setContacts(contacts);
        row = 0;
    }
    selectRow(row);
    m_list->setFocus();
}

void ContactsPage::showDetail(const QUuid &contactId)
{
    m_edit->setEnabled(!contactId.isNull());
    m_shown = contactId;
    if (contactId.isNull()) {
        m_addresses->setAddresses({});
        m_attributes->setAttributes({});
        m_tickets->setTickets({}, {});
        m_detailStack->setCurrentIndex(0);
        return;
    }
    const Core &core = m_context.core();
    auto contact = core.contacts.getWithAddresses(contactId);
    if (!contact) {
        m_detailStack->setCurrentIndex(0);
        return;
    }
    m_name->setText(contact->contact.name);
    QStringList info;
    if (contact->contact.phone)
        info << *contact->contact.phone;
    if (contact->contact.email)
        info << *contact->contact.email;
    m_info->setText(info.isEmpty() ? tr("No phone or e-mail") : info.join(QStringLiteral("  \u00b7  ")));
    m_notes->setText(contact->contact.notes.value_or(QString()));
    m_notes->setVisible(contact->contact.notes.has_value());
    m_addresses->setAddresses(contact->addresses);

    auto attributes = core.attributes.getAttributes(contactId);
    m_attributes->setAttributes(attributes ? *attributes : QList<Attribute>());
    auto tickets = core.tickets.listForContact(contactId);
    m_tickets->setTickets(tickets ? *tickets : QList<Ticket>(), contact->addresses);
    m_detailStack->setCurrentIndex(1);
}

void ContactsPage::openSelectedTicket()
{
    const QModelIndex current = m_ticketView->currentIndex();
    if (current.isValid())
        Q_EMIT m_context.openTicketRequested(current.data(ContactTicketsModel::IdRole).toUuid());
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

bool ContactsPage::eventFilter(QObject *watched, QEvent *event)
{
    // Down in the search field moves into the list, so a search is typed, then picked, from the keyboard.
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_contacts->rowCount() > 0) {
        if (!m_list->currentIndex().isValid())
            selectRow(0);
        m_list->setFocus();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace fb::ui
