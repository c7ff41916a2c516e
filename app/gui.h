#pragma once

#include <QObject>
#include <QString>
#include <QUuid>

#include "extraction/llmclient.h"
#include "llm/httpllmclient.h"

#include <memory>
#include <vector>

class QApplication;

namespace fb {
class AppSettings;
class Core;
} // namespace fb
namespace fb::sync {
class HttpLlmClient;
class RestoreService;
class SyncService;
class SyncSettingsBackend;
} // namespace fb::sync
namespace fb::ui {
class UiContext;
class MainWindow;
class FirstRunDialog;
class SignInWindow;
} // namespace fb::ui

namespace fb::app {

/// The close-out's model client, rebuilt when the settings change; the core keeps a pointer to this one.
class ReloadableLlmClient final : public QObject, public LlmClient
{
    Q_OBJECT

public:
    /// Makes a client from the settings, the environment and (asynchronously) the keychain.
    void reload();
    void send(const LlmRequest &request, Callback done) override;

private:
    std::unique_ptr<sync::HttpLlmClient> m_current;
    std::vector<std::unique_ptr<sync::HttpLlmClient>> m_retired; ///< replaced clients, kept for their answers
};

/// The desktop app's lifetime: opens a database, settles who works (first start: create, sign in to the
/// office server and restore, pick or explore the demo), then shows the main window with sync running on its
/// own thread. It wires the two wings over core: the window (ui) gets the sync service as a SyncControl and
/// the settings' backend (sync) as a SettingsBackend, both core interfaces, so ui never links sync. Owns
/// everything in the order it must be destroyed: window, the settings' backend, sync, context, core, then the
/// LLM client the core points to.
class GuiApp final : public QObject
{
    Q_OBJECT

public:
    GuiApp();
    ~GuiApp() override;

    /// Opens `path` (created with its directory when missing); `demo` fills it with demo data on first start
    /// and works as the demo profile. Returns false with `error` set when the database cannot be opened.
    bool open(const QString &path, bool demo, QString &error);

    ui::MainWindow *mainWindow() const { return m_window.get(); }
    /// The sync running for the main window's profile; null before the window opens.
    sync::SyncService *syncService() const { return m_sync.get(); }

private:
    /// The main window, working as `userId`; `serverPassword` (in memory only) for the sync, after a sign-in.
    void startAs(const QUuid &userId, const QString &serverPassword = {});
    /// First start: create a profile, sign in to the office server, pick one, or the demo.
    void showFirstRun();
    /// "Sign in to your office server": the restore of the technician's history, or its continuation when
    /// `interrupted` names the technician whose restore stopped part-way.
    void showSignIn(const QString &interrupted);
    void closeAll();

    QString m_path;
    std::unique_ptr<ReloadableLlmClient> m_llm;
    std::unique_ptr<Core> m_core;
    std::unique_ptr<ui::UiContext> m_context;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<sync::SyncService> m_sync;
    std::unique_ptr<sync::SyncSettingsBackend> m_settingsBackend;
    std::unique_ptr<sync::RestoreService> m_restore;
    std::unique_ptr<ui::FirstRunDialog> m_firstRun;
    std::unique_ptr<ui::SignInWindow> m_signIn;
    std::unique_ptr<ui::MainWindow> m_window;
};

/// Runs the GUI: `fieldbook [--db FILE | --demo]`. Needs a QApplication.
int runGui(const QStringList &arguments);

} // namespace fb::app
