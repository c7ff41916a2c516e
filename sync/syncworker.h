#pragma once

#include "llm/llmsettings.h"
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
struct ExtractionRunSummary;
} // namespace fb

namespace fb::sync {

class HttpLlmClient;

/// What a SyncWorker pushes, where, and how often. The defaults are the app's; tests shorten the times.
struct SyncSettings
{
    QString databasePath;
    QUuid userId;
    /// The technician's PostgreSQL URL. It may hold a password: it is never logged, shown or signalled.
    /// Empty: sync is not set up; nothing is pushed, and the extraction queue still runs.
    QString serverUrl;
    /// The login's password, given to libpq as its own parameter (not in the URL, so it never travels in a
    /// string that might be shown); it wins over a password in the URL. Empty: libpq looks in the URL,
    /// ~/.pgpass and PGPASSWORD. Never logged, shown or signalled.
    QString password;
    /// No push until setServerPassword() brings the password (SyncService sets it while it asks the keychain,
    /// so that the first cycle does not fail for a password that is on its way).
    bool awaitServerPassword = false;
    std::chrono::milliseconds interval = std::chrono::minutes(5);
    int batchSize = Pusher::kDefaultBatchSize;
    /// Retry delays after a temporary failure: firstRetry, doubled per failure, capped at min(maxRetry,
    /// interval), minus up to 20% jitter so that many laptops do not come back in step.
    std::chrono::milliseconds firstRetry = std::chrono::seconds(5);
    std::chrono::milliseconds maxRetry = std::chrono::minutes(5);
    /// After localChangesCommitted(), a push within this delay (when the last cycle succeeded).
    std::chrono::milliseconds debounce = std::chrono::seconds(2);
    int connectTimeoutSeconds = 5;

    /// Whether the worker sends the queued extraction requests (issue 4) to the model.
    bool runExtractions = true;
    /// The model they go to. Unset: LlmSettings::load() from the app's QSettings and the environment. The
    /// worker never reads the keychain; SyncService asks it (keychain.h) when the key is missing.
    std::optional<LlmSettings> llm;
    /// No pass until reloadLlmSettings() brings the settings (SyncService sets it while it asks the
    /// keychain for the key, so that the first pass does not report a missing key that is on its way).
    bool awaitLlmKey = false;
    /// A pass over the extraction queue at least this often.
    std::chrono::milliseconds extractionInterval = std::chrono::minutes(5);
    /// After a pass that could not reach the model (offline, overloaded, timed out), the next one after this
    /// delay, doubled per failure, capped at extractionInterval, minus up to 20% jitter. Its own, not the
    /// push's: an overloaded model API wants more patience than a server that is restarting.
    std::chrono::milliseconds extractionFirstRetry = std::chrono::seconds(30);
    /// The housekeeping (core/db/housekeeping.h: acknowledged outbox rows and delivered events pruned, free
    /// pages given back) runs this long after start() (not while the window starts), then after every cycle
    /// that succeeded, in slices of at most housekeepingSlice with the event loop in between.
    std::chrono::milliseconds housekeepingAfterStart = std::chrono::seconds(20);
    std::chrono::milliseconds housekeepingSlice = std::chrono::milliseconds(100);
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
/// It also runs the offline extraction queue (issue 4): the close-outs' notes that could not reach the model
/// are sent by ExtractionQueue::runPending with an HTTP client the worker makes on its thread. The model
/// being reachable has nothing to do with the PostgreSQL server (a shop may have none), so passes keep their
/// own schedule: at start, every extractionInterval, soon after a local write, on demand (syncNow() too), on
/// a backoff after the model could not be reached, and after a cycle in which the server answered: at once
/// when the server had not answered before (the connection is back, the backoff is cut short), and otherwise
/// unless the model is known to be unreachable. One pass at a time; without a key (or a base URL) a pass
/// sends nothing and says why once.
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
    /// socket under a blocked query and interrupting the local statement that runs (counting a large outbox
    /// at start, an acknowledgement: rolled back whole); no further cycle runs. Unacknowledged changes stay
    /// pending (a re-push is harmless). A connect in progress ends within 100 ms (a name lookup runs on).
    void abort();

