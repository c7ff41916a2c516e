#include "syncservice.h"

#include "llm/llmkeystore.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>

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

SyncService::SyncService(SyncSettings settings, QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("fieldbook-sync"));
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
    m_worker = new SyncWorker(std::move(settings));
    m_worker->moveToThread(&m_thread);
    // The worker (its timers, its Core and so its SQLite connection) is destroyed on the sync thread once its
    // event loop has ended: QThread deletes deferred objects as it finishes.
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    // Queued: the worker emits on the sync thread, the state is kept and re-emitted on ours.
    connect(
        m_worker, &SyncWorker::cycleStarted, this,
        [this] {
            m_cycleRunning = true;
            Q_EMIT cycleStarted();
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::cycleFinished, this,
        [this](bool success) {
            m_cycleRunning = false;
            Q_EMIT cycleFinished(success);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::onlineChanged, this,
        [this](bool online) {
            m_online = online;
            Q_EMIT onlineChanged(online);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::pendingCountChanged, this,
        [this](int count) {
            m_pending = count;
            Q_EMIT pendingCountChanged(count);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::lastSuccessChanged, this,
        [this](const QDateTime &at) {
            m_lastSuccess = at;
            Q_EMIT lastSuccessChanged(at);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::lastErrorChanged, this,
        [this](const QString &message) {
            m_lastError = message;
            Q_EMIT lastErrorChanged(message);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::quarantinedChanged, this,
        [this](int count, const QList<QuarantinedChange> &changes) {
            m_quarantined = changes;
            Q_EMIT quarantinedChanged(count, changes);
        },
        Qt::QueuedConnection);

    connect(m_worker, &SyncWorker::suggestionsReady, this, &SyncService::suggestionsReady,
            Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::extractionPassFinished, this,
        [this](int pending) {
            m_pendingExtractions = pending;
            Q_EMIT extractionPassFinished(pending);
        },
        Qt::QueuedConnection);
    connect(
        m_worker, &SyncWorker::extractionErrorChanged, this,
        [this](const QString &message) {
            m_extractionError = message;
            Q_EMIT extractionErrorChanged(message);
        },
        Qt::QueuedConnection);

    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SyncWorker::start, Qt::QueuedConnection);
    if (keyFor)
        lookUpKeyFor(*keyFor);
}

SyncService::~SyncService()
{
    // abort() first: a push blocked on a silent server returns at once instead of never.
    m_worker->abort();
    m_thread.quit();
    m_thread.wait();
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
