#pragma once

#include "util/result.h"

#include <QString>
#include <QStringList>

namespace fb::sync {

/// The central server's address as people type it (--server, the settings' server URL): a postgresql:// or
/// postgres:// URL,
/// postgresql://login[:password]@host[:port][,host2[:port2]...][/database][?param=value&...].
///
/// Why check it before libpq sees it: libpq's parse errors quote the URL or the token they choke on, password
/// and all ("invalid percent-encoded token: "SeCrEt50%off""), and a value that is not a URL ("localhost") is
/// read as a database name on the local socket, which fails with an unrelated socket error. check() accepts
/// exactly what libpq reads the way the user meant it, and says in words what is wrong otherwise.
///
/// libpq's key=value connection strings ("host=db user=tess") are refused: their syntax errors quote the
/// string too, and one form is enough for the settings, the command line and the keychain's entry names.
class ServerUrl final
{
public:
    /// Longer than any real server URL; a longer value is a paste gone wrong.
    static constexpr int kMaxLength = 4096;

    /// Ok, or a Validation error on `field` whose message completes "The server URL ..." / "--server ..."
    /// ("must be a postgresql:// URL ...", "has a '%' in the password that is not followed by two
    /// hexadecimal digits ..."). It never quotes the URL or any part of it, except the name of an unknown
    /// query parameter when that name is a plain identifier.
    static Status check(const QString &url, const QString &field = QStringLiteral("server_url"));

    /// `text` without any secret `url` may carry, whether or not it parses: the whole URL becomes
    /// "<server URL>", and each password (in the userinfo, as libpq or a browser would split it, and in a
    /// password= parameter), and each of `passwords`, becomes "********" in every form it could be quoted
    /// in: as typed, percent-decoded and percent-encoded.
    static QString scrub(QString text, const QString &url, const QStringList &passwords = {});
};

} // namespace fb::sync
