#include "attributelistmodel.h"

#include <QJsonObject>
#include <QLocale>

namespace fb::ui {

AttributeListModel::AttributeListModel(QObject *parent) : QAbstractTableModel(parent)
{
}

QString AttributeListModel::keyLabel(const QString &key)
{
    QString label = key;
    label.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    return label;
}

QString AttributeListModel::valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? tr("Yes") : tr("No");
    case QJsonValue::Double:
        return QLocale().toString(value.toDouble());
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Object: {
        QStringList parts;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            parts << QStringLiteral("%1: %2").arg(keyLabel(it.key()), valueText(it.value()));
        return parts.join(QStringLiteral(", "));
    }
    default:
        return {};
    }
}

void AttributeListModel::setAttributes(const QList<Attribute> &attributes)
{
    beginResetModel();
    m_attributes = attributes;
    endResetModel();
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
    return index.column() == Key ? keyLabel(attribute.key) : valueText(attribute.value);
}

QVariant AttributeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Key ? tr("Attribute") : tr("Value");
}

} // namespace fb::ui
