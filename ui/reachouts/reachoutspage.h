#pragma once

#include "models/scheduledmessage.h"

#include <QDate>
#include <QUuid>
#include <QWidget>

#include <memory>

class QAction;
class QCheckBox;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace fb::ui {

class ReachOutListModel;
struct ReachOutListing;
template <typename Key, typename Listing> class ListReader;
class UiContext;

/// Scheduled reach-out messages with their status and date: pending ones first (overdue ones highlighted),
/// then sent, cancelled and failed ones unless "Pending only" is on. Enter or a double-click opens the
/// customer; Del cancels the selected pending reach-out (after a confirmation), Ctrl+Enter marks it sent. The
/// selected reach-out's message is shown below the list.
class ReachOutsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReachOutsPage)

public:
    explicit ReachOutsPage(UiContext &context, QWidget *parent = nullptr);
    ~ReachOutsPage() override;

    /// Selects the reach-out `messageId` if the list shows it.
    void selectMessage(const QUuid &messageId);
    /// The selected reach-out's id, or null.
    QUuid selectedMessageId() const;

public Q_SLOTS:
    /// Reads the list again, on the read thread; listShown() follows.
    void reload();
    /// Asks (without blocking) whether to cancel the selected pending reach-out, then cancels it.
    void cancelSelected();
    /// Marks the selected pending reach-out sent (the technician sent it by hand).
    void markSelectedSent();

Q_SIGNALS:
    /// The list now shows what a read found.
    void listShown();

protected:
    /// Reloads when shown: "overdue" depends on the time, not only on the data.
    void showEvent(QShowEvent *event) override;

private:
    /// The list, its keys, and the selection that shows a reach-out's message.
    void setUpView();
    /// Cancel (Del) and mark sent (Ctrl+Enter), keys of the whole page.
    void createActions();
    /// The summary, "Pending only", and the buttons of the two actions.
    QHBoxLayout *buildToolbar();
    /// The selected reach-out's message, below the list.
    QWidget *buildDetail();
    void openCurrent();
    void updateDetail();
    void cancelMessage(const QUuid &messageId);
    void selectRowAfterAction(int row, const ScheduledMessage &handled);
    void showListing(const ReachOutListing &listing, bool upToDate);
    int rowOf(const QUuid &messageId) const;

    UiContext &m_context;
    ReachOutListModel *m_model;
    QCheckBox *m_pendingOnly;
    QTableView *m_view;
    QLabel *m_summary;
    QLabel *m_detailTitle;
    QPlainTextEdit *m_detailText;
    QAction *m_cancelAction;
    QAction *m_markSentAction;
    using ReachOutReader = ListReader<bool, ReachOutListing>; ///< keyed by "Pending only"
    std::unique_ptr<ReachOutReader> m_reader;
    QUuid m_handled;          ///< the reach-out just cancelled or marked sent, until an up-to-date read
    int m_rowAfterAction = 0; ///< the row it had: selected then, holding the next pending one
};

} // namespace fb::ui
