#include "servicepickmodel.h"

#include "common/feedback.h"

namespace fb::ui {

void ServicePickModel::setServices(const QList<Service> &services)
{
    beginResetModel();
    m_services.clear();
    for (const Service &service : services) {
        if (service.catalogPrice()) // services priced on the job are added on the job
            m_services.append(service);
    }
    QSet<QUuid> kept;
    for (const Service &service : std::as_const(m_services)) {
        if (m_checked.contains(service.id))
            kept.insert(service.id);
    }
    m_checked = kept;
    endResetModel();
}

QList<Service> ServicePickModel::checkedServices() const
{
    QList<Service> checked;
    for (const Service &service : m_services) {
        if (m_checked.contains(service.id))
            checked.append(service);
    }
    return checked;
}

int ServicePickModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_services.size());
}

QVariant ServicePickModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_services.size())
        return {};
    const Service &service = m_services.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (service.pricingType == PricingType::PerUnit)
            return tr("%1 · %2 per %3 (1 %3; change it on the ticket)")
                .arg(service.name, formatMoney(service.unitPrice->cents()),
                     service.unitLabel.value_or(tr("unit")));
        return QStringLiteral("%1 · %2").arg(service.name, formatMoney(service.defaultPrice->cents()));
    case Qt::CheckStateRole:
        return m_checked.contains(service.id) ? Qt::Checked : Qt::Unchecked;
    case Qt::UserRole:
        return service.id;
    default:
        return {};
    }
}

bool ServicePickModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.row() >= m_services.size() || role != Qt::CheckStateRole)
        return false;
    const QUuid id = m_services.at(index.row()).id;
    if (value.toInt() == Qt::Checked)
        m_checked.insert(id);
    else
        m_checked.remove(id);
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags ServicePickModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

} // namespace fb::ui
