#include "historymodel.h"

#include "common/feedback.h"

#include <QDateTime>
#include <QLocale>

namespace fb::ui {

HistoryModel::HistoryModel(QObject *parent) : RowDiffModel(parent)
{
}

void HistoryModel::setRows(QList<HistoryRow> rows)
{
    replaceRows(m_rows, std::move(rows), [](const HistoryRow &row) { return row.entry.id; });
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryRow &row = m_rows.at(index.row());
    switch (role) {
    case ActionRole:
        return int(row.action);
    case EntityTypeRole:
        return row.entry.entityType;
    case EntityIdRole:
        return row.entry.entityId;
    case TimeRole:
        return row.entry.createdAt;
    case Qt::ToolTipRole:
        if (index.column() == ChangesColumn && !row.changes.isEmpty())
            return row.changes.join(QLatin1Char('\n'));
        if (index.column() == SubjectColumn)
            return row.subject;
        if (index.column() == WhenColumn)
            return QLocale().toString(row.entry.createdAt.toLocalTime(), QLocale::LongFormat);
        return {};
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case WhenColumn:
            return formatLocal(row.entry.createdAt);
        case WhoColumn:
            return row.who;
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
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case WhenColumn:
        return tr("When");
    case WhoColumn:
        return tr("Who");
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
