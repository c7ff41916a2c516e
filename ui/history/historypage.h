#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace fb::ui {

class HistoryWidget;
class UiContext;

/// The technician's own recent activity (a HistoryWidget), newest first, with Restore for a deleted
/// customer, catalog service or line item. Enter or a double-click opens a customer or a job.
///
/// What can be restored: rows that are soft-deleted (still in their table with deleted_at set) and that a
/// service can bring back: customers (ContactService::restore), services (CatalogService::restoreService) and
/// line items of an open job (TicketService::restoreLineItem). Addresses and attributes are removed for good
/// (hard delete): their audit snapshot could recreate them, but a recreated row would be a new row the sync
/// server has already deleted, so the page says to add them again instead.
class HistoryPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPage)

public:
    explicit HistoryPage(UiContext &context, QWidget *parent = nullptr);

    HistoryWidget *historyWidget() const { return m_history; }
    /// Whether a deleted entity of `entityType` ("contact", "line_item", ...) can be restored here.
    static bool canRestore(const QString &entityType);

public Q_SLOTS:
    void reload();
    /// Restores the entity of the selected deletion.
    void restoreSelected();

private:
    void updateActions();
    void openSelected();

    UiContext &m_context;
    HistoryWidget *m_history;
    QPushButton *m_restoreButton;
    QLabel *m_hint;
};

} // namespace fb::ui
