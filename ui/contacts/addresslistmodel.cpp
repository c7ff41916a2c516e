#include "addresslistmodel.h"

namespace fb::ui {

AddressListModel::AddressListModel(QObject *parent) : RowDiffModel(parent)
{
}

QString AddressListModel::describe(const Address &address)
{
    const QString line = address.oneLine();
    if (address.label && !address.label->trimmed().isEmpty())
        return QStringLiteral("%1: %2").arg(address.label->trimmed(), line);
    return line;
}

void AddressListModel::setAddresses(const QList<Address> &addresses)
{
    replaceRows(m_addresses, addresses, [](const Address &row) { return row.id; });
}

void AddressListModel::append(const Address &address)
{
    beginInsertRows({}, int(m_addresses.size()), int(m_addresses.size()));
    m_addresses.append(address);
    endInsertRows();
}

void AddressListModel::replace(int row, const Address &address)
{
    if (row < 0 || row >= m_addresses.size())
        return;
    m_addresses[row] = address;
    Q_EMIT dataChanged(index(row), index(row));
}

void AddressListModel::removeAt(int row)
{
    if (row < 0 || row >= m_addresses.size())
        return;
    beginRemoveRows({}, row, row);
    m_addresses.removeAt(row);
    endRemoveRows();
}

int AddressListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_addresses.size());
}

QVariant AddressListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Address &address = m_addresses.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return describe(address);
    case Qt::ToolTipRole:
        return address.notes ? QStringLiteral("%1\n%2").arg(address.oneLine(), *address.notes)
                             : address.oneLine();
    default:
        return {};
    }
}

} // namespace fb::ui
