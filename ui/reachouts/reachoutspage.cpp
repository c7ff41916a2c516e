#include "reachoutspage.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "common/listreader.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "reachoutlistmodel.h"
#include "util/timeutil.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace fb::ui {

/// One reading of the list, made on the read thread: the reach-outs (pending only, or all) and their
/// customers' names.
struct ReachOutListing
{
    Result<QList<ScheduledMessage>> messages;
    QHash<QUuid, QString> names;
};

namespace {

ReachOutListing readReachOuts(Result<Core *> core, bool pendingOnly)
{
    if (!core)
        return {core.error(), {}};
    ReachOutListing listing{pendingOnly ? (*core)->messages.listPending() : (*core)->messages.list(), {}};
    if (listing.messages)
        listing.names = customerNames(**core, *listing.messages);
    return listing;
}

QToolButton *toolButton(QWidget *parent, const QString &objectName, QAction *action)
{
    auto *button = new QToolButton(parent);
    button->setObjectName(objectName);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setDefaultAction(action);
    return button;
}
} // namespace

ReachOutsPage::~ReachOutsPage() = default;

ReachOutsPage::ReachOutsPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new ReachOutListModel(this)),
      m_pendingOnly(new QCheckBox(tr("&Pending only"), this)), m_view(new QTableView(this)),
      m_summary(new QLabel(this)), m_detailTitle(new QLabel(this)), m_detailText(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("reachOutsPage"));
    // Every reach-out of the years (unless "Pending only"), and a customer per customer they name: read on
    // the read thread.
    m_reader = std::make_unique<ReachOutReader>(
        m_context, [this] { return m_pendingOnly->isChecked(); },
        [](Result<Core *> core, const bool &pendingOnly) {
            return readReachOuts(std::move(core), pendingOnly);
        },
        [this](const ReachOutListing &listing, bool upToDate) { showListing(listing, upToDate); });
    setUpView();
    createActions();
    QHBoxLayout *bar = buildToolbar();
    QWidget *detail = buildDetail();

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("reachOutsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_view);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    // Read every time the page is shown (what is overdue moves with the clock), and on a change while it is
    // shown: a hidden page (the window builds them all at start) reads nothing.
    m_context.whenChanged(this, {QStringLiteral("scheduled_message"), QStringLiteral("contact")}, [this] {
        if (isVisible())
            reload();
    });
    setFocusProxy(m_view);
    if (isVisible())
        reload();
    else
        updateDetail(); // nothing listed yet: nothing selected to act on
}

void ReachOutsPage::setUpView()
{
    m_view->setObjectName(QStringLiteral("reachOutsView"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(ReachOutListModel::Status, new BadgeDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false); // Tab leaves the list, as everywhere else
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->setToolTip(withShortcut(tr("Open the customer"), QKeySequence(Qt::Key_Return)));
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ReachOutListModel::Message, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, &ReachOutsPage::openCurrent);
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), m_view, this, &ReachOutsPage::openCurrent, Qt::WidgetShortcut);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ReachOutsPage::updateDetail);
}

void ReachOutsPage::createActions()
{
    // Page-level keys (the main window owns Ctrl+N, Ctrl+K, Ctrl+1..5, F5, Ctrl+Q): they work wherever the
    // focus is on the page; the message text below is read-only, so Del there deletes nothing else.
    m_cancelAction = new QAction(themedIcon(QStringLiteral("process-stop")), tr("Cancel reach-out…"), this);
    m_cancelAction->setShortcut(QKeySequence(QKeySequence::Delete));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelAction->setToolTip(
        withShortcut(tr("Cancel the selected reach-out: it will not be sent"), m_cancelAction->shortcut()));
    connect(m_cancelAction, &QAction::triggered, this, &ReachOutsPage::cancelSelected);
    addAction(m_cancelAction);
    m_markSentAction = new QAction(themedIcon(QStringLiteral("mail-send")), tr("Mark sent"), this);
    // Enter on the keypad too; the tooltip names the main key.
    m_markSentAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_markSentAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_markSentAction->setToolTip(withShortcut(tr("Mark the selected reach-out sent (you sent it yourself)"),
                                              m_markSentAction->shortcut()));
    connect(m_markSentAction, &QAction::triggered, this, &ReachOutsPage::markSelectedSent);
    addAction(m_markSentAction);
}

