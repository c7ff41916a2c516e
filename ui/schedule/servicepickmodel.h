#pragma once

#include "models/service.h"

#include <QAbstractListModel>
#include <QList>
#include <QSet>

namespace fb::ui {

/// The catalog services a new ticket can start with, each with a check box.
///
/// Design choice: only fixed-price and per-unit services are offered, at quantity 1 and the catalog price.
/// The core always accepts those, so picking services cannot make the creation fail half-way; a flexible
/// service needs a typed price and a per-unit quantity is usually known on site, both are set on the ticket
/// screen.
class ServicePickModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServicePickModel)

public:
    using QAbstractListModel::QAbstractListModel;

    /// Keeps the services that can be quick-added (see the class comment).
    void setServices(const QList<Service> &services);
    QList<Service> checkedServices() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QList<Service> m_services;
    QSet<QUuid> m_checked;
};

} // namespace fb::ui
