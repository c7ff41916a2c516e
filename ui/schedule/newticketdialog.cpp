#include "newticketdialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contactresultsmodel.h"
#include "contacts/contactdialog.h"
#include "core.h"
#include "servicepickmodel.h"
#include "util/timeutil.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

/// Enough matches to find anyone by a few letters; more would only scroll.
constexpr int kSearchLimit = 50;
constexpr int kDefaultDurationMinutes = 60;

int rowsHigh(const QListView *view, int rows)
{
    return rows * (view->fontMetrics().height() + kSpacing) + 2 * view->frameWidth();
}

} // namespace

NewTicketDialog::NewTicketDialog(UiContext &context, const QDate &day, QWidget *parent)
    : QDialog(parent), m_context(context)
{
    setObjectName(QStringLiteral("newTicketDialog"));
    setWindowTitle(tr("New ticket"));
    setMinimumWidth(70 * kSpacing);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("contactSearch"));
    m_search->setPlaceholderText(tr("Search customers by name, phone, e-mail or address"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Type to search; Down moves to the results"));
    m_search->installEventFilter(this);
    auto *newCustomer = new QPushButton(themedIcon(QStringLiteral("contact-new")), tr("New customer…"), this);
    newCustomer->setObjectName(QStringLiteral("newCustomerButton"));
    newCustomer->setAutoDefault(false);

    m_results = new ContactResultsModel(this);
    m_resultsView = new QListView(this);
    m_resultsView->setObjectName(QStringLiteral("contactResults"));
    m_resultsView->setModel(m_results);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_resultsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_resultsView->setUniformItemSizes(true);
    m_resultsView->setFixedHeight(rowsHigh(m_resultsView, 5));

    m_address = new QComboBox(this);
    m_address->setObjectName(QStringLiteral("addressCombo"));

    // Proposed: the day the schedule is on, at the next full hour; today's next hour may be tomorrow.
    const QDateTime now = nowUtc().toLocalTime();
    const QDateTime nextHour = QDateTime(now.date(), QTime(now.time().hour(), 0)).addSecs(3600);
    m_dateEdit = new QDateEdit(day == now.date() ? nextHour.date() : day, this);
    m_dateEdit->setObjectName(QStringLiteral("dateEdit"));
    m_dateEdit->setCalendarPopup(true);
    m_timeEdit = new QTimeEdit(nextHour.time(), this);
    m_timeEdit->setObjectName(QStringLiteral("timeEdit"));
    m_duration = new QSpinBox(this);
    m_duration->setObjectName(QStringLiteral("durationSpin"));
    m_duration->setRange(0, 24 * 60);
    m_duration->setSingleStep(15);
    m_duration->setSuffix(tr(" min"));
    m_duration->setSpecialValueText(tr("Not set"));
    m_duration->setValue(kDefaultDurationMinutes);
    m_duration->setToolTip(tr("How long the job is expected to take, in minutes"));

    m_services = new ServicePickModel(this);
    if (auto services = m_context.core().catalog.listServices())
        m_services->setServices(*services);
    else
        showError(this, tr("Could not read the catalog"), services.error());
    m_servicesView = new QListView(this);
    m_servicesView->setObjectName(QStringLiteral("servicesList"));
    m_servicesView->setModel(m_services);
    m_servicesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_servicesView->setFixedHeight(rowsHigh(m_servicesView, 4));
    m_servicesView->setToolTip(tr("Space ticks the selected service"));
    auto *servicesHint = new QLabel(m_services->rowCount() == 0
                                        ? tr("No fixed-price or per-unit services in the catalog yet. "
                                             "Services can be added on the ticket.")
                                        : tr("Flexible-price services and quantities are set on the ticket."),
                                    this);
    servicesHint->setWordWrap(true);
    servicesHint->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(this);
    m_createButton = buttons->addButton(tr("Create ticket"), QDialogButtonBox::AcceptRole);
    m_createButton->setObjectName(QStringLiteral("createButton"));
    m_createButton->setIcon(themedIcon(QStringLiteral("appointment-new")));
    m_createButton->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &NewTicketDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewTicketDialog::reject);

    auto *searchRow = new QHBoxLayout;
    searchRow->setSpacing(kSpacing);
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(newCustomer);
    auto *customer = new QVBoxLayout;
    customer->setSpacing(kSpacing);
    customer->addLayout(searchRow);
    customer->addWidget(m_resultsView);
    auto *when = new QHBoxLayout;
    when->setSpacing(kSpacing);
    when->addWidget(m_dateEdit);
    when->addWidget(m_timeEdit);
    when->addWidget(new QLabel(tr("for"), this));
    when->addWidget(m_duration);
    when->addStretch(1);
    auto *services = new QVBoxLayout;
    services->setSpacing(kSpacing);
    services->addWidget(m_servicesView);
    services->addWidget(servicesHint);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Customer:"), customer);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&When:"), when);
    form->addRow(tr("&Services:"), services);
    // The buddies the &-mnemonics jump to.
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(customer)))
        label->setBuddy(m_search);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(when)))
        label->setBuddy(m_dateEdit);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(services)))
        label->setBuddy(m_servicesView);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addLayout(form);
    layout->addWidget(buttons);

    setTabOrder(m_search, m_resultsView);
    setTabOrder(m_resultsView, newCustomer);
    setTabOrder(newCustomer, m_address);
    setTabOrder(m_address, m_dateEdit);
    setTabOrder(m_dateEdit, m_timeEdit);
    setTabOrder(m_timeEdit, m_duration);
    setTabOrder(m_duration, m_servicesView);

    connect(m_search, &QLineEdit::textChanged, this, &NewTicketDialog::search);
    connect(m_resultsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &NewTicketDialog::onContactPicked);
    connect(m_address, &QComboBox::currentIndexChanged, this, &NewTicketDialog::updateCreateButton);
    connect(newCustomer, &QPushButton::clicked, this, &NewTicketDialog::openNewCustomer);

    search({});
    loadAddresses();
    m_search->setFocus();
}

