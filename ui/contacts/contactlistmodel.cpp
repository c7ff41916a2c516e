#include "contactlistmodel.h"

namespace fb::ui {

ContactListModel::ContactListModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void ContactListModel::setContacts(const QList<Contact> &contacts)
{
    beginResetModel();
    m_contacts = contacts;
    endResetModel();
}

int ContactListModel::rowOf(const QUuid &id) const
{
    for (int row = 0; row < m_contacts.size(); ++row) {
        if (m_contacts.at(row).id == id)
            return row;
    }
    return -1;
}

int ContactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_contacts.size());
}

int ContactListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Contact &contact = m_contacts.at(index.row());
    if (role == IdRole)
        return contact.id;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Name:
        return contact.name;
    case Phone:
        return contact.phone.value_or(QString());
    case Email:
        return contact.email.value_or(QString());
    default:
        return {};
    }
}

QVariant ContactListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Phone:
        return tr("Phone");
    case Email:
        return tr("E-mail");
    default:
        return {};
    }
}

} // namespace fb::ui
