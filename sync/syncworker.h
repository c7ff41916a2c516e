#pragma once

#include "pusher.h"

#include <QDateTime>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QUuid>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

class QTimer;

namespace fb {
class Core;
}

namespace fb::sync {

/// What a SyncWorker pushes, where, and how often. The defaults are the app's; tests shorten the times.
struct SyncSettings
{
    QString databasePath;
    QUuid userId;
    /// The technician's PostgreSQL URL. It may hold a password: it is never logged, shown or signalled.
    QString serverUrl;
    std::chrono::milliseconds interval = std::chrono::minutes(5);
    int batchSize = Pusher::kDefaultBatchSize;
    /// Retry delays after a temporary failure: firstRetry, doubled per failure, capped at min(maxRetry,
    /// interval), minus up to 20% jitter so that many laptops do not come back in step.
    std::chrono::milliseconds firstRetry = std::chrono::seconds(5);
    std::chrono::milliseconds maxRetry = std::chrono::minutes(5);
    /// After localChangesCommitted(), a push within this delay (when the last cycle succeeded).
    std::chrono::milliseconds debounce = std::chrono::seconds(2);
    int connectTimeoutSeconds = 5;
};

/// Pushes one technician's local changes to the central PostgreSQL, on the thread it lives on (issue 3 part
/// 5).
///
/// Move it to a QThread, then invoke start() there: it opens its own Core (its own SQLite connection, named
/// uniquely, opened and closed on that thread) and runs a cycle at once, then every `interval`. A cycle
/// counts what is pending, connects, pushes everything (Pusher::pushAll) and reports by signals. A temporary
/// failure (the server cannot be reached, the connection dropped) retries on a capped exponential backoff on
/// its own; a permanent one (refused login, rejected identity, local database error) waits for the next
/// interval. Online means the server answered during the last cycle, which a refused password counts as.
///
/// Slots block while a cycle runs (up to the connect timeout when the server does not answer); only abort()
/// may be called from another thread. Signals fire on the worker's thread: connect them queued.
class SyncWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncWorker)

public:
    explicit SyncWorker(SyncSettings settings, QObject *parent = nullptr);
    /// Closes the connection; runs on the worker's thread (delete it there, e.g. by QThread::finished).
    ~SyncWorker() override;

    /// Thread-safe: makes the running cycle (if any) give up as soon as possible, by shutting down the server
    /// socket under a blocked query; no further cycle runs. Unacknowledged changes stay pending (a re-push is
    /// harmless). A connect in progress still runs to its timeout.
    void abort();

    /// The retry delay after `failures` consecutive temporary failures (1 = the first): `first` doubled per
    /// further failure, capped at `cap`, minus `jitter` (0..1) times 20%.
    static std::chrono::milliseconds backoffDelay(int failures, std::chrono::milliseconds first,
                                                  std::chrono::milliseconds cap, double jitter);

public Q_SLOTS:
    /// Opens the local database on the calling thread, reports the stored state and runs the first cycle.
    void start();
    /// Runs a cycle as soon as the worker is idle (repeated calls meanwhile make one cycle).
    void syncNow();
    /// The app calls this after a local write: the pending count is refreshed and, when the last cycle
    /// succeeded, a cycle runs within `debounce` (bursts of writes make one cycle).
    void localChangesCommitted();
    /// Changes the period: the next cycle comes at the latest one new interval from now (a running backoff is
    /// kept).
    void setInterval(qint64 milliseconds);
    /// Puts the changes set aside back in the queue (once the cause was fixed on the server) and runs a
    /// cycle.
    void releaseQuarantine();
    /// Stops the timers and closes the local connection, on the worker's thread. start() opens it again.
    void stop();

Q_SIGNALS:
    void cycleStarted();
    /// `success`: everything pending was pushed or set aside.
    void cycleFinished(bool success);
    void onlineChanged(bool online);
    void pendingCountChanged(int count);
    /// The last successful cycle (also emitted at start with the stored time of the last success, if any).
    void lastSuccessChanged(const QDateTime &at);
    /// The reason of the last failed cycle, without URL or password; empty again after a success.
    void lastErrorChanged(const QString &message);
    /// Changes the server refused for good and that wait, set aside, for a person.
    void quarantinedChanged(int count, const QList<fb::sync::QuarantinedChange> &changes);
    void stopped();

private:
    enum class Outcome
    {
        Success,
        Offline,
        Failed
    };

    void runCycle();
    Outcome pushOnce(QString &error, bool &answered);
    void refreshLocalState();
    void storeLastSuccess(const QDateTime &at);
    void reportError(const QString &message);
    void setOnline(bool online);
    void scheduleWithin(std::chrono::milliseconds delay);
    /// Removes the password (and the URL) from a message that may quote them.
    QString redacted(QString message) const;

    SyncSettings m_settings;
    QString m_connectionName;
    std::unique_ptr<Core> m_core;
    std::unique_ptr<Pusher> m_pusher;
    QTimer *m_timer = nullptr;
    int m_failures = 0; ///< consecutive temporary failures, for the backoff
    bool m_lastCycleOk = false;
    std::optional<bool> m_online;
    std::optional<int> m_pending;
    std::optional<QList<QuarantinedChange>> m_quarantined;
    QString m_lastError;

    std::atomic_bool m_aborted = false;
    QMutex m_socketMutex;
    int m_socket = -1; ///< the server socket during a push, for abort(); guarded by m_socketMutex
};

} // namespace fb::sync
