#pragma once

#include "models/user.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

/// Technician profiles. Profiles are not user-scoped: a laptop may hold several, and one is current.
class UserService final
{
public:
    explicit UserService(ServiceContext context);

    /// Creates a profile; its creation is audited in its own name.
    Result<User> create(const UserCreate &data);
    Result<User> getById(const QUuid &id) const;
    Result<QList<User>> list() const;

    /// The profile the connection acts as, or NotFound when none is set.
    Result<User> current() const;
    /// Makes `id` the current user of the connection (it must exist).
    Status setCurrent(const QUuid &id);

private:
    ServiceContext m_ctx;
};

} // namespace fb
