#include "gui.h"

#include "cli.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "databasefolder.h"
#include "demodata.h"
#include "llm/llmclientfactory.h"
#include "llm/llmkeystore.h"
#include "llm/llmsettings.h"
#include "restoreservice.h"
#include "shell/firstrundialog.h"
#include "shell/mainwindow.h"
#include "signin/signinwindow.h"
#include "syncapi/appsettings.h"
#include "syncservice.h"
#include "syncsettingsbackend.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QTextStream>

namespace fb::app {

namespace {

/// QSettings key remembering which technician last worked on a database (one laptop may hold several).
QString profileKey(const QString &path)
{
    return QStringLiteral("profiles/") +
           QString::fromLatin1(
               QFileInfo(path).absoluteFilePath().toUtf8().toBase64(QByteArray::Base64UrlEncoding));
}

/// The sync server: the saved settings with FIELDBOOK_SERVER_URL on top. The URL should carry no password:
/// the keychain, ~/.pgpass or PGPASSWORD has it.
sync::SyncSettings syncSettings(const QString &path, const QUuid &userId, const AppSettings &settings)
{
    sync::SyncSettings s;
    s.databasePath = path;
    s.userId = userId;
    s.serverUrl = qEnvironmentVariable("FIELDBOOK_SERVER_URL", settings.serverUrl);
    s.interval = std::chrono::minutes(settings.syncIntervalMinutes);
    return s;
}

} // namespace

void ReloadableLlmClient::reload()
{
    // The close-out's extraction client lives on this thread and never blocks it (QNetworkAccessManager).
    // Without a key its requests fail as Unavailable and wait in the queue for the sync worker.
    const sync::LlmSettings settings = sync::LlmSettings::load(QSettings());
    if (m_current)
        m_retired.push_back(std::move(m_current)); // its answers in flight still arrive
    m_current = sync::createLlmClient(settings);
    if (settings.apiKey.isEmpty() && sync::LlmKeyStore::enabled()) {
        QPointer<sync::HttpLlmClient> client = m_current.get();
        sync::LlmKeyStore::read(settings.provider, [client](Result<QString> key) {
            if (client && key)
                client->setApiKey(*key);
        });
    }
}

void ReloadableLlmClient::send(const LlmRequest &request, Callback done)
{
    m_current->send(request, std::move(done));
}

GuiApp::GuiApp() = default;

GuiApp::~GuiApp()
{
    closeAll();
}

void GuiApp::closeAll()
{
    m_window.reset();
    m_signIn.reset();
    m_firstRun.reset();
    m_settingsBackend.reset(); // cancels a model test in flight
    m_restore.reset();         // a restore in progress stops within a second; it goes on at the next start
    m_sync.reset();            // stops the sync thread (a running cycle is aborted; its changes stay pending)
    m_settings.reset();
    m_context.reset();
    m_core.reset();
    m_llm.reset();
}

bool GuiApp::open(const QString &path, bool demo, QString &error)
{
    closeAll();
    m_path = path;

    m_llm = std::make_unique<ReloadableLlmClient>();
    m_llm->reload();
    auto core = Core::open(path, QStringLiteral("fieldbook-gui"), m_llm.get());
    if (!core) {
        error = core.error().toString();
        return false;
    }
    m_core = std::move(core).value();
    // The window's connection reads a screen's worth, and it starts cold after every boot: no memory map
    // (Database::setMemoryMapped). Not being able to turn it off costs speed, not correctness: go on.
    if (auto unmapped = m_core->db().setMemoryMapped(false); !unmapped)
        qWarning("the window reads through a memory map: %s", qPrintable(unmapped.error().toString()));

    if (demo) {
        // Demo close-outs were entered with their attributes: queueing their notes would send them all on the
        // first sync (as `fieldbook demo` does).
        m_core->tickets.setExtractionQueue(nullptr);
        DemoDataGenerator generator(*m_core, QDate::currentDate());
        auto summary = generator.generate(DemoDataGenerator::kDefaultContacts);
        m_core->tickets.setExtractionQueue(&m_core->extractionQueue);
        if (!summary) {
            error = summary.error().toString();
            return false;
        }
        startAs(summary->userId);
        return true;
    }

    // A restore from the office server that stopped part-way: offered to go on (the file holds only part of
    // the technician's history, not a profile to work as).
    auto interrupted = sync::interruptedRestore(*m_core);
    if (!interrupted) {
        error = interrupted.error().toString();
        return false;
    }
    if (!interrupted->isEmpty()) {
        showSignIn(*interrupted);
        return true;
    }
    // Who works here: the only profile, the one who worked here last, or ask.
    auto users = m_core->users.list();
    if (!users) {
        error = users.error().toString();
        return false;
    }
    const QUuid remembered = QSettings().value(profileKey(path)).toUuid();
    for (const User &user : *users) {
        if (users->size() == 1 || user.id == remembered) {
            startAs(user.id);
            return true;
        }
    }
    showFirstRun();
    return true;
}

void GuiApp::showFirstRun()
{
    if (!m_firstRun) {
        m_firstRun = std::make_unique<ui::FirstRunDialog>(*m_core);
        connect(m_firstRun.get(), &ui::FirstRunDialog::profileChosen, this, [this](const QUuid &id) {
            m_firstRun.release()->deleteLater(); // its signal is still being delivered
            startAs(id);
        });
        connect(m_firstRun.get(), &ui::FirstRunDialog::demoRequested, this, [this] {
            m_firstRun.release()->deleteLater();
            QDir().mkpath(QFileInfo(cli::demoDatabasePath()).absolutePath()); // Fieldbook's own data folder
            QString message;
            if (!open(cli::demoDatabasePath(), true, message))
                QMessageBox::critical(nullptr, tr("Fieldbook"),
                                      tr("The demo cannot be opened: %1").arg(message));
        });
        connect(m_firstRun.get(), &ui::FirstRunDialog::signInRequested, this, [this] { showSignIn({}); });
    }
    m_firstRun->show();
}

void GuiApp::showSignIn(const QString &interrupted)
{
    if (m_firstRun)
        m_firstRun->hide(); // kept for Back
    // The sign-in window saves the server URL (m_settings) and keeps the password in the keychain through
    // the settings' backend, which has no running sync to apply them to yet; the restore runs on the
    // service's own thread.
    m_settings = std::make_unique<AppSettings>();
    m_settingsBackend = std::make_unique<sync::SyncSettingsBackend>(nullptr);
    m_restore = std::make_unique<sync::RestoreService>(m_path, interrupted);
    m_signIn = std::make_unique<ui::SignInWindow>(*m_restore, *m_settingsBackend, *m_settings);
    // Queued: the window's signal is still being delivered when it goes.
    connect(
        m_signIn.get(), &ui::SignInWindow::backRequested, this,
        [this] {
            m_signIn.reset();
            m_restore.reset(); // Back is offered only while nothing runs and nothing was restored
            showFirstRun();
        },
        Qt::QueuedConnection);
    connect(
        m_signIn.get(), &ui::SignInWindow::signedIn, this,
        [this](const QUuid &userId) {
            // The login's password, in memory: the sync that goes on needs no keychain for it.
            const QString password = m_restore->password();
            m_signIn.reset();
            m_restore.reset();
            m_firstRun.reset();
            startAs(userId, password);
        },
        Qt::QueuedConnection);
    m_signIn->show();
}

void GuiApp::startAs(const QUuid &userId, const QString &serverPassword)
{
    if (const Status selected = m_core->setCurrentUser(userId); !selected) {
        QMessageBox::critical(nullptr, tr("Fieldbook"),
                              tr("Cannot work as this profile: %1").arg(selected.error().toString()));
        return;
    }
    QSettings().setValue(profileKey(m_path), userId);
    m_context = std::make_unique<ui::UiContext>(*m_core);
    // Always started: without a server nothing is pushed, but the worker still sends the close-outs' queued
    // notes to the model when it can be reached (issue 4), with its own settings, key and connection.
    m_settings = std::make_unique<AppSettings>();
    sync::SyncSettings settings = syncSettings(m_path, userId, *m_settings);
    settings.password = serverPassword; // empty: the keychain, then ~/.pgpass
    m_sync = std::make_unique<sync::SyncService>(settings);
    // The two wings meet here: the window sees sync as a SyncControl, and the settings dialog reaches the
    // network and the keychain through the backend, which applies saved settings to m_sync.
    m_settingsBackend = std::make_unique<sync::SyncSettingsBackend>(m_sync.get());
    m_window =
        std::make_unique<ui::MainWindow>(*m_context, m_sync.get(), m_settings.get(), m_settingsBackend.get());
    // New model settings or key: the next close-out uses them (the sync worker reloads its own). saved(), not
    // AppSettings::updated: by then the keychain has answered for a typed key.
    connect(m_window.get(), &ui::MainWindow::settingsSaved, m_llm.get(), [this] { m_llm->reload(); });
    m_window->show();
}

int runGui(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fieldbook: jobs, customers and notes, offline first."));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Open FILE instead of the default database"),
                                QStringLiteral("FILE"));
    const QCommandLineOption create(QStringLiteral("create"),
                                    QStringLiteral("Make the folder of --db FILE when it does not exist"));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the demo database"));
    parser.addOptions({db, create, demo});
    parser.addHelpOption();
    parser.process(arguments);

    const bool isDemo = parser.isSet(demo);
    const QString path =
        isDemo ? cli::demoDatabasePath() : (parser.isSet(db) ? parser.value(db) : cli::defaultDatabasePath());
    if (isDemo || !parser.isSet(db)) {
        // Fieldbook's own data folder (~/.local/share/fieldbook): made on first start without asking.
        QDir().mkpath(QFileInfo(path).absolutePath());
    } else {
        // A folder named on the command line must exist, or --create makes it: a mistyped --db would
        // otherwise leave a new folder tree and an empty database behind. Said on the terminal that typed it,
        // like any other bad option, before a window opens.
        const auto folder = cli::prepareDatabaseFolder(path, parser.isSet(create));
        if (!folder) {
            QTextStream(stderr) << "fieldbook: " << folder.error().message << Qt::endl;
            return cli::Usage;
        }
        if (folder->created)
            QTextStream(stdout) << "Created the folder " << folder->path << Qt::endl;
    }

    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    ui::applyTheme(*app, ui::systemColorScheme());
    GuiApp gui;
    QString error;
    if (!gui.open(path, isDemo, error)) {
        QMessageBox::critical(nullptr, QObject::tr("Fieldbook"),
                              QObject::tr("Fieldbook cannot open %1:\n%2").arg(path, error));
        return 1;
    }
    return QApplication::exec();
}

} // namespace fb::app
