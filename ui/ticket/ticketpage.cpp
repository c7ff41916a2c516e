#include "ticketpage.h"

#include "briefing.h"
#include "briefingwidget.h"
#include "closeout/closeoutwizard.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "common/fielderror.h"
#include "common/humanize.h"
#include "common/moneytext.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "history/historydescriber.h"
#include "lineitemsmodel.h"
#include "models/validation.h"
#include "tickethistorymodel.h"
#include "ticketnotesmodel.h"
#include "util/timeutil.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace fb::ui {

namespace {

// Functions, not globals: a standard key's bindings are read from the platform theme, which exists only once
// the QGuiApplication does.
QKeySequence clockInKey()
{
    return QKeySequence(Qt::CTRL | Qt::Key_I);
}
QKeySequence clockOutKey()
{
    return QKeySequence(Qt::CTRL | Qt::Key_O);
}
QKeySequence closeOutKey()
{
    return QKeySequence(Qt::CTRL | Qt::Key_Return);
}
QKeySequence copyAddressKey()
{
    return QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
}
QKeySequence backKey()
{
    return QKeySequence(Qt::Key_Escape);
}
QKeySequence addLineItemKey()
{
    return QKeySequence(Qt::CTRL | Qt::Key_L);
}
QKeySequence removeKey()
{
    return QKeySequence(QKeySequence::Delete);
}

QPushButton *button(const QString &name, const QString &text, const QString &icon, QWidget *parent)
{
    auto *b = new QPushButton(themedIcon(icon), text, parent);
    b->setObjectName(name);
    return b;
}

template <typename Layout> Layout *spaced(Layout *layout)
{
    layout->setSpacing(kSpacing);
    return layout;
}

QString serviceText(const Service &service)
{
    switch (service.pricingType) {
    case PricingType::Fixed:
        return QStringLiteral("%1 — %2").arg(service.name,
                                             formatMoney(service.defaultPrice.value_or(Money()).cents()));
    case PricingType::PerUnit:
        return TicketPage::tr("%1 — %2 per %3")
            .arg(service.name, formatMoney(service.unitPrice.value_or(Money()).cents()),
                 service.unitLabel.value_or(TicketPage::tr("unit")));
    case PricingType::Flexible:
        return TicketPage::tr("%1 — priced on the job").arg(service.name);
    }
    return service.name;
}

} // namespace

TicketPage::TicketPage(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("ticketPage"));
    buildUi();
    // The job, its customer and place, its work, its invoice, the customer's details (the briefing), the
    // catalog (the quick-add), and the close-out's draft and model requests.
    m_context.whenChanged(this,
                          {QStringLiteral("ticket"), QStringLiteral("line_item"), QStringLiteral("note"),
                           QStringLiteral("contact"), QStringLiteral("address"), QStringLiteral("invoice"),
                           QStringLiteral("attribute"), QStringLiteral("scheduled_message"),
                           QStringLiteral("service"), QStringLiteral("closeout_drafts"),
                           QStringLiteral("extraction_requests"), QStringLiteral("attribute_suggestions")},
                          [this] { reload(); });
    clear(tr("No job selected."));
}

TicketPage::~TicketPage() = default;

void TicketPage::buildUi()
{
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    auto *page = spaced(new QVBoxLayout(content));
    page->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    // Title row: navigation and who the job is for. The briefing follows directly, before any of the job's
    // details, so it is the first thing read on arrival.
    page->addLayout(buildTitleRow(content));
    buildBanners(content, page);

    auto *columns = new QHBoxLayout;
    columns->setSpacing(2 * kSpacing);
    auto *left = spaced(new QVBoxLayout);
    auto *right = spaced(new QVBoxLayout);
    columns->addLayout(left, 3);
    columns->addLayout(right, 2);
    page->addLayout(columns, 1);
    left->addWidget(buildJobBox(content));
    left->addWidget(buildClockBox(content));
    left->addWidget(buildLineItemsBox(content), 1);
    right->addWidget(buildNotesBox(content), 1);
    // Full width under both columns: the changes column needs the room to read "old → new" on one line.
    page->addWidget(buildHistoryBox(content), 1);
}

QHBoxLayout *TicketPage::buildTitleRow(QWidget *content)
{
    m_backButton = button(QStringLiteral("backButton"), tr("Back"), QStringLiteral("go-previous"), content);
    m_backButton->setShortcut(backKey());
    m_backButton->setToolTip(withShortcut(tr("Back"), backKey()));
    connect(m_backButton, &QPushButton::clicked, this, &TicketPage::backRequested);

    m_customerName = new QLabel(content);
    m_customerName->setObjectName(QStringLiteral("customerNameLabel"));
    m_customerName->setTextFormat(Qt::PlainText);
    QFont titleFont = m_customerName->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_customerName->setFont(titleFont);

    m_statusBadge = new QLabel(content);
    m_statusBadge->setObjectName(QStringLiteral("statusBadge"));

    m_closeOutButton =
        button(QStringLiteral("closeOutButton"), tr("Close out…"), QStringLiteral("dialog-ok"), content);
    m_closeOutButton->setShortcut(closeOutKey());
    m_closeOutButton->setToolTip(
        withShortcut(tr("Finish the job: notes, attributes, next service"), closeOutKey()));
    connect(m_closeOutButton, &QPushButton::clicked, this, &TicketPage::closeOut);

    auto *title = spaced(new QHBoxLayout);
    title->addWidget(m_backButton);
    title->addSpacing(kSpacing);
    title->addWidget(m_customerName);
    title->addWidget(m_statusBadge);
    title->addStretch(1);
    title->addWidget(m_closeOutButton);
    return title;
}

