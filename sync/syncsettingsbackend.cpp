#include "syncsettingsbackend.h"

#include "extraction/attributeextractor.h"
#include "llm/httpllmclient.h"
#include "llm/llmclientfactory.h"
#include "llm/llmkeystore.h"
#include "servercheck.h"
#include "servercredentialstore.h"
#include "serverurl.h"
#include "syncapi/appsettings.h"
#include "syncservice.h"

#include <QPointer>
#include <QSettings>
#include <QUrl>

#include <chrono>

namespace fb::sync {

namespace {

/// Notes a technician would write, cut to a line: enough for the model to answer in the extraction's
/// format, cheap enough to send on every click.
const QString kSampleNotes = QStringLiteral("Cleaned 12 windows. Side gate code 4411. Dog called Biscuit.");

/// `done`, called only while `context` lives.
template <typename T> std::function<void(T)> guarded(QObject *context, std::function<void(T)> done)
{
    return [guard = QPointer<QObject>(context), done = std::move(done)](T value) {
        if (guard)
            done(std::move(value));
    };
}

} // namespace

SyncSettingsBackend::SyncSettingsBackend(SyncService *sync) : m_sync(sync)
{
}

SyncSettingsBackend::~SyncSettingsBackend()
{
    cancelModelTest();
}

QString SyncSettingsBackend::withoutPassword(const QString &url, QString *password) const
{
    return ServerCredentialStore::withoutPassword(url, password);
}

bool SyncSettingsBackend::sameServerAccount(const QString &url, const QString &other) const
{
    return ServerCredentialStore::entryFor(url) == ServerCredentialStore::entryFor(other);
}

Status SyncSettingsBackend::checkServerUrl(const QString &url) const
{
    // ServerUrl says what is wrong in words; libpq's own parse errors would quote the password.
    return ServerUrl::check(url);
}

Status SyncSettingsBackend::checkModelBaseUrl(const QString &url) const
{
    if (url.trimmed().isEmpty())
        return {};
    const QUrl parsed(url.trimmed(), QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty() ||
        (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")))
        return Error::validation(QStringLiteral("base URL"),
                                 QStringLiteral("must be an http:// or https:// address, such as "
                                                "https://api.anthropic.com"));
    return {};
}

SettingsBackend::Keychain SyncSettingsBackend::serverPasswordKeychain() const
{
    if (ServerCredentialStore::enabled())
        return Keychain::Enabled;
    return ServerCredentialStore::compiledIn() ? Keychain::TurnedOff : Keychain::NotCompiledIn;
}

bool SyncSettingsBackend::modelKeyKeychainEnabled() const
{
    return LlmKeyStore::enabled();
}

void SyncSettingsBackend::readServerPassword(const QString &url, QObject *context,
                                             std::function<void(Result<QString>)> done)
{
    ServerCredentialStore::read(url, guarded(context, std::move(done)));
}

void SyncSettingsBackend::writeServerPassword(const QString &url, const QString &password, QObject *context,
                                              std::function<void(Status)> done)
{
    ServerCredentialStore::write(url, password, guarded(context, std::move(done)));
}

void SyncSettingsBackend::readModelKey(LlmProvider provider, QObject *context,
                                       std::function<void(Result<QString>)> done)
{
    LlmKeyStore::read(provider, guarded(context, std::move(done)));
}

void SyncSettingsBackend::writeModelKey(LlmProvider provider, const QString &key, QObject *context,
                                        std::function<void(Status)> done)
{
    LlmKeyStore::write(provider, key, guarded(context, std::move(done)));
}

void SyncSettingsBackend::testServer(const QString &url, const QString &password, const QUuid &userId,
                                     QObject *context, std::function<void(Result<ServerCheckResult>)> done)
{
    // libpq on a pool thread: the window keeps answering while it connects (up to its timeout).
    ServerCheck::start(url, password, userId, context, std::move(done));
}

void SyncSettingsBackend::testModel(const LlmSettings &typed, QObject *context,
                                    std::function<void(Result<ModelCheckResult>)> done)
{
    cancelModelTest(); // a test still running is cancelled; its answer no longer counts
    const quint64 test = m_modelTests;
    LlmSettings llm = typed;
    // One attempt, a short wait: this is a question to the person at the keyboard, not a queued request.
    llm.maxRetries = 0;
    llm.totalTimeout = std::chrono::seconds(30);
    m_modelTest = createLlmClient(llm);
    if (const QString problem = m_modelTest->configurationProblem(); !problem.isEmpty()) {
        m_modelTest.reset();
        done(Error{ErrorCode::Validation, {}, problem});
        return;
    }
    m_modelTest->exchange(AttributeExtractor::buildRequest(kSampleNotes),
                          [this, test, done = guarded(context, std::move(done))](const LlmOutcome &outcome) {
                              if (test != m_modelTests)
                                  return;
                              if (!outcome.ok()) {
                                  // In words, with what the provider's support asks for.
                                  const QString details = outcome.error.details();
                                  done(Error{ErrorCode::Unavailable,
                                             {},
                                             details.isEmpty() ? outcome.error.plainMessage()
                                                               : QStringLiteral("%1 (%2)").arg(
                                                                     outcome.error.plainMessage(), details)});
                                  return;
                              }
                              ModelCheckResult answer{outcome.model, outcome.response->requestId, {}};
                              // An answer the extraction cannot read would fail every close-out.
                              if (const auto read = AttributeExtractor::interpret(*outcome.response); !read)
                                  answer.unusable = read.error().message;
                              done(answer);
                          });
}

void SyncSettingsBackend::cancelModelTest()
{
    ++m_modelTests; // first: the cancelled client may answer while it is destroyed
    m_modelTest.reset();
}

void SyncSettingsBackend::apply(const AppSettings &settings, const QString &password, const QString &modelKey)
{
    if (!m_sync)
        return;
    SyncSettings current = m_sync->settings();
    // The environment's server wins, as when the app starts.
    const QString envUrl = qEnvironmentVariable("FIELDBOOK_SERVER_URL");
    const QString serverUrl = envUrl.isEmpty() ? settings.serverUrl : envUrl;
    const auto interval = std::chrono::milliseconds(std::chrono::minutes(settings.syncIntervalMinutes));
    if (serverUrl != current.serverUrl || password != current.password) {
        current.serverUrl = serverUrl;
        current.password = password; // empty: SyncService asks the keychain, libpq ~/.pgpass
        current.interval = interval;
        m_sync->reconfigure(current);
    } else if (interval != current.interval) {
        m_sync->setInterval(interval.count());
    }
    // The model client is made again from the saved settings; a key typed in the dialog (kept by the keychain
    // or not) comes along, else SyncService asks the keychain.
    if (modelKey.isEmpty()) {
        m_sync->reloadLlmSettings();
        return;
    }
    LlmSettings llm = LlmSettings::load(QSettings());
    if (llm.apiKey.isEmpty())
        llm.apiKey = modelKey;
    m_sync->reloadLlmSettings(llm);
}

} // namespace fb::sync
