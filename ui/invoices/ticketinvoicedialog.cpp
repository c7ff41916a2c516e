#include "ticketinvoicedialog.h"

#include "common/feedback.h"
#include "common/listreader.h"
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

/// The jobs left to bill, read on the read thread: where invoices are made elsewhere (or not at all), every
/// completed job of the years is one.
struct UninvoicedListing
{
    Result<QList<TicketWithDetails>> jobs;
    std::optional<Error> skipped; ///< a job that could not be read (the others are listed)
};

namespace {

UninvoicedListing readUninvoiced(Result<Core *> core)
{
    if (!core)
        return {core.error(), std::nullopt};
    auto tickets = (*core)->invoices.uninvoicedTickets();
    if (!tickets)
        return {tickets.error(), std::nullopt};
    QList<TicketWithDetails> jobs;
    std::optional<Error> skipped;
    for (const Ticket &ticket : std::as_const(*tickets)) {
        // One read each gives the customer, address and total.
        auto job = (*core)->tickets.getWithDetails(ticket.id);
        if (job)
            jobs.append(*job);
        else if (!skipped)
            skipped = job.error();
    }
    return {jobs, skipped};
}

} // namespace

TicketInvoiceDialog::~TicketInvoiceDialog() = default;

TicketInvoiceDialog::TicketInvoiceDialog(UiContext &context, QWidget *parent)
    : QDialog(parent), m_context(context), m_model(new UninvoicedTicketsModel(this)),
      m_view(new QTableView(this)), m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("ticketInvoiceDialog"));
    m_reader = std::make_unique<Reader>(
        m_context, [] { return 0; },
        [](Result<Core *> core, const int &) { return readUninvoiced(std::move(core)); },
        [this](const UninvoicedListing &listing, bool) { showListing(listing); });
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

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { m_createButton->setEnabled(!currentTicketId().isNull()); });
    load();
}

void TicketInvoiceDialog::load()
{
    if (m_model->rowCount() == 0) {
        m_empty->setText(tr("Reading the completed jobs…"));
        m_empty->setVisible(true);
        m_view->setVisible(false);
        m_createButton->setEnabled(false);
    }
    m_reader->request();
}

void TicketInvoiceDialog::showListing(const UninvoicedListing &listing)
{
    if (!listing.jobs) {
        showError(this, tr("Could not read the completed jobs"), listing.jobs.error());
    } else if (listing.skipped) {
        showError(this, tr("Could not read a completed job"), *listing.skipped);
    }
    const QList<TicketWithDetails> jobs = listing.jobs ? *listing.jobs : QList<TicketWithDetails>();
    m_model->setJobs(jobs);
    m_empty->setText(listing.jobs ? tr("Every completed job has an invoice. Close out a job first, or make a "
                                       "standalone invoice.")
                                  : tr("The completed jobs could not be read."));
    m_empty->setVisible(jobs.isEmpty());
    m_view->setVisible(!jobs.isEmpty());
    if (!jobs.isEmpty() && !m_view->currentIndex().isValid())
        m_view->setCurrentIndex(m_model->index(0, UninvoicedTicketsModel::Closed));
    m_createButton->setEnabled(!currentTicketId().isNull());
    if (!jobs.isEmpty())
        m_view->setFocus();
}

QUuid TicketInvoiceDialog::currentTicketId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(UninvoicedTicketsModel::IdRole).toUuid() : QUuid();
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