void TicketPage::buildBanners(QWidget *content, QVBoxLayout *page)
{
    m_readOnlyBanner = new QLabel(content);
    m_readOnlyBanner->setObjectName(QStringLiteral("readOnlyBanner"));
    m_readOnlyBanner->setWordWrap(true);
    m_readOnlyBanner->setFrameShape(QFrame::StyledPanel);
    m_readOnlyBanner->setMargin(kSpacing);
    m_readOnlyBanner->setBackgroundRole(QPalette::ToolTipBase);
    m_readOnlyBanner->setForegroundRole(QPalette::ToolTipText);
    m_readOnlyBanner->setAutoFillBackground(true);
    m_readOnlyBanner->hide();
    page->addWidget(m_readOnlyBanner);

    m_loadError = new QLabel(content);
    m_loadError->setObjectName(QStringLiteral("loadErrorLabel"));
    m_loadError->setWordWrap(true);
    m_loadError->hide();
    page->addWidget(m_loadError);

    m_briefing = new BriefingWidget(content);
    page->addWidget(m_briefing);
}

/// The job: where and when.
QGroupBox *TicketPage::buildJobBox(QWidget *content)
{
    auto *details = new QGroupBox(tr("Job"), content);
    auto *detailsForm = new QFormLayout(details);
    detailsForm->setSpacing(kSpacing);
    m_address = new QLabel(details);
    m_address->setObjectName(QStringLiteral("addressLabel"));
    m_address->setTextFormat(Qt::PlainText);
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_address->setWordWrap(true);
    m_copyAddressButton =
        button(QStringLiteral("copyAddressButton"), tr("Copy"), QStringLiteral("edit-copy"), details);
    m_copyAddressButton->setShortcut(copyAddressKey());
    m_copyAddressButton->setToolTip(withShortcut(tr("Copy the address (for a map app)"), copyAddressKey()));
    connect(m_copyAddressButton, &QPushButton::clicked, this, &TicketPage::copyAddress);
    auto *addressRow = spaced(new QHBoxLayout);
    addressRow->addWidget(m_address, 1);
    addressRow->addWidget(m_copyAddressButton);
    detailsForm->addRow(tr("Address:"), addressRow);
    m_scheduled = new QLabel(details);
    m_scheduled->setObjectName(QStringLiteral("scheduledLabel"));
    detailsForm->addRow(tr("Scheduled:"), m_scheduled);
    return details;
}

/// Time on site.
QGroupBox *TicketPage::buildClockBox(QWidget *content)
{
    auto *clock = new QGroupBox(tr("Time on site"), content);
    m_clockInButton = button(QStringLiteral("clockInButton"), tr("Clock in"),
                             QStringLiteral("media-playback-start"), clock);
    m_clockInButton->setShortcut(clockInKey());
    m_clockInButton->setToolTip(withShortcut(tr("Clock in: start the job now"), clockInKey()));
    connect(m_clockInButton, &QPushButton::clicked, this, &TicketPage::clockIn);
    m_clockOutButton = button(QStringLiteral("clockOutButton"), tr("Clock out"),
                              QStringLiteral("media-playback-stop"), clock);
    m_clockOutButton->setShortcut(clockOutKey());
    m_clockOutButton->setToolTip(withShortcut(tr("Clock out: the work is done"), clockOutKey()));
    connect(m_clockOutButton, &QPushButton::clicked, this, &TicketPage::clockOut);
    m_elapsed = new QLabel(clock);
    m_elapsed->setObjectName(QStringLiteral("elapsedLabel"));
    QFont elapsedFont = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    elapsedFont.setPointSizeF(m_elapsed->font().pointSizeF() * 1.6);
    m_elapsed->setFont(elapsedFont);
    m_elapsed->setToolTip(tr("Time since clocking in (h:mm:ss)"));
    m_clockState = new QLabel(clock);
    m_clockState->setObjectName(QStringLiteral("clockStateLabel"));
    auto *clockRow = spaced(new QHBoxLayout(clock));
    clockRow->addWidget(m_clockInButton);
    clockRow->addWidget(m_clockOutButton);
    clockRow->addSpacing(2 * kSpacing);
    clockRow->addWidget(m_elapsed);
    clockRow->addWidget(m_clockState, 1);
    // Computed from clock_in_at at each tick, so a late or skipped tick never makes the time wrong.
    m_elapsedTimer = new QTimer(this);
    m_elapsedTimer->setInterval(1000);
    connect(m_elapsedTimer, &QTimer::timeout, this, &TicketPage::updateElapsed);
    return clock;
}

