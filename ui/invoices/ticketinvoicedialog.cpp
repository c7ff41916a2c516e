#include "ticketinvoicedialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "uninvoicedticketsmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

TicketInvoiceDialog::TicketInvoiceDialog(UiContext &context, QWidget *parent)
    : QDialog(parent), m_context(context), m_model(new UninvoicedTicketsModel(this)),
      m_view(new QTableView(this)), m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("ticketInvoiceDialog"));
    setWindowTitle(tr("New invoice from a job"));
    setMinimumWidth(80 * kSpacing);

    auto *intro = new QLabel(tr("Completed &jobs not invoiced yet. The invoice is a draft for the job's "
                                "customer, for the total of its line items."),
                             this);
    intro->setWordWrap(true);
    intro->setBuddy(m_view);

    m_view->setObjectName(QStringLiteral("uninvoicedTicketsView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->setToolTip(withShortcut(tr("Invoice the selected job"), QKeySequence(Qt::Key_Return)));
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(UninvoicedTicketsModel::Address, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, &TicketInvoiceDialog::accept);
    // Widget shortcuts: Enter on the list creates (the item view keeps the key from the default button).
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), m_view, this, &TicketInvoiceDialog::accept, Qt::WidgetShortcut);

    m_empty->setObjectName(QStringLiteral("noUninvoicedTicketsLabel"));
    m_empty->setWordWrap(true);
    m_empty->setText(tr("Every completed job has an invoice. Close out a job first, or make a standalone "
                        "invoice."));

    auto *buttons = new QDialogButtonBox(this);
    m_createButton = buttons->addButton(tr("Create invoice"), QDialogButtonBox::AcceptRole);
    m_createButton->setObjectName(QStringLiteral("createInvoiceButton"));
    m_createButton->setIcon(themedIcon(QStringLiteral("x-office-document")));
    m_createButton->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &TicketInvoiceDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &TicketInvoiceDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty);
    layout->addWidget(buttons);

    load();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { m_createButton->setEnabled(!currentTicketId().isNull()); });
    m_view->setFocus();
}

void TicketInvoiceDialog::load()
{
    Core &core = m_context.core();
    QList<TicketWithDetails> jobs;
    auto tickets = core.invoices.uninvoicedTickets();
    if (!tickets) {
        showError(this, tr("Could not read the completed jobs"), tickets.error());
    } else {
        for (const Ticket &ticket : std::as_const(*tickets)) {
            // A few jobs at most wait to be billed: one read each gives the customer, address and total.
            auto job = core.tickets.getWithDetails(ticket.id);
            if (!job) {
                showError(this, tr("Could not read a completed job"), job.error());
                continue;
            }
            jobs.append(*job);
        }
    }
    m_model->setJobs(jobs);
    m_empty->setVisible(jobs.isEmpty());
    m_view->setVisible(!jobs.isEmpty());
    if (!jobs.isEmpty())
        m_view->setCurrentIndex(m_model->index(0, UninvoicedTicketsModel::Closed));
    m_createButton->setEnabled(!jobs.isEmpty());
}

QUuid TicketInvoiceDialog::currentTicketId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(UninvoicedTicketsModel::IdRole).toUuid() : QUuid();
}

bool TicketInvoiceDialog::selectTicket(const QUuid &ticketId)
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->jobAt(row)->ticket.id == ticketId) {
            m_view->setCurrentIndex(m_model->index(row, UninvoicedTicketsModel::Closed));
            return true;
        }
    }
    return false;
}

void TicketInvoiceDialog::accept()
{
    const QString action = tr("Could not create the invoice");
    const QUuid ticketId = currentTicketId();
    if (ticketId.isNull()) {
        showError(this, action, Error::validation(QStringLiteral("job"), tr("pick a completed job")));
        return;
    }
    auto invoice = m_context.core().invoices.createFromTicket(ticketId);
    if (!invoice) {
        showError(this, action, invoice.error());
        // The job may have been invoiced meanwhile (elsewhere in the app): show what is left.
        load();
        return;
    }
    const QUuid id = invoice->id;
    QDialog::accept();
    Q_EMIT invoiceCreated(id);
}

} // namespace fb::ui
