#include "reachoutspage.h"

#include "common/badgedelegate.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "reachoutlistmodel.h"
#include "util/timeutil.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

ReachOutsPage::ReachOutsPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new ReachOutListModel(this)),
      m_pendingOnly(new QCheckBox(tr("&Pending only"), this)), m_view(new QTableView(this)),
      m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("reachOutsPage"));

    m_pendingOnly->setObjectName(QStringLiteral("pendingOnlyCheck"));
    m_pendingOnly->setToolTip(tr("Hide reach-outs already sent, cancelled or failed"));
    connect(m_pendingOnly, &QCheckBox::toggled, this, &ReachOutsPage::reload);

    m_view->setObjectName(QStringLiteral("reachOutsView"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(ReachOutListModel::Status, new BadgeDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
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

    m_summary->setObjectName(QStringLiteral("reachOutsSummary"));
    m_summary->setWordWrap(true);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_pendingOnly);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(&m_context, &UiContext::dataChanged, this, &ReachOutsPage::reload);
    setFocusProxy(m_view);
    reload();
}

void ReachOutsPage::reload()
{
    const Core &core = m_context.core();
    auto messages = m_pendingOnly->isChecked() ? core.messages.listPending() : core.messages.list();
    if (!messages) {
        m_model->setMessages({}, {}, nowUtc());
        m_summary->setText(tr("Could not read the reach-outs: %1").arg(messages.error().toString()));
        return;
    }
    // One read per customer, not per message.
    QHash<QUuid, QString> names;
    for (const ScheduledMessage &message : *messages) {
        if (!names.contains(message.contactId)) {
            auto contact = core.contacts.getById(message.contactId);
            names.insert(message.contactId, contact ? contact->name : tr("(customer removed)"));
        }
    }
    m_model->setMessages(*messages, names, nowUtc());
    int pending = 0;
    int overdue = 0;
    for (const ScheduledMessage &message : m_model->messages()) {
        pending += message.status == MessageStatus::Pending ? 1 : 0;
        overdue += m_model->isOverdue(message) ? 1 : 0;
    }
    if (messages->isEmpty())
        m_summary->setText(tr("No reach-outs: they are scheduled when a job is closed with \u201creach out "
                              "in N months\u201d."));
    else if (overdue > 0)
        m_summary->setText(tr("%n pending, ", nullptr, pending) + tr("%n overdue.", nullptr, overdue));
    else
        m_summary->setText(tr("%n pending.", nullptr, pending));
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
