#include "invoicespage.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "common/listreader.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "invoicedocument.h"
#include "invoicelistmodel.h"
#include "invoicepdf.h"
#include "standaloneinvoicedialog.h"
#include "ticketinvoicedialog.h"
#include "voidinvoicedialog.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QStandardPaths>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

// Ctrl+N is the main window's New ticket; a new invoice is the page's own New, as in the catalog.
const QKeySequence kNewFromTicketKey(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
const QKeySequence kPdfKey(Qt::CTRL | Qt::Key_P);

QPushButton *makeButton(QWidget *parent, const QString &icon, const QString &text, const QString &objectName,
                        const QString &toolTip)
{
    auto *button = new QPushButton(themedIcon(icon), text, parent);
    button->setObjectName(objectName);
    button->setToolTip(toolTip);
    return button;
}

QKeySequence alt(Qt::Key key)
{
    return QKeySequence(Qt::ALT | key);
}
} // namespace

/// One reading of the list, made on the read thread: the invoices of one status (or all) and their
/// customers' names.
struct InvoiceListing
{
    Result<QList<Invoice>> invoices;
    QHash<QUuid, QString> names;
};

namespace {

InvoiceListing readInvoices(Result<Core *> core, std::optional<InvoiceStatus> status)
{
    if (!core)
        return {core.error(), {}};
    InvoiceListing listing{(*core)->invoices.list(status), {}};
    if (listing.invoices)
        listing.names = customerNames(**core, *listing.invoices);
    return listing;
}

} // namespace

InvoicesPage::~InvoicesPage() = default;

InvoicesPage::InvoicesPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new InvoiceListModel(this)), m_filter(new QComboBox(this)),
      m_view(new QTableView(this)), m_summary(new QLabel(this)), m_totals(new QLabel(this)),
      m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); }),
      m_pdfDirectory(defaultPdfDirectory())
{
    setObjectName(QStringLiteral("invoicesPage"));
    // Every invoice of the years, and a customer per customer they name: read on the read thread.
    m_reader = std::make_unique<InvoiceReader>(
        m_context, [this] { return chosenStatus(); },
        [](Result<Core *> core, const std::optional<InvoiceStatus> &status) {
            return readInvoices(std::move(core), status);
        },
        [this](const InvoiceListing &listing, bool upToDate) { showListing(listing, upToDate); });
    QHBoxLayout *bar = buildToolbar();
    setUpView();
    QHBoxLayout *actions = buildActionButtons();
    setUpTotals();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addLayout(actions);
    layout->addWidget(m_totals);
    layout->addWidget(m_summary);

    setTabOrders();
    m_context.whenChanged(this,
                          {QStringLiteral("invoice"), QStringLiteral("ticket"), QStringLiteral("contact"),
                           QStringLiteral("line_item")},
                          [this] { reloadWhenShown(); });
    setFocusProxy(m_view);
    updateActions(); // nothing listed yet: nothing to act on until the list is read
    reloadWhenShown();
}

void InvoicesPage::reloadWhenShown()
{
    // The window builds every page at start and shows the schedule: a hidden list (every invoice, and each
    // one's customer) is read when it is first shown, and a change behind it only marks it out of date.
    if (isVisible())
        reload();
    else
        m_stale = true;
}

void InvoicesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

QHBoxLayout *InvoicesPage::buildToolbar()
{
    m_newFromTicket = makeButton(this, QStringLiteral("list-add"), tr("New from a &job…"),
                                 QStringLiteral("newInvoiceFromTicketButton"),
                                 withShortcut(tr("Invoice a completed job"), kNewFromTicketKey));
    connect(m_newFromTicket, &QPushButton::clicked, this, &InvoicesPage::newFromTicket);
    new QShortcut(kNewFromTicketKey, this, this, &InvoicesPage::newFromTicket,
                  Qt::WidgetWithChildrenShortcut);
    m_newStandalone =
        makeButton(this, QStringLiteral("x-office-document"), tr("New standalo&ne…"),
                   QStringLiteral("newStandaloneInvoiceButton"),
                   withShortcut(tr("Invoice a customer an amount, without a job"), alt(Qt::Key_N)));
    connect(m_newStandalone, &QPushButton::clicked, this, &InvoicesPage::newStandalone);

    m_filter->setObjectName(QStringLiteral("invoiceStatusFilter"));
    m_filter->addItem(tr("All invoices"));
    for (const InvoiceStatus status :
         {InvoiceStatus::Draft, InvoiceStatus::Sent, InvoiceStatus::Paid, InvoiceStatus::Void})
        m_filter->addItem(statusLabel(status), toString(status));
    auto *filterLabel = new QLabel(tr("Sho&w:"), this);
    filterLabel->setBuddy(m_filter);
    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] {
        m_messageAboutList = true; // what was said about an action gives way to what the new list says
        reload();
    });

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(m_newFromTicket);
    bar->addWidget(m_newStandalone);
    bar->addStretch();
    bar->addWidget(filterLabel);
    bar->addWidget(m_filter);

    return bar;
}

