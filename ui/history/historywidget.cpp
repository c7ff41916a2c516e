#include "historywidget.h"

#include "common/uicontext.h"

namespace fb::ui {

// Placeholder until the viewer lands.
HistoryWidget::HistoryWidget(UiContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    setObjectName(QStringLiteral("historyWidget"));
}

void HistoryWidget::showEntity(const QString &entityType, const QUuid &entityId)
{
    Q_UNUSED(entityType)
    Q_UNUSED(entityId)
}

void HistoryWidget::showRecentActivity()
{
}

void HistoryWidget::reload()
{
}

} // namespace fb::ui
