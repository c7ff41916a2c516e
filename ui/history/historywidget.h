#pragma once

#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// The audit history viewer (issue 6 part 5): who, when, what changed old -> new, for one entity or for the
/// technician's own recent activity.
class HistoryWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryWidget(UiContext &context, QWidget *parent = nullptr);
    /// The history of one entity, newest first. `entityType` as the audit log names it ("contact", "ticket",
    /// "line_item", "invoice", ...).
    void showEntity(const QString &entityType, const QUuid &entityId);
    /// The current technician's own recent activity, newest first.
    void showRecentActivity();

public Q_SLOTS:
    void reload();

private:
    UiContext &m_context;
};

} // namespace fb::ui
