#pragma once

#include "historymodel.h"

#include <QUuid>
#include <QWidget>

#include <optional>

class QLabel;
class QTableView;

namespace fb::ui {

class UiContext;

/// The audit history viewer (issue 6 part 5): who, when, what changed old -> new, for one entity or for the
/// technician's own recent activity.
class HistoryWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWidget)

public:
    explicit HistoryWidget(UiContext &context, QWidget *parent = nullptr);
    /// The history of one entity, newest first. `entityType` as the audit log names it ("contact", "ticket",
    /// "line_item", "invoice", ...).
    void showEntity(const QString &entityType, const QUuid &entityId);
    /// The current technician's own recent activity, newest first.
    void showRecentActivity();

    /// The selected entry, described; nothing when no row is selected.
    std::optional<HistoryRow> currentRow() const;
    /// How many of the technician's latest entries the recent activity shows.
    static constexpr int kRecentLimit = 200;

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    /// The selection moved, or the rows were read again.
    void currentRowChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    enum class Mode
    {
        Nothing,
        Entity,
        RecentActivity
    };

    UiContext &m_context;
    HistoryModel *m_model;
    QTableView *m_view;
    QLabel *m_emptyLabel;
    Mode m_mode = Mode::Nothing;
    QString m_entityType;
    QUuid m_entityId;
    /// Changes came while the recent activity was hidden: read again when shown.
    bool m_stale = false;
};

} // namespace fb::ui
