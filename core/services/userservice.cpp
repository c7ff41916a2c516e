#include "services/userservice.h"

#include "db/database.h"
#include "db/store.h"
#include "db/transaction.h"
#include "models/validation.h"
#include "util/timeutil.h"

namespace fb {

UserService::UserService(ServiceContext context) : m_ctx(context)
{
}

Result<User> UserService::create(const UserCreate &data)
{
    FB_TRY(validate::name(data.name, QStringLiteral("name")));
    if (data.email.trimmed().isEmpty())
        return Error::validation(QStringLiteral("email"), QStringLiteral("must not be empty"));
    FB_TRY(validate::email(data.email.trimmed()));
    // E-mail addresses are compared without case: Alice@Example.com is the same person as alice@example.com.
    auto existing = m_ctx.db.exec(QStringLiteral("SELECT 1 FROM users WHERE lower(email) = lower(?)"),
                                  {data.email.trimmed()});
    if (!existing)
        return existing.error();
    if (existing->next())
        return Error::validation(
            QStringLiteral("email"),
            QStringLiteral("a profile with %1 already exists").arg(data.email.trimmed()));

    User user{data.id.isNull() ? newId() : data.id, data.name.trimmed(), data.email.trimmed(), nowUtc()};
    // The audit trail only accepts entries in the current user's name: the new profile records its own
    // creation.
    const QUuid previous = m_ctx.db.currentUser();
    m_ctx.db.setCurrentUser(user.id);
    Status written = [&]() -> Status {
        FB_TRANSACTION(tx, m_ctx.db);
        FB_TRY(m_ctx.store.insert(QStringLiteral("users"), user.toRow()));
        return tx.commit();
    }();
    m_ctx.db.setCurrentUser(previous);
    if (!written)
        return written.error();
    return user;
}

Result<User> UserService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(QStringLiteral("users"), id);
    if (!row)
        return row.error();
    return User::fromRow(*row);
}

Result<QList<User>> UserService::list() const
{
    auto query = m_ctx.db.exec(QStringLiteral("SELECT * FROM users ORDER BY name, created_at"));
    if (!query)
        return query.error();
    QList<User> users;
    while (query->next())
        users.append(User::fromRow(rowFromQuery(*query)));
    return users;
}

Result<User> UserService::current() const
{
    if (m_ctx.db.currentUser().isNull())
        return Error::notFound(QStringLiteral("no technician profile is selected"));
    return getById(m_ctx.db.currentUser());
}

Status UserService::setCurrent(const QUuid &id)
{
    auto user = getById(id);
    if (!user)
        return user.error();
    m_ctx.db.setCurrentUser(id);
    return {};
}

} // namespace fb