/// Line items from the catalog: the service, quantity and price to add, the items, the total.
QGroupBox *TicketPage::buildLineItemsBox(QWidget *content)
{
    auto *items = new QGroupBox(tr("Line items"), content);
    auto *itemsLayout = spaced(new QVBoxLayout(items));
    itemsLayout->addLayout(buildAddLineItemRow(items));
    m_linePreview = new QLabel(items);
    m_linePreview->setObjectName(QStringLiteral("lineTotalPreview"));
    itemsLayout->addWidget(m_linePreview);
    m_quickAddError = new FieldError(m_serviceCombo, items);
    m_quickAddError->setObjectName(QStringLiteral("quickAddError"));
    itemsLayout->addWidget(m_quickAddError);

    m_lineItems = new LineItemsModel(this);
    m_lineItemsView = new QTableView(items);
    m_lineItemsView->setObjectName(QStringLiteral("lineItemsView"));
    m_lineItemsView->setModel(m_lineItems);
    m_lineItemsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_lineItemsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_lineItemsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_lineItemsView->verticalHeader()->hide();
    m_lineItemsView->horizontalHeader()->setSectionResizeMode(LineItemsModel::DescriptionColumn,
                                                              QHeaderView::Stretch);
    m_lineItemsView->setMinimumHeight(20 * kSpacing);
    // Del removes the selected line item while the table has the focus.
    auto *removeAction = new QAction(tr("Remove line item"), m_lineItemsView);
    removeAction->setShortcut(removeKey());
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    connect(removeAction, &QAction::triggered, this, &TicketPage::removeSelectedLineItem);
    m_lineItemsView->addAction(removeAction);
    itemsLayout->addWidget(m_lineItemsView, 1);
    connect(m_lineItemsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TicketPage::updateEnabled);

    m_removeLineItemButton =
        button(QStringLiteral("removeLineItemButton"), tr("Remove"), QStringLiteral("list-remove"), items);
    m_removeLineItemButton->setToolTip(withShortcut(tr("Remove the selected line item"), removeKey()));
    connect(m_removeLineItemButton, &QPushButton::clicked, this, &TicketPage::removeSelectedLineItem);
    m_total = new QLabel(items);
    m_total->setObjectName(QStringLiteral("totalLabel"));
    QFont totalFont = m_total->font();
    totalFont.setBold(true);
    m_total->setFont(totalFont);
    auto *totalRow = spaced(new QHBoxLayout);
    totalRow->addWidget(m_removeLineItemButton);
    totalRow->addStretch(1);
    totalRow->addWidget(m_total);
    itemsLayout->addLayout(totalRow);
    return items;
}

QHBoxLayout *TicketPage::buildAddLineItemRow(QGroupBox *items)
{
    // The quick-add: type part of a service's name ("gutter"), Tab to the quantity, Enter adds (Enter adds in
    // any of its fields). The drop-down still lists the whole catalog, and Up/Down step through it.
    m_serviceCombo = new QComboBox(items);
    m_serviceCombo->setObjectName(QStringLiteral("serviceCombo"));
    m_serviceCombo->setEditable(true);
    m_serviceCombo->setInsertPolicy(QComboBox::NoInsert);
    // Our own matching (any part of the name, not only its start) decides; Qt's completer would only fill in
    // a prefix and fight it.
    m_serviceCombo->setCompleter(nullptr);
    m_serviceCombo->lineEdit()->setPlaceholderText(tr("Type to find a service"));
    m_serviceCombo->setToolTip(withShortcut(
        tr("A service from the catalog: type part of its name, Enter adds it"), addLineItemKey()));
    m_serviceCombo->setAccessibleName(tr("Service"));
    m_serviceCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_serviceCombo->setMinimumContentsLength(16);
    connect(m_serviceCombo, &QComboBox::currentIndexChanged, this, &TicketPage::updatePricingEditors);
    connect(m_serviceCombo, &QComboBox::editTextChanged, this, &TicketPage::updatePricingEditors);
    m_quantitySpin = new QSpinBox(items);
    m_quantitySpin->setObjectName(QStringLiteral("quantitySpin"));
    // 0 can be typed, and is refused with a reason on Add (validate::quantity), never read as 1.
    m_quantitySpin->setRange(0, validate::kMaxQuantity);
    m_quantitySpin->setValue(1);
    m_quantitySpin->setToolTip(tr("Quantity (per-unit services); Enter adds"));
    m_quantitySpin->setAccessibleName(tr("Quantity"));
    connect(m_quantitySpin, &QSpinBox::valueChanged, this, &TicketPage::updatePricingEditors);
    m_priceEdit = new QLineEdit(items);
    m_priceEdit->setObjectName(QStringLiteral("priceEdit"));
    m_priceEdit->setToolTip(tr("Price (flexible services): an amount like %1")
                                .arg(Money::fromCents(8550).toTypedString(QLocale())));
    m_priceEdit->setAccessibleName(tr("Price"));
    m_priceEdit->setMaximumWidth(16 * kSpacing);
    connect(m_priceEdit, &QLineEdit::textChanged, this, &TicketPage::updatePricingEditors);
    m_addLineItemButton =
        button(QStringLiteral("addLineItemButton"), tr("Add"), QStringLiteral("list-add"), items);
    m_addLineItemButton->setToolTip(
        tr("Add the service to the job (Enter in the service, quantity or price)"));
    connect(m_addLineItemButton, &QPushButton::clicked, this, &TicketPage::addLineItem);
    // Enter in any field of the quick-add adds the line item.
    for (QObject *field :
         {static_cast<QObject *>(m_serviceCombo), static_cast<QObject *>(m_serviceCombo->lineEdit()),
          static_cast<QObject *>(m_quantitySpin), static_cast<QObject *>(m_priceEdit)})
        field->installEventFilter(this);
    // Ctrl+L from anywhere on the job: to the quick-add.
    auto *findService = new QAction(tr("Add a line item"), this);
    findService->setShortcut(addLineItemKey());
    findService->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findService, &QAction::triggered, this, &TicketPage::focusQuickAdd);
    addAction(findService);

    auto *serviceLabel = new QLabel(tr("&Service"), items);
    serviceLabel->setBuddy(m_serviceCombo);
    auto *quantityLabel = new QLabel(tr("&Qty"), items);
    quantityLabel->setBuddy(m_quantitySpin);
    auto *addRow = spaced(new QHBoxLayout);
    addRow->addWidget(serviceLabel);
    addRow->addWidget(m_serviceCombo, 1);
    addRow->addWidget(quantityLabel);
    addRow->addWidget(m_quantitySpin);
    addRow->addWidget(new QLabel(tr("Price"), items));
    addRow->addWidget(m_priceEdit);
    addRow->addWidget(m_addLineItemButton);
    return addRow;
}

