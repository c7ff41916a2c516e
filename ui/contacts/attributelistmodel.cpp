#include "attributelistmodel.h"

#include "common/humanize.h"

namespace fb::ui {

AttributeListModel::AttributeListModel(QObject *parent) : RowDiffModel(parent)
{
}

void AttributeListModel::setAttributes(const QList<Attribute> &attributes)
{
    replaceRows(m_attributes, attributes, [](const Attribute &row) { return row.id; });
}

int AttributeListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_attributes.size());
}

int AttributeListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttributeListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const Attribute &attribute = m_attributes.at(index.row());
    // The shared wording, so a confirmed attribute reads as its suggestion and the ticket briefing do.
    return index.column() == Key ? humanizeKey(attribute.key) : attributeValueText(attribute.value);
}

QVariant AttributeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Key ? tr("Attribute") : tr("Value");
}

} // namespace fb::ui
