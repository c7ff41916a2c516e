#include "syncservice.h"

#include "llm/llmkeystore.h"
#include "servercredentialstore.h"
#include "util/threadpriority.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>

#include <algorithm>
#include <atomic>
#include <utility>

Q_LOGGING_CATEGORY(lcSyncService, "fieldbook.sync.service")

namespace fb::sync {

namespace {

/// The given model settings, or the app's: QSettings, then the environment.
LlmSettings resolved(const std::optional<LlmSettings> &llm)
{
    return llm ? *llm : LlmSettings::load(QSettings());
}

bool needsKeychain(const LlmSettings &llm)
{
    return llm.apiKey.isEmpty() && LlmKeyStore::enabled();
}

} // namespace

namespace {
std::atomic<bool> g_threadLeftRunning{false};
} // namespace

bool SyncService::threadLeftRunning()
{
    return g_threadLeftRunning.load();
}

SyncService::SyncService(SyncSettings settings, QObject *parent) : SyncControl(parent), m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("fieldbook-sync"));
    // Pushes, pulls and extractions wait for nobody's keystroke: the window comes first for a core.
    connect(
        m_thread, &QThread::started, m_thread, [] { lowerCurrentThreadPriority(); }, Qt::DirectConnection);
    m_thread->start();
    startWorker(std::move(settings));
}

SyncService::~SyncService()
{
    // abort() first: a push blocked on a silent server returns at once instead of never. Workers replaced
    // by reconfigure() were aborted then; QThread deletes them as it finishes, with this one.
    // Every wait bounded: the abort ends a push (its socket), a connect (polled) and a long local statement
    // (interrupted) at once, so the thread normally ends in milliseconds.
    m_worker->abort();
    m_thread->quit();
    if (m_thread->wait(QDeadlineTimer(kStopWait))) {
        delete m_thread;
        return;
    }
    // Deleting a running QThread would end the process: it is left, with its worker, to finish on its own.
    qCWarning(lcSyncService) << "the sync thread did not stop within" << kStopWait.count()
                             << "ms; leaving without it (its changes stay pending)";
    g_threadLeftRunning = true;
}

