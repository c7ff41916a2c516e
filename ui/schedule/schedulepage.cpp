#include "schedulepage.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "newticketdialog.h"
#include "rescheduledialog.h"
#include "scheduledelegate.h"
#include "schedulemodel.h"
#include "util/timeutil.h"

#include <QAction>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

namespace fb::ui {

namespace {

QToolButton *toolButton(QWidget *parent, const QString &objectName)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(objectName);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(false);
    return button;
}
} // namespace

SchedulePage::SchedulePage(UiContext &context, QWidget *parent)
    // Today from nowUtc(), as everything the core stores: one clock, which tests can fix.
    : QWidget(parent), m_context(context), m_date(nowUtc().toLocalTime().date())
{
    setObjectName(QStringLiteral("schedulePage"));
    buildView();
    buildEmptyOverlay();
    createActions();
    QHBoxLayout *bar = buildToolbar();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    buildContextMenu();
    connectView();
    load({});
}

void SchedulePage::buildView()
{
    m_model = new ScheduleModel(m_context.core(), this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("scheduleView"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new ScheduleDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false); // Tab leaves the list, as everywhere else
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 2 * kSpacing);
    // At 1366x768 the address takes what the fixed columns leave; long ones are elided, the tooltip has all.
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(ScheduleModel::TimeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScheduleModel::CustomerColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(ScheduleModel::AddressColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ScheduleModel::ServicesColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(ScheduleModel::DurationColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ScheduleModel::StatusColumn, QHeaderView::ResizeToContents);
    header->resizeSection(ScheduleModel::CustomerColumn, 24 * kSpacing);
    // Shown only while a job has a mark (load()): the address keeps its room on an ordinary day.
    header->setSectionResizeMode(ScheduleModel::ChangesColumn, QHeaderView::ResizeToContents);
    header->resizeSection(ScheduleModel::ServicesColumn, 28 * kSpacing);
    setFocusProxy(m_view);
}

void SchedulePage::buildEmptyOverlay()
{
    // Shown over the empty list rather than instead of it: the list keeps the focus and its keys.
    m_emptyLabel = new QLabel(m_view->viewport());
    m_emptyLabel->setObjectName(QStringLiteral("emptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_emptyLabel->setAttribute(Qt::WA_TransparentForMouseEvents);
    auto *overlay = new QVBoxLayout(m_view->viewport());
    overlay->setContentsMargins(4 * kSpacing, 4 * kSpacing, 4 * kSpacing, 4 * kSpacing);
    overlay->addWidget(m_emptyLabel);
}

void SchedulePage::createActions()
{
    // Keys of the list itself (Qt::WidgetShortcut): arrows and letters mean other things in the dialogs.
    m_previousDayAction = addViewAction(tr("Previous day"), QStringLiteral("go-previous"),
                                        {QKeySequence(Qt::Key_Left)}, m_view, Qt::WidgetShortcut);
    m_nextDayAction = addViewAction(tr("Next day"), QStringLiteral("go-next"), {QKeySequence(Qt::Key_Right)},
                                    m_view, Qt::WidgetShortcut);
    m_previousWeekAction = addViewAction(tr("Previous week"), QStringLiteral("go-previous"),
                                         {QKeySequence(Qt::Key_PageUp)}, m_view, Qt::WidgetShortcut);
    m_nextWeekAction = addViewAction(tr("Next week"), QStringLiteral("go-next"),
                                     {QKeySequence(Qt::Key_PageDown)}, m_view, Qt::WidgetShortcut);
    m_todayAction = addViewAction(tr("Today"), QStringLiteral("go-jump-today"), {QKeySequence(Qt::Key_T)},
                                  m_view, Qt::WidgetShortcut);
    m_openAction = addViewAction(tr("Open ticket"), QStringLiteral("document-edit"),
                                 {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}, m_view,
                                 Qt::WidgetShortcut);
    m_cancelAction = addViewAction(tr("Cancel ticket…"), QStringLiteral("process-stop"),
                                   {QKeySequence(QKeySequence::Delete)}, m_view, Qt::WidgetShortcut);
    // Keys of the whole page.
    m_newAction = addViewAction(tr("New ticket…"), QStringLiteral("appointment-new"), {QKeySequence::New},
                                this, Qt::WidgetWithChildrenShortcut);
    m_rescheduleAction =
        addViewAction(tr("Reschedule…"), QStringLiteral("x-office-calendar"),
                      {QKeySequence(Qt::CTRL | Qt::Key_R)}, this, Qt::WidgetWithChildrenShortcut);
    connect(m_previousDayAction, &QAction::triggered, this, [this] { setDate(m_date.addDays(-1)); });
    connect(m_nextDayAction, &QAction::triggered, this, [this] { setDate(m_date.addDays(1)); });
    connect(m_previousWeekAction, &QAction::triggered, this, [this] { setDate(m_date.addDays(-7)); });
    connect(m_nextWeekAction, &QAction::triggered, this, [this] { setDate(m_date.addDays(7)); });
    connect(m_todayAction, &QAction::triggered, this, &SchedulePage::goToToday);
    connect(m_openAction, &QAction::triggered, this, &SchedulePage::openSelected);
    connect(m_cancelAction, &QAction::triggered, this, &SchedulePage::cancelSelected);
    connect(m_newAction, &QAction::triggered, this, &SchedulePage::newTicket);
    connect(m_rescheduleAction, &QAction::triggered, this, &SchedulePage::rescheduleSelected);
}

QHBoxLayout *SchedulePage::buildToolbar()
{
    buildViewModeButtons();
    QToolButton *today = buildStepButtons();

    m_dateLabel = new QLabel(this);
    m_dateLabel->setObjectName(QStringLiteral("dateLabel"));
    QFont dateFont = m_dateLabel->font();
    dateFont.setBold(true);
    dateFont.setPointSizeF(dateFont.pointSizeF() * 1.25);
    m_dateLabel->setFont(dateFont);

    QToolButton *reschedule = toolButton(this, QStringLiteral("rescheduleButton"));
    reschedule->setDefaultAction(m_rescheduleAction);
    QToolButton *cancel = toolButton(this, QStringLiteral("cancelTicketButton"));
    cancel->setDefaultAction(m_cancelAction);
    QToolButton *create = toolButton(this, QStringLiteral("newTicketButton"));
    create->setDefaultAction(m_newAction);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(m_dayButton);
    bar->addWidget(m_weekButton);
    bar->addSpacing(2 * kSpacing);
    bar->addWidget(m_previousButton);
    bar->addWidget(today);
    bar->addWidget(m_nextButton);
    bar->addSpacing(kSpacing);
    bar->addWidget(m_dateLabel, 1);
    bar->addWidget(reschedule);
    bar->addWidget(cancel);
    bar->addWidget(create);

    return bar;
}

void SchedulePage::buildViewModeButtons()
{
    m_dayButton = toolButton(this, QStringLiteral("dayViewButton"));
    m_dayButton->setText(tr("Day"));
    m_dayButton->setIcon(themedIcon(QStringLiteral("view-list-details")));
    m_dayButton->setToolTip(tr("One day"));
    m_dayButton->setCheckable(true);
    m_dayButton->setChecked(true);
    m_weekButton = toolButton(this, QStringLiteral("weekViewButton"));
    m_weekButton->setText(tr("Week"));
    m_weekButton->setIcon(themedIcon(QStringLiteral("x-office-calendar")));
    m_weekButton->setToolTip(tr("The whole week, day by day"));
    m_weekButton->setCheckable(true);
    auto *modes = new QButtonGroup(this);
    modes->setExclusive(true);
    modes->addButton(m_dayButton);
    modes->addButton(m_weekButton);
    connect(m_dayButton, &QToolButton::clicked, this, [this] { setViewMode(ViewMode::Day); });
    connect(m_weekButton, &QToolButton::clicked, this, [this] { setViewMode(ViewMode::Week); });
}

QToolButton *SchedulePage::buildStepButtons()
{
    // Previous and next step a day or a week, as the view shows; their tooltips say which key does the same.
    m_previousButton = toolButton(this, QStringLiteral("previousButton"));
    m_previousButton->setIcon(themedIcon(QStringLiteral("go-previous")));
    m_previousButton->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_nextButton = toolButton(this, QStringLiteral("nextButton"));
    m_nextButton->setIcon(themedIcon(QStringLiteral("go-next")));
    m_nextButton->setToolButtonStyle(Qt::ToolButtonIconOnly);
    connect(m_previousButton, &QToolButton::clicked, this, &SchedulePage::previous);
    connect(m_nextButton, &QToolButton::clicked, this, &SchedulePage::next);
    QToolButton *today = toolButton(this, QStringLiteral("todayButton"));
    today->setDefaultAction(m_todayAction);

    return today;
}

void SchedulePage::buildContextMenu()
{
    m_contextMenu = new QMenu(this);
    m_contextMenu->setObjectName(QStringLiteral("scheduleContextMenu"));
    m_contextMenu->addAction(m_openAction);
    m_contextMenu->addAction(m_rescheduleAction);
    m_contextMenu->addAction(m_cancelAction);
    m_contextMenu->addSeparator();
    m_contextMenu->addAction(m_newAction);
}

void SchedulePage::connectView()
{
    connect(m_view, &QTableView::customContextMenuRequested, this, &SchedulePage::showContextMenu);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (!m_model->ticketId(index.row()).isNull())
            Q_EMIT m_context.openTicketRequested(m_model->ticketId(index.row()));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SchedulePage::onCurrentRowChanged);
    // Customers' names and addresses and the jobs' services show in the rows too; opening a job clears its
    // mark (office_changes_seen).
    m_context.whenChanged(this,
                          {QStringLiteral("ticket"), QStringLiteral("contact"), QStringLiteral("address"),
                           QStringLiteral("line_item"), QStringLiteral("office_changes_seen")},
                          [this] { reload(); });
}

QAction *SchedulePage::addViewAction(const QString &text, const QString &icon,
                                     const QList<QKeySequence> &keys, QWidget *owner,
                                     Qt::ShortcutContext context)
{
    auto *action = new QAction(themedIcon(icon), text, owner);
    action->setShortcuts(keys);
    action->setShortcutContext(context);
    action->setToolTip(withShortcut(QString(text).remove(QStringLiteral("…")), keys.value(0)));
    owner->addAction(action);
    return action;
}

QDate SchedulePage::currentDate() const
{
    return m_date;
}

void SchedulePage::setDate(const QDate &date)
{
    if (!date.isValid())
        return;
    m_date = date;
    load({});
}

void SchedulePage::setViewMode(ViewMode mode)
{
    m_mode = mode;
    m_dayButton->setChecked(mode == ViewMode::Day);
    m_weekButton->setChecked(mode == ViewMode::Week);
    load(selectedTicketId());
}

void SchedulePage::focusList()
{
    m_view->setFocus(Qt::OtherFocusReason);
}

void SchedulePage::goToToday()
{
    setDate(nowUtc().toLocalTime().date());
}

void SchedulePage::previous()
{
    setDate(m_date.addDays(m_mode == ViewMode::Week ? -7 : -1));
}

void SchedulePage::next()
{
    setDate(m_date.addDays(m_mode == ViewMode::Week ? 7 : 1));
}

void SchedulePage::reload()
{
    load(selectedTicketId());
}

QDate SchedulePage::firstShownDay() const
{
    if (m_mode == ViewMode::Day)
        return m_date;
    // The locale's week: Monday in most places, Sunday in the US.
    const int firstDay = int(QLocale().firstDayOfWeek());
    return m_date.addDays(-((m_date.dayOfWeek() - firstDay + 7) % 7));
}

int SchedulePage::shownDayCount() const
{
    return m_mode == ViewMode::Day ? 1 : 7;
}

void SchedulePage::load(const QUuid &keep)
{
    if (auto loaded = m_model->load(firstShownDay(), shownDayCount()); !loaded)
        showError(this, tr("Could not read the schedule"), loaded.error());
    m_model->setCurrentDay(m_mode == ViewMode::Week ? m_date : QDate());
    m_view->setColumnHidden(ScheduleModel::ChangesColumn, !m_model->hasOfficeMarks());
    m_view->clearSpans();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->isDayRow(row))
            m_view->setSpan(row, 0, 1, ScheduleModel::ColumnCount);
    }

    int row = m_model->rowOf(keep);
    // Today opens on the job to do next, so Enter opens it (the close-out path of issue 15).
    if (row < 0 && m_date == nowUtc().toLocalTime().date())
        row = m_model->nextJobRow(m_date, nowUtc());
    if (row < 0) {
        // The first ticket of the current day (the week view shows others too, but Left/Right move from
        // here).
        for (int r = 0; r < m_model->rowCount(); ++r) {
            if (!m_model->isDayRow(r) &&
                m_model->index(r, 0).data(ScheduleModel::DayRole).toDate() == m_date) {
                row = r;
                break;
            }
        }
    }
    selectRow(row);

    const bool empty = m_model->ticketCount() == 0;
    m_emptyLabel->setText(m_mode == ViewMode::Day
                              ? tr("No tickets on this day.\nNew ticket: %1")
                                    .arg(m_newAction->shortcut().toString(QKeySequence::NativeText))
                              : QString());
    m_emptyLabel->setVisible(empty && m_mode == ViewMode::Day);
    updateDateLabel();
    updateActions();
}

void SchedulePage::selectRow(int row)
{
    // A selection made here follows the date; it must not move it (see onCurrentRowChanged).
    const bool wasSelecting = std::exchange(m_selecting, true);
    if (row < 0) {
        m_view->selectionModel()->clear();
    } else {
        m_view->selectionModel()->setCurrentIndex(
            m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(m_model->index(row, 0));
    }
    m_selecting = wasSelecting;
    updateActions();
}

void SchedulePage::onCurrentRowChanged()
{
    // In the week view, the selected ticket's day becomes the current day: a new ticket goes there and
    // Left/Right move from it.
    if (m_mode == ViewMode::Week && !m_selecting) {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid() && !m_model->isDayRow(current.row())) {
            m_date = current.data(ScheduleModel::DayRole).toDate();
            m_model->setCurrentDay(m_date);
        }
    }
    updateActions();
}

QUuid SchedulePage::selectedTicketId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QUuid() : m_model->ticketId(rows.first().row());
}