    /// The retry delay after `failures` consecutive temporary failures (1 = the first): `first` doubled per
    /// further failure, capped at `cap`, minus `jitter` (0..1) times 20%.
    static std::chrono::milliseconds backoffDelay(int failures, std::chrono::milliseconds first,
                                                  std::chrono::milliseconds cap, double jitter);

public Q_SLOTS:
    /// Opens the local database on the calling thread, reports the stored state and runs the first cycle.
    void start();
    /// Runs a cycle as soon as the worker is idle (repeated calls meanwhile make one cycle), and a pass over
    /// the extraction queue.
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
    /// A pass over the extraction queue as soon as none runs (without a server too).
    void runExtractions();
    /// Makes the model client again from `llm` (or, when null, from QSettings and the environment), e.g.
    /// after the settings or the key changed; a running pass ends first.
    void reloadLlmSettings(const std::optional<fb::sync::LlmSettings> &llm = std::nullopt);
    /// The server password for the next cycles (see SyncSettings::password); after awaitServerPassword, the
    /// first cycle runs now.
    void setServerPassword(const QString &password);

Q_SIGNALS:
    void cycleStarted();
    /// During a push: the changes handled so far (pushed or set aside) out of `total`, once before the first
    /// batch and after each one.
    void pushProgress(int done, int total);
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
    /// A pass over the extraction queue made `count` (> 0) new suggestions for the technician to review.
    void suggestionsReady(int count);
    /// After every pass (one that sent nothing too): the requests still waiting for the model.
    void extractionPassFinished(int pending);
    /// Why requests wait (no key, the model unreachable, ...), once per change; empty again after a pass
    /// that met no such problem.
    void extractionErrorChanged(const QString &message);

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
    bool pushConfigured() const { return !m_settings.serverUrl.isEmpty(); }

    void setUpExtraction();
    void scheduleExtractionWithin(std::chrono::milliseconds delay);
    void runExtractionPass();
    void extractionPassDone(const ExtractionRunSummary &summary);
    void finishExtractionPass(std::chrono::milliseconds next);
    void reportExtractionError(const QString &message);
    /// One slice of the housekeeping; the next one is scheduled while something is left.
    void runHousekeeping();
    /// Destroys the model client (in-flight requests are cancelled and stay pending), before the Core.
    void dropLlmClient();
    /// Removes the password (and the URL) from a message that may quote them.
    QString redacted(QString message) const;

    SyncSettings m_settings;
    QString m_connectionName;
    std::unique_ptr<Core> m_core;
    std::unique_ptr<Pusher> m_pusher;
    QTimer *m_timer = nullptr;
    QTimer *m_housekeepingTimer = nullptr;
    // Extraction: the client lives on this thread and goes before m_core (its cancelled requests are recorded
    // as still pending, their lease released). Declared after m_core so that it is destroyed first anyway.
    std::unique_ptr<HttpLlmClient> m_llm;
    QTimer *m_extractionTimer = nullptr;
    bool m_extracting = false;    ///< a pass runs
    bool m_extractAgain = false;  ///< runExtractions() came during a pass
    bool m_reloadLlm = false;     ///< reloadLlmSettings() came during a pass
    bool m_shuttingDown = false;  ///< stop() or the destructor: a cancelled pass reports nothing
    int m_extractionFailures = 0; ///< consecutive passes that could not reach the model
    std::optional<int> m_extractionPending;
    QString m_extractionError;
    int m_failures = 0; ///< consecutive temporary failures, for the backoff
    bool m_lastCycleOk = false;
    std::optional<bool> m_online;
    std::optional<int> m_pending;
    std::optional<QList<QuarantinedChange>> m_quarantined;
    QString m_lastError;

    std::atomic_bool m_aborted = false;
    QMutex m_socketMutex;
    int m_socket = -1; ///< the server socket during a push, for abort(); guarded by m_socketMutex
    /// The local connection's sqlite3 handle while m_core is open, for abort() to interrupt
    /// (sqlite3_interrupt is the one call that is safe from another thread); guarded by m_socketMutex.
    void *m_local = nullptr;
    /// Closes the local connection (m_pusher, m_core), after abort() can no longer reach it.
    void closeLocal();
};

} // namespace fb::sync