bool TicketPage::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress &&
        (watched == m_serviceCombo || watched == m_serviceCombo->lineEdit() || watched == m_quantitySpin ||
         watched == m_priceEdit)) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            m_quantitySpin->interpretText();
            addLineItem();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void TicketPage::focusQuickAdd()
{
    if (!m_serviceCombo->isEnabled())
        return;
    m_serviceCombo->setFocus(Qt::ShortcutFocusReason);
    m_serviceCombo->lineEdit()->selectAll();
}

void TicketPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (std::exchange(m_focusOnShow, false))
        focusQuickAdd();
}

QGroupBox *TicketPage::buildNotesBox(QWidget *content)
{
    auto *notes = new QGroupBox(tr("Notes"), content);
    auto *notesLayout = spaced(new QVBoxLayout(notes));
    m_notes = new TicketNotesModel(this);
    m_notesView = new QListView(notes);
    m_notesView->setObjectName(QStringLiteral("notesView"));
    m_notesView->setModel(m_notes);
    m_notesView->setWordWrap(true);
    m_notesView->setAlternatingRowColors(true);
    m_notesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_notesView->setMinimumHeight(15 * kSpacing);
    notesLayout->addWidget(m_notesView, 1);
    m_noteEdit = new QLineEdit(notes);
    m_noteEdit->setObjectName(QStringLiteral("noteEdit"));
    m_noteEdit->setPlaceholderText(tr("Add a note about this job…"));
    m_noteEdit->setClearButtonEnabled(true);
    connect(m_noteEdit, &QLineEdit::textChanged, this, &TicketPage::updateEnabled);
    connect(m_noteEdit, &QLineEdit::returnPressed, this, &TicketPage::addNote);
    m_addNoteButton =
        button(QStringLiteral("addNoteButton"), tr("Add note"), QStringLiteral("list-add"), notes);
    m_addNoteButton->setToolTip(withShortcut(tr("Add the note"), QKeySequence(Qt::Key_Return)));
    connect(m_addNoteButton, &QPushButton::clicked, this, &TicketPage::addNote);
    auto *noteRow = spaced(new QHBoxLayout);
    noteRow->addWidget(m_noteEdit, 1);
    noteRow->addWidget(m_addNoteButton);
    notesLayout->addLayout(noteRow);
    return notes;
}

QGroupBox *TicketPage::buildHistoryBox(QWidget *content)
{
    auto *history = new QGroupBox(tr("History"), content);
    auto *historyLayout = spaced(new QVBoxLayout(history));
    m_history = new TicketHistoryModel(this);
    m_historyView = new QTableView(history);
    m_historyView->setObjectName(QStringLiteral("historyView"));
    m_historyView->setModel(m_history);
    m_historyView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_historyView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_historyView->setWordWrap(true);
    m_historyView->verticalHeader()->hide();
    m_historyView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_historyView->horizontalHeader()->setSectionResizeMode(TicketHistoryModel::ChangesColumn,
                                                            QHeaderView::Stretch);
    m_historyView->setMinimumHeight(20 * kSpacing);
    historyLayout->addWidget(m_historyView, 1);
    return history;
}

void TicketPage::showTicket(const QUuid &ticketId)
{
    if (ticketId != m_ticketId) {
        m_ticketId = ticketId;
        m_lineItemIds.clear();
        m_quantitySpin->setValue(1);
        m_priceEdit->clear();
        m_noteEdit->clear();
        // A job just opened has the keyboard in the quick-add: the work is what gets recorded on site.
        m_focusOnShow = true;
    }
    // Opened: what the office changed on the job is seen, and its mark leaves the schedule.
    if (!ticketId.isNull())
        if (auto seen = m_context.core().officeChanges.markSeen(ticketId); !seen)
            qWarning("cannot mark the job seen: %s", qPrintable(seen.error().toString()));
    reload();
    if (m_focusOnShow && isVisible()) {
        m_focusOnShow = false;
        focusQuickAdd();
    }
}

