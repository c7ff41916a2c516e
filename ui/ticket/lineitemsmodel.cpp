#include "lineitemsmodel.h"

#include "common/feedback.h"

namespace fb::ui {

LineItemsModel::LineItemsModel(QObject *parent) : RowDiffModel(parent)
{
}

void LineItemsModel::setItems(const QList<LineItem> &items)
{
    replaceRows(m_items, items, [](const LineItem &row) { return row.id; });
}

int LineItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int LineItemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LineItemsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LineItem &item = m_items.at(index.row());
    if (role == IdRole)
        return QVariant::fromValue(item.id);
    if (role == Qt::TextAlignmentRole && index.column() != DescriptionColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case DescriptionColumn:
        return item.description.value_or(QString());
    case QuantityColumn:
        return item.quantity;
    case UnitPriceColumn:
        return item.unitPrice ? formatMoney(item.unitPrice->cents()) : QString();
    case TotalColumn:
        return formatMoney(item.totalPrice.cents());
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LineItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case DescriptionColumn:
        return tr("Description");
    case QuantityColumn:
        return tr("Qty");
    case UnitPriceColumn:
        return tr("Unit price");
    case TotalColumn:
        return tr("Total");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace fb::ui
