#pragma once

#include "keychain.h"
#include "util/result.h"

#include <QString>

#include <chrono>
#include <functional>

namespace fb::sync {

/// The sync server's password at rest: in the platform keychain (keychain.h), never in QSettings or a log.
///
/// One entry per server account, named from the URL without its password ("server-password-" +
/// login@host:port/database), so a password is only ever sent to the server it was saved for: pointing the
/// app at another server does not hand it the old one's password. Without a keychain (none compiled in,
/// none running, or FIELDBOOK_NO_KEYCHAIN set) the password can come from ~/.pgpass or PGPASSWORD, which
/// libpq reads by itself.
class ServerCredentialStore final
{
public:
    static bool compiledIn();
    static bool enabled();

    /// The keychain entry for the server `url` names (a postgresql:// URL or libpq key=value string), or
    /// empty when it cannot be parsed.
    static QString entryFor(const QString &url);

    /// `done` is called once, on the calling thread's event loop, never inside read(): the password,
    /// NotFound, or Unavailable (no keychain: the message says the password comes from ~/.pgpass or
    /// PGPASSWORD; it refused or failed; or it did not answer within `timeout`); Validation when the URL
    /// cannot be parsed.
    static void read(const QString &url, std::function<void(Result<QString>)> done,
                     std::chrono::milliseconds timeout = keychain::readTimeout());
    static void write(const QString &url, const QString &password, std::function<void(Status)> done,
                      std::chrono::milliseconds timeout = keychain::writeTimeout());
    static void remove(const QString &url, std::function<void(Status)> done,
                       std::chrono::milliseconds timeout = keychain::writeTimeout());

    /// `url` without the password it carries (URL userinfo or a password parameter), and that password in
    /// `password` when given. A URL without one comes back unchanged.
    static QString withoutPassword(const QString &url, QString *password = nullptr);
};

} // namespace fb::sync
