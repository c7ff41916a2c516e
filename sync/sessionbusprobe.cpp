#include "sessionbusprobe.h"

#include <QFileInfo>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QTcpSocket>

#include <memory>

#include <unistd.h>

namespace fb::sync::keychain {

namespace {

using State = SessionBusProbe::State;

/// Waits are cut into slices this long, so that a quitting process is not held by a probe.
constexpr int kSliceMs = 50;

/// One entry of a D-Bus address list ("unix:path=/run/user/1000/bus,guid=..."), values unescaped.
struct BusAddress
{
    QString transport;
    QHash<QString, QString> values;
};

QList<BusAddress> parseAddresses(const QString &text)
{
    QList<BusAddress> addresses;
    for (const QString &entry : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype colon = entry.indexOf(QLatin1Char(':'));
        if (colon < 0)
            continue;
        BusAddress address;
        address.transport = entry.left(colon);
        for (const QString &pair : entry.mid(colon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            if (equals > 0)
                address.values.insert(pair.left(equals), QString::fromUtf8(QByteArray::fromPercentEncoding(
                                                             pair.mid(equals + 1).toUtf8())));
        }
        addresses.append(address);
    }
    return addresses;
}

/// The connection being probed: a QLocalSocket or a QTcpSocket, behind one face.
struct Channel
{
    std::unique_ptr<QIODevice> device;
    std::function<bool()> connecting;
    std::function<bool()> connected;
    std::function<bool(int)> waitForConnected;
    /// Writes what is buffered as far as the socket takes it now, without waiting.
    std::function<void()> flush;
    std::function<QString()> errorString;
};

std::unique_ptr<Channel> localChannel(const QString &name, bool abstract)
{
    auto channel = std::make_unique<Channel>();
    auto *socket = new QLocalSocket;
    channel->device.reset(socket);
    if (abstract)
        socket->setSocketOptions(QLocalSocket::AbstractNamespaceOption);
    socket->connectToServer(name);
    channel->connecting = [socket] { return socket->state() == QLocalSocket::ConnectingState; };
    channel->connected = [socket] { return socket->state() == QLocalSocket::ConnectedState; };
    channel->waitForConnected = [socket](int ms) { return socket->waitForConnected(ms); };
    channel->flush = [socket] { socket->flush(); };
    channel->errorString = [socket, name] {
        // Qt calls a missing socket file an "Invalid name".
        switch (socket->error()) {
        case QLocalSocket::ServerNotFoundError:
            return QStringLiteral("%1 does not exist").arg(name);
        case QLocalSocket::ConnectionRefusedError:
            return QStringLiteral("%1 refused the connection").arg(name);
        default:
            return socket->errorString();
        }
    };
    return channel;
}

std::unique_ptr<Channel> tcpChannel(const QString &host, quint16 port)
{
    auto channel = std::make_unique<Channel>();
    auto *socket = new QTcpSocket;
    channel->device.reset(socket);
    socket->connectToHost(host, port);
    channel->connecting = [socket] {
        return socket->state() == QAbstractSocket::HostLookupState ||
               socket->state() == QAbstractSocket::ConnectingState;
    };
    channel->connected = [socket] { return socket->state() == QAbstractSocket::ConnectedState; };
    channel->waitForConnected = [socket](int ms) { return socket->waitForConnected(ms); };
    channel->flush = [socket] { socket->flush(); };
    channel->errorString = [socket] { return socket->errorString(); };
    return channel;
}

enum class Wait
{
    Done,
    Closed,
    TimedOut,
};

/// Calls `step` (one bounded wait) until `done` says so, the connection closes, the deadline passes or the
/// probe is cancelled.
Wait waitUntil(Channel &channel, QDeadlineTimer deadline, const std::function<bool()> &cancelled,
               const std::function<bool()> &done, const std::function<void(int)> &step)
{
    while (!done()) {
        if (!channel.connected())
            return Wait::Closed;
        if (deadline.hasExpired() || cancelled())
            return Wait::TimedOut;
        step(int(std::min<qint64>(deadline.remainingTime(), kSliceMs)));
    }
    return Wait::Done;
}

/// Reads one "\r\n"-ended line of the authentication protocol.
Wait readLine(Channel &channel, QDeadlineTimer deadline, const std::function<bool()> &cancelled,
              QByteArray &line)
{
    QIODevice &device = *channel.device;
    QByteArray buffer;
    const Wait wait = waitUntil(
        channel, deadline, cancelled,
        [&] {
            buffer += device.readAll();
            return buffer.contains("\r\n");
        },
        [&](int ms) {
            channel.flush();
            device.waitForReadyRead(ms);
        });
    line = buffer.left(buffer.indexOf("\r\n"));
    // Data that came just before the connection closed still counts.
    if (wait == Wait::Closed && buffer.contains("\r\n"))
        return Wait::Done;
    return wait;
}

void appendUint32(QByteArray &bytes, quint32 value)
{
    for (int i = 0; i < 4; ++i)
        bytes.append(char((value >> (8 * i)) & 0xff)); // little-endian, as the message's first byte says
}

void pad(QByteArray &bytes, int alignment)
{
    while (bytes.size() % alignment != 0)
        bytes.append('\0');
}

/// org.freedesktop.DBus.Hello(), serial 1, marshalled by hand: the call every client makes first, and the one
/// QtDBus waits for without a bound.
QByteArray helloMessage()
{
    QByteArray message;
    message.append('l');      // little-endian
    message.append(char(1));  // METHOD_CALL
    message.append(char(0));  // no flags
    message.append(char(1));  // protocol version
    appendUint32(message, 0); // body length
    appendUint32(message, 1); // serial
    const qsizetype lengthAt = message.size();
    appendUint32(message, 0); // header fields' length, set below
    const qsizetype fieldsAt = message.size();
    const auto field = [&message](char code, char type, const QByteArray &value) {
        pad(message, 8); // each field is a STRUCT(BYTE, VARIANT)
        message.append(code);
        message.append(char(1)); // the variant's signature: one type
        message.append(type);
        message.append('\0');
        pad(message, 4);
        appendUint32(message, quint32(value.size()));
        message.append(value);
        message.append('\0');
    };
    field(1, 'o', "/org/freedesktop/DBus"); // PATH
    field(2, 's', "org.freedesktop.DBus");  // INTERFACE
    field(3, 's', "Hello");                 // MEMBER
    field(6, 's', "org.freedesktop.DBus");  // DESTINATION
    const quint32 length = quint32(message.size() - fieldsAt);
    for (int i = 0; i < 4; ++i)
        message[lengthAt + i] = char((length >> (8 * i)) & 0xff);
    pad(message, 8); // the header ends on an 8-byte boundary; there is no body
    return message;
}

SessionBusProbe handshake(Channel &channel, bool canFallBack, QDeadlineTimer deadline,
                          const std::function<bool()> &cancelled)
{
    QIODevice &device = *channel.device;
    // EXTERNAL: the bus knows who we are from the socket; the initial response is our uid in hex of ASCII.
    device.write(QByteArray(1, '\0') + "AUTH EXTERNAL " + QByteArray::number(::getuid()).toHex() + "\r\n");
    channel.flush();
    QByteArray line;
    switch (readLine(channel, deadline, cancelled, line)) {
    case Wait::Closed:
        return {State::Refused, QStringLiteral("the session bus closed the connection")};
    case Wait::TimedOut:
        return {State::Silent, QStringLiteral("the session bus accepted the connection and said nothing")};
    case Wait::Done:
        break;
    }
    if (line.startsWith("REJECTED")) {
        // A TCP bus may only take DBUS_COOKIE_SHA1: not a refusal of us, only of this probe's mechanism.
        if (canFallBack && !line.contains("EXTERNAL"))
            return {State::Unprobed, {}};
        return {State::Refused, QStringLiteral("the session bus rejected the authentication")};
    }
    if (!line.startsWith("OK "))
        return {State::Refused, QStringLiteral("the session bus answered the authentication with \"%1\"")
                                    .arg(QString::fromLatin1(line.left(80)))};

    device.write(QByteArrayLiteral("BEGIN\r\n") + helloMessage());
    channel.flush();
    QByteArray reply;
    const Wait wait = waitUntil(
        channel, deadline, cancelled,
        [&] {
            reply += device.readAll();
            return reply.size() >= 16;
        },
        [&](int ms) {
            channel.flush();
            device.waitForReadyRead(ms);
        });
    if (wait == Wait::Closed && reply.size() < 16)
        return {State::Refused,
                QStringLiteral("the session bus closed the connection after the authentication")};
    if (wait == Wait::TimedOut)
        return {State::Silent, QStringLiteral("the session bus did not answer Hello")};
    if (reply.at(0) != 'l' && reply.at(0) != 'B')
        return {State::Refused, QStringLiteral("the session bus does not speak D-Bus")};
    if (reply.at(1) == 3) // ERROR
        return {State::Refused, QStringLiteral("the session bus answered Hello with an error")};
    return {State::Ready, {}};
}

} // namespace

SessionBusProbe SessionBusProbe::run(QDeadlineTimer deadline, const std::function<bool()> &cancelled)
{
    // libdbus's order: the environment, then the user's bus in the runtime directory, then autolaunch.
    QString text = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
    QString source = QStringLiteral("DBUS_SESSION_BUS_ADDRESS");
    const QString runtimeBus = qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/bus");
    if (text.isEmpty()) {
        if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR") && QFileInfo::exists(runtimeBus)) {
            text = QStringLiteral("unix:path=") + runtimeBus;
            source = QStringLiteral("$XDG_RUNTIME_DIR/bus");
        } else if (!qEnvironmentVariableIsEmpty("DISPLAY") &&
                   !QStandardPaths::findExecutable(QStringLiteral("dbus-launch")).isEmpty()) {
            return {State::Unprobed, {}}; // an X11 session where libdbus can start a bus itself
        } else {
            return {State::NoBus, QStringLiteral("no session bus: DBUS_SESSION_BUS_ADDRESS is not set")};
        }
    }

