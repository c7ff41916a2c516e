#include "tickethistorymodel.h"

#include "common/feedback.h"

namespace fb::ui {

TicketHistoryModel::TicketHistoryModel(QObject *parent) : RowDiffModel(parent)
{
}

void TicketHistoryModel::setRows(const QList<HistoryRow> &rows)
{
    replaceRows(m_rows, rows, [](const HistoryRow &row) { return row.entry.id; });
}

int TicketHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TicketHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TicketHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryRow &row = m_rows.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == ChangesColumn)
        return row.changes.join(QLatin1Char('\n'));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case WhenColumn:
        return formatLocal(row.entry.createdAt);
    case SubjectColumn:
        return row.subject;
    case ActionColumn:
        return row.actionText;
    case ChangesColumn:
        return row.changes.join(QStringLiteral("; "));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TicketHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case WhenColumn:
        return tr("When");
    case SubjectColumn:
        return tr("What");
    case ActionColumn:
        return tr("Action");
    case ChangesColumn:
        return tr("Changes");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace fb::ui
