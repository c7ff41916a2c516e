#include "invoicespage.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "invoicelistmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

InvoicesPage::InvoicesPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new InvoiceListModel(this)), m_filter(new QComboBox(this)),
      m_view(new QTableView(this)), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("invoicesPage"));

    m_filter->setObjectName(QStringLiteral("invoiceStatusFilter"));
    m_filter->addItem(tr("All invoices"));
    for (const InvoiceStatus status :
         {InvoiceStatus::Draft, InvoiceStatus::Sent, InvoiceStatus::Paid, InvoiceStatus::Void})
        m_filter->addItem(statusLabel(status), toString(status));
    auto *filterLabel = new QLabel(tr("&Show:"), this);
    filterLabel->setBuddy(m_filter);
    connect(m_filter, &QComboBox::currentIndexChanged, this, &InvoicesPage::reload);

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

    m_summary->setObjectName(QStringLiteral("invoicesSummary"));
    m_summary->setWordWrap(true);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(filterLabel);
    bar->addWidget(m_filter);
    bar->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_summary);

    connect(&m_context, &UiContext::dataChanged, this, &InvoicesPage::reload);
    setFocusProxy(m_view);
    reload();
}

void InvoicesPage::reload()
{
    const Core &core = m_context.core();
    std::optional<InvoiceStatus> status;
    if (const QString chosen = m_filter->currentData().toString(); !chosen.isEmpty()) {
        if (auto parsed = parseInvoiceStatus(chosen))
            status = *parsed;
    }
    auto invoices = core.invoices.list(status);
    if (!invoices) {
        m_model->setInvoices({}, {});
        m_summary->setText(tr("Could not read the invoices: %1").arg(invoices.error().toString()));
        return;
    }
    // One read per customer, not per invoice: a list of invoices names few customers many times.
    QHash<QUuid, QString> names;
    qint64 outstanding = 0;
    for (const Invoice &invoice : *invoices) {
        if (!names.contains(invoice.contactId)) {
            auto contact = core.contacts.getById(invoice.contactId);
            names.insert(invoice.contactId, contact ? contact->name : tr("(customer removed)"));
        }
        if (invoice.status == InvoiceStatus::Sent)
            outstanding += invoice.totalAmount.cents();
    }
    m_model->setInvoices(*invoices, names);
    const int count = int(invoices->size());
    if (count == 0) {
        m_summary->setText(status ? tr("No invoices with this status.")
                                  : tr("No invoices yet: they are made from completed jobs."));
    } else if (outstanding > 0) {
        m_summary->setText(
            tr("%n invoice(s); %1 sent and not yet paid.", nullptr, count).arg(formatMoney(outstanding)));
    } else {
        m_summary->setText(tr("%n invoice(s).", nullptr, count));
    }
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
