#include "mainwindow.h"

#include "catalog/catalogpage.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contacts/contactspage.h"
#include "core.h"
#include "events/changefeed.h"
#include "history/historypage.h"
#include "invoices/invoicespage.h"
#include "reachouts/reachoutspage.h"
#include "schedule/schedulepage.h"
#include "searchdialog.h"
#include "settings/settingsdialog.h"
#include "syncapi/synccontrol.h"
#include "syncpanel/syncpanel.h"
#include "syncstatuswidget.h"
#include "ticket/ticketpage.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

namespace fb::ui {

namespace {

/// The sections in the order of MainWindow::Section, of the navigation and of their shortcuts (Ctrl+1..).
struct SectionInfo
{
    QString menuText;
    QString icon;
    QString actionName;
};

const QList<SectionInfo> &sections()
{
    static const QList<SectionInfo> list{
        {QObject::tr("&Schedule"), QStringLiteral("x-office-calendar"), QStringLiteral("goScheduleAction")},
        {QObject::tr("&Contacts"), QStringLiteral("system-users"), QStringLiteral("goContactsAction")},
        {QObject::tr("C&atalog"), QStringLiteral("view-list-details"), QStringLiteral("goCatalogAction")},
        {QObject::tr("&Invoices"), QStringLiteral("x-office-document"), QStringLiteral("goInvoicesAction")},
        {QObject::tr("Reach-&outs"), QStringLiteral("mail-send"), QStringLiteral("goReachOutsAction")},
        {QObject::tr("&History"), QStringLiteral("document-open-recent"), QStringLiteral("goHistoryAction")},
        {QObject::tr("S&ync"), QStringLiteral("view-refresh"), QStringLiteral("goSyncAction")},
    };
    return list;
}

} // namespace

MainWindow::MainWindow(UiContext &context, SyncControl *sync, AppSettings *settings,
                       SettingsBackend *settingsBackend, QWidget *parent)
    : QMainWindow(parent), m_context(context), m_sync(sync), m_settings(settings),
      m_settingsBackend(settings ? settingsBackend : nullptr), m_nav(new QListWidget(this)),
      m_stack(new QStackedWidget(this)), m_schedule(new SchedulePage(context, m_stack)),
      m_contacts(new ContactsPage(context, m_stack)), m_catalog(new CatalogPage(context, m_stack)),
      m_invoices(new InvoicesPage(context, m_stack)), m_reachOuts(new ReachOutsPage(context, m_stack)),
      m_history(new HistoryPage(context, m_stack)), m_syncPanel(new SyncPanel(context, sync, m_stack)),
      m_ticket(new TicketPage(context, m_stack)), m_search(new SearchDialog(context, this)),
      m_status(new SyncStatusWidget(sync, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Fieldbook"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("org.fieldbook.Fieldbook"),
                                   QIcon(QStringLiteral(":/app/org.fieldbook.Fieldbook.svg"))));

    // Navigation: one entry per section, in the order of their shortcuts.
    m_nav->setObjectName(QStringLiteral("navigation"));
    int index = 0;
    for (const SectionInfo &section : sections()) {
        const QString text = QString(section.menuText).remove(QLatin1Char('&'));
        auto *item = new QListWidgetItem(themedIcon(section.icon), text, m_nav);
        item->setToolTip(withShortcut(text, QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index))));
        ++index;
    }
    m_nav->setIconSize(QSize(24, 24));
    m_nav->setSpacing(kSpacing / 2);
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setFixedWidth(m_nav->sizeHintForColumn(0) + 4 * kSpacing);
    // The navigation sits on the window colour, not in a white box.
    m_nav->viewport()->setAutoFillBackground(false);

    for (QWidget *page : {static_cast<QWidget *>(m_schedule), static_cast<QWidget *>(m_contacts),
                          static_cast<QWidget *>(m_catalog), static_cast<QWidget *>(m_invoices),
                          static_cast<QWidget *>(m_reachOuts), static_cast<QWidget *>(m_history),
                          static_cast<QWidget *>(m_syncPanel), static_cast<QWidget *>(m_ticket)})
        m_stack->addWidget(page);
    m_stack->setObjectName(QStringLiteral("pages"));

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(kSpacing, kSpacing, kSpacing, 0);
    layout->setSpacing(kSpacing);
    layout->addWidget(m_nav);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            m_stack->setCurrentIndex(row);
    });
    connect(&m_context, &UiContext::openTicketRequested, this, &MainWindow::openTicket);
    connect(&m_context, &UiContext::openContactRequested, this, &MainWindow::openContact);
    connect(m_syncPanel, &SyncPanel::settingsRequested, this, &MainWindow::openSettings);
    connect(m_ticket, &TicketPage::backRequested, this, [this] {
        QWidget *back = m_beforeTicket ? m_beforeTicket : m_schedule;
        const int row = m_stack->indexOf(back);
        m_nav->setCurrentRow(row);
        m_stack->setCurrentWidget(back);
        if (back == m_schedule)
            m_schedule->focusList();
    });

    statusBar()->addPermanentWidget(m_status, 1);
    statusBar()->setSizeGripEnabled(false);
    if (m_sync) {
        connect(m_status, &SyncStatusWidget::syncNowRequested, m_sync, &SyncControl::syncNow);
        // A change written here (an audited entity: the outbox has a row for it) reaches the server within
        // the worker's debounce when online. The worker's own commits (and a pull's) are not pushed back.
        connect(&m_context.changes(), &ChangeFeed::changed, m_sync,
                [sync = m_sync](const ChangeSet &changes) {
                    if (!changes.fromOtherConnection && !changes.entities.isEmpty())
                        sync->localChangesCommitted();
                });
    }

    buildMenus();
    showSection(Schedule);
    // The window opens with the keyboard on today's next job (SchedulePage selects it): Enter opens it.
    m_schedule->focusList();
    // 1280x760 where the screen has room; on a smaller one (or at 200%: a 1366x768 screen is 683x384 logical
    // pixels) what the screen's available geometry leaves, title bar included (theme.h).
    resize(sizeWithinScreen(this, QSize(1280, 760)));
}

