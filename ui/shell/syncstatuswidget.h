#pragma once

#include <QDateTime>
#include <QWidget>

class QLabel;
class QToolButton;
class QTimer;

namespace fb {
class SyncControl;
}

namespace fb::ui {

/// The status bar's sync section: online or offline (the server answered during the last cycle, not merely
/// "the OS has a network"), changes waiting to be sent, the last successful sync (as "5 min ago", exact time
/// in the tooltip), the last error, and Sync now. Without a configured server it says "Sync not set up".
///
/// It only listens to sync's queued signals (SyncControl, core): nothing here waits on the network.
class SyncStatusWidget final : public QWidget
{
    Q_OBJECT

public:
    /// `service` may be null (tests of screens without sync).
    explicit SyncStatusWidget(SyncControl *service, QWidget *parent = nullptr);

Q_SIGNALS:
    void syncNowRequested();

private:
    void setOnline(bool online);
    void setPending(int count);
    void setLastSuccess(const QDateTime &at);
    void setLastError(const QString &message);
    void setQuarantined(int count);
    void setRunning(bool running);
    void refreshAge();
    /// Close-outs whose notes wait for the model (the worker sends them when it can).
    void watchExtractions();
    /// A server is set up (everything shows) or not ("Sync not set up", Sync now disabled).
    void showConfigured(bool configured);

    SyncControl *m_service;
    QLabel *m_online;
    QLabel *m_pending;
    QLabel *m_lastSuccess;
    QLabel *m_quarantined;
    QLabel *m_extractions;
    QToolButton *m_syncNow;
    QTimer *m_ageTimer;
    QDateTime m_lastSuccessAt;
    bool m_isOnline = false;
    QString m_lastError;
};

} // namespace fb::ui
