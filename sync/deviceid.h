#pragma once

#include "util/result.h"

#include <QString>
#include <QUuid>

namespace fb {
class Database;
}

namespace fb::sync {

/// This local file's device id for `user` (a UUID text): created on first use and kept in
/// sync_state(user_id, 'device_id'). The push sets it as app.fieldbook_device, so the server records which
/// device wrote each change (audit_log.origin) and a pull can skip its own changes. A file restored from the
/// server starts without one, and so gets a new id.
Result<QString> deviceId(Database &local, const QUuid &user);

} // namespace fb::sync
