#include "contactresultsmodel.h"

namespace fb::ui {

namespace {

QString addressText(const Address &address)
{
    const QString label = address.label.value_or(QString()).trimmed();
    return label.isEmpty() ? address.oneLine() : QStringLiteral("%1: %2").arg(label, address.oneLine());
}

} // namespace

void ContactResultsModel::setContacts(const QList<Contact> &contacts)
{
    QList<ContactSearchHit> hits;
    hits.reserve(contacts.size());
    for (const Contact &contact : contacts)
        hits.append({contact, SearchMatch::Other, std::nullopt});
    setHits(hits);
}

void ContactResultsModel::setHits(const QList<ContactSearchHit> &hits)
{
    beginResetModel();
    m_hits = hits;
    endResetModel();
}

const Contact *ContactResultsModel::contactAt(int row) const
{
    return row >= 0 && row < m_hits.size() ? &m_hits.at(row).contact : nullptr;
}

int ContactResultsModel::rowOf(const QUuid &contactId) const
{
    for (int row = 0; row < m_hits.size(); ++row) {
        if (m_hits.at(row).contact.id == contactId)
            return row;
    }
    return -1;
}

int ContactResultsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hits.size());
}

QString ContactResultsModel::describe(const ContactSearchHit &hit)
{
    const Contact &contact = hit.contact;
    QStringList parts;
    switch (hit.match) {
    case SearchMatch::Phone:
        parts << tr("phone %1").arg(contact.phone.value_or(QString()));
        if (hit.address)
            parts << addressText(*hit.address);
        break;
    case SearchMatch::Email:
        parts << tr("e-mail %1").arg(contact.email.value_or(QString()));
        if (hit.address)
            parts << addressText(*hit.address);
        break;
    case SearchMatch::Address:
        if (hit.address)
            parts << addressText(*hit.address);
        if (contact.phone)
            parts << *contact.phone;
        break;
    case SearchMatch::Name:
        if (hit.address)
            parts << addressText(*hit.address);
        else if (contact.phone)
            parts << *contact.phone;
        else if (contact.email)
            parts << *contact.email;
        break;
    case SearchMatch::Other:
        if (contact.phone)
            parts << *contact.phone;
        if (contact.email)
            parts << *contact.email;
        break;
    }
    parts.removeAll(QString());
    return parts.isEmpty() ? contact.name
                           : QStringLiteral("%1 — %2").arg(contact.name, parts.join(QStringLiteral(" · ")));
}

QVariant ContactResultsModel::data(const QModelIndex &index, int role) const
{
    const Contact *contact = contactAt(index.row());
    if (!index.isValid() || !contact)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return describe(m_hits.at(index.row()));
    case ContactIdRole:
        return contact->id;
    default:
        return {};
    }
}

} // namespace fb::ui
