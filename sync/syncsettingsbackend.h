#pragma once

#include "syncapi/settingsbackend.h"

#include <QtGlobal>

#include <memory>

namespace fb::sync {

class HttpLlmClient;
class SyncService;

/// The sync wing's side of the settings dialog (SettingsBackend, core): server URLs (ServerUrl,
/// ServerCredentialStore), the keychain (ServerCredentialStore, LlmKeyStore), the connection tests
/// (ServerCheck on a pool thread, an HttpLlmClient on this thread) and applying saved settings to the running
/// SyncService. app/gui.cpp makes one per window. Lives on the GUI thread and never blocks it.
class SyncSettingsBackend final : public SettingsBackend
{
    Q_DISABLE_COPY_MOVE(SyncSettingsBackend)

public:
    /// `sync` may be null: saved settings are then used at the next start.
    explicit SyncSettingsBackend(SyncService *sync);
    ~SyncSettingsBackend() override;

    QString withoutPassword(const QString &url, QString *password = nullptr) const override;
    bool sameServerAccount(const QString &url, const QString &other) const override;
    Status checkServerUrl(const QString &url) const override;
    Status checkModelBaseUrl(const QString &url) const override;

    Keychain serverPasswordKeychain() const override;
    bool modelKeyKeychainEnabled() const override;
    void readServerPassword(const QString &url, QObject *context,
                            std::function<void(Result<QString>)> done) override;
    void writeServerPassword(const QString &url, const QString &password, QObject *context,
                             std::function<void(Status)> done) override;
    void readModelKey(LlmProvider provider, QObject *context,
                      std::function<void(Result<QString>)> done) override;
    void writeModelKey(LlmProvider provider, const QString &key, QObject *context,
                       std::function<void(Status)> done) override;

    void testServer(const QString &url, const QString &password, const QUuid &userId, QObject *context,
                    std::function<void(Result<ServerCheckResult>)> done) override;
    void testModel(const LlmSettings &llm, QObject *context,
                   std::function<void(Result<ModelCheckResult>)> done) override;
    void cancelModelTest() override;

    void apply(const AppSettings &settings, const QString &password, const QString &modelKey) override;

private:
    SyncService *m_sync;
    /// The model test in flight; replacing or resetting it cancels it.
    std::unique_ptr<HttpLlmClient> m_modelTest;
    /// Only the latest model test's answer counts (one cancelled answers while it is destroyed).
    quint64 m_modelTests = 0;
};

} // namespace fb::sync
