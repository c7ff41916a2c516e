#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// Day and week views of the technician's tickets; Enter or a double-click opens one (UiContext::openTicketRequested).
class SchedulePage final : public QWidget
{
    Q_OBJECT

public:
    explicit SchedulePage(UiContext &context, QWidget *parent = nullptr);

    /// The day shown (the day view), or a day of the week shown (the week view).
    QDate currentDate() const;
    void setDate(const QDate &date);

public Q_SLOTS:
    void goToToday();
    /// Ctrl+N: the new-ticket dialog.
    void newTicket();
    void reload();

private:
    UiContext &m_context;
};

} // namespace fb::ui