void InvoicesPage::setUpView()
{
    m_view->setObjectName(QStringLiteral("invoicesView"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(InvoiceListModel::Status, new BadgeDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->setToolTip(withShortcut(tr("Open the invoice's job"), QKeySequence(Qt::Key_Return)));
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(InvoiceListModel::Customer, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, &InvoicesPage::openCurrent);
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), m_view, this, &InvoicesPage::openCurrent, Qt::WidgetShortcut);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &InvoicesPage::updateActions);
}

QHBoxLayout *InvoicesPage::buildActionButtons()
{
    // The buttons stay where they are and are disabled where the core would refuse (a paid invoice cannot
    // be voided): the rules show without an error to learn them from.
    m_send = makeButton(
        this, QStringLiteral("mail-send"), tr("&Send"), QStringLiteral("sendInvoiceButton"),
        withShortcut(tr("Mark the draft sent: the sync server e-mails it to the customer"), alt(Qt::Key_S)));
    m_markPaid =
        makeButton(this, QStringLiteral("dialog-ok"), tr("Mark &paid"), QStringLiteral("markPaidButton"),
                   withShortcut(tr("Record that a sent invoice was paid"), alt(Qt::Key_P)));
    m_void =
        makeButton(this, QStringLiteral("process-stop"), tr("&Void…"), QStringLiteral("voidInvoiceButton"),
                   withShortcut(tr("Cancel a draft or sent invoice, saying why"), alt(Qt::Key_V)));
    m_pdf = makeButton(this, QStringLiteral("document-print"), tr("P&DF"), QStringLiteral("pdfButton"),
                       withShortcut(tr("Save the invoice as a PDF and open it"), kPdfKey));
    connect(m_send, &QPushButton::clicked, this, &InvoicesPage::sendCurrent);
    connect(m_markPaid, &QPushButton::clicked, this, &InvoicesPage::markCurrentPaid);
    connect(m_void, &QPushButton::clicked, this, &InvoicesPage::voidCurrent);
    connect(m_pdf, &QPushButton::clicked, this, &InvoicesPage::exportPdf);
    new QShortcut(kPdfKey, this, this, &InvoicesPage::exportPdf, Qt::WidgetWithChildrenShortcut);
    // Fieldbook has no mail client: the desktop records the state, the server mails (issue 6).
    auto *sendHint = new QLabel(tr("Send marks an invoice sent; the e-mail to the customer goes out from the "
                                   "sync server."),
                                this);
    sendHint->setObjectName(QStringLiteral("sendHintLabel"));
    sendHint->setWordWrap(true);
    sendHint->setForegroundRole(QPalette::PlaceholderText);

    auto *actions = new QHBoxLayout;
    actions->setSpacing(kSpacing);
    actions->addWidget(m_send);
    actions->addWidget(m_markPaid);
    actions->addWidget(m_void);
    actions->addWidget(m_pdf);
    actions->addWidget(sendHint, 1);

    return actions;
}

