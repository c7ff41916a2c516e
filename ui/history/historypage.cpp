#include "historypage.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "historywidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

HistoryPage::HistoryPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_history(new HistoryWidget(context, this)),
      m_restoreButton(new QPushButton(themedIcon(QStringLiteral("edit-undo")), tr("&Restore"), this)),
      m_hint(new QLabel(this))
{
    setObjectName(QStringLiteral("historyPage"));

    auto *title = new QLabel(tr("Your recent activity"), this);
    title->setObjectName(QStringLiteral("historyTitle"));
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    title->setFont(titleFont);

    m_restoreButton->setObjectName(QStringLiteral("restoreButton"));
    m_restoreButton->setToolTip(
        withShortcut(tr("Bring back what the selected entry deleted"), QKeySequence(Qt::ALT | Qt::Key_R)));
    connect(m_restoreButton, &QPushButton::clicked, this, &HistoryPage::restoreSelected);
    m_hint->setObjectName(QStringLiteral("restoreHint"));
    m_hint->setWordWrap(true);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(title);
    bar->addSpacing(2 * kSpacing);
    bar->addWidget(m_hint, 1);
    bar->addWidget(m_restoreButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(m_history, 1);

    auto *table = m_history->findChild<QTableView *>(QStringLiteral("historyTable"));
    table->setToolTip(withShortcut(tr("Open the customer or the job"), QKeySequence(Qt::Key_Return)));
    connect(table, &QTableView::doubleClicked, this, &HistoryPage::openSelected);
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), table, this, &HistoryPage::openSelected, Qt::WidgetShortcut);
    connect(m_history, &HistoryWidget::currentRowChanged, this, &HistoryPage::updateActions);

    setFocusProxy(m_history);
    m_history->showRecentActivity();
    updateActions();
}

bool HistoryPage::canRestore(const QString &entityType)
{
    return entityType == QLatin1String("contact") || entityType == QLatin1String("service") ||
           entityType == QLatin1String("line_item");
}

void HistoryPage::reload()
{
    m_history->reload();
}

void HistoryPage::updateActions()
{
    const auto row = m_history->currentRow();
    const bool deletion = row && row->action == HistoryAction::Deleted;
    const bool restorable = deletion && row->entityDeleted && canRestore(row->entry.entityType);
    m_restoreButton->setEnabled(restorable);
    if (!deletion)
        m_hint->setText(tr("Select a deletion to restore what it deleted."));
    else if (!row->entityDeleted)
        m_hint->setText(tr("%1 was restored since.").arg(row->subject));
    else if (!canRestore(row->entry.entityType))
        m_hint->setText(tr("%1 was removed for good: add it again instead.").arg(row->subject));
    else
        m_hint->setText(tr("%1 can be restored.").arg(row->subject));
}

void HistoryPage::restoreSelected()
{
    const auto row = m_history->currentRow();
    if (!row || row->action != HistoryAction::Deleted || !canRestore(row->entry.entityType))
        return;
    Core &core = m_context.core();
    const QString &type = row->entry.entityType;
    const QUuid &id = row->entry.entityId;
    Status restored;
    if (type == QLatin1String("contact")) {
        if (auto contact = core.contacts.restore(id); !contact)
            restored = contact.error();
    } else if (type == QLatin1String("service")) {
        if (auto service = core.catalog.restoreService(id); !service)
            restored = service.error();
    } else if (auto item = core.tickets.restoreLineItem(id); !item) {
        restored = item.error();
    }
    if (!restored) {
        showError(this, tr("Could not restore %1").arg(row->subject), restored.error());
        return;
    }
    m_hint->setText(tr("%1 is back.").arg(row->subject));
    m_history->setFocus();
}

void HistoryPage::openSelected()
{
    const auto row = m_history->currentRow();
    if (!row || row->entityDeleted)
        return;
    if (row->entry.entityType == QLatin1String("contact"))
        Q_EMIT m_context.openContactRequested(row->entry.entityId);
    else if (row->entry.entityType == QLatin1String("ticket"))
        Q_EMIT m_context.openTicketRequested(row->entry.entityId);
}

} // namespace fb::ui
