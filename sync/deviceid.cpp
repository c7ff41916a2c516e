#include "deviceid.h"

#include "db/database.h"
#include "db/transaction.h"
#include "util/timeutil.h"

namespace fb::sync {

Result<QString> deviceId(Database &local, const QUuid &user)
{
    const QString owner = idText(user);
    FB_TRANSACTION(tx, local);
    // Inserted only when missing: two callers at once agree on the first one stored.
    auto stored =
        local.exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, 'device_id', "
                                  "?) ON CONFLICT (user_id, key) DO NOTHING"),
                   {owner, idText(newId())});
    if (!stored)
        return stored.error();
    auto query = local.exec(
        QStringLiteral("SELECT value FROM sync_state WHERE user_id = ? AND key = 'device_id'"), {owner});
    if (!query)
        return query.error();
    if (!query->next() || query->value(0).toString().isEmpty())
        return Error::database(QStringLiteral("the device id could not be stored in the local file"));
    const QString id = query->value(0).toString();
    FB_TRY(tx.commit());
    return id;
}

} // namespace fb::sync
