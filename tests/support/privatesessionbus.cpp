#include "support/privatesessionbus.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>

namespace fb::test {

PrivateSessionBus::~PrivateSessionBus()
{
    if (m_daemon.state() != QProcess::NotRunning) {
        m_daemon.terminate();
        if (!m_daemon.waitForFinished(5000))
            m_daemon.kill();
        m_daemon.waitForFinished(5000);
    }
}

bool PrivateSessionBus::start(QString *error)
{
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    if (daemon.isEmpty()) {
        *error = QStringLiteral("dbus-daemon is not installed (Debian: dbus-daemon)");
        return false;
    }
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary directory");
        return false;
    }
    // No <servicedir>, no <standard_session_servicedirs/>: nothing is activated on this bus.
    const QString config = m_dir.filePath(QStringLiteral("session.conf"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(
        QStringLiteral(R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)")
            .arg(m_dir.filePath(QStringLiteral("bus")))
            .toUtf8());
    file.close();

    // The daemon is ready when it has printed its address.
    m_daemon.start(daemon, {QStringLiteral("--config-file=") + config, QStringLiteral("--nofork"),
                            QStringLiteral("--print-address=1")});
    const QDeadlineTimer deadline(10'000);
    QByteArray output;
    while (!output.contains('\n') && !deadline.hasExpired() && m_daemon.state() != QProcess::NotRunning) {
        m_daemon.waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 100)));
        output += m_daemon.readAllStandardOutput();
    }
    if (!output.contains('\n')) {
        *error = QStringLiteral("dbus-daemon did not start: %1")
                     .arg(QString::fromLocal8Bit(m_daemon.readAllStandardError()));
        m_daemon.kill();
        m_daemon.waitForFinished(5000);
        return false;
    }
    m_address = output.left(output.indexOf('\n')).trimmed();
    return true;
}

} // namespace fb::test
