#include "reachoutlistmodel.h"

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"

#include <QFont>

#include <algorithm>

namespace fb::ui {

namespace {
// Amber at partial opacity: reads as a warning over the light and the dark base alike, text stays legible.
const QColor kOverdueTint(0xd9, 0x7a, 0x00, 0x50);
} // namespace

ReachOutListModel::ReachOutListModel(QObject *parent) : RowDiffModel(parent)
{
}

QString ReachOutListModel::messageText(const ScheduledMessage &message)
{
    if (message.templateName && !message.templateName->isEmpty()) {
        QString text = *message.templateName;
        text.replace(QLatin1Char('_'), QLatin1Char(' '));
        text[0] = text[0].toUpper();
        return text;
    }
    return message.customContent.value_or(QString()).section(QLatin1Char('\n'), 0, 0);
}

void ReachOutListModel::setMessages(QList<ScheduledMessage> messages,
                                    const QHash<QUuid, QString> &customerNames, const QDateTime &now)
{
    // What needs doing first: pending ones soonest first, then the history latest first.
    std::stable_sort(messages.begin(), messages.end(),
                     [](const ScheduledMessage &a, const ScheduledMessage &b) {
                         const bool aPending = a.status == MessageStatus::Pending;
                         const bool bPending = b.status == MessageStatus::Pending;
                         if (aPending != bPending)
                             return aPending;
                         return aPending ? a.scheduledFor < b.scheduledFor : a.scheduledFor > b.scheduledFor;
                     });
    m_names = customerNames;
    m_now = now;
    replaceRows(m_messages, std::move(messages), [](const ScheduledMessage &row) { return row.id; });
}

void ReachOutListModel::updateMessage(const ScheduledMessage &message)
{
    updateRow(m_messages, message, [](const ScheduledMessage &row) { return row.id; });
}

bool ReachOutListModel::isOverdue(const ScheduledMessage &message) const
{
    return message.status == MessageStatus::Pending && message.scheduledFor < m_now;
}

int ReachOutListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

int ReachOutListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReachOutListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScheduledMessage &message = m_messages.at(index.row());
    const bool overdue = isOverdue(message);
    switch (role) {
    case IdRole:
        return message.id;
    case ContactIdRole:
        return message.contactId;
    case OverdueRole:
        return overdue;
    case kBadgeColorRole:
        return index.column() == Status ? QVariant(badgeColor(message.status)) : QVariant();
    case Qt::BackgroundRole:
        return overdue ? QVariant(kOverdueTint) : QVariant();
    case Qt::FontRole:
        if (overdue && index.column() == When) {
            QFont font;
            font.setWeight(QFont::DemiBold);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Message && message.customContent)
            return *message.customContent;
        if (index.column() == Status && message.status == MessageStatus::Failed && message.errorMessage)
            return *message.errorMessage;
        if (overdue)
            return tr("Overdue: it was due %1").arg(formatLocal(message.scheduledFor));
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case When:
            return overdue ? tr("%1 (overdue)").arg(formatLocal(message.scheduledFor))
                           : formatLocal(message.scheduledFor);
        case Customer:
            return m_names.value(message.contactId, tr("(customer removed)"));
        case Message:
            return messageText(message);
        case Status:
            return statusLabel(message.status);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ReachOutListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Customer:
        return tr("Customer");
    case Message:
        return tr("Message");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace fb::ui
