#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace fb {
class SyncControl;
}

namespace fb::ui {

class ConflictsModel;
class QuarantineModel;
class RecentErrorsModel;
class UiContext;

/// The sync page (issue 6 part 6): whether the office server answers (or sync is not set up), whether a sync
/// runs, the changes waiting, a push's progress, the last success, the session's recent errors with their
/// times, and the changes the server refused for good with its reasons, which "Retry set-aside changes" puts
/// back in the queue once the cause is fixed, and the fields both the technician and the office changed, with
/// which value was kept (issue 14). Sync now runs a cycle.
///
/// Like the status bar it only listens to sync's queued signals (SyncControl, core's face of the sync wing):
/// nothing here waits on the network, and nothing here links sync.
class SyncPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncPanel)

public:
    /// `service` may be null (no sync at all): the page says sync is not set up.
    SyncPanel(UiContext &context, SyncControl *service, QWidget *parent = nullptr);

public Q_SLOTS:
    /// Shows the service's state again (the record names of set-aside changes are read locally).
    void reload();

Q_SIGNALS:
    /// "Set up sync…": the main window opens the settings.
    void settingsRequested();

private:
    void setUpWidgets();
    void buildLayout();
    void connectService();
    void showState();
    void showPending();
    void showLastSuccess();
    void showErrors();
    void showQuarantine();
    /// The merge conflicts (sync_conflicts), newest first.
    void showConflicts();
    void showProgress(int done, int total);
    void cycleStarted();
    void cycleFinished();

    UiContext &m_context;
    SyncControl *m_service;
    QLabel *m_state;
    QLabel *m_pending;
    QLabel *m_lastSuccess;
    QProgressBar *m_progress;
    QPushButton *m_syncNow;
    QPushButton *m_setUp;
    QTableView *m_errors;
    RecentErrorsModel *m_errorsModel;
    QLabel *m_quarantineTitle;
    QTableView *m_quarantine;
    QuarantineModel *m_quarantineModel;
    QPushButton *m_retry;
    QLabel *m_conflictsTitle = nullptr;
    QTableView *m_conflicts = nullptr;
    ConflictsModel *m_conflictsModel = nullptr;
    bool m_pushed = false; ///< a push reported progress during the current cycle
};

} // namespace fb::ui