QUuid TicketPage::ticketId() const
{
    return m_ticketId;
}

void TicketPage::clear(const QString &why)
{
    m_details.reset();
    m_elapsedTimer->stop();
    m_customerName->setText(why);
    m_statusBadge->hide();
    m_readOnlyBanner->hide();
    m_address->clear();
    m_scheduled->clear();
    m_elapsed->setText(formatElapsed(0));
    m_clockState->clear();
    m_lineItems->setItems({});
    m_total->clear();
    m_notes->setEntries({});
    m_history->setRows({});
    m_briefing->setBriefing({});
    updateEnabled();
}

void TicketPage::reload()
{
    if (m_ticketId.isNull()) {
        clear(tr("No job selected."));
        return;
    }
    Core &core = m_context.core();
    auto details = core.tickets.getWithDetails(m_ticketId);
    if (!details) {
        auto byOthers = core.officeChanges.cancellation(m_ticketId);
        const bool deletedElsewhere = byOthers && byOthers->has_value() && (*byOthers)->deleted;
        clear(deletedElsewhere ? tr("This job was deleted") : tr("This job cannot be shown"));
        m_loadError->setText(deletedElsewhere ? cancelledElsewhereText(**byOthers)
                                              : details.error().toString());
        m_loadError->show();
        return;
    }
    m_loadError->hide();
    m_details = *details;
    const Ticket &ticket = m_details->ticket;

    m_customerName->setText(m_details->contact.name);
    setBadge(m_statusBadge, statusLabel(ticket.status), badgeColor(ticket.status));
    m_statusBadge->show();
    m_address->setText(m_details->address.oneLine());
    QString scheduled = formatLocal(ticket.scheduledAt);
    if (ticket.scheduledDurationMinutes)
        scheduled += tr(" · %n min planned", nullptr, *ticket.scheduledDurationMinutes);
    m_scheduled->setText(scheduled);

    showBanner(ticket);

    auto briefing = Briefing::load(core, *m_details);
    if (briefing) {
        m_briefing->setBriefing(*briefing);
    } else {
        m_briefing->setBriefing({});
        m_loadError->setText(tr("The briefing cannot be read: %1").arg(briefing.error().toString()));
        m_loadError->show();
    }

    showClock(ticket);

    // Keep the selected line item selected across the reload.
    const QModelIndex selected = m_lineItemsView->currentIndex();
    const QUuid selectedId = selected.isValid() ? selected.data(LineItemsModel::IdRole).toUuid() : QUuid();
    m_lineItems->setItems(m_details->lineItems);
    for (qsizetype row = 0; row < m_details->lineItems.size(); ++row) {
        m_lineItemIds.insert(m_details->lineItems.at(row).id);
        if (m_details->lineItems.at(row).id == selectedId)
            m_lineItemsView->selectRow(int(row));
    }
    m_total->setText(tr("Total: %1").arg(formatMoney(m_details->total.cents())));

    reloadServices();
    reloadNotes();
    reloadHistory();
    updateEnabled();
}

void TicketPage::showBanner(const Ticket &ticket)
{
    m_officeCancelled = false;
    if (ticket.status == TicketStatus::Completed) {
        m_readOnlyBanner->setText(tr("This job was completed on %1; it can no longer be changed.")
                                      .arg(formatLocal(ticket.closedAt)));
    } else if (ticket.status == TicketStatus::Cancelled) {
        auto byOthers = m_context.core().officeChanges.cancellation(m_ticketId);
        if (byOthers && byOthers->has_value()) {
            // Cancelled elsewhere while the technician may be working on it: nothing here is lost.
            m_officeCancelled = true;
            m_readOnlyBanner->setText(cancelledElsewhereText(**byOthers));
        } else {
            // Cancelling sets no time of its own: the last change to the row is the cancellation.
            m_readOnlyBanner->setText(tr("This job was cancelled on %1; it can no longer be changed.")
                                          .arg(formatLocal(ticket.updatedAt)));
        }
    }
    m_readOnlyBanner->setVisible(ticket.isClosed());
    const auto mayContinue = m_context.core().tickets.workMayContinue(ticket);
    m_workMayContinue = mayContinue && *mayContinue;
}

QString TicketPage::cancelledElsewhereText(const OfficeCancellation &cancellation)
{
    const QDateTime local = cancellation.at.toLocalTime();
    // "at 14:03" today, "on Tue 8 Dec, 14:03" another day.
    const QString when = local.date() == nowUtc().toLocalTime().date()
                             ? tr("at %1").arg(formatTime(local.time()))
                             : tr("on %1").arg(formatLocal(cancellation.at));
    const QString kept = tr("Your clock times, line items and notes are kept and will be sent.");
    if (cancellation.author.isTechnician)
        return (cancellation.deleted ? tr("You deleted this job on your other device %1. %2")
                                     : tr("You cancelled this job on your other device %1. %2"))
            .arg(when, kept);
    const QString who = cancellation.author.name.isEmpty()
                            ? QString()
                            : tr(" (%1 at the office)").arg(cancellation.author.name);
    return (cancellation.deleted ? tr("The office deleted this job %1%2. %3")
                                 : tr("The office cancelled this job %1%2. %3"))
        .arg(when, who, kept);
}

