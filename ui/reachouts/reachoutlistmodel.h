#pragma once

#include "common/rowdiffmodel.h"
#include "models/scheduledmessage.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

namespace fb::ui {

/// Scheduled reach-outs: when (local time), customer, message, status (a badge). Pending ones come first,
/// soonest first, then the rest, latest first; a pending one whose time has passed is highlighted.
class ReachOutListModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReachOutListModel)

public:
    enum Column
    {
        When,
        Customer,
        Message,
        Status,
        ColumnCount
    };
    /// The message's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;
    /// The customer's id (QUuid) on every cell.
    static constexpr int ContactIdRole = Qt::UserRole + 2;
    /// Whether the message is pending and due before now (bool) on every cell.
    static constexpr int OverdueRole = Qt::UserRole + 3;

    explicit ReachOutListModel(QObject *parent = nullptr);

    /// "service_reminder" -> "Service reminder"; custom content's first line when there is no template.
    static QString messageText(const ScheduledMessage &message);

    /// `now` (UTC) decides which pending messages are overdue.
    void setMessages(QList<ScheduledMessage> messages, const QHash<QUuid, QString> &customerNames,
                     const QDateTime &now);
    const QList<ScheduledMessage> &messages() const { return m_messages; }
    /// Shows `message` as it is now on its row, if it is listed (after the page changed it, before the list
    /// is read again).
    void updateMessage(const ScheduledMessage &message);
    bool isOverdue(const ScheduledMessage &message) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ScheduledMessage> m_messages;
    QHash<QUuid, QString> m_names;
    QDateTime m_now;
};

} // namespace fb::ui
