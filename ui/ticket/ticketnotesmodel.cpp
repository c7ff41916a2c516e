#include "ticketnotesmodel.h"

namespace fb::ui {

TicketNotesModel::TicketNotesModel(QObject *parent) : QAbstractListModel(parent)
{
}

void TicketNotesModel::setEntries(const QList<Entry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int TicketNotesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant TicketNotesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    if (role == Qt::DisplayRole)
        return QStringLiteral("%1\n%2").arg(entry.heading, entry.text);
    if (role == Qt::ToolTipRole)
        return entry.text;
    return {};
}

} // namespace fb::ui