bool SchedulePage::selectTicket(const QUuid &ticketId)
{
    auto ticket = m_context.core().tickets.getById(ticketId);
    if (!ticket)
        return false;
    m_date = ticket->scheduledAt.toLocalTime().date();
    load(ticketId);
    return selectedTicketId() == ticketId;
}

void SchedulePage::updateDateLabel()
{
    const QLocale locale;
    if (m_mode == ViewMode::Day) {
        QString text = locale.toString(m_date, QLocale::LongFormat);
        if (m_date == nowUtc().toLocalTime().date())
            text = tr("Today, %1").arg(text);
        m_dateLabel->setText(text);
    } else {
        const QDate first = firstShownDay();
        const QDate last = first.addDays(6);
        m_dateLabel->setText(tr("Week of %1 – %2")
                                 .arg(locale.toString(first, QStringLiteral("d MMM")),
                                      locale.toString(last, QStringLiteral("d MMM yyyy"))));
    }
    const bool week = m_mode == ViewMode::Week;
    m_previousButton->setToolTip(week ? m_previousWeekAction->toolTip() : m_previousDayAction->toolTip());
    m_nextButton->setToolTip(week ? m_nextWeekAction->toolTip() : m_nextDayAction->toolTip());
}

void SchedulePage::updateActions()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    const int row = rows.isEmpty() ? -1 : rows.first().row();
    const std::optional<TicketStatus> status = m_model->status(row);
    m_openAction->setEnabled(status.has_value());
    // The core refuses both on closed tickets, and a new time on one already started: offered only when
    // allowed.
    m_rescheduleAction->setEnabled(status == TicketStatus::Scheduled);
    m_cancelAction->setEnabled(status && *status != TicketStatus::Completed &&
                               *status != TicketStatus::Cancelled);
}

