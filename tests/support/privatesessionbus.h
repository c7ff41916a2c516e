#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace fb::test {

/// A real session bus of the test's own: dbus-daemon (Debian: dbus-daemon) with a configuration that
/// activates no services, so that nothing of the machine's (a keyring daemon, a wallet) can start on it.
/// Stopped when the object goes.
class PrivateSessionBus final
{
public:
    PrivateSessionBus() = default;
    ~PrivateSessionBus();
    PrivateSessionBus(const PrivateSessionBus &) = delete;
    PrivateSessionBus &operator=(const PrivateSessionBus &) = delete;

    /// Starts the daemon; false, with the reason in `error`, when it cannot.
    bool start(QString *error);
    /// "unix:path=/tmp/.../bus,guid=..."
    QByteArray address() const { return m_address; }

private:
    QTemporaryDir m_dir;
    QProcess m_daemon;
    QByteArray m_address;
};

} // namespace fb::test