void SyncService::startWorker(SyncSettings settings)
{
    const quint64 generation = ++m_generation;
    ++m_keyLookups;        // a key lookup for the previous worker answers for settings no longer wanted
    m_settings = settings; // as given: an unset `llm` is read from QSettings again on each restart
    m_pushConfigured = !settings.serverUrl.isEmpty();
    // The settings are local reads (a file, the environment); the keychain answers later, by a callback.
    std::optional<LlmSettings> keyFor;
    if (settings.runExtractions) {
        settings.llm = resolved(settings.llm);
        if (needsKeychain(*settings.llm)) {
            settings.awaitLlmKey = true;
            keyFor = settings.llm;
        }
    }
    // A password in the URL or given here is used as it is; otherwise the keychain may hold one for this
    // server, and the first cycle waits for its answer.
    const bool passwordFromKeychain =
        m_pushConfigured && settings.password.isEmpty() && ServerCredentialStore::enabled() &&
        ServerCredentialStore::withoutPassword(settings.serverUrl) == settings.serverUrl;
    settings.awaitServerPassword = passwordFromKeychain;

    auto *worker = new SyncWorker(std::move(settings));
    worker->moveToThread(m_thread);
    m_worker = worker;
    // The worker (its timers, its Core and so its SQLite connection) is destroyed on the sync thread once its
    // event loop has ended: QThread deletes deferred objects as it finishes.
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);

    // Queued: the worker emits on the sync thread, the state is kept and re-emitted on ours. A signal still
    // queued from a worker that reconfigure() replaced belongs to the old settings: dropped.
    const auto current = [this, generation] { return generation == m_generation; };
    connect(
        worker, &SyncWorker::cycleStarted, this,
        [this, current] {
            if (!current())
                return;
            m_cycleRunning = true;
            Q_EMIT cycleStarted();
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::pushProgress, this,
        [this, current](int done, int total) {
            if (!current())
                return;
            m_progressDone = done;
            m_progressTotal = total;
            Q_EMIT pushProgress(done, total);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::cycleFinished, this,
        [this, current](bool success) {
            if (!current())
                return;
            m_cycleRunning = false;
            Q_EMIT cycleFinished(success);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::onlineChanged, this,
        [this, current](bool online) {
            if (!current())
                return;
            m_online = online;
            Q_EMIT onlineChanged(online);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::pendingCountChanged, this,
        [this, current](int count) {
            if (!current())
                return;
            m_pending = count;
            Q_EMIT pendingCountChanged(count);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::lastSuccessChanged, this,
        [this, current](const QDateTime &at) {
            if (!current())
                return;
            m_lastSuccess = at;
            Q_EMIT lastSuccessChanged(at);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::lastErrorChanged, this,
        [this, current](const QString &message) {
            if (!current())
                return;
            m_lastError = message;
            if (!message.isEmpty())
                addRecentError(RecentError::Source::Server, message);
            Q_EMIT lastErrorChanged(message);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::quarantinedChanged, this,
        [this, current](int count, const QList<QuarantinedChange> &changes) {
            if (!current())
                return;
            m_quarantined = changes;
            Q_EMIT quarantinedChanged(count, changes);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::suggestionsReady, this,
        [this, current](int count) {
            if (current())
                Q_EMIT suggestionsReady(count);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::extractionPassFinished, this,
        [this, current](int pending) {
            if (!current())
                return;
            m_pendingExtractions = pending;
            Q_EMIT extractionPassFinished(pending);
        },
        Qt::QueuedConnection);
    connect(
        worker, &SyncWorker::extractionErrorChanged, this,
        [this, current](const QString &message) {
            if (!current())
                return;
            m_extractionError = message;
            if (!message.isEmpty())
                addRecentError(RecentError::Source::Model, message);
            Q_EMIT extractionErrorChanged(message);
        },
        Qt::QueuedConnection);

    QMetaObject::invokeMethod(worker, &SyncWorker::start, Qt::QueuedConnection);
    if (keyFor)
        lookUpKeyFor(*keyFor);
    if (passwordFromKeychain)
        lookUpPassword();
}

void SyncService::reconfigure(SyncSettings settings)
{
    // The old worker gives up its cycle now (a push blocked on the server returns; a connect in progress
    // runs to its timeout) and closes its connection on the sync thread, before the new one opens its own.
    SyncWorker *old = m_worker;
    old->abort();
    QMetaObject::invokeMethod(
        old,
        [old] {
            old->stop();
            old->deleteLater();
        },
        Qt::QueuedConnection);

    const bool wasConfigured = m_pushConfigured;
    const bool wasRunning = std::exchange(m_cycleRunning, false);
    const bool wasOnline = std::exchange(m_online, false);
    const bool hadError = !m_lastError.isEmpty();
    m_lastError.clear();
    m_progressDone = m_progressTotal = 0;
    startWorker(std::move(settings));

    if (wasRunning)
        Q_EMIT cycleFinished(false);
    if (wasOnline)
        Q_EMIT onlineChanged(false);
    if (hadError)
        Q_EMIT lastErrorChanged({});
    if (wasConfigured != m_pushConfigured)
        Q_EMIT pushConfiguredChanged(m_pushConfigured);
}

void SyncService::lookUpPassword()
{
    const quint64 generation = m_generation;
    ServerCredentialStore::read(m_settings.serverUrl, [guard = QPointer<SyncService>(this),
                                                       generation](Result<QString> password) {
        if (!guard || generation != guard->m_generation)
            return;
        QString found;
        if (password)
            found = *password;
        else
            qCInfo(lcSyncService).noquote() << "no server password from the keychain (libpq reads ~/.pgpass):"
                                            << password.error().message;
        guard->m_settings.password = found;
        QMetaObject::invokeMethod(
            guard->m_worker, [worker = guard->m_worker, found] { worker->setServerPassword(found); },
            Qt::QueuedConnection);
    });
}

void SyncService::addRecentError(RecentError::Source source, const QString &message)
{
    m_recentErrors.append({QDateTime::currentDateTimeUtc(), source, message});
    while (m_recentErrors.size() > kRecentErrorLimit)
        m_recentErrors.removeFirst();
    Q_EMIT recentErrorsChanged();
}

void SyncService::syncNow()
{
    QMetaObject::invokeMethod(m_worker, &SyncWorker::syncNow, Qt::QueuedConnection);
}

void SyncService::localChangesCommitted()
{
    QMetaObject::invokeMethod(m_worker, &SyncWorker::localChangesCommitted, Qt::QueuedConnection);
}

void SyncService::releaseQuarantine()
{
    QMetaObject::invokeMethod(m_worker, &SyncWorker::releaseQuarantine, Qt::QueuedConnection);
}

void SyncService::setInterval(qint64 milliseconds)
{
    m_settings.interval = std::chrono::milliseconds(std::max<qint64>(milliseconds, 1));
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, milliseconds] { worker->setInterval(milliseconds); },
        Qt::QueuedConnection);
}

void SyncService::runExtractions()
{
    QMetaObject::invokeMethod(m_worker, &SyncWorker::runExtractions, Qt::QueuedConnection);
}

void SyncService::reloadLlmSettings(const std::optional<LlmSettings> &llm)
{
    m_settings.llm = llm; // a later reconfigure() starts from these
    const LlmSettings settings = resolved(llm);
    if (needsKeychain(settings)) {
        lookUpKeyFor(settings);
        return;
    }
    ++m_keyLookups; // the answer of a lookup still running is out of date
    sendLlmSettings(settings);
}

void SyncService::lookUpKeyFor(const LlmSettings &llm)
{
    const quint64 lookup = ++m_keyLookups;
    LlmKeyStore::read(llm.provider, [guard = QPointer<SyncService>(this), lookup,
                                     settings = llm](Result<QString> key) mutable {
        if (!guard || lookup != guard->m_keyLookups)
            return;
        if (key)
            settings.apiKey = *key;
        else
            qCInfo(lcSyncService).noquote() << "no model API key from the keychain:" << key.error().message;
        // Without a key the worker's passes wait, and say so once.
        guard->sendLlmSettings(settings);
    });
}

void SyncService::sendLlmSettings(const LlmSettings &llm)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, llm] { worker->reloadLlmSettings(llm); }, Qt::QueuedConnection);
}

} // namespace fb::sync
