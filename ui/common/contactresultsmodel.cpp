#include "contactresultsmodel.h"

namespace fb::ui {

void ContactResultsModel::setContacts(const QList<Contact> &contacts)
{
    beginResetModel();
    m_contacts = contacts;
    endResetModel();
}

const Contact *ContactResultsModel::contactAt(int row) const
{
    return row >= 0 && row < m_contacts.size() ? &m_contacts.at(row) : nullptr;
}

int ContactResultsModel::rowOf(const QUuid &contactId) const
{
    for (int row = 0; row < m_contacts.size(); ++row) {
        if (m_contacts.at(row).id == contactId)
            return row;
    }
    return -1;
}

int ContactResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_contacts.size());
}

QVariant ContactResultsModel::data(const QModelIndex &index, int role) const
{
    const Contact *contact = contactAt(index.row());
    if (!index.isValid() || !contact)
        return {};
    switch (role) {
    case Qt::DisplayRole: {
        QStringList parts{contact->name};
        if (contact->phone)
            parts << *contact->phone;
        if (contact->email)
            parts << *contact->email;
        return parts.join(QStringLiteral(" · "));
    }
    case ContactIdRole:
        return contact->id;
    default:
        return {};
    }
}

} // namespace fb::ui
