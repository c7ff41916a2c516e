#include "newticketdialog.h"

#include "common/customerpicker.h"
#include "common/feedback.h"
#include "common/humanize.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contacts/contactdialog.h"
#include "core.h"
#include "servicepickmodel.h"
#include "util/timeutil.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

constexpr int kDefaultDurationMinutes = 60;

int rowsHigh(const QListView *view, int rows)
{
    return rows * (view->fontMetrics().height() + kSpacing) + 2 * view->frameWidth();
}

} // namespace

NewTicketDialog::NewTicketDialog(UiContext &context, const QDate &day, QWidget *parent)
    : EditDialog(parent), m_context(context), m_customer(new CustomerPicker(context, this))
{
    setObjectName(QStringLiteral("newTicketDialog"));
    setWindowTitle(tr("New ticket"));
    setMinimumWidth(70 * kSpacing);

    buildCustomer();
    m_address = new QComboBox(this);
    m_address->setObjectName(QStringLiteral("addressCombo"));
    auto *when = buildWhen(day);
    auto *services = buildServices();
    auto *buttons = buildButtons();

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    m_customer->setObjectName(QStringLiteral("customerPicker"));
    form->addRow(tr("&Customer:"),
                 m_fieldErrors.add(QStringLiteral("contact_id"), tr("Customer"), m_customer));
    form->addRow(tr("&Address:"), m_fieldErrors.add(QStringLiteral("address_id"), tr("Address"), m_address));
    form->addRow(tr("&When:"), m_fieldErrors.add(QStringLiteral("scheduled_at"), tr("When"), when,
                                                 {QStringLiteral("scheduled_duration_minutes")}));
    form->addRow(tr("&Services:"), services);
    // The buddies the &-mnemonics jump to.
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(m_customer->parentWidget())))
        label->setBuddy(m_customer->searchEdit());
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(when->parentWidget())))
        label->setBuddy(m_dateEdit);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(services)))
        label->setBuddy(m_servicesView);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addLayout(form);
    layout->addWidget(buttons);

    setTabOrder(m_customer->resultsView(), m_newCustomer);
    setTabOrder(m_newCustomer, m_address);
    setTabOrder(m_address, m_dateEdit);
    setTabOrder(m_dateEdit, m_timeEdit);
    setTabOrder(m_timeEdit, m_duration);
    setTabOrder(m_duration, m_servicesView);

    connect(m_customer, &CustomerPicker::contactChanged, this, &NewTicketDialog::loadAddresses);
    connect(m_address, &QComboBox::currentIndexChanged, this, &NewTicketDialog::updateCreateButton);
    connect(m_newCustomer, &QPushButton::clicked, this, &NewTicketDialog::openNewCustomer);

    loadAddresses();
    markUnchanged();
    m_customer->searchEdit()->setFocus();
}

void NewTicketDialog::buildCustomer()
{
    m_customer->searchEdit()->setObjectName(QStringLiteral("contactSearch"));
    m_customer->resultsView()->setObjectName(QStringLiteral("contactResults"));
    m_newCustomer = new QPushButton(themedIcon(QStringLiteral("contact-new")), tr("New customer…"), this);
    m_newCustomer->setObjectName(QStringLiteral("newCustomerButton"));
    m_newCustomer->setAutoDefault(false);
    m_customer->addBesideSearch(m_newCustomer);
}

QWidget *NewTicketDialog::buildWhen(const QDate &day)
{
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

    // One widget, so what is wrong with the time or the duration is said under the row.
    auto *row = new QWidget(this);
    row->setObjectName(QStringLiteral("whenRow"));
    auto *when = new QHBoxLayout(row);
    when->setContentsMargins(0, 0, 0, 0);
    when->setSpacing(kSpacing);
    when->addWidget(m_dateEdit);
    when->addWidget(m_timeEdit);
    when->addWidget(new QLabel(tr("for"), row));
    when->addWidget(m_duration);
    when->addStretch(1);
    row->setFocusProxy(m_dateEdit);
    return row;
}

QVBoxLayout *NewTicketDialog::buildServices()
{
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

    auto *services = new QVBoxLayout;
    services->setSpacing(kSpacing);
    services->addWidget(m_servicesView);
    services->addWidget(servicesHint);
    return services;
}

QDialogButtonBox *NewTicketDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(this);
    m_createButton = buttons->addButton(tr("Create ticket"), QDialogButtonBox::AcceptRole);
    m_createButton->setObjectName(QStringLiteral("createButton"));
    m_createButton->setIcon(themedIcon(QStringLiteral("appointment-new")));
    m_createButton->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &NewTicketDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewTicketDialog::reject);
    return buttons;
}

QUuid NewTicketDialog::contactId() const
{
    return m_customer->contactId();
}

void NewTicketDialog::selectContact(const QUuid &contactId)
{
    m_customer->select(contactId);
}

void NewTicketDialog::loadAddresses()
{
    m_address->clear();
    if (contactId().isNull()) {
        m_address->setPlaceholderText(tr("Pick a customer first"));
        m_address->setEnabled(false);
        updateCreateButton();
        return;
    }
    auto addresses = m_context.core().addresses.listForContact(contactId());
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
    m_createButton->setEnabled(!contactId().isNull() && m_address->currentIndex() >= 0);
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

void NewTicketDialog::accept()
{
    const QString action = tr("Could not create the ticket");
    m_fieldErrors.clear();
    if (contactId().isNull()) {
        m_fieldErrors.show(QStringLiteral("contact_id"), tr("pick a customer from the list"));
        return;
    }
    if (m_address->currentIndex() < 0) {
        m_fieldErrors.show(QStringLiteral("address_id"), tr("pick one of the customer's addresses"));
        return;
    }
    if (!m_dateEdit->hasAcceptableInput() || !m_timeEdit->hasAcceptableInput()) {
        m_fieldErrors.show(QStringLiteral("scheduled_at"), tr("type a whole date and time"));
        return;
    }
    TicketCreate booking;
    booking.contactId = contactId();
    booking.addressId = m_address->currentData().toUuid();
    // The local date and time as typed, stored in UTC.
    booking.scheduledAt = QDateTime(m_dateEdit->date(), m_timeEdit->time()).toUTC();
    if (m_duration->value() > 0)
        booking.scheduledDurationMinutes = m_duration->value();
    auto ticket = m_context.core().tickets.create(booking);
    if (!ticket) {
        if (!m_fieldErrors.show(ticket.error()))
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
            failures << QStringLiteral("%1: %2").arg(service.name, errorText(added.error()));
    }

    // The page selects the new ticket; the error below (if any) is parented to it, as this dialog closes.
    QWidget *owner = parentWidget();
    const QUuid id = ticket->id;
    QDialog::accept();
    Q_EMIT ticketCreated(id);
    if (!failures.isEmpty()) {
        showError(owner, tr("The ticket was created, but not all its services were added"),
                  failures.join(QLatin1Char('\n')) +
                      tr("\nThe ticket stays booked; add the services on the ticket screen."));
    }
}

} // namespace fb::ui
