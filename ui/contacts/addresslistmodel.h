#pragma once

#include "common/rowdiffmodel.h"
#include "models/address.h"

#include <QAbstractListModel>
#include <QList>

namespace fb::ui {

/// A customer's addresses, one line each ("Home: 12 Elm St, Springfield, IL 62701"). Used for the saved
/// addresses on the customer screen and for the drafts ContactDialog edits (a draft has a null id until it is
/// saved).
class AddressListModel final : public RowDiffModel<QAbstractListModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddressListModel)

public:
    explicit AddressListModel(QObject *parent = nullptr);

    /// "Home: 12 Elm St, Springfield, IL 62701", or the address alone when it has no label.
    static QString describe(const Address &address);

    void setAddresses(const QList<Address> &addresses);
    const QList<Address> &addresses() const { return m_addresses; }
    const Address &at(int row) const { return m_addresses.at(row); }

    void append(const Address &address);
    void replace(int row, const Address &address);
    void removeAt(int row);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QList<Address> m_addresses;
};

} // namespace fb::ui