void SchedulePage::openSelected()
{
    const QUuid id = selectedTicketId();
    if (!id.isNull())
        Q_EMIT m_context.openTicketRequested(id);
}

void SchedulePage::newTicket()
{
    auto *dialog = new NewTicketDialog(m_context, m_date, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewTicketDialog::ticketCreated, this, [this](const QUuid &id) {
        selectTicket(id);
        m_view->setFocus();
    });
    dialog->open();
}

void SchedulePage::rescheduleSelected()
{
    const QUuid id = selectedTicketId();
    if (id.isNull())
        return;
    auto ticket = m_context.core().tickets.getById(id);
    if (!ticket) {
        showError(this, tr("Could not reschedule the ticket"), ticket.error());
        return;
    }
    const int row = m_model->rowOf(id);
    const QString summary = tr("%1, %2\n%3")
                                .arg(formatLocal(ticket->scheduledAt),
                                     m_model->index(row, ScheduleModel::CustomerColumn).data().toString(),
                                     m_model->index(row, ScheduleModel::AddressColumn).data().toString());
    auto *dialog = new RescheduleDialog(m_context, *ticket, summary, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RescheduleDialog::rescheduled, this, [this](const QUuid &ticketId) {
        selectTicket(ticketId);
        m_view->setFocus();
    });
    dialog->open();
}

