#pragma once

#include <QList>
#include <QLocalServer>
#include <QObject>
#include <QTemporaryDir>

class QLocalSocket;

namespace fb::test {

/// A D-Bus session bus that misbehaves, on a Unix socket in a temporary directory, served by the test's own
/// event loop: point DBUS_SESSION_BUS_ADDRESS at address() (in the test, or in a child's environment).
class FakeSessionBus final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeSessionBus)

public:
    enum class Behaviour
    {
        Silent,          ///< accepts the connection and never says a word (a bus daemon that hangs)
        SilentAfterAuth, ///< answers the authentication with OK, then never answers Hello
        Closes,          ///< accepts the connection and closes it at once
        RejectsAuth,     ///< answers the authentication with REJECTED
        /// Answers the first connection's authentication and Hello (as far as a probe looks), then never says
        /// a word to a later one: a bus that stalls between Fieldbook's probe and QtDBus's own connect.
        StallsAfterFirstConnection,
    };

    explicit FakeSessionBus(Behaviour behaviour, QObject *parent = nullptr);
    ~FakeSessionBus() override;

    bool listen();
    /// "unix:path=/tmp/.../bus"
    QByteArray address() const;
    /// Connections accepted so far.
    int connections() const { return m_accepted; }

private:
    void accept();

    Behaviour m_behaviour;
    QTemporaryDir m_dir;
    QLocalServer m_server;
    QList<QLocalSocket *> m_sockets;
    int m_accepted = 0;
};

} // namespace fb::test
