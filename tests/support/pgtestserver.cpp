#include "support/pgtestserver.h"

#include "pgconnection.h"
#include "serveradmin.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QUrl>

namespace fb::test {

namespace {

std::unique_ptr<sync::PgConnection> connectOrDie(const QString &url)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        qFatal("cannot connect to the test PostgreSQL: %s", qPrintable(connection.error().message));
    return std::move(connection).value();
}

QString uniqueSuffix()
{
    static QAtomicInt counter;
    return QStringLiteral("%1_%2_%3")
        .arg(QCoreApplication::applicationPid())
        .arg(counter.fetchAndAddRelaxed(1))
        .arg(QUuid::createUuid().toString(QUuid::Id128).left(6));
}

} // namespace

PgTestServer &PgTestServer::instance()
{
    static PgTestServer server;
    return server;
}

PgTestServer::PgTestServer()
{
    QString url = qEnvironmentVariable("FIELDBOOK_TEST_PG_URL");
    if (url.isEmpty()) {
        QProcess start;
        start.start(QStringLiteral("bash"), {QStringLiteral(FIELDBOOK_SOURCE_DIR "/scripts/pg-throwaway.sh"),
                                             QStringLiteral("start")});
        if (!start.waitForFinished(120000) || start.exitCode() != 0)
            qFatal(
                "FIELDBOOK_TEST_PG_URL is not set and scripts/pg-throwaway.sh could not start PostgreSQL: %s",
                start.readAllStandardError().constData());
        const QStringList lines = QString::fromUtf8(start.readAllStandardOutput()).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            const auto at = line.indexOf(QStringLiteral("FIELDBOOK_TEST_PG_URL='"));
            if (at >= 0)
                url = line.mid(at + 23).chopped(1);
            const auto data = line.indexOf(QStringLiteral("FIELDBOOK_PG_DATA='"));
            if (data >= 0)
                m_ownedDataDir = line.mid(data + 19).section(QLatin1Char('\''), 0, 0);
        }
    }
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.port() <= 0)
        qFatal("FIELDBOOK_TEST_PG_URL is not a postgresql://user@host:port/db URL: %s", qPrintable(url));
    m_host = parsed.host();
    m_port = parsed.port();
    m_user = parsed.userName();
    m_password = parsed.password();
}

PgTestServer::~PgTestServer()
{
    if (!m_ownedDataDir.isEmpty())
        QProcess::execute(QStringLiteral("bash"),
                          {QStringLiteral(FIELDBOOK_SOURCE_DIR "/scripts/pg-throwaway.sh"),
                           QStringLiteral("stop"), m_ownedDataDir});
}

QString PgTestServer::adminUrl(const QString &database) const
{
    const QString credentials = m_password.isEmpty() ? m_user : m_user + QLatin1Char(':') + m_password;
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(credentials, m_host).arg(m_port).arg(database);
}

PgTestDatabase::PgTestDatabase() : m_name(QStringLiteral("fbtest_") + uniqueSuffix())
{
    auto admin = connectOrDie(PgTestServer::instance().adminUrl(QStringLiteral("postgres")));
    const auto created = admin->exec(QStringLiteral("CREATE DATABASE %1").arg(m_name));
    if (!created.ok())
        qFatal("cannot create the test database: %s", qPrintable(created.message()));
    auto db = connectOrDie(adminUrl());
    sync::ServerAdmin schema(*db);
    if (auto initialized = schema.initialize(); !initialized)
        qFatal("server-init failed on the test database: %s", qPrintable(initialized.error().message));
}

PgTestDatabase::~PgTestDatabase()
{
    auto admin = sync::PgConnection::connect(PgTestServer::instance().adminUrl(QStringLiteral("postgres")));
    if (!admin)
        return;
    (void)(*admin)->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
    for (const QString &role : std::as_const(m_roles))
        (void)(*admin)->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
}

QString PgTestDatabase::adminUrl() const
{
    return PgTestServer::instance().adminUrl(m_name);
}

PgTestDatabase::Technician PgTestDatabase::addTechnician(const QUuid &id, const QString &email,
                                                         const QString &name)
{
    Technician technician;
    technician.login = QStringLiteral("tech_") + uniqueSuffix();
    technician.password = QStringLiteral("pw-") + QUuid::createUuid().toString(QUuid::Id128);
    auto db = connectOrDie(adminUrl());
    sync::ServerAdmin admin(*db);
    auto added = admin.addTechnician({email, name, technician.login, technician.password, id});
    if (!added)
        qFatal("cannot add a technician: %s", qPrintable(added.error().toString()));
    m_roles.append(technician.login);
    technician.id = *added;
    technician.url = QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                         .arg(technician.login, technician.password, PgTestServer::instance().host())
                         .arg(PgTestServer::instance().port())
                         .arg(m_name);
    return technician;
}

QStringList PgTestDatabase::adminQuery(const QString &sql) const
{
    auto db = connectOrDie(adminUrl());
    const auto result = db->exec(sql);
    if (!result.ok())
        qFatal("admin query failed: %s\n%s", qPrintable(result.message()), qPrintable(sql));
    QStringList values;
    for (int row = 0; row < result.rows(); ++row)
        values.append(result.isNull(row, 0) ? QString() : result.value(row, 0));
    return values;
}

Status PgTestDatabase::adminExec(const QString &sql) const
{
    auto db = connectOrDie(adminUrl());
    const auto result = db->exec(sql);
    if (!result.ok())
        return result.toError();
    return {};
}

} // namespace fb::test
