#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// One ticket: the briefing first, then clock in/out, line items, notes, history; starts the close-out wizard.
class TicketPage final : public QWidget
{
    Q_OBJECT

public:
    explicit TicketPage(UiContext &context, QWidget *parent = nullptr);

    void showTicket(const QUuid &ticketId);
    QUuid ticketId() const;

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    /// Back to where the ticket was opened from (Esc, or the Back button).
    void backRequested();

private:
    UiContext &m_context;
};

} // namespace fb::ui
