#pragma once

#include "syncapi/llmsettings.h"
#include "syncapi/synctypes.h"
#include "util/result.h"

#include <QString>
#include <QUuid>

#include <functional>

class QObject;

namespace fb {

class AppSettings;

/// What the settings dialog needs beyond plain settings data: the network, the keychain and the server URL's
/// rules (issue 13). The sync wing implements it (sync::SyncSettingsBackend); app makes one and hands it to
/// the main window, so the dialog holds no network or keychain code and ui never links sync.
///
/// Nothing here waits: each answer comes through its callback on the caller's thread, later (never inside the
/// call, except where said), and not at all once `context` is gone. The secrets given here are kept in memory
/// only; no method writes one to a file or a log.
class SettingsBackend
{
public:
    /// Whether the keychain can be asked at all.
    enum class Keychain
    {
        Enabled,
        TurnedOff,     ///< compiled in, but turned off on this computer (FIELDBOOK_NO_KEYCHAIN, ...)
        NotCompiledIn, ///< this build has no keychain support
    };

    virtual ~SettingsBackend() = default;

    // The server URL as typed.
    /// `url` without the password it carries, and that password in `password` when given.
    virtual QString withoutPassword(const QString &url, QString *password = nullptr) const = 0;
    /// Whether two URLs name the same server account (a saved password belongs to that one alone).
    virtual bool sameServerAccount(const QString &url, const QString &other) const = 0;
    /// Ok, or a Validation error whose message completes "The server URL ..." and never quotes the URL.
    virtual Status checkServerUrl(const QString &url) const = 0;
    /// Ok for an empty text (the provider's default) or an http(s) address with a host; else a Validation
    /// error whose message completes "The model's base URL ...".
    virtual Status checkModelBaseUrl(const QString &url) const = 0;

    // The keychain: the server password (per server account) and the model key (per provider).
    virtual Keychain serverPasswordKeychain() const = 0;
    virtual bool modelKeyKeychainEnabled() const = 0;
    /// The password, NotFound, or Unavailable (the message says why the keychain cannot be used).
    virtual void readServerPassword(const QString &url, QObject *context,
                                    std::function<void(Result<QString>)> done) = 0;
    virtual void writeServerPassword(const QString &url, const QString &password, QObject *context,
                                     std::function<void(Status)> done) = 0;
    virtual void readModelKey(LlmProvider provider, QObject *context,
                              std::function<void(Result<QString>)> done) = 0;
    virtual void writeModelKey(LlmProvider provider, const QString &key, QObject *context,
                               std::function<void(Status)> done) = 0;

    // "Test connection" and "Test the model": the settings as typed, nothing saved.
    /// Connects as `url` with `password` and says who we are there and the server's schema; when `userId` is
    /// not null, also that the login is bound to that technician. Bounded by the connect timeout.
    virtual void testServer(const QString &url, const QString &password, const QUuid &userId,
                            QObject *context, std::function<void(Result<ServerCheckResult>)> done) = 0;
    /// Sends a one-line sample note to the model, one attempt; the error is the model's or the transport's in
    /// words, or what keeps these settings from working (no key): that one is said before testModel()
    /// returns. A second test cancels the first (its callback is not called).
    virtual void testModel(const LlmSettings &llm, QObject *context,
                           std::function<void(Result<ModelCheckResult>)> done) = 0;
    /// Cancels a model test in flight; its callback is not called.
    virtual void cancelModelTest() = 0;

    /// After `settings` were saved: the running sync uses them from now on, with `password` for the server
    /// (empty: the keychain, then ~/.pgpass) and `modelKey` for the model (empty: the keychain, then the
    /// environment). FIELDBOOK_SERVER_URL still wins over the saved server, as at start.
    virtual void apply(const AppSettings &settings, const QString &password, const QString &modelKey) = 0;
};

} // namespace fb
