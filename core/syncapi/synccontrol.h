#pragma once

#include "syncapi/synctypes.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace fb {

/// What the screens see of sync and may ask of it (issue 13: ui and sync are two wings over core). The sync
/// wing implements it (sync::SyncService); app hands that to the main window, so ui links core only and
/// never sees the network. Everything here is the last known state on the GUI thread: the getters never wait,
/// the slots only ask (a cycle starts on the sync thread), the signals arrive queued from it.
class SyncControl : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncControl)

public:
    explicit SyncControl(QObject *parent = nullptr);
    ~SyncControl() override;

    /// Whether the server answered during the last cycle (false until the first cycle ends).
    virtual bool isOnline() const = 0;
    /// Changes waiting to be pushed; -1 until they were counted.
    virtual int pendingCount() const = 0;
    /// The last successful cycle, from an earlier session too; invalid when there was none.
    virtual QDateTime lastSuccess() const = 0;
    /// Why the last cycle failed, without URL or password; empty after a success.
    virtual QString lastError() const = 0;
    /// The changes the server refused for good, waiting for a person.
    virtual const QList<QuarantinedChange> &quarantined() const = 0;
    virtual bool isCycleRunning() const = 0;
    /// Whether a server URL was given; without one nothing is pushed ("sync is not set up").
    virtual bool isPushConfigured() const = 0;
    /// Close-outs whose notes wait for the model; -1 until the first extraction pass ended.
    virtual int pendingExtractions() const = 0;
    /// Why they wait (no key, the model unreachable), or empty.
    virtual QString extractionError() const = 0;
    /// The latest failures of this session, oldest first.
    virtual const QList<RecentSyncError> &recentErrors() const = 0;

public Q_SLOTS:
    /// A cycle now (or right after the running one).
    virtual void syncNow() = 0;
    /// Call after every local write: the pending count follows and, when online, a push follows shortly.
    virtual void localChangesCommitted() = 0;
    /// Retries the changes set aside (after the cause was fixed on the server).
    virtual void releaseQuarantine() = 0;
    /// A pass over the extraction queue now (or right after the running one).
    virtual void runExtractions() = 0;

Q_SIGNALS:
    void cycleStarted();
    /// During a push: changes handled so far, out of how many.
    void pushProgress(int done, int total);
    /// After the settings changed: whether a server is set now.
    void pushConfiguredChanged(bool configured);
    /// A failure was added to recentErrors().
    void recentErrorsChanged();
    void cycleFinished(bool success);
    void onlineChanged(bool online);
    void pendingCountChanged(int count);
    void lastSuccessChanged(const QDateTime &at);
    void lastErrorChanged(const QString &message);
    void quarantinedChanged(int count, const QList<fb::QuarantinedChange> &changes);
    /// New suggested attributes await review (refresh what shows them).
    void suggestionsReady(int count);
    void extractionPassFinished(int pending);
    void extractionErrorChanged(const QString &message);
};

} // namespace fb
