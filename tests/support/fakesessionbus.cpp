#include "support/fakesessionbus.h"

#include <QLocalSocket>

namespace fb::test {

FakeSessionBus::FakeSessionBus(Behaviour behaviour, QObject *parent) : QObject(parent), m_behaviour(behaviour)
{
    connect(&m_server, &QLocalServer::newConnection, this, &FakeSessionBus::accept);
}

FakeSessionBus::~FakeSessionBus()
{
    qDeleteAll(m_sockets);
}

bool FakeSessionBus::listen()
{
    return m_dir.isValid() && m_server.listen(m_dir.filePath(QStringLiteral("bus")));
}

QByteArray FakeSessionBus::address() const
{
    return "unix:path=" + m_server.fullServerName().toLocal8Bit();
}

void FakeSessionBus::accept()
{
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        ++m_accepted;
        m_sockets.append(socket);
        switch (m_behaviour) {
        case Behaviour::Silent:
            break;
        case Behaviour::Closes:
            socket->disconnectFromServer();
            break;
        case Behaviour::StallsAfterFirstConnection:
            if (m_accepted > 1)
                break;
            connect(socket, &QLocalSocket::readyRead, this, [socket] {
                const QByteArray data = socket->readAll();
                if (data.contains("AUTH"))
                    socket->write("OK 0123456789abcdef0123456789abcdef\r\n");
                if (data.contains("BEGIN")) {
                    // A METHOD_RETURN header, little-endian, serial 1, no fields, no body.
                    socket->write(QByteArray("l\x02\x01\x01", 4) + QByteArray(12, '\0'));
                }
                socket->flush();
            });
            break;
        case Behaviour::SilentAfterAuth:
        case Behaviour::RejectsAuth:
            // The client opens with a NUL byte and "AUTH <mechanism> <initial response>\r\n".
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                const QByteArray line = socket->readAll();
                if (!line.contains("AUTH"))
                    return;
                socket->write(m_behaviour == Behaviour::RejectsAuth
                                  ? QByteArrayLiteral("REJECTED EXTERNAL\r\n")
                                  : QByteArrayLiteral("OK 0123456789abcdef0123456789abcdef\r\n"));
                socket->flush();
            });
            break;
        }
    }
}

} // namespace fb::test