void NewTicketDialog::search(const QString &text)
{
    // The FTS index answers as the user types (a few milliseconds even on large address books).
    auto found = m_context.core().contacts.search(text, kSearchLimit);
    if (!found) {
        showError(this, tr("Could not search the customers"), found.error());
        return;
    }
    m_results->setContacts(*found);
    if (const int row = m_results->rowOf(m_contactId); row >= 0) {
        m_resultsView->setCurrentIndex(m_results->index(row));
    } else if (!m_contactId.isNull()) {
        // The picked customer no longer matches what is typed: nothing stays picked without being seen.
        m_contactId = QUuid();
        loadAddresses();
    }
}

void NewTicketDialog::onContactPicked()
{
    const Contact *contact = m_results->contactAt(m_resultsView->currentIndex().row());
    const QUuid id = contact ? contact->id : QUuid();
    if (id == m_contactId)
        return;
    m_contactId = id;
    loadAddresses();
}

void NewTicketDialog::selectContact(const QUuid &contactId)
{
    auto contact = m_context.core().contacts.getById(contactId);
    if (!contact) {
        showError(this, tr("Could not read the customer"), contact.error());
        return;
    }
    m_search->setText(contact->name);
    int row = m_results->rowOf(contactId);
    if (row < 0) {
        m_results->setContacts({*contact});
        row = 0;
    }
    m_resultsView->setCurrentIndex(m_results->index(row));
}

void NewTicketDialog::loadAddresses()
{
    m_address->clear();
    if (m_contactId.isNull()) {
        m_address->setPlaceholderText(tr("Pick a customer first"));
        m_address->setEnabled(false);
        updateCreateButton();
        return;
    }
    auto addresses = m_context.core().addresses.listForContact(m_contactId);
    if (!addresses) {
        showError(this, tr("Could not read the customer's addresses"), addresses.error());
        addresses = QList<Address>();
    }
    for (const Address &address : std::as_const(*addresses)) {
        const QString text = address.label && !address.label->isEmpty()
                                 ? QStringLiteral("%1: %2").arg(*address.label, address.oneLine())
                                 : address.oneLine();
        m_address->addItem(text, address.id);
    }
    m_address->setPlaceholderText(tr("This customer has no address yet: add one to the customer"));
    m_address->setEnabled(!addresses->isEmpty());
    m_address->setCurrentIndex(addresses->isEmpty() ? -1 : 0);
    updateCreateButton();
}

void NewTicketDialog::updateCreateButton()
{
    m_createButton->setEnabled(!m_contactId.isNull() && m_address->currentIndex() >= 0);
}

void NewTicketDialog::openNewCustomer()
{
    auto *dialog = new ContactDialog(m_context, QUuid(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!dialog->contactId().isNull())
            selectContact(dialog->contactId());
    });
    dialog->open();
}

bool NewTicketDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Down && m_results->rowCount() > 0) {
        m_resultsView->setFocus();
        if (!m_resultsView->currentIndex().isValid())
            m_resultsView->setCurrentIndex(m_results->index(0));
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

void NewTicketDialog::accept()
{
    const QString action = tr("Could not create the ticket");
    if (m_contactId.isNull()) {
        showError(this, action, Error::validation(QStringLiteral("customer"), tr("pick a customer")));
        return;
    }
    if (m_address->currentIndex() < 0) {
        showError(this, action, Error::validation(QStringLiteral("address"), tr("pick an address")));
        return;
    }
    TicketCreate booking;
    booking.contactId = m_contactId;
    booking.addressId = m_address->currentData().toUuid();
    // The local date and time as typed, stored in UTC.
    booking.scheduledAt = QDateTime(m_dateEdit->date(), m_timeEdit->time()).toUTC();
    if (m_duration->value() > 0)
        booking.scheduledDurationMinutes = m_duration->value();
    auto ticket = m_context.core().tickets.create(booking);
    if (!ticket) {
        showError(this, action, ticket.error());
        return;
    }

    // The ticket and its line items are separate writes (the core has no call for both); the quick-add only
    // offers services the core accepts (ServicePickModel), so a failure here is a database error.
    QStringList failures;
    for (const Service &service : m_services->checkedServices()) {
        LineItemCreate item;
        item.serviceId = service.id;
        item.quantity = 1;
        if (auto added = m_context.core().tickets.addLineItem(ticket->id, item); !added)
            failures << QStringLiteral("%1: %2").arg(service.name, added.error().toString());
    }

    // The page selects the new ticket; the error below (if any) is parented to it, as this dialog closes.
    QWidget *owner = parentWidget();
    const QUuid id = ticket->id;
    m_context.notifyChanged();
    QDialog::accept();
    Q_EMIT ticketCreated(id);
    if (!failures.isEmpty()) {
        showError(owner, tr("The ticket was created, but not all its services were added"),
                  failures.join(QLatin1Char('\n')) +
                      tr("\nThe ticket stays booked; add the services on the ticket screen."));
    }
}

} // namespace fb::ui
