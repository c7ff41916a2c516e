#include "serveradmin.h"

#include "pgconnection.h"
#include "util/timeutil.h"

#include <libpq-fe.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace fb::sync {

ServerAdmin::ServerAdmin(PgConnection &server) : m_server(server)
{
}

Result<int> ServerAdmin::schemaVersion()
{
    PgResult exists =
        m_server.exec(QStringLiteral("SELECT to_regclass('public.fieldbook_schema_version') IS NOT NULL"));
    if (!exists.ok())
        return exists.toError(QStringLiteral("reading the schema version"));
    if (exists.value(0, 0) != QStringLiteral("t"))
        return 0;
    PgResult version =
        m_server.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM fieldbook_schema_version"));
    if (!version.ok())
        return version.toError(QStringLiteral("reading the schema version"));
    return version.value(0, 0).toInt();
}

Result<int> ServerAdmin::initialize()
{
    auto current = schemaVersion();
    if (!current)
        return current.error();
    static const QRegularExpression name(QStringLiteral("^(\\d{3})_[a-z0-9_]+\\.sql$"));
    const QDir dir(QStringLiteral(":/migrations/server"));
    QStringList files = dir.entryList(QDir::Files, QDir::Name);
    std::sort(files.begin(), files.end());
    int reached = *current;
    int latest = 0;
    for (const QString &file : std::as_const(files)) {
        const auto match = name.match(file);
        if (!match.hasMatch())
            continue;
        const int version = match.captured(1).toInt();
        latest = std::max(latest, version);
        if (version <= reached)
            continue;
        QFile source(dir.filePath(file));
        if (!source.open(QIODevice::ReadOnly))
            return Error::database(QStringLiteral("cannot read %1").arg(file));
        const QByteArray script = "BEGIN;\n" + source.readAll() +
                                  "\nINSERT INTO fieldbook_schema_version (version) VALUES (" +
                                  QByteArray::number(version) + ");\nCOMMIT;\n";
        PgResult applied = m_server.execScript(script);
        if (!applied.ok()) {
            (void)m_server.exec(QStringLiteral("ROLLBACK"));
            return applied.toError(QStringLiteral("server migration %1 failed").arg(file));
        }
        reached = version;
    }
    if (reached > latest && latest > 0)
        return Error::database(
            QStringLiteral("the server's schema (version %1) is newer than this Fieldbook's (%2)")
                .arg(reached)
                .arg(latest));
    return reached;
}

Result<QUuid> ServerAdmin::addTechnician(const Technician &technician)
{
    static const QRegularExpression roleName(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    if (!roleName.match(technician.login).hasMatch())
        return Error::validation(
            QStringLiteral("login"),
            QStringLiteral("'%1' is not a role name (a-z, 0-9 and _, starting with a letter)")
                .arg(technician.login));
    if (technician.password.size() < 8)
        return Error::validation(QStringLiteral("password"), QStringLiteral("must be at least 8 characters"));
    if (technician.name.trimmed().isEmpty())
        return Error::validation(QStringLiteral("name"), QStringLiteral("must not be empty"));
    if (!technician.email.contains(QLatin1Char('@')))
        return Error::validation(QStringLiteral("email"),
                                 QStringLiteral("'%1' is not an e-mail address").arg(technician.email));
    const QUuid id = technician.id.isNull() ? newId() : technician.id;

    const QByteArray login = technician.login.toUtf8();
    char *verifier = PQencryptPasswordConn(m_server.handle(), technician.password.toUtf8().constData(),
                                           login.constData(), "scram-sha-256");
    if (!verifier)
        return Error::database(QStringLiteral("cannot hash the password: %1")
                                   .arg(QString::fromUtf8(PQerrorMessage(m_server.handle())).trimmed()));
    const QByteArray hashed(verifier);
    PQfreemem(verifier);

    const QByteArray role = m_server.identifier(login);
    const QByteArray script =
        "BEGIN;\n"
        "INSERT INTO users (id, name, email) VALUES (" +
        m_server.literal(idText(id).toUtf8()) + ", " + m_server.literal(technician.name.trimmed().toUtf8()) +
        ", " + m_server.literal(technician.email.trimmed().toUtf8()) +
        ") ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE users.email = EXCLUDED.email;\n"
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " +
        m_server.literal(login) + ") THEN CREATE ROLE " + role +
        " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$;\n"
        "ALTER ROLE " +
        role + " PASSWORD " + m_server.literal(hashed) +
        ";\n"
        "GRANT fieldbook_technician TO " +
        role +
        ";\n"
        "INSERT INTO fieldbook_logins (login_role, user_id) VALUES (" +
        m_server.literal(login) + ", " + m_server.literal(idText(id).toUtf8()) +
        ") ON CONFLICT (login_role) DO UPDATE SET user_id = EXCLUDED.user_id;\n"
        "SELECT count(*) FROM users WHERE id = " +
        m_server.literal(idText(id).toUtf8()) +
        " AND email = " + m_server.literal(technician.email.trimmed().toUtf8()) + ";\n";
    PgResult applied = m_server.execScript(script);
    if (!applied.ok()) {
        (void)m_server.exec(QStringLiteral("ROLLBACK"));
        return applied.toError(QStringLiteral("adding the technician"));
    }
    if (applied.value(0, 0) != QStringLiteral("1")) {
        (void)m_server.exec(QStringLiteral("ROLLBACK"));
        return Error::validation(
            QStringLiteral("id"),
            QStringLiteral("user %1 already exists on the server with another e-mail").arg(idText(id)));
    }
    PgResult committed = m_server.exec(QStringLiteral("COMMIT"));
    if (!committed.ok())
        return committed.toError(QStringLiteral("adding the technician"));
    return id;
}

} // namespace fb::sync