void InvoicesPage::setUpTotals()
{
    m_totals->setObjectName(QStringLiteral("invoicesTotalLabel"));
    m_totals->setWordWrap(true);
    m_totals->setToolTip(tr("Total: the listed invoices, without void ones. Unpaid: drafts and sent invoices "
                            "not paid yet."));
    m_summary->setObjectName(QStringLiteral("invoicesSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse); // the PDF's folder can be copied
}

void InvoicesPage::setTabOrders()
{
    setTabOrder(m_newFromTicket, m_newStandalone);
    setTabOrder(m_newStandalone, m_filter);
    setTabOrder(m_filter, m_view);
    setTabOrder(m_view, m_send);
    setTabOrder(m_send, m_markPaid);
    setTabOrder(m_markPaid, m_void);
    setTabOrder(m_void, m_pdf);
}

void InvoicesPage::setUrlOpener(UrlOpener opener)
{
    m_openUrl = std::move(opener);
}

void InvoicesPage::setPdfDirectory(const QString &directory)
{
    m_pdfDirectory = directory;
}

QString InvoicesPage::defaultPdfDirectory()
{
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (!documents.isEmpty())
        return QDir(documents).filePath(QStringLiteral("Fieldbook/Invoices"));
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .filePath(QStringLiteral("Invoices"));
}

QString InvoicesPage::businessName() const
{
    const QString configured = QSettings().value(QStringLiteral("business/name")).toString().trimmed();
    if (!configured.isEmpty())
        return configured;
    // A one-person business is usually known by its technician's name.
    auto user = m_context.core().users.current();
    return user ? user->name : QString();
}

QUuid InvoicesPage::currentInvoiceId() const
{
    const Invoice *invoice = m_model->invoiceAt(m_view->currentIndex().row());
    return invoice ? invoice->id : QUuid();
}

void InvoicesPage::selectInvoice(const QUuid &invoiceId, const QString &message)
{
    // Selected once the list (read on the read thread) holds it, with all statuses shown when the filter
    // would hide it.
    m_selectWhenListed = invoiceId;
    m_selectedMessage = message;
    m_ownChange = true;
    if (m_filter->currentIndex() != 0) {
        auto invoice = m_context.core().invoices.getById(invoiceId);
        if (!invoice || chosenStatus() != invoice->status) {
            m_filter->setCurrentIndex(0); // reloads
            return;
        }
    }
    reload();
}

std::optional<InvoiceStatus> InvoicesPage::chosenStatus() const
{
    if (const QString chosen = m_filter->currentData().toString(); !chosen.isEmpty()) {
        if (auto parsed = parseInvoiceStatus(chosen))
            return *parsed;
    }
    return std::nullopt;
}

void InvoicesPage::reload()
{
    m_stale = false;
    if (!m_reader->answered())
        setListMessage(tr("Reading the invoices…"));
    m_reader->request();
}

void InvoicesPage::showListing(const InvoiceListing &listing, bool upToDate)
{
    // A row the page changed itself (Send, Mark paid, Void, a new invoice) after this read began would be
    // shown as it was: the read that follows, already asked for, shows it as it is.
    if (!upToDate && m_ownChange)
        return;
    const bool selecting = upToDate && !m_selectWhenListed.isNull();
    const QUuid selected = selecting ? m_selectWhenListed : currentInvoiceId();
    if (upToDate)
        m_ownChange = false;
    if (!listing.invoices) {
        m_model->setInvoices({}, {});
        showTotals();
        setListMessage(tr("Could not read the invoices: %1").arg(listing.invoices.error().toString()));
        updateActions();
        Q_EMIT listShown();
        return;
    }
    m_model->setInvoices(*listing.invoices, listing.names);
    showTotals();
    if (listing.invoices->isEmpty()) {
        setListMessage(chosenStatus()
                           ? tr("No invoices with this status.")
                           : tr("No invoices yet: make one from a completed job, or a standalone one."));
    } else {
        setListMessage({});
    }
    if (const int row = m_model->rowOf(selected); row >= 0) {
        const QModelIndex index = m_model->index(row, InvoiceListModel::Number);
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        if (selecting) {
            m_view->scrollTo(index);
            m_view->setFocus();
            if (!m_selectedMessage.isEmpty())
                setMessage(m_selectedMessage);
        }
    }
    if (selecting) {
        m_selectWhenListed = QUuid();
        m_selectedMessage.clear();
    }
    updateActions();
    Q_EMIT listShown();
}

void InvoicesPage::showTotals()
{
    // Integer cents throughout; void invoices are listed but owe nothing, so they are not in the sums.
    qint64 total = 0;
    qint64 unpaid = 0;
    qint64 voidTotal = 0;
    int voided = 0;
    for (const Invoice &invoice : m_model->invoices()) {
        const qint64 cents = invoice.totalAmount.cents();
        if (invoice.status == InvoiceStatus::Void) {
            ++voided;
            voidTotal += cents;
            continue;
        }
        total += cents;
        if (invoice.status == InvoiceStatus::Draft || invoice.status == InvoiceStatus::Sent)
            unpaid += cents;
    }
    const int count = int(m_model->invoices().size());
    // Plurals spelled out: without a translation loaded, %n plurals read "2 invoice(s)".
    const auto invoices = [](int n) { return n == 1 ? tr("1 invoice") : tr("%1 invoices").arg(n); };
    const auto voidInvoices = [](int n) {
        return n == 1 ? tr("1 void invoice") : tr("%1 void invoices").arg(n);
    };
    QString text;
    if (count > 0 && voided == count) {
        text = tr("%1, %2 in all, not counted as billed.").arg(voidInvoices(count), formatMoney(voidTotal));
    } else if (count > 0) {
        text = tr("%1: %2 in total, %3 unpaid.")
                   .arg(invoices(count - voided), formatMoney(total), formatMoney(unpaid));
        if (voided > 0)
            text += QLatin1Char(' ') + tr("%1 not counted.").arg(voidInvoices(voided));
    }
    m_totals->setText(text);
    m_totals->setVisible(!text.isEmpty());
}

void InvoicesPage::setListMessage(const QString &text)
{
    // Said about the list (reading, empty, unreadable): it never replaces what an action just said.
    if (!m_messageAboutList && !m_summary->text().isEmpty())
        return;
    setMessage(text);
    m_messageAboutList = true;
}

void InvoicesPage::setMessage(const QString &text)
{
    m_messageAboutList = false;
    m_summary->setText(text);
    m_summary->setVisible(!text.isEmpty());
}

void InvoicesPage::updateActions()
{
    const Invoice *invoice = m_model->invoiceAt(m_view->currentIndex().row());
    const auto is = [invoice](InvoiceStatus status) { return invoice && invoice->status == status; };
    m_send->setEnabled(is(InvoiceStatus::Draft));
    m_markPaid->setEnabled(is(InvoiceStatus::Sent));
    m_void->setEnabled(is(InvoiceStatus::Draft) || is(InvoiceStatus::Sent));
    m_pdf->setEnabled(invoice != nullptr);
}

void InvoicesPage::newFromTicket()
{
    auto *dialog = new TicketInvoiceDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TicketInvoiceDialog::invoiceCreated, this, &InvoicesPage::showCreated);
    dialog->open();
}

void InvoicesPage::showChanged(const Invoice &invoice)
{
    // The page's own change is shown at once; the read it causes (on the read thread) follows.
    m_ownChange = true;
    m_model->updateInvoice(invoice);
    showTotals();
    updateActions();
}

void InvoicesPage::showCreated(const QUuid &invoiceId)
{
    auto invoice = m_context.core().invoices.getById(invoiceId);
    const QString number = invoice ? InvoiceListModel::invoiceNumber(*invoice) : QString();
    selectInvoice(invoiceId, tr("Invoice %1 created as a draft: check it (PDF), then send it.").arg(number));
}

void InvoicesPage::newStandalone()
{
    auto *dialog = new StandaloneInvoiceDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &StandaloneInvoiceDialog::invoiceCreated, this, &InvoicesPage::showCreated);
    dialog->open();
}

