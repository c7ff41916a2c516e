#include "syncservice.h"

namespace fb::sync {

SyncService::SyncService(SyncSettings settings, QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("fieldbook-sync"));
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

    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &SyncWorker::start, Qt::QueuedConnection);
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

} // namespace fb::sync
