#pragma once

#include "syncapi/synccontrol.h"
#include "syncworker.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <chrono>
#include <optional>

namespace fb::sync {

/// The GUI thread's handle on sync: owns a SyncWorker on its own QThread, forwards its signals (queued, so
/// they arrive on this object's thread) and keeps the last known state for a status bar. It also resolves the
/// model settings for the worker's extraction passes, the key from the keychain included. Nothing here waits
/// for SQL or the network, except the destructor, which waits for the worker to stop, at most kStopWait.
///
/// Starts at construction: the worker opens its own connection to `settings.databasePath` and runs a first
/// cycle at once (when a server is configured) and a first pass over the extraction queue (when extraction
/// is on; it needs no server). Signals are delivered through the event loop, so connecting right after
/// construction misses none.
///
/// Secrets: when the server URL carries no password and none is given, the password is looked up in the
/// keychain (ServerCredentialStore) first, as the model's key is (LlmKeyStore); without one, libpq reads
/// ~/.pgpass and PGPASSWORD.
///
/// The screens see it as a SyncControl (core): its state, its signals and the slots they use.
class SyncService final : public SyncControl
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncService)

public:
    /// A failure the sync panel lists, with when it happened (UTC).
    using RecentError = fb::RecentSyncError;
    static constexpr int kRecentErrorLimit = 20;

    explicit SyncService(SyncSettings settings, QObject *parent = nullptr);
    /// Aborts a running cycle (its changes stay pending: nothing is acknowledged without the server's
    /// commit, and an acknowledgement cut short rolls back whole), stops the thread and waits for it, at most
    /// kStopWait; the worker and its connection are destroyed on the sync thread. A thread that does not stop
    /// in time (libpq resolving a host name, which no abort reaches) is left to end on its own, and
    /// threadLeftRunning() says so: the process should then leave without waiting for it (app/process.h).
    ~SyncService() override;
    static constexpr std::chrono::milliseconds kStopWait = std::chrono::milliseconds(1000);
    /// Whether a SyncService of this process left its thread running (see the destructor).
    static bool threadLeftRunning();

    /// Whether the server answered during the last cycle (false until the first cycle ends).
    bool isOnline() const override { return m_online; }
    /// Changes waiting to be pushed; -1 until the worker has counted them.
    int pendingCount() const override { return m_pending; }
    /// The last successful cycle, from an earlier session too; invalid when there was none.
    QDateTime lastSuccess() const override { return m_lastSuccess; }
    /// Why the last cycle failed, without URL or password; empty after a success.
    QString lastError() const override { return m_lastError; }
    const QList<QuarantinedChange> &quarantined() const override { return m_quarantined; }
    bool isCycleRunning() const override { return m_cycleRunning; }
    /// Whether a server URL was given; without one nothing is pushed ("sync is not set up").
    bool isPushConfigured() const override { return m_pushConfigured; }
    /// Close-outs whose notes wait for the model; -1 until the first extraction pass ended.
    int pendingExtractions() const override { return m_pendingExtractions; }
    /// Why they wait (no key, the model unreachable), or empty.
    QString extractionError() const override { return m_extractionError; }
    /// The latest failures of this session, oldest first, at most kRecentErrorLimit.
    const QList<RecentError> &recentErrors() const override { return m_recentErrors; }
    /// The last push's progress: changes handled so far and out of how many (0, 0 before the first).
    int progressDone() const { return m_progressDone; }
    int progressTotal() const { return m_progressTotal; }
    /// The settings the worker runs with, the password included (keep it in memory only): a start for
    /// reconfigure().
    const SyncSettings &settings() const { return m_settings; }

public Q_SLOTS:
    /// A cycle now (or right after the running one).
    void syncNow() override;
    /// Call after every local write: the pending count follows and, when online, a push follows shortly.
    void localChangesCommitted() override;
    void setInterval(qint64 milliseconds);
    /// Retries the changes set aside (after the cause was fixed on the server).
    void releaseQuarantine() override;
    /// A pass over the extraction queue now (or right after the running one).
    void runExtractions() override;
    /// Makes the model client again from `llm`, or from QSettings and the environment when null (after the
    /// settings or the stored key changed); a missing key is looked up in the keychain first.
    void reloadLlmSettings(const std::optional<fb::sync::LlmSettings> &llm = std::nullopt);
    /// Runs with new settings (another server, login or password): the running cycle is aborted (its
    /// changes stay pending) and a new worker starts with `settings`, as at construction. The state signals
    /// follow: offline until the new server answers, the error cleared, the counts reported again.
    void reconfigure(fb::sync::SyncSettings settings);

private:
    /// Makes a worker for `settings` on m_thread, relays its signals and starts it (with the keychain
    /// lookups it needs).
    void startWorker(SyncSettings settings);
    /// Asks the keychain for the key (keychain.h: on the keychain thread; the answer comes back here by a
    /// queued callback, within the lookup's timeout), then hands the settings to the worker, with or without
    /// a key. Nothing here waits for the keychain.
    void lookUpKeyFor(const LlmSettings &llm);
    void sendLlmSettings(const LlmSettings &llm);
    /// Reads the server password from the keychain, then hands it to the worker (empty when none).
    void lookUpPassword();
    void addRecentError(RecentError::Source source, const QString &message);

    /// Owned; left running (never deleted: that would end the process) when it does not stop in time.
    QThread *m_thread;
    SyncWorker *m_worker = nullptr; ///< lives on m_thread; deleted there when it finishes
    /// Counts workers: signals of a worker replaced by reconfigure() that are still queued are dropped.
    quint64 m_generation = 0;
    SyncSettings m_settings;
    QList<RecentError> m_recentErrors;
    int m_progressDone = 0;
    int m_progressTotal = 0;
    bool m_online = false;
    int m_pending = -1;
    QDateTime m_lastSuccess;
    QString m_lastError;
    QList<QuarantinedChange> m_quarantined;
    bool m_cycleRunning = false;
    bool m_pushConfigured = false;
    int m_pendingExtractions = -1;
    QString m_extractionError;
    quint64 m_keyLookups = 0; ///< only the latest keychain lookup's answer counts
};

} // namespace fb::sync
