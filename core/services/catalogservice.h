#pragma once

#include "models/service.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

/// The catalog of services a business sells. Prices are copied onto line items when they are added, so a
/// price change never alters an existing ticket.
class CatalogService final
{
public:
    explicit CatalogService(ServiceContext context);

    Result<Service> createService(const ServiceCreate &data);
    Result<Service> updateService(const QUuid &id, const ServiceUpdate &data);
    Status deleteService(const QUuid &id);
    /// Undoes deleteService(), audited as an update of deleted_at; InvalidState for a live service.
    Result<Service> restoreService(const QUuid &id);
    /// By name; inactive services only when asked for.
    Result<QList<Service>> listServices(bool includeInactive = false) const;
    Result<Service> getById(const QUuid &id) const;

private:
    ServiceContext m_ctx;
};

} // namespace fb
