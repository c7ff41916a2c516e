#pragma once

#include "models/service.h"
#include "models/ticket.h"

#include <QDate>
#include <QHash>
#include <QSet>
#include <QUuid>
#include <QWidget>

#include <optional>

class QComboBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;
class QVBoxLayout;

namespace fb {
struct OfficeCancellation;
}

namespace fb::ui {

class FieldError;

class BriefingWidget;
class LineItemsModel;
class TicketHistoryModel;
class TicketNotesModel;
class UiContext;

/// One ticket: the briefing first, then clock in/out, line items, notes, history; starts the close-out
/// wizard.
///
/// Every write goes through a core service; core announces the commit (ChangeFeed) and this page (and the
/// others) reads again from the database: the screen never shows a state it merely assumes.
/// A completed or cancelled ticket is shown read-only with a banner saying why.
class TicketPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketPage)

public:
    explicit TicketPage(UiContext &context, QWidget *parent = nullptr);
    ~TicketPage() override;

    void showTicket(const QUuid &ticketId);
    QUuid ticketId() const;

public Q_SLOTS:
    void reload();
    /// The actions of the screen's buttons (and their shortcuts).
    void clockIn();
    void clockOut();
    void addLineItem();
    void removeSelectedLineItem();
    void addNote();
    void copyAddress();
    /// Ctrl+L: the keyboard to the quick-add's service field (a job just opened starts there).
    void focusQuickAdd();
    /// Opens the close-out wizard (window-modal, without a nested event loop); reloads when it finishes.
    void closeOut();

Q_SIGNALS:
    /// Back to where the ticket was opened from (Esc, or the Back button).
    void backRequested();

protected:
    /// Enter in the quick-add's service, quantity or price adds the line item.
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void buildUi();
    QHBoxLayout *buildTitleRow(QWidget *content);
    void buildBanners(QWidget *content, QVBoxLayout *page);
    QGroupBox *buildJobBox(QWidget *content);
    QGroupBox *buildClockBox(QWidget *content);
    QGroupBox *buildLineItemsBox(QWidget *content);
    QHBoxLayout *buildAddLineItemRow(QGroupBox *items);
    QGroupBox *buildNotesBox(QWidget *content);
    QGroupBox *buildHistoryBox(QWidget *content);
    void clear(const QString &why);
    /// The read-only banner of a completed or cancelled job; a job cancelled elsewhere says who and when, and
    /// that nothing is lost.
    void showBanner(const Ticket &ticket);
    static QString cancelledElsewhereText(const OfficeCancellation &cancellation);
    void showClock(const Ticket &ticket);
    /// Clocked in and not out, on an open job or one cancelled elsewhere meanwhile: the timer runs and Clock
    /// out stops it.
    bool isClockRunning() const;
    void reloadServices();
    void reloadNotes();
    void reloadHistory();
    void updatePricingEditors();
    void updateElapsed();
    void updateEnabled();
    bool isEditable() const;
    /// The service the quick-add would add: the one picked from the list, else the best match of the text.
    std::optional<Service> currentService() const;
    /// The catalog's service that best matches typed text (see the definition), or null.
    QUuid matchService(const QString &typed) const;

    UiContext &m_context;
    QUuid m_ticketId;
    std::optional<TicketWithDetails> m_details;
    /// The job shown was cancelled by the office (or the technician's other device), not here.
    bool m_officeCancelled = false;
    bool m_workMayContinue = false; ///< line items, notes and the close-out are open (workMayContinue)
    /// A job was just opened: the quick-add takes the keyboard once the page shows.
    bool m_focusOnShow = false;
    QHash<QUuid, Service> m_services;
    QList<QUuid> m_serviceOrder;
    /// Line items seen on this ticket since it was opened, so a removed one keeps its history rows (the audit
    /// trail is read per entity and the core lists only live line items).
    QSet<QUuid> m_lineItemIds;

    QPushButton *m_backButton = nullptr;
    QLabel *m_customerName = nullptr;
    QLabel *m_statusBadge = nullptr;
    QPushButton *m_closeOutButton = nullptr;
    QLabel *m_readOnlyBanner = nullptr;
    QLabel *m_loadError = nullptr;
    BriefingWidget *m_briefing = nullptr;

    QLabel *m_address = nullptr;
    QPushButton *m_copyAddressButton = nullptr;
    QLabel *m_scheduled = nullptr;

    QPushButton *m_clockInButton = nullptr;
    QPushButton *m_clockOutButton = nullptr;
    QLabel *m_elapsed = nullptr;
    QLabel *m_clockState = nullptr;
    QTimer *m_elapsedTimer = nullptr;

    QComboBox *m_serviceCombo = nullptr;
    QSpinBox *m_quantitySpin = nullptr;
    QLineEdit *m_priceEdit = nullptr;
    QLabel *m_linePreview = nullptr;
    /// What is wrong with the quick-add's service, quantity or price, in words, under its row.
    FieldError *m_quickAddError = nullptr;
    QPushButton *m_addLineItemButton = nullptr;
    QTableView *m_lineItemsView = nullptr;
    LineItemsModel *m_lineItems = nullptr;
    QPushButton *m_removeLineItemButton = nullptr;
    QLabel *m_total = nullptr;

    QListView *m_notesView = nullptr;
    TicketNotesModel *m_notes = nullptr;
    QLineEdit *m_noteEdit = nullptr;
    QPushButton *m_addNoteButton = nullptr;

    QTableView *m_historyView = nullptr;
    TicketHistoryModel *m_history = nullptr;
};

} // namespace fb::ui