void TicketPage::showClock(const Ticket &ticket)
{
    QString state;
    if (!ticket.clockInAt.isValid())
        state = tr("Not clocked in yet");
    else if (!ticket.clockOutAt.isValid())
        state = tr("Clocked in at %1").arg(formatLocal(ticket.clockInAt));
    else
        state = tr("Clocked in at %1, out at %2")
                    .arg(formatLocal(ticket.clockInAt), formatLocal(ticket.clockOutAt));
    m_clockState->setText(state);
    // A job cancelled elsewhere keeps its clock running until the technician stops it.
    if (isClockRunning())
        m_elapsedTimer->start();
    else
        m_elapsedTimer->stop();
    updateElapsed();
}

bool TicketPage::isClockRunning() const
{
    if (!m_details)
        return false;
    const Ticket &ticket = m_details->ticket;
    return ticket.clockInAt.isValid() && !ticket.clockOutAt.isValid() &&
           (!ticket.isClosed() || m_officeCancelled);
}

void TicketPage::reloadServices()
{
    auto services = m_context.core().catalog.listServices();
    if (!services) {
        m_loadError->setText(tr("The catalog cannot be read: %1").arg(services.error().toString()));
        m_loadError->show();
        return;
    }
    QList<QUuid> order;
    QHash<QUuid, Service> byId;
    for (const Service &service : *services) {
        order.append(service.id);
        byId.insert(service.id, service);
    }
    // Rebuild only when the catalog changed, keeping the choice: a reload must not reset what is being typed.
    bool same = order == m_serviceOrder;
    for (auto it = byId.cbegin(); same && it != byId.cend(); ++it) {
        const Service &old = m_services.value(it.key());
        same = serviceText(old) == serviceText(it.value()) && old.pricingType == it.value().pricingType;
    }
    m_services = byId;
    if (same)
        return;
    const QUuid current = m_serviceCombo->currentData().toUuid();
    m_serviceOrder = order;
    {
        const QSignalBlocker blocker(m_serviceCombo);
        m_serviceCombo->clear();
        for (const QUuid &id : std::as_const(order))
            m_serviceCombo->addItem(serviceText(byId.value(id)), QVariant::fromValue(id));
        const int index = m_serviceCombo->findData(QVariant::fromValue(current));
        m_serviceCombo->setCurrentIndex(index >= 0 ? index : 0);
    }
    if (order.isEmpty())
        m_serviceCombo->setPlaceholderText(tr("The catalog has no active service"));
    updatePricingEditors();
}

void TicketPage::reloadNotes()
{
    QList<TicketNotesModel::Entry> entries;
    auto notes = m_context.core().notes.listForTicket(m_ticketId); // newest first
    if (!notes) {
        m_loadError->setText(tr("The notes cannot be read: %1").arg(notes.error().toString()));
        m_loadError->show();
    } else {
        for (const Note &note : *notes)
            entries.append({note.createdAt, formatLocal(note.createdAt), note.content});
    }
    // The ticket's own notes text, unless a note already holds it (the close-out writes both).
    const auto &own = m_details->ticket.notes;
    if (own && !own->trimmed().isEmpty() &&
        std::none_of(entries.cbegin(), entries.cend(),
                     [&](const TicketNotesModel::Entry &e) { return e.text.trimmed() == own->trimmed(); }))
        entries.append({{}, tr("Job notes"), *own});
    m_notes->setEntries(entries);
}

void TicketPage::reloadHistory()
{
    Core &core = m_context.core();
    // The History screen's describer: the same entry reads the same here; only the subject is the job's own.
    HistoryDescriber describer(core);
    QList<HistoryRow> rows;
    auto ticketEntries = core.audit().entityHistory(QStringLiteral("ticket"), m_ticketId);
    if (!ticketEntries) {
        m_loadError->setText(tr("The history cannot be read: %1").arg(ticketEntries.error().toString()));
        m_loadError->show();
        m_history->setRows({});
        return;
    }
    describer.addTrail(QStringLiteral("ticket"), m_ticketId, *ticketEntries);
    for (const AuditEntry &entry : *ticketEntries) {
        rows.append(describer.describe(entry));
        rows.last().subject = tr("Job");
    }
    for (const QUuid &itemId : std::as_const(m_lineItemIds)) {
        auto entries = core.audit().entityHistory(QStringLiteral("line_item"), itemId);
        if (!entries)
            continue;
        describer.addTrail(QStringLiteral("line_item"), itemId, *entries);
        // Named by its description as recorded (the trail also knows a removed one).
        QString name = describer.name(QStringLiteral("line_item"), itemId);
        if (name.isEmpty())
            name = tr("Line item");
        for (const AuditEntry &entry : *entries) {
            rows.append(describer.describe(entry));
            rows.last().subject = name;
        }
    }
    // Newest first; stable, so entries of one entity in the same millisecond keep the trail's order.
    std::stable_sort(rows.begin(), rows.end(), [](const HistoryRow &a, const HistoryRow &b) {
        return a.entry.createdAt > b.entry.createdAt;
    });
    m_history->setRows(rows);
    // Whole changes, wrapped: a history that hides its ends ("Status: Scheduled →…") says little.
    m_historyView->resizeRowsToContents();
}