    QString lastError;
    for (const BusAddress &address : parseAddresses(text)) {
        std::unique_ptr<Channel> channel;
        bool canFallBack = false;
        if (address.transport == QLatin1String("unix")) {
            if (address.values.contains(QStringLiteral("path")))
                channel = localChannel(address.values.value(QStringLiteral("path")), false);
            else if (address.values.contains(QStringLiteral("abstract")))
                channel = localChannel(address.values.value(QStringLiteral("abstract")), true);
            else if (address.values.value(QStringLiteral("runtime")) == QLatin1String("yes"))
                channel = localChannel(runtimeBus, false);
        } else if (address.transport == QLatin1String("tcp")) {
            bool ok = false;
            const quint16 port = address.values.value(QStringLiteral("port")).toUShort(&ok);
            if (ok)
                channel = tcpChannel(
                    address.values.value(QStringLiteral("host"), QStringLiteral("localhost")), port);
            canFallBack = true;
        }
        if (!channel)
            return {State::Unprobed, {}}; // libdbus would try this one now, and this probe cannot
        while (channel->connecting() && !deadline.hasExpired() && !cancelled())
            channel->waitForConnected(int(std::min<qint64>(deadline.remainingTime(), kSliceMs)));
        const bool connected = channel->connected();
        if (connected)
            return handshake(*channel, canFallBack, deadline, cancelled);
        if (channel->connecting())
            return {State::Silent, QStringLiteral("connecting to the session bus did not finish")};
        lastError = channel->errorString();
    }
    return {State::NoBus,
            QStringLiteral("no session bus: nothing answers at %1 (%2)").arg(source, lastError)};
}

} // namespace fb::sync::keychain
