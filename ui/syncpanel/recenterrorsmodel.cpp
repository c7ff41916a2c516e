#include "recenterrorsmodel.h"

#include "common/feedback.h"

#include <QLocale>

#include <algorithm>

namespace fb::ui {

RecentErrorsModel::RecentErrorsModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void RecentErrorsModel::setErrors(const QList<RecentSyncError> &errors)
{
    beginResetModel();
    m_errors = errors;
    std::reverse(m_errors.begin(), m_errors.end());
    endResetModel();
}

int RecentErrorsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_errors.size());
}

int RecentErrorsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecentErrorsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &error = m_errors.at(index.row());
    if (role == Qt::ToolTipRole)
        return error.message; // long messages are cut in the cell
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case When:
        return formatLocal(error.at);
    case Source:
        return error.source == RecentSyncError::Source::Server ? tr("Sync") : tr("Model");
    case Message:
        return error.message;
    default:
        return {};
    }
}

QVariant RecentErrorsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Source:
        return tr("What");
    case Message:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace fb::ui