void InvoicesPage::sendCurrent()
{
    const Invoice *current = m_model->invoiceAt(m_view->currentIndex().row());
    if (!current)
        return;
    const QUuid id = current->id;
    const QUuid contactId = current->contactId;
    const QString number = InvoiceListModel::invoiceNumber(*current);
    auto sent = m_context.core().invoices.send(id);
    if (!sent) {
        showError(this, tr("Could not send the invoice"), sent.error());
        reload(); // it changed elsewhere: show what it is now
        return;
    }
    showChanged(*sent);
    auto contact = m_context.core().contacts.getById(contactId);
    const QString email = contact && contact->email ? *contact->email : QString();
    setMessage(
        email.isEmpty()
            ? tr("%1 is marked sent. The customer has no e-mail address, so the sync server cannot mail "
                 "it: give them the PDF (Ctrl+P).")
                  .arg(number)
            : tr("%1 is marked sent. The sync server e-mails it to %2 once this change is synced.")
                  .arg(number, email));
}

void InvoicesPage::markCurrentPaid()
{
    const Invoice *current = m_model->invoiceAt(m_view->currentIndex().row());
    if (!current)
        return;
    const QUuid id = current->id;
    const QString number = InvoiceListModel::invoiceNumber(*current);
    auto paid = m_context.core().invoices.markPaid(id);
    if (!paid) {
        showError(this, tr("Could not mark the invoice paid"), paid.error());
        reload();
        return;
    }
    showChanged(*paid);
    setMessage(tr("%1 is marked paid.").arg(number));
}

