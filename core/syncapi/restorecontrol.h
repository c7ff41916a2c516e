#pragma once

#include <QObject>
#include <QString>
#include <QUuid>

namespace fb {

/// How a restore ended (RestoreControl::finished).
struct RestoreOutcome
{
    /// What went wrong, and so where the window says it.
    enum class Problem
    {
        None,      ///< restored: the file holds the technician's whole history
        Cancelled, ///< stopped on request; what was written stays
        ServerUrl, ///< the URL, its login or its server: not a technician's login, no Fieldbook schema, ...
        Password,  ///< the server refused the login
        Network,   ///< the server could not be reached or the connection dropped: try again
        Other,     ///< anything else (the local file, a server failure), in words
    };

    Problem problem = Problem::None;
    /// In words, quoting neither the URL nor the password; empty after a success.
    QString message;
    /// The technician the file now holds (restored, or part-way), or null when nothing was written.
    QUuid userId;
    QString name;
    qint64 rows = 0;    ///< rows written by this run
    qint64 entries = 0; ///< history entries written by this run

    bool ok() const { return problem == Problem::None; }
};

/// The first start's "Sign in to your office server" (issue 14, item 5), as the screens see it: a restore of
/// the technician's whole history from the server into this file. The sync wing implements it
/// (sync::RestoreService), app hands it to the sign-in window, so ui never sees the network.
///
/// Everything runs on a thread of the sync wing: start() and cancel() only ask, the getters never wait, the
/// signals arrive on the GUI thread. Every wait is bounded (the connect timeout; cancel() within a second).
/// The password given to start() is kept in memory only, never written or logged.
class RestoreControl : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestoreControl)

public:
    explicit RestoreControl(QObject *parent = nullptr);
    ~RestoreControl() override;

    /// The technician whose restore stopped part-way in this file (the app quit, the network dropped), or
    /// empty: start() goes on where it stopped.
    virtual QString interruptedName() const = 0;
    virtual bool isRunning() const = 0;

public Q_SLOTS:
    /// Signs in at `url` with `password` (empty: libpq's own sources, ~/.pgpass) and restores into the
    /// file, or goes on with an interrupted restore. Ignored while a restore runs.
    virtual void start(const QString &url, const QString &password) = 0;
    /// Stops the running restore within a second; what was written stays for the next start().
    virtual void cancel() = 0;

Q_SIGNALS:
    /// The server accepted the login; the restore begins.
    void connected();
    /// `what` is being restored ("tickets", "history": the server's table names), `done` of `total` (0 when
    /// not known).
    void progress(const QString &what, qint64 done, qint64 total);
    void finished(const fb::RestoreOutcome &outcome);
};

} // namespace fb