QHBoxLayout *ReachOutsPage::buildToolbar()
{
    m_pendingOnly->setObjectName(QStringLiteral("pendingOnlyCheck"));
    m_pendingOnly->setToolTip(tr("Hide reach-outs already sent, cancelled or failed"));
    connect(m_pendingOnly, &QCheckBox::toggled, this, &ReachOutsPage::reload);

    m_summary->setObjectName(QStringLiteral("reachOutsSummary"));
    m_summary->setWordWrap(true);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_pendingOnly);
    bar->addSpacing(kSpacing);
    bar->addWidget(toolButton(this, QStringLiteral("markSentButton"), m_markSentAction));
    bar->addWidget(toolButton(this, QStringLiteral("cancelReachOutButton"), m_cancelAction));

    return bar;
}

QWidget *ReachOutsPage::buildDetail()
{
    // The selected reach-out's message: a template's name is all the app has (the server writes the text).
    auto *detail = new QWidget(this);
    detail->setObjectName(QStringLiteral("reachOutDetail"));
    m_detailTitle->setObjectName(QStringLiteral("reachOutDetailTitle"));
    m_detailTitle->setWordWrap(true);
    m_detailTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_detailTitle->font();
    titleFont.setBold(true);
    m_detailTitle->setFont(titleFont);
    m_detailText->setObjectName(QStringLiteral("reachOutDetailText"));
    m_detailText->setReadOnly(true);
    m_detailText->setTabChangesFocus(true);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, kSpacing, 0, 0);
    detailLayout->setSpacing(kSpacing);
    detailLayout->addWidget(m_detailTitle);
    detailLayout->addWidget(m_detailText, 1);

    return detail;
}

void ReachOutsPage::reload()
{
    if (!m_reader->answered())
        m_summary->setText(tr("Reading the reach-outs…"));
    m_reader->request();
}

void ReachOutsPage::showListing(const ReachOutListing &listing, bool upToDate)
{
    // A reach-out handled here (Del, Ctrl+Enter) after this read began would be shown as it was: the read
    // that follows, already asked for, shows it as it is.
    if (!upToDate && !m_handled.isNull())
        return;
    const QUuid selected = selectedMessageId();
    const int selectedRow = m_view->currentIndex().row();
    if (!listing.messages) {
        m_model->setMessages({}, {}, nowUtc());
        m_summary->setText(tr("Could not read the reach-outs: %1").arg(listing.messages.error().toString()));
        updateDetail();
        Q_EMIT listShown();
        return;
    }
    m_model->setMessages(*listing.messages, listing.names, nowUtc());
    int pending = 0;
    int overdue = 0;
    for (const ScheduledMessage &message : m_model->messages()) {
        pending += message.status == MessageStatus::Pending ? 1 : 0;
        overdue += m_model->isOverdue(message) ? 1 : 0;
    }
    if (listing.messages->isEmpty())
        m_summary->setText(tr("No reach-outs: they are scheduled when a job is closed with \u201creach out "
                              "in N months\u201d."));
    else if (overdue > 0)
        m_summary->setText(tr("%n pending, ", nullptr, pending) + tr("%n overdue.", nullptr, overdue));
    else
        m_summary->setText(tr("%n pending.", nullptr, pending));

    // The same reach-out stays selected; one that left the list ("Pending only") hands over to its
    // neighbour. After Del or Ctrl+Enter, the row the handled one had (see selectRowAfterAction()), unless
    // the technician has moved on to another since.
    int row = rowOf(selected);
    if (upToDate && !m_handled.isNull() && selected == m_handled)
        row = m_model->rowCount() > 0 ? qMin(m_rowAfterAction, m_model->rowCount() - 1) : -1;
    else if (row < 0 && selectedRow >= 0 && m_model->rowCount() > 0)
        row = qMin(selectedRow, m_model->rowCount() - 1);
    if (upToDate)
        m_handled = QUuid();
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, ReachOutListModel::When));
    updateDetail();
    Q_EMIT listShown();
}

void ReachOutsPage::selectMessage(const QUuid &messageId)
{
    const int row = rowOf(messageId);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, ReachOutListModel::When));
}

QUuid ReachOutsPage::selectedMessageId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(ReachOutListModel::IdRole).toUuid() : QUuid();
}

int ReachOutsPage::rowOf(const QUuid &messageId) const
{
    if (messageId.isNull())
        return -1;
    const QList<ScheduledMessage> &messages = m_model->messages();
    for (int row = 0; row < messages.size(); ++row)
        if (messages.at(row).id == messageId)
            return row;
    return -1;
}

