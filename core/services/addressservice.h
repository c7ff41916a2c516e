#pragma once

#include "models/address.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

/// Service locations of a contact. Addresses have no soft delete (the seed); one still used by a ticket
/// cannot be removed.
class AddressService final
{
public:
    explicit AddressService(ServiceContext context);

    Result<Address> create(const AddressCreate &data);
    Result<Address> getById(const QUuid &id) const;
    Result<Address> update(const QUuid &id, const AddressUpdate &data);
    Status remove(const QUuid &id);
    Result<QList<Address>> listForContact(const QUuid &contactId) const;

private:
    ServiceContext m_ctx;
};

} // namespace fb
