#include "services/catalogservice.h"

#include "db/scoping.h"
#include "db/store.h"
#include "db/transaction.h"
#include "models/rowaccess.h"
#include "models/validation.h"

namespace fb {

namespace {

const QString kTable = QStringLiteral("services");

} // namespace

CatalogService::CatalogService(ServiceContext context) : m_ctx(context)
{
}

Result<Service> CatalogService::createService(const ServiceCreate &data)
{
    FB_TRY(validate::name(data.name, QStringLiteral("name")));
    FB_TRY(validate::longText(data.description, QStringLiteral("description")));
    FB_TRY(validate::shortText(data.unitLabel, QStringLiteral("unit_label")));
    FB_TRY(validate::pricing(data.pricingType, data.defaultPrice, data.unitPrice));

    Service service;
    service.id = newId();
    service.userId = m_ctx.db.currentUser();
    service.name = data.name.trimmed();
    service.description = data.description && !data.description->isEmpty() ? data.description : std::nullopt;
    service.pricingType = data.pricingType;
    service.defaultPrice = data.defaultPrice;
    service.unitPrice = data.unitPrice;
    service.unitLabel = data.unitLabel && !data.unitLabel->isEmpty() ? data.unitLabel : std::nullopt;
    service.isActive = data.isActive;
    service.createdAt = service.updatedAt = nowUtc();

    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.insert(kTable, service.toRow()));
    FB_TRY(tx.commit());
    return service;
}

Result<Service> CatalogService::updateService(const QUuid &id, const ServiceUpdate &data)
{
    auto current = getById(id);
    if (!current)
        return current.error();
    Row values;
    if (data.name) {
        FB_TRY(validate::name(*data.name, QStringLiteral("name")));
        values.insert(QStringLiteral("name"), data.name->trimmed());
    }
    if (data.description) {
        FB_TRY(validate::longText(data.description, QStringLiteral("description")));
        values.insert(QStringLiteral("description"), rows::value(rows::emptyToNull(*data.description)));
    }
    if (data.unitLabel) {
        FB_TRY(validate::shortText(data.unitLabel, QStringLiteral("unit_label")));
        values.insert(QStringLiteral("unit_label"), rows::value(rows::emptyToNull(*data.unitLabel)));
    }
    const PricingType type = data.pricingType.value_or(current->pricingType);
    const auto defaultPrice = data.defaultPrice ? data.defaultPrice : current->defaultPrice;
    const auto unitPrice = data.unitPrice ? data.unitPrice : current->unitPrice;
    FB_TRY(validate::pricing(type, defaultPrice, unitPrice));
    if (data.pricingType)
        values.insert(QStringLiteral("pricing_type"), toString(type));
    if (data.defaultPrice)
        values.insert(QStringLiteral("default_price"), rows::value(data.defaultPrice));
    if (data.unitPrice)
        values.insert(QStringLiteral("unit_price"), rows::value(data.unitPrice));
    if (data.isActive)
        values.insert(QStringLiteral("is_active"), qlonglong(*data.isActive ? 1 : 0));
    if (!values.isEmpty()) {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id, values); !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Status CatalogService::deleteService(const QUuid &id)
{
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.softDelete(kTable, id));
    return tx.commit();
}

Result<Service> CatalogService::restoreService(const QUuid &id)
{
    FB_TRANSACTION(tx, m_ctx.db);
    auto row = m_ctx.store.restore(kTable, id);
    if (!row)
        return row.error();
    FB_TRY(tx.commit());
    return Service::fromRow(*row);
}

Result<QList<Service>> CatalogService::listServices(bool includeInactive) const
{
    auto query =
        m_ctx.db.exec(QStringLiteral("SELECT s.* FROM %1%2 ORDER BY s.name COLLATE NOCASE, s.rowid")
                          .arg(scoping::visibleRows(kTable, QStringLiteral("s")),
                               includeInactive ? QString() : QStringLiteral(" AND s.is_active = 1")));
    if (!query)
        return query.error();
    QList<Service> services;
    while (query->next())
        services.append(Service::fromRow(rowFromQuery(*query)));
    return services;
}

Result<Service> CatalogService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return Service::fromRow(*row);
}

} // namespace fb