std::optional<Service> TicketPage::currentService() const
{
    // The item chosen from the list (or stepped to with Up/Down) while its text is shown as is; else the best
    // match of what was typed.
    const QString text = m_serviceCombo->currentText().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const int index = m_serviceCombo->currentIndex();
    if (index >= 0 && m_serviceCombo->itemText(index) == m_serviceCombo->currentText()) {
        const QUuid id = m_serviceCombo->itemData(index).toUuid();
        if (m_services.contains(id))
            return m_services.value(id);
    }
    const QUuid found = matchService(text);
    if (found.isNull())
        return std::nullopt;
    return m_services.value(found);
}

QUuid TicketPage::matchService(const QString &typed) const
{
    // Best first: the whole name, the name's start, a word's start, anywhere in the name (ignoring case); the
    // catalog's order among equals.
    const QString needle = typed.simplified();
    QUuid best;
    int bestRank = 0;
    for (const QUuid &id : m_serviceOrder) {
        const QString name = m_services.value(id).name;
        int rank = 0;
        if (name.compare(needle, Qt::CaseInsensitive) == 0)
            rank = 4;
        else if (name.startsWith(needle, Qt::CaseInsensitive))
            rank = 3;
        else if (name.contains(QLatin1Char(' ') + needle, Qt::CaseInsensitive))
            rank = 2;
        else if (name.contains(needle, Qt::CaseInsensitive))
            rank = 1;
        if (rank > bestRank) {
            best = id;
            bestRank = rank;
        }
    }
    return best;
}

void TicketPage::updatePricingEditors()
{
    const auto service = currentService();
    const PricingType type = service ? service->pricingType : PricingType::Fixed;
    // The catalog decides fixed and per-unit prices (shown as the placeholder); only a flexible one is typed.
    if (type != PricingType::PerUnit) {
        const QSignalBlocker blocker(m_quantitySpin);
        m_quantitySpin->setValue(1);
    }
    m_quantitySpin->setSuffix(type == PricingType::PerUnit && service->unitLabel
                                  ? QLatin1Char(' ') + *service->unitLabel
                                  : QString());
    std::optional<Money> unit = service ? service->catalogPrice() : std::nullopt;
    if (type == PricingType::Flexible) {
        m_priceEdit->setPlaceholderText(moneyPlaceholder(8550));
        auto typed = readMoney(m_priceEdit->text(), tr("Price"));
        if (typed)
            unit = *typed;
    } else {
        if (!m_priceEdit->text().isEmpty()) {
            const QSignalBlocker blocker(m_priceEdit);
            m_priceEdit->clear();
        }
        m_priceEdit->setPlaceholderText(unit ? unit->toTypedString(QLocale()) : QString());
    }
    QString preview;
    if (service && unit) {
        if (auto total = unit->times(m_quantitySpin->value(), QStringLiteral("total"));
            total && unit->cents() >= 0)
            preview = tr("%1: %2 × %3 = %4")
                          .arg(service->name)
                          .arg(m_quantitySpin->value())
                          .arg(formatMoney(unit->cents()), formatMoney(total->cents()));
    } else if (service) {
        preview = service->name;
    } else if (!m_serviceCombo->currentText().trimmed().isEmpty() && m_serviceCombo->count() > 0) {
        preview = tr("No service in the catalog matches \u201c%1\u201d")
                      .arg(m_serviceCombo->currentText().trimmed());
    }
    m_linePreview->setText(preview);
    if (m_quickAddError)
        m_quickAddError->clearError(); // what was said is about values that changed since
    updateEnabled();
}

bool TicketPage::isEditable() const
{
    // Open jobs, and a job cancelled elsewhere after the technician clocked in on it (core's rule,
    // TicketService::workMayContinue): the work done on site is recorded and the job closed out.
    return m_details && m_workMayContinue;
}

void TicketPage::updateEnabled()
{
    const bool editable = isEditable();
    const Ticket *ticket = m_details ? &m_details->ticket : nullptr;
    m_clockInButton->setEnabled(editable && ticket->status == TicketStatus::Scheduled &&
                                !ticket->clockInAt.isValid());
    m_clockOutButton->setEnabled(isClockRunning());
    m_copyAddressButton->setEnabled(m_details.has_value() && !m_address->text().isEmpty());

    const auto service = currentService();
    m_serviceCombo->setEnabled(editable && m_serviceCombo->count() > 0);
    m_quantitySpin->setEnabled(editable && service && service->pricingType == PricingType::PerUnit);
    const bool flexible = service && service->pricingType == PricingType::Flexible;
    m_priceEdit->setEnabled(editable && flexible);
    m_priceEdit->setReadOnly(!editable);
    m_addLineItemButton->setEnabled(editable && service.has_value());
    const bool hasSelection = m_lineItemsView->selectionModel()->hasSelection();
    m_removeLineItemButton->setEnabled(editable && hasSelection);

    m_noteEdit->setReadOnly(!editable);
    m_noteEdit->setEnabled(m_details.has_value());
    m_addNoteButton->setEnabled(editable && !m_noteEdit->text().trimmed().isEmpty());
    m_closeOutButton->setEnabled(editable);
}

