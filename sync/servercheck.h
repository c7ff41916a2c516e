#pragma once

#include "syncapi/synctypes.h"
#include "util/result.h"

#include <QString>
#include <QUuid>

#include <functional>
#include <optional>

class QObject;

namespace fb::sync {

/// Plain data in core (syncapi/synctypes.h), so the settings dialog can show it without sync.
using ServerCheckResult = fb::ServerCheckResult;

/// "Test connection" for the sync server: connects as the settings would, and says who we are there and
/// which schema the server has. The password is given apart from the URL and never appears in a result or
/// an error.
class ServerCheck final
{
public:
    /// Blocking (up to the connect timeout, then a few quick statements): run it off the GUI thread. When
    /// `userId` is not null, also checks that the login is bound to that technician (the server refuses a
    /// push otherwise). Errors: Unavailable (no answer), Forbidden (refused login, unbound role), Database
    /// (no Fieldbook schema).
    static Result<ServerCheckResult> run(const QString &url, const QString &password, const QUuid &userId,
                                         int connectTimeoutSeconds = 5);

    using Callback = std::function<void(Result<ServerCheckResult>)>;
    /// run() on a thread of the global pool; `done` is called on `context`'s thread, and not at all once
    /// `context` is gone. The test runs to its end anyway (bounded by the connect timeout).
    static void start(const QString &url, const QString &password, const QUuid &userId, QObject *context,
                      Callback done, int connectTimeoutSeconds = 5);
};

} // namespace fb::sync
