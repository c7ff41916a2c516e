#pragma once

#include <QDeadlineTimer>
#include <QString>

#include <functional>

namespace fb::sync::keychain {

/// What a bounded handshake with the D-Bus session bus found: the address libdbus would use
/// (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus), a connection, the EXTERNAL authentication, BEGIN
/// and the bus's Hello, each waited for until the deadline at most.
///
/// Why not QtDBus: it connects synchronously on its own thread, and a bus that accepts the connection and
/// never answers holds that thread, the thread that asked, and at exit the whole process, without a bound
/// (Debian 12, Qt 6.4, libdbus 1.14: over 100 s, with no end seen). Only a bus that answered here is handed
/// to it.
struct SessionBusProbe
{
    enum class State
    {
        Ready,    ///< the bus answered Hello
        NoBus,    ///< no address, or nothing listens at it
        Silent,   ///< it accepted the connection but did not answer in time
        Refused,  ///< it closed the connection, rejected the authentication, or answered Hello with an error
        Unprobed, ///< an address this probe does not speak (autolaunch:, launchd:, nonce-tcp:, unixexec:)
    };
    State state = State::Unprobed;
    /// In words, for the Answer's reason: "DBUS_SESSION_BUS_ADDRESS is not set", "it closed the connection".
    QString detail;

    /// Blocks the calling thread (the keychain thread) until `deadline` at most; `cancelled` is asked every
    /// few milliseconds while it waits, and ends the wait as Silent when it says yes (the process is
    /// quitting).
    static SessionBusProbe run(QDeadlineTimer deadline, const std::function<bool()> &cancelled);
};

} // namespace fb::sync::keychain