void TicketPage::updateElapsed()
{
    if (!m_details || !m_details->ticket.clockInAt.isValid()) {
        m_elapsed->setText(formatElapsed(0));
        return;
    }
    const Ticket &ticket = m_details->ticket;
    QDateTime end = ticket.clockOutAt;
    if (!end.isValid())
        end = !isClockRunning() && ticket.closedAt.isValid() ? ticket.closedAt
                                                             : QDateTime::currentDateTimeUtc();
    m_elapsed->setText(formatElapsed(ticket.clockInAt.msecsTo(end)));
}

void TicketPage::clockIn()
{
    if (!isEditable())
        return;
    if (auto result = m_context.core().tickets.clockIn(m_ticketId); !result) {
        showError(this, tr("Could not clock in"), result.error());
        return;
    }
}

void TicketPage::clockOut()
{
    if (!isClockRunning())
        return;
    if (auto result = m_context.core().tickets.clockOut(m_ticketId); !result) {
        showError(this, tr("Could not clock out"), result.error());
        return;
    }
}

void TicketPage::addLineItem()
{
    if (!isEditable())
        return;
    const QString action = tr("Could not add the line item");
    // What was typed wrong is said under the quick-add, next to its fields, and the field gets the keyboard
    // with its text selected; only a failure that is not about the values (the file) is a message box.
    const auto refuse = [this](const Error &error, QWidget *field) {
        m_quickAddError->showError(errorText(error));
        field->setFocus();
        if (auto *edit = qobject_cast<QLineEdit *>(field))
            edit->selectAll();
        else if (auto *spin = qobject_cast<QAbstractSpinBox *>(field))
            spin->selectAll();
    };
    const auto service = currentService();
    if (!service) {
        refuse(Error::validation(tr("Service"), tr("choose a service from the catalog")), m_serviceCombo);
        return;
    }
    LineItemCreate request;
    request.serviceId = service->id;
    request.quantity = service->pricingType == PricingType::PerUnit ? m_quantitySpin->value() : 1;
    if (auto valid = validate::quantity(request.quantity, tr("Quantity")); !valid) {
        refuse(valid.error(), m_quantitySpin);
        return;
    }
    if (service->pricingType == PricingType::Flexible) {
        const QString text = m_priceEdit->text();
        auto price = text.trimmed().isEmpty()
                         ? Result<Money>(Error::validation(
                               tr("Price"), tr("%1 is priced on the job: type the price").arg(service->name)))
                         : readMoney(text, tr("Price"));
        if (price)
            if (auto valid = price->validate(tr("Price")); !valid)
                price = valid.error();
        if (!price) {
            refuse(price.error(), m_priceEdit);
            return;
        }
        request.unitPrice = *price;
    }
    if (auto added = m_context.core().tickets.addLineItem(m_ticketId, request); !added) {
        if (added.error().code == ErrorCode::Validation)
            refuse(added.error(),
                   m_quantitySpin->isEnabled() ? static_cast<QWidget *>(m_quantitySpin) : m_serviceCombo);
        else
            showError(this, action, added.error());
        return;
    }
    m_quickAddError->clearError();
    {
        const QSignalBlocker spinBlocker(m_quantitySpin);
        const QSignalBlocker priceBlocker(m_priceEdit);
        m_quantitySpin->setValue(1);
        m_priceEdit->clear();
    }
    updatePricingEditors();
    // Ready for the next one: the service's text selected, so typing replaces it.
    focusQuickAdd();
}

void TicketPage::removeSelectedLineItem()
{
    if (!isEditable())
        return;
    const QModelIndex index = m_lineItemsView->currentIndex();
    if (!index.isValid() || !m_lineItemsView->selectionModel()->isRowSelected(index.row()))
        return;
    const QUuid id = index.data(LineItemsModel::IdRole).toUuid();
    if (auto removed = m_context.core().tickets.removeLineItem(id); !removed) {
        showError(this, tr("Could not remove the line item"), removed.error());
        return;
    }
}

void TicketPage::addNote()
{
    if (!isEditable())
        return;
    const QString text = m_noteEdit->text().trimmed();
    if (text.isEmpty())
        return;
    NoteCreate request;
    // On the customer too, so the note shows in their history and in the next visit's briefing.
    request.contactId = m_details->ticket.contactId;
    request.ticketId = m_ticketId;
    request.content = text;
    if (auto created = m_context.core().notes.create(request); !created) {
        showError(this, tr("Could not add the note"), created.error());
        return;
    }
    m_noteEdit->clear();
}

void TicketPage::copyAddress()
{
    if (!m_details)
        return;
    QGuiApplication::clipboard()->setText(m_details->address.oneLine());
    // Say it worked where the user is looking; the button label comes back after a moment.
    m_copyAddressButton->setText(tr("Copied"));
    QTimer::singleShot(2000, m_copyAddressButton,
                       [button = m_copyAddressButton] { button->setText(tr("Copy")); });
}

void TicketPage::closeOut()
{
    if (!isEditable())
        return;
    auto *wizard = new CloseOutWizard(m_context, m_ticketId, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &QDialog::finished, this, &TicketPage::reload);
    wizard->open();
}

} // namespace fb::ui
