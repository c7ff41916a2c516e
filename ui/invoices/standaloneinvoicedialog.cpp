#include "standaloneinvoicedialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "schedule/contactresultsmodel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

namespace {
/// Enough matches to find anyone by a few letters; more would only scroll.
constexpr int kSearchLimit = 50;
} // namespace

StandaloneInvoiceDialog::StandaloneInvoiceDialog(UiContext &context, QWidget *parent)
    : QDialog(parent), m_context(context), m_results(new ContactResultsModel(this)),
      m_search(new QLineEdit(this)), m_resultsView(new QListView(this)), m_picked(new QLabel(this)),
      m_amount(new QLineEdit(this))
{
    setObjectName(QStringLiteral("standaloneInvoiceDialog"));
    setWindowTitle(tr("New standalone invoice"));
    setMinimumWidth(60 * kSpacing);

    m_search->setObjectName(QStringLiteral("invoiceContactSearch"));
    m_search->setPlaceholderText(tr("Search customers by name, phone, e-mail or address"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Type to search; Down moves to the results"));
    m_search->installEventFilter(this);

    m_resultsView->setObjectName(QStringLiteral("invoiceContactResults"));
    m_resultsView->setModel(m_results);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_resultsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_resultsView->setUniformItemSizes(true);
    m_resultsView->setFixedHeight(5 * (m_resultsView->fontMetrics().height() + kSpacing) +
                                  2 * m_resultsView->frameWidth());

    m_picked->setObjectName(QStringLiteral("pickedCustomerLabel"));
    m_picked->setWordWrap(true);

    m_amount->setObjectName(QStringLiteral("invoiceAmountEdit"));
    const QLocale locale;
    m_amount->setPlaceholderText(QStringLiteral("0") + locale.decimalPoint() + QStringLiteral("00"));
    m_amount->setToolTip(tr("The amount to bill, e.g. %1")
                             .arg(QStringLiteral("125") + locale.decimalPoint() + QStringLiteral("50")));

    auto *buttons = new QDialogButtonBox(this);
    m_createButton = buttons->addButton(tr("Create invoice"), QDialogButtonBox::AcceptRole);
    m_createButton->setObjectName(QStringLiteral("createInvoiceButton"));
    m_createButton->setIcon(themedIcon(QStringLiteral("x-office-document")));
    m_createButton->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &StandaloneInvoiceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &StandaloneInvoiceDialog::reject);

    auto *customer = new QVBoxLayout;
    customer->setSpacing(kSpacing);
    customer->addWidget(m_search);
    customer->addWidget(m_resultsView);
    customer->addWidget(m_picked);
    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Customer:"), customer);
    form->addRow(tr("&Amount:"), m_amount);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(customer)))
        label->setBuddy(m_search);

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

    setTabOrder(m_search, m_resultsView);
    setTabOrder(m_resultsView, m_amount);

    connect(m_search, &QLineEdit::textChanged, this, &StandaloneInvoiceDialog::search);
    connect(m_resultsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &StandaloneInvoiceDialog::onContactPicked);
    search({});
    onContactPicked();
    m_search->setFocus();
}

Result<Money> StandaloneInvoiceDialog::parseAmount(const QString &text)
{
    const QLocale locale;
    QString plain = text;
    if (const QString symbol = locale.currencySymbol(QLocale::CurrencySymbol); !symbol.isEmpty())
        plain.remove(symbol);
    plain = plain.trimmed();
    if (locale.decimalPoint() != QStringLiteral("."))
        plain.replace(locale.decimalPoint(), QStringLiteral("."));
    if (plain.isEmpty())
        return Error::validation(QStringLiteral("amount"), tr("enter the amount to bill"));
    return Money::parse(plain, QStringLiteral("amount"));
}

void StandaloneInvoiceDialog::search(const QString &text)
{
    auto found = m_context.core().contacts.search(text, kSearchLimit);
    if (!found) {
        showError(this, tr("Could not search the customers"), found.error());
        return;
    }
    m_results->setContacts(*found);
    if (const int row = m_results->rowOf(m_contactId); row >= 0)
        m_resultsView->setCurrentIndex(m_results->index(row));
    else
        onContactPicked(); // the picked customer no longer matches: nothing stays picked unseen
}

void StandaloneInvoiceDialog::onContactPicked()
{
    const Contact *contact = m_results->contactAt(m_resultsView->currentIndex().row());
    m_contactId = contact ? contact->id : QUuid();
    m_picked->setText(contact ? tr("Bill to: %1").arg(contact->name)
                              : tr("Pick the customer to bill from the list."));
}

bool StandaloneInvoiceDialog::eventFilter(QObject *watched, QEvent *event)
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

void StandaloneInvoiceDialog::accept()
{
    const QString action = tr("Could not create the invoice");
    if (m_contactId.isNull()) {
        showError(this, action, Error::validation(QStringLiteral("customer"), tr("pick a customer")));
        return;
    }
    auto amount = parseAmount(m_amount->text());
    if (!amount) {
        showError(this, action, amount.error());
        m_amount->setFocus();
        return;
    }
    auto invoice = m_context.core().invoices.createStandalone(m_contactId, *amount);
    if (!invoice) {
        showError(this, action, invoice.error());
        return;
    }
    const QUuid id = invoice->id;
    m_context.notifyChanged();
    QDialog::accept();
    Q_EMIT invoiceCreated(id);
}

} // namespace fb::ui