void InvoicesPage::voidCurrent()
{
    const Invoice *current = m_model->invoiceAt(m_view->currentIndex().row());
    if (!current)
        return;
    const QString number = InvoiceListModel::invoiceNumber(*current);
    const QString description = QStringLiteral("%1, %2, %3")
                                    .arg(number, m_model->customerName(current->contactId),
                                         formatMoney(current->totalAmount.cents()));
    auto *dialog = new VoidInvoiceDialog(m_context, current->id, description, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &VoidInvoiceDialog::invoiceVoided, this, [this, number, id = current->id] {
        if (auto voided = m_context.core().invoices.getById(id))
            showChanged(*voided);
        m_view->setFocus();
        setMessage(tr("%1 is void. Its reason is in the invoice's history.").arg(number));
    });
    dialog->open();
}

void InvoicesPage::exportPdf()
{
    const QUuid id = currentInvoiceId();
    if (id.isNull()) {
        // Ctrl+P works from anywhere on the page: without an invoice it says why, next to the list.
        setMessage(!m_reader->answered() ? tr("No PDF yet: the invoices are still being read.")
                   : m_model->rowCount() == 0
                       ? tr("No PDF: there is no invoice in this list. Show another status, or make one from "
                            "a job (Ctrl+Shift+N).")
                       : tr("No PDF: no invoice is selected. Choose one in the list (↑↓), then press "
                            "Ctrl+P."));
        return;
    }
    const QString action = tr("Could not make the invoice's PDF");
    auto document = InvoiceDocument::load(m_context.core(), id, businessName());
    if (!document) {
        showError(this, action, document.error());
        return;
    }
    // Saved where the user keeps documents, not asked for: a file dialog would block, and invoices are
    // regenerated at will (the file is replaced, e.g. once the invoice is paid).
    const QDir directory(m_pdfDirectory);
    if (!directory.mkpath(QStringLiteral("."))) {
        showError(this, action,
                  Error{ErrorCode::Unavailable,
                        {},
                        tr("cannot create the folder %1").arg(QDir::toNativeSeparators(m_pdfDirectory))});
        return;
    }
    const QString fileName = document->number + QStringLiteral(".pdf");
    const QString path = directory.filePath(fileName);
    if (auto written = InvoicePdf::write(*document, path); !written) {
        showError(this, action, written.error());
        return;
    }
    Q_EMIT pdfSaved(path);
    const QString folder = QDir::toNativeSeparators(directory.absolutePath());
    if (m_openUrl && m_openUrl(QUrl::fromLocalFile(path)))
        setMessage(tr("Saved %1 in %2 and opened it in the PDF viewer.").arg(fileName, folder));
    else
        setMessage(
            tr("Saved %1 in %2. No PDF viewer opened it: open it from that folder.").arg(fileName, folder));
}

void InvoicesPage::openCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    const QUuid ticketId = current.data(InvoiceListModel::TicketIdRole).toUuid();
    if (!ticketId.isNull())
        Q_EMIT m_context.openTicketRequested(ticketId);
    else
        Q_EMIT m_context.openContactRequested(current.data(InvoiceListModel::ContactIdRole).toUuid());
}
} // namespace fb::ui