QAction *MainWindow::addAction(QMenu *menu, const QString &text, const QString &icon,
                               const QKeySequence &shortcut, const QString &objectName)
{
    QAction *action = menu->addAction(icon.isEmpty() ? QIcon() : themedIcon(icon), text);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    action->setToolTip(
        withShortcut(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")), shortcut));
    // Shortcuts work whichever widget has the focus, even before the menu was opened.
    action->setShortcutContext(Qt::ApplicationShortcut);
    return action;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newTicket = addAction(file, tr("&New ticket…"), QStringLiteral("appointment-new"),
                                   QKeySequence(Qt::CTRL | Qt::Key_N), QStringLiteral("newTicketAction"));
    m_schedule->newTicketAction()->setShortcuts({});
    connect(newTicket, &QAction::triggered, this, [this] {
        showSection(Schedule);
        m_schedule->newTicket();
    });
    QAction *syncNow = addAction(file, tr("&Sync now"), QStringLiteral("view-refresh"),
                                 QKeySequence(Qt::Key_F5), QStringLiteral("syncNowAction"));
    syncNow->setEnabled(m_sync && m_sync->isPushConfigured());
    if (m_sync) {
        connect(syncNow, &QAction::triggered, m_sync, &SyncControl::syncNow);
        connect(m_sync, &SyncControl::pushConfiguredChanged, syncNow, &QAction::setEnabled);
    }
    QAction *settings = addAction(file, tr("Se&ttings…"), QStringLiteral("preferences-system"),
                                  QKeySequence(Qt::CTRL | Qt::Key_Comma), QStringLiteral("settingsAction"));
    settings->setEnabled(m_settingsBackend != nullptr);
    connect(settings, &QAction::triggered, this, &MainWindow::openSettings);
    file->addSeparator();
    QAction *quit =
        addAction(file, tr("&Quit"), {}, QKeySequence(Qt::CTRL | Qt::Key_Q), QStringLiteral("quitAction"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    int index = 0;
    for (const SectionInfo &section : sections()) {
        QAction *action = addAction(go, section.menuText, section.icon,
                                    QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)), section.actionName);
        connect(action, &QAction::triggered, this, [this, index] { showSection(Section(index)); });
        ++index;
    }
    go->addSeparator();
    QAction *search = addAction(go, tr("&Find customer…"), QStringLiteral("edit-find"),
                                QKeySequence(Qt::CTRL | Qt::Key_K), QStringLiteral("searchAction"));
    connect(search, &QAction::triggered, this, &MainWindow::openSearch);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = addAction(help, tr("&About Fieldbook"), QStringLiteral("help-about"), {},
                               QStringLiteral("aboutAction"));
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);

    // A toolbar with the everyday actions; its search button reads like a search field.
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(newTicket);
    bar->addAction(search);
}

void MainWindow::showSection(Section section)
{
    m_nav->setCurrentRow(int(section));
    m_stack->setCurrentIndex(int(section));
}

void MainWindow::openTicket(const QUuid &ticketId)
{
    if (m_stack->currentWidget() != m_ticket)
        m_beforeTicket = m_stack->currentWidget();
    m_ticket->showTicket(ticketId);
    m_nav->clearSelection();
    m_stack->setCurrentWidget(m_ticket);
}

void MainWindow::openContact(const QUuid &contactId)
{
    showSection(Contacts);
    m_contacts->showContact(contactId);
}

void MainWindow::openSettings()
{
    if (!m_settingsBackend)
        return;
    auto *dialog = new SettingsDialog(m_context, *m_settings, *m_settingsBackend, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::saved, this, &MainWindow::settingsSaved);
    dialog->open();
}

void MainWindow::openSearch()
{
    m_search->start();
}

void MainWindow::showAbout()
{
    auto *box = new QMessageBox(this);
    box->setObjectName(QStringLiteral("aboutDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(tr("About Fieldbook"));
    box->setIconPixmap(windowIcon().pixmap(64, 64));
    box->setText(tr("<b>Fieldbook %1</b>").arg(QStringLiteral(FIELDBOOK_VERSION)));
    box->setInformativeText(
        tr("The offline-first job book for field-service technicians.<br>"
           "Database: %1<br>Qt %2")
            .arg(m_context.core().databasePath().toHtmlEscaped(), QString::fromLatin1(qVersion())));
    box->open();
}

} // namespace fb::ui