void ReachOutsPage::updateDetail()
{
    const int row = rowOf(selectedMessageId());
    const bool pending = row >= 0 && m_model->messages().at(row).status == MessageStatus::Pending;
    m_cancelAction->setEnabled(pending);
    m_markSentAction->setEnabled(pending);
    if (row < 0) {
        m_detailTitle->setText(m_model->rowCount() > 0 ? tr("Select a reach-out to read its message.")
                                                       : QString());
        m_detailText->clear();
        m_detailText->setEnabled(false);
        return;
    }
    const ScheduledMessage &message = m_model->messages().at(row);
    const QString customer = m_model->index(row, ReachOutListModel::Customer).data().toString();
    const QString status = m_model->isOverdue(message)
                               ? tr("overdue")
                               : m_model->index(row, ReachOutListModel::Status).data().toString().toLower();
    m_detailTitle->setText(tr("To %1, due %2 (%3)").arg(customer, formatLocal(message.scheduledFor), status));
    QString body;
    if (message.customContent && !message.customContent->isEmpty())
        body = *message.customContent;
    else if (message.templateName && !message.templateName->isEmpty())
        body = tr("The \u201c%1\u201d template: the server writes the message from it when it sends the "
                  "reach-out.")
                   .arg(ReachOutListModel::messageText(message));
    if (message.status == MessageStatus::Failed && message.errorMessage)
        body += tr("\n\nSending failed: %1").arg(*message.errorMessage);
    m_detailText->setPlainText(body);
    m_detailText->setEnabled(true);
}

void ReachOutsPage::cancelSelected()
{
    const int row = rowOf(selectedMessageId());
    if (row < 0 || m_model->messages().at(row).status != MessageStatus::Pending)
        return;
    const ScheduledMessage &message = m_model->messages().at(row);
    const QUuid id = message.id;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Cancel reach-out"),
                                tr("Cancel the %1 to %2 due %3?")
                                    .arg(ReachOutListModel::messageText(message).toLower(),
                                         m_model->index(row, ReachOutListModel::Customer).data().toString(),
                                         formatLocal(message.scheduledFor)),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("cancelReachOutConfirmation"));
    box->setInformativeText(tr("It will not be sent. It stays in the list as cancelled."));
    QPushButton *confirm = box->addButton(tr("Cancel reach-out"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmCancelReachOutButton"));
    QPushButton *keep = box->addButton(tr("Keep it"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepReachOutButton"));
    box->setDefaultButton(keep); // Enter after a Del pressed by mistake keeps the reach-out
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, id, confirm](QAbstractButton *clicked) {
        if (clicked == confirm)
            cancelMessage(id);
        m_view->setFocus();
    });
    box->open();
}

void ReachOutsPage::cancelMessage(const QUuid &messageId)
{
    const int row = rowOf(messageId);
    auto cancelled = m_context.core().messages.cancel(messageId);
    if (!cancelled) {
        showError(this, tr("Could not cancel the reach-out"), cancelled.error());
        return;
    }
    selectRowAfterAction(row, *cancelled);
}

void ReachOutsPage::selectRowAfterAction(int row, const ScheduledMessage &handled)
{
    // The reach-out just handled leaves the pending ones at the top: once the list is read again, the row it
    // had holds the next pending one, so Del, Del (or Ctrl+Enter twice) works down the list. Until then it
    // shows as it is now, and neither key acts on it again.
    m_model->updateMessage(handled);
    updateDetail();
    m_handled = handled.id;
    m_rowAfterAction = qMax(row, 0);
}

void ReachOutsPage::markSelectedSent()
{
    const int row = rowOf(selectedMessageId());
    if (row < 0 || m_model->messages().at(row).status != MessageStatus::Pending)
        return;
    const QUuid id = m_model->messages().at(row).id;
    auto sent = m_context.core().messages.markSent(id);
    if (!sent) {
        showError(this, tr("Could not mark the reach-out sent"), sent.error());
        return;
    }
    selectRowAfterAction(row, *sent);
}

void ReachOutsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
}

void ReachOutsPage::openCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid())
        Q_EMIT m_context.openContactRequested(current.data(ReachOutListModel::ContactIdRole).toUuid());
}
} // namespace fb::ui
