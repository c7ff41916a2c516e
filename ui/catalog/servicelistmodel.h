#pragma once

#include "common/rowdiffmodel.h"
#include "models/service.h"

#include <QAbstractTableModel>
#include <QList>

namespace fb::ui {

/// The catalog as a table: name, pricing type, price as its type reads ("$120.00", "$4.50 / metre",
/// "priced on the job") and whether it is offered. Inactive services are greyed.
class ServiceListModel final : public RowDiffModel<QAbstractTableModel>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceListModel)

public:
    enum Column
    {
        Name,
        Pricing,
        Price,
        Active,
        ColumnCount
    };
    /// The service's id (QUuid) on every cell.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit ServiceListModel(QObject *parent = nullptr);

    /// "Fixed price", "Per unit", "Flexible".
    static QString pricingLabel(PricingType type);
    /// The price as the pricing type reads.
    static QString priceText(const Service &service);

    void setServices(const QList<Service> &services);
    const QList<Service> &services() const { return m_services; }
    int rowOf(const QUuid &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Service> m_services;
};

} // namespace fb::ui
