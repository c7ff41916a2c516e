#pragma once

#include "models/contact.h"

#include <QAbstractListModel>
#include <QList>

namespace fb::ui {

/// Customers found by a search: the name, with phone and e-mail to tell namesakes apart.
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
    const Contact *contactAt(int row) const;
    int rowOf(const QUuid &contactId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<Contact> m_contacts;
};

} // namespace fb::ui
