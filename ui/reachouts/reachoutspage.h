#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

class QCheckBox;
class QLabel;
class QTableView;

namespace fb::ui {

class ReachOutListModel;
class UiContext;

/// Scheduled reach-out messages with their status and date: pending ones first (overdue ones highlighted),
/// then sent, cancelled and failed ones unless "Pending only" is on. Enter or a double-click opens the
/// customer.
class ReachOutsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReachOutsPage)

public:
    explicit ReachOutsPage(UiContext &context, QWidget *parent = nullptr);

public Q_SLOTS:
    void reload();

protected:
    /// Reloads when shown: "overdue" depends on the time, not only on the data.
    void showEvent(QShowEvent *event) override;

private:
    void openCurrent();

    UiContext &m_context;
    ReachOutListModel *m_model;
    QCheckBox *m_pendingOnly;
    QTableView *m_view;
    QLabel *m_summary;
};

} // namespace fb::ui
