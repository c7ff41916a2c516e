#pragma once

#include "syncapi/restorecontrol.h"
#include "util/result.h"

#include <QMutex>
#include <QString>
#include <QThread>

#include <atomic>

namespace fb {
class Core;
}

namespace fb::sync {

class PgConnection;

/// The name of the technician whose restore stopped part-way in the file `core` opened (the Restorer's
/// 'restore_step' is there and not 'done'), or empty. One local read: the app asks it before the first
/// window, to offer to continue.
Result<QString> interruptedRestore(Core &core);

/// RestoreControl on a thread of its own: each start() opens its own Core on the file and its own server
/// connection there, runs sync::Restorer, and reports by queued signals. The GUI thread never waits, except
/// the destructor, which cancels and then waits for the thread (within a second: a connect in progress sees
/// the cancel flag every tenth of a second, a statement in progress has its socket shut down, as
/// SyncWorker::abort() does, and a page's local write is short).
///
/// The login's password given to start() is kept in this object's memory for the app (password()), so that
/// the sync that follows the restore needs no keychain; it is never written or logged, and every message is
/// scrubbed of the URL and the password.
class RestoreService final : public RestoreControl
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestoreService)

public:
    static constexpr int kConnectTimeoutSeconds = 10;

    /// `interrupted`: interruptedRestore() of the file, as the app found it.
    RestoreService(QString databasePath, QString interrupted, QObject *parent = nullptr,
                   int connectTimeoutSeconds = kConnectTimeoutSeconds);
    ~RestoreService() override;

    QString interruptedName() const override { return m_interrupted; }
    bool isRunning() const override { return m_running; }
    /// The URL and password of the last start() (for the sync that follows a restore).
    const QString &serverUrl() const { return m_url; }
    const QString &password() const { return m_password; }

public Q_SLOTS:
    void start(const QString &url, const QString &password) override;
    void cancel() override;

private:
    /// One run, on the restore thread; its outcome reaches finish() on the GUI thread.
    void run(const QString &url, const QString &password);
    /// The restore proper, once connected: the server's schema checked, then the Restorer.
    RestoreOutcome restoreFrom(PgConnection &server, Core &core);
    void setSocket(int socket);
    void finish(const RestoreOutcome &outcome, const QString &interrupted);

    QString m_path;
    QString m_interrupted;
    int m_connectTimeoutSeconds;
    QString m_url;
    QString m_password;
    bool m_running = false;

    QThread m_thread;
    QObject *m_worker = nullptr; ///< lives on m_thread: runs start()'s work there
    std::atomic_bool m_cancelled = false;
    QMutex m_socketMutex;
    int m_socket = -1; ///< the server socket during a run, for cancel(); guarded by m_socketMutex
};

} // namespace fb::sync