void SchedulePage::cancelSelected()
{
    const QUuid id = selectedTicketId();
    if (id.isNull())
        return;
    const int row = m_model->rowOf(id);
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Cancel ticket"),
                        tr("Cancel the job at %1 for %2?")
                            .arg(m_model->index(row, ScheduleModel::TimeColumn).data().toString(),
                                 m_model->index(row, ScheduleModel::CustomerColumn).data().toString()),
                        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("cancelConfirmation"));
    box->setInformativeText(tr("A cancelled ticket stays in the schedule and in the history, but cannot be "
                               "changed again."));
    QPushButton *confirm = box->addButton(tr("Cancel ticket"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmCancelButton"));
    QPushButton *keep = box->addButton(tr("Keep ticket"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepTicketButton"));
    box->setDefaultButton(keep); // Enter on a Del pressed by mistake keeps the job
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, id, confirm](QAbstractButton *clicked) {
        if (clicked == confirm)
            cancelTicket(id);
    });
    box->open();
}

void SchedulePage::cancelTicket(const QUuid &ticketId)
{
    auto cancelled = m_context.core().tickets.cancel(ticketId);
    if (!cancelled) {
        showError(this, tr("Could not cancel the ticket"), cancelled.error());
        return;
    }
    m_view->setFocus();
}

void SchedulePage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (index.isValid() && !m_model->isDayRow(index.row()))
        selectRow(index.row());
    // popup(), not exec(): no nested event loop.
    m_contextMenu->popup(m_view->viewport()->mapToGlobal(position));
}
} // namespace fb::ui
