#include "servicelistmodel.h"

#include "common/feedback.h"

#include <QGuiApplication>
#include <QPalette>

namespace fb::ui {

ServiceListModel::ServiceListModel(QObject *parent) : RowDiffModel(parent)
{
}

QString ServiceListModel::pricingLabel(PricingType type)
{
    switch (type) {
    case PricingType::Fixed:
        return tr("Fixed price");
    case PricingType::PerUnit:
        return tr("Per unit");
    case PricingType::Flexible:
        return tr("Flexible");
    }
    return {};
}

QString ServiceListModel::priceText(const Service &service)
{
    switch (service.pricingType) {
    case PricingType::Fixed:
        return service.defaultPrice ? formatMoney(service.defaultPrice->cents()) : QString();
    case PricingType::PerUnit: {
        const QString unit =
            service.unitLabel && !service.unitLabel->isEmpty() ? *service.unitLabel : tr("unit");
        return service.unitPrice ? tr("%1 / %2").arg(formatMoney(service.unitPrice->cents()), unit)
                                 : QString();
    }
    case PricingType::Flexible:
        return tr("priced on the job");
    }
    return {};
}

void ServiceListModel::setServices(const QList<Service> &services)
{
    replaceRows(m_services, services, [](const Service &row) { return row.id; });
}

int ServiceListModel::rowOf(const QUuid &id) const
{
    for (int row = 0; row < m_services.size(); ++row) {
        if (m_services.at(row).id == id)
            return row;
    }
    return -1;
}

int ServiceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_services.size());
}

int ServiceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServiceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Service &service = m_services.at(index.row());
    switch (role) {
    case IdRole:
        return service.id;
    case Qt::ForegroundRole:
        // Greyed, yet still selectable and editable: an inactive service can be switched back on.
        if (!service.isActive)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Price)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Name && service.description)
            return *service.description;
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return service.name;
        case Pricing:
            return pricingLabel(service.pricingType);
        case Price:
            return priceText(service);
        case Active:
            return service.isActive ? tr("Active") : tr("Inactive");
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant ServiceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Service");
    case Pricing:
        return tr("Pricing");
    case Price:
        return tr("Price");
    case Active:
        return tr("Offered");
    default:
        return {};
    }
}

} // namespace fb::ui
