#pragma once

#include "models/contact.h"
#include "services/contactservice.h"

#include <QAbstractListModel>
#include <QList>

namespace fb::ui {

/// Customers found by a search: the name, with what matched and what tells namesakes apart (describe()).
class ContactResultsModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactResultsModel)

public:
    enum Role
    {
        ContactIdRole = Qt::UserRole + 1
    };

    using QAbstractListModel::QAbstractListModel;

    void setContacts(const QList<Contact> &contacts);
    /// Results of ContactService::searchHits(): each shows what matched.
    void setHits(const QList<ContactSearchHit> &hits);
    /// One result in words: the name, then what matched (the phone, the e-mail, or the address that matched,
    /// with its label), then one more thing that tells two customers of the same name apart (the first
    /// address, or the phone): "Dana Smith — phone (815) 555-0186 · 12 Elm Street, Rockford, IL 62565".
    static QString describe(const ContactSearchHit &hit);
    const Contact *contactAt(int row) const;
    int rowOf(const QUuid &contactId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<ContactSearchHit> m_hits;
};

} // namespace fb::ui
