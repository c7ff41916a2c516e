#pragma once

#include <QMainWindow>
#include <QUuid>

class QListWidget;
class QStackedWidget;
class QAction;

namespace fb {
class AppSettings;
class SettingsBackend;
class SyncControl;
} // namespace fb

namespace fb::ui {

class UiContext;
class SchedulePage;
class ContactsPage;
class CatalogPage;
class InvoicesPage;
class ReachOutsPage;
class TicketPage;
class HistoryPage;
class SyncPanel;
class SearchDialog;
class SyncStatusWidget;

/// The technician's main window: navigation to Schedule, Contacts, Catalog, Invoices and Reach-outs
/// (Ctrl+1..5), the global search (Ctrl+K), a ticket screen opened from anywhere, and the sync status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum Section
    {
        Schedule,
        Contacts,
        Catalog,
        Invoices,
        ReachOuts,
        History,
        Sync
    };

    /// `sync` may be null: no server configured, the status bar says so. `settings` and `settingsBackend`
    /// (both or neither; app makes them, sync implements the backend) are what the settings dialog edits and
    /// asks; without them (tests of other screens) Settings is disabled.
    MainWindow(UiContext &context, SyncControl *sync, AppSettings *settings = nullptr,
               SettingsBackend *settingsBackend = nullptr, QWidget *parent = nullptr);

    void showSection(Section section);
    void openTicket(const QUuid &ticketId);
    void openContact(const QUuid &contactId);
    void openSearch();
    void showAbout();

    SchedulePage *schedulePage() const { return m_schedule; }
    ContactsPage *contactsPage() const { return m_contacts; }
    CatalogPage *catalogPage() const { return m_catalog; }
    InvoicesPage *invoicesPage() const { return m_invoices; }
    ReachOutsPage *reachOutsPage() const { return m_reachOuts; }
    TicketPage *ticketPage() const { return m_ticket; }
    HistoryPage *historyPage() const { return m_history; }
    SyncPanel *syncPanel() const { return m_syncPanel; }
    /// The settings dialog (Ctrl+,), opened without a nested event loop.
    void openSettings();

Q_SIGNALS:
    /// The settings were saved (the app rebuilds what depends on them).
    void settingsSaved();

public:
    SearchDialog *searchDialog() const { return m_search; }

private:
    void buildMenus();
    QAction *addAction(QMenu *menu, const QString &text, const QString &icon, const QKeySequence &shortcut,
                       const QString &objectName);

    UiContext &m_context;
    SyncControl *m_sync;
    AppSettings *m_settings;
    SettingsBackend *m_settingsBackend;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    SchedulePage *m_schedule;
    ContactsPage *m_contacts;
    CatalogPage *m_catalog;
    InvoicesPage *m_invoices;
    ReachOutsPage *m_reachOuts;
    HistoryPage *m_history;
    SyncPanel *m_syncPanel;
    TicketPage *m_ticket;
    SearchDialog *m_search;
    SyncStatusWidget *m_status;
    QWidget *m_beforeTicket = nullptr; ///< the page the ticket was opened from (Back returns there)
};

} // namespace fb::ui
