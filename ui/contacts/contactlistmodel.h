#pragma once

#include "models/contact.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// Customers as the contacts list shows them: name, phone, e-mail.
class ContactListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactListModel)

public:
    enum Column
    {
        Name,
        Phone,
        Email,
        ColumnCount
    };
    /// The contact's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ContactListModel(QObject *parent = nullptr);

    void setContacts(const QList<Contact> &contacts);
    const QList<Contact> &contacts() const { return m_contacts; }
    /// The row of the contact with `id`, or -1.
    int rowOf(const QUuid &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Contact> m_contacts;
};

} // namespace fb::ui
