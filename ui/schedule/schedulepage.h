#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QMenu;
class QTableView;
class QToolButton;

namespace fb::ui {

class ScheduleModel;
class UiContext;

/// Day and week views of the technician's tickets; Enter or a double-click opens one
/// (UiContext::openTicketRequested).
///
/// Keys while the list has focus: Left/Right a day back or on, PgUp/PgDn a week, T today, Up/Down from ticket
/// to ticket, Enter opens, Del cancels; on the whole page Ctrl+N a new ticket, Ctrl+R reschedules.
class SchedulePage final : public QWidget
{
    Q_OBJECT

public:
    enum class ViewMode
    {
        Day,
        Week
    };

    explicit SchedulePage(UiContext &context, QWidget *parent = nullptr);

    /// The day shown (the day view), or a day of the week shown (the week view).
    QDate currentDate() const;
    /// New ticket (Ctrl+N within the page). The main window, whose File menu has its own Ctrl+N for every
    /// section, takes the shortcut off it: two owners of one shortcut make Qt fire neither.
    QAction *newTicketAction() const { return m_newAction; }
    void setDate(const QDate &date);

    ViewMode viewMode() const { return m_mode; }
    void setViewMode(ViewMode mode);

    /// The selected ticket, or a null id.
    QUuid selectedTicketId() const;
    /// Shows the day of `ticketId` (keeping the view mode) and selects it; false when it is not the
    /// technician's.
    bool selectTicket(const QUuid &ticketId);

    /// Gives the list the keyboard focus (the window opens with it: Enter opens the selected job, which is
    /// today's next one).
    void focusList();

public Q_SLOTS:
    void goToToday();
    /// Ctrl+N: the new-ticket dialog.
    void newTicket();
    void reload();
    /// A day (day view) or a week (week view) back or on.
    void previous();
    void next();
    /// Ctrl+R: change the selected ticket's date, time and duration.
    void rescheduleSelected();
    /// Del: cancel the selected ticket, after a confirmation.
    void cancelSelected();
    /// Enter: asks the main window to open the selected ticket.
    void openSelected();

private:
    /// The list of the shown days' tickets, with the hint shown over it when it is empty.
    void buildView();
    void buildEmptyOverlay();
    /// The keys of the list and of the page, each an action the buttons and the context menu share.
    void createActions();
    /// Day and week, previous, today and next, the date, and the buttons of the ticket actions.
    QHBoxLayout *buildToolbar();
    void buildViewModeButtons();
    /// Previous and next; returns the Today button that goes between them.
    QToolButton *buildStepButtons();
    void buildContextMenu();
    /// Double-click, the context menu, the selection, and reloading when the data changes.
    void connectView();
    QDate firstShownDay() const;
    int shownDayCount() const;
    /// Reads the shown days again. Keeps `keep` selected when it is still shown, else selects the first
    /// ticket of the current day.
    void load(const QUuid &keep);
    void selectRow(int row);
    void onCurrentRowChanged();
    void updateDateLabel();
    void updateActions();
    void showContextMenu(const QPoint &position);
    void cancelTicket(const QUuid &ticketId);
    QAction *addViewAction(const QString &text, const QString &icon, const QList<QKeySequence> &keys,
                           QWidget *owner, Qt::ShortcutContext context);

    UiContext &m_context;
    QDate m_date;
    ViewMode m_mode = ViewMode::Day;
    bool m_selecting = false;

    ScheduleModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_dateLabel = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QToolButton *m_dayButton = nullptr;
    QToolButton *m_weekButton = nullptr;
    QToolButton *m_previousButton = nullptr;
    QToolButton *m_nextButton = nullptr;
    QMenu *m_contextMenu = nullptr;

    QAction *m_previousDayAction = nullptr;
    QAction *m_nextDayAction = nullptr;
    QAction *m_previousWeekAction = nullptr;
    QAction *m_nextWeekAction = nullptr;
    QAction *m_todayAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_rescheduleAction = nullptr;
    QAction *m_cancelAction = nullptr;
};

} // namespace fb::ui
