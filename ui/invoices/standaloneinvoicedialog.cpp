#include "standaloneinvoicedialog.h"

#include "common/customerpicker.h"
#include "common/feedback.h"
#include "common/moneytext.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

StandaloneInvoiceDialog::StandaloneInvoiceDialog(UiContext &context, QWidget *parent)
    : EditDialog(parent), m_context(context), m_customer(new CustomerPicker(context, this)),
      m_picked(new QLabel(this)), m_amount(new QLineEdit(this))
{
    setObjectName(QStringLiteral("standaloneInvoiceDialog"));
    setWindowTitle(tr("New standalone invoice"));
    setMinimumWidth(60 * kSpacing);

    m_customer->searchEdit()->setObjectName(QStringLiteral("invoiceContactSearch"));
    m_customer->resultsView()->setObjectName(QStringLiteral("invoiceContactResults"));
    m_picked->setObjectName(QStringLiteral("pickedCustomerLabel"));
    m_picked->setWordWrap(true);

    m_amount->setObjectName(QStringLiteral("invoiceAmountEdit"));
    m_amount->setPlaceholderText(moneyPlaceholder(12550));
    m_amount->setToolTip(tr("The amount to bill, as you write amounts (%1)").arg(businessCurrency()));

    auto *buttons = new QDialogButtonBox(this);
    m_createButton = buttons->addButton(tr("Create invoice"), QDialogButtonBox::AcceptRole);
    m_createButton->setObjectName(QStringLiteral("createInvoiceButton"));
    m_createButton->setIcon(themedIcon(QStringLiteral("x-office-document")));
    m_createButton->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &StandaloneInvoiceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &StandaloneInvoiceDialog::reject);

    auto *customer = new QWidget(this);
    customer->setObjectName(QStringLiteral("invoiceCustomer"));
    auto *customerLayout = new QVBoxLayout(customer);
    customerLayout->setContentsMargins(0, 0, 0, 0);
    customerLayout->setSpacing(kSpacing);
    customerLayout->addWidget(m_customer);
    customerLayout->addWidget(m_picked);
    customer->setFocusProxy(m_customer->searchEdit());
    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    QWidget *customerRow = m_fieldErrors.add(QStringLiteral("contact_id"), tr("Customer"), customer);
    form->addRow(tr("&Customer:"), customerRow);
    form->addRow(tr("&Amount:"), m_fieldErrors.add(QStringLiteral("total_amount"), tr("Amount"), m_amount,
                                                   {QStringLiteral("amount")}));
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(customerRow)))
        label->setBuddy(m_customer->searchEdit());

    auto *note = new QLabel(tr("A standalone invoice is one amount, without a job's line items: for work "
                               "not booked as a job, or a deposit."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);

    setTabOrder(m_customer->resultsView(), m_amount);

    connect(m_customer, &CustomerPicker::contactChanged, this, &StandaloneInvoiceDialog::showPicked);
    showPicked();
    markUnchanged();
    m_customer->searchEdit()->setFocus();
}

QUuid StandaloneInvoiceDialog::contactId() const
{
    return m_customer->contactId();
}

Result<Money> StandaloneInvoiceDialog::parseAmount(const QString &text)
{
    if (text.trimmed().isEmpty())
        return Error::validation(tr("Amount"), tr("type the amount to bill"));
    return readMoney(text, tr("Amount"));
}

void StandaloneInvoiceDialog::showPicked()
{
    const QString name = m_customer->contactName();
    m_picked->setText(name.isEmpty() ? tr("Pick the customer to bill from the list.")
                                     : tr("Bill to: %1").arg(name));
}

void StandaloneInvoiceDialog::accept()
{
    const QString action = tr("Could not create the invoice");
    m_fieldErrors.clear();
    if (contactId().isNull()) {
        m_fieldErrors.show(QStringLiteral("contact_id"), tr("pick the customer to bill from the list"));
        return;
    }
    auto amount = parseAmount(m_amount->text());
    if (!amount) {
        m_fieldErrors.show(QStringLiteral("amount"), amount.error().message);
        return;
    }
    auto invoice = m_context.core().invoices.createStandalone(contactId(), *amount);
    if (!invoice) {
        if (!m_fieldErrors.show(invoice.error()))
            showError(this, action, invoice.error());
        return;
    }
    const QUuid id = invoice->id;
    QDialog::accept();
    Q_EMIT invoiceCreated(id);
}

} // namespace fb::ui
