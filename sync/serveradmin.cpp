#include "serveradmin.h"

#include "pgconnection.h"
#include "util/timeutil.h"

#include <libpq-fe.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace fb::sync {

namespace {

/// The first server schema with fieldbook_logins.kind and the dispatcher role.
constexpr int kDispatcherSchema = 4;

/// What tells the kinds of login apart on the server.
struct KindSpec
{
    QByteArray group; ///< the NOLOGIN role a login of this kind is a member of
    QByteArray kind;  ///< fieldbook_logins.kind
    QString noun;     ///< for messages
    int schema = 1;   ///< the first server schema version that has the group
};

KindSpec kindSpec(ServerAdmin::LoginKind kind)
{
    if (kind == ServerAdmin::LoginKind::Dispatcher)
        return {"fieldbook_dispatcher", "dispatcher", QStringLiteral("dispatcher"), kDispatcherSchema};
    return {"fieldbook_technician", "technician", QStringLiteral("technician"), 1};
}

ServerAdmin::LoginKind otherKind(ServerAdmin::LoginKind kind)
{
    return kind == ServerAdmin::LoginKind::Dispatcher ? ServerAdmin::LoginKind::Technician
                                                      : ServerAdmin::LoginKind::Dispatcher;
}

/// Rolls the transaction back unless it was committed (a failed statement leaves it open and aborted).
class PgTransaction final
{
public:
    explicit PgTransaction(PgConnection &server) : m_server(server) {}
    ~PgTransaction()
    {
        if (m_open)
            (void)m_server.exec(QStringLiteral("ROLLBACK"));
    }
    PgTransaction(const PgTransaction &) = delete;
    PgTransaction &operator=(const PgTransaction &) = delete;

    PgResult begin()
    {
        PgResult begun = m_server.exec(QStringLiteral("BEGIN"));
        m_open = begun.ok();
        return begun;
    }
    /// Whatever it returns, the transaction is over (a failed COMMIT rolls back).
    PgResult commit()
    {
        m_open = false;
        return m_server.exec(QStringLiteral("COMMIT"));
    }

private:
    PgConnection &m_server;
    bool m_open = false;
};

Status validateLogin(const ServerAdmin::Login &person)
{
    static const QRegularExpression roleName(QStringLiteral("^[a-z_][a-z0-9_]{0,62}$"));
    if (!roleName.match(person.login).hasMatch())
        return Error::validation(
            QStringLiteral("login"),
            QStringLiteral("'%1' is not a role name (a-z, 0-9 and _, starting with a letter)")
                .arg(person.login));
    if (person.password.size() < 8)
        return Error::validation(QStringLiteral("password"), QStringLiteral("must be at least 8 characters"));
    if (person.name.trimmed().isEmpty())
        return Error::validation(QStringLiteral("name"), QStringLiteral("must not be empty"));
    if (!person.email.contains(QLatin1Char('@')))
        return Error::validation(QStringLiteral("email"),
                                 QStringLiteral("'%1' is not an e-mail address").arg(person.email));
    return {};
}

/// The password as the SCRAM-SHA-256 verifier the server stores: the password itself never leaves.
Result<QByteArray> scramVerifier(PgConnection &server, const ServerAdmin::Login &person)
{
    char *verifier = PQencryptPasswordConn(server.handle(), person.password.toUtf8().constData(),
                                           person.login.toUtf8().constData(), "scram-sha-256");
    if (!verifier)
        return Error::database(QStringLiteral("cannot hash the password: %1")
                                   .arg(QString::fromUtf8(PQerrorMessage(server.handle())).trimmed()));
    const QByteArray hashed(verifier);
    PQfreemem(verifier);
    return hashed;
}

/// Refuses, in the open transaction, what would make `person` someone else: an e-mail or an id of another
/// user, a login or a user that is already of the other kind, an existing role that bypasses row-level
/// security.
Status checkFree(PgConnection &server, const ServerAdmin::Login &person, const QUuid &id,
                 ServerAdmin::LoginKind kind, int version)
{
    const KindSpec mine = kindSpec(kind);
    const KindSpec other = kindSpec(otherKind(kind));
    const QByteArray idBytes = idText(id).toUtf8();
    const QByteArray email = person.email.trimmed().toUtf8();
    const QString context = QStringLiteral("adding the %1").arg(mine.noun);
    const PgResult emailOwner = server.exec(
        QStringLiteral("SELECT id::text FROM users WHERE email = $1 AND id <> $2::uuid"), {email, idBytes});
    if (!emailOwner.ok())
        return emailOwner.toError(context);
    if (emailOwner.rows() > 0)
        return Error::validation(QStringLiteral("email"),
                                 QStringLiteral("%1 is already the e-mail of another user on the server (%2)")
                                     .arg(person.email.trimmed(), emailOwner.value(0, 0)));
    const PgResult idOwner = server.exec(
        QStringLiteral("SELECT count(*) FROM users WHERE id = $1::uuid AND email <> $2"), {idBytes, email});
    if (!idOwner.ok())
        return idOwner.toError(context);
    if (idOwner.value(0, 0) != QStringLiteral("0"))
        return Error::validation(
            QStringLiteral("id"),
            QStringLiteral("user %1 already exists on the server with another e-mail").arg(idText(id)));
    const PgResult role = server.exec(
        QStringLiteral("SELECT r.rolsuper OR r.rolbypassrls, EXISTS (SELECT 1 FROM pg_auth_members m JOIN "
                       "pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $2) "
                       "FROM pg_roles r WHERE r.rolname = $1"),
        {person.login.toUtf8(), other.group});
    if (!role.ok())
        return role.toError(context);
    if (role.rows() > 0 && role.value(0, 0) == QStringLiteral("t"))
        return Error::validation(QStringLiteral("login"),
                                 QStringLiteral("%1 is an existing role that row-level security does not "
                                                "apply to (a superuser or BYPASSRLS): choose another login")
                                     .arg(person.login));
    if (role.rows() > 0 && role.value(0, 1) == QStringLiteral("t"))
        return Error::validation(
            QStringLiteral("login"),
            QStringLiteral("%1 is already a %2's login: choose another login").arg(person.login, other.noun));
    if (version < kDispatcherSchema)
        return {}; // every login is a technician's
    const PgResult bound = server.exec(
        QStringLiteral("SELECT login_role FROM fieldbook_logins WHERE user_id = $1::uuid AND kind <> $2"),
        {idBytes, mine.kind});
    if (!bound.ok())
        return bound.toError(context);
    if (bound.rows() > 0)
        return Error::validation(QStringLiteral("id"),
                                 QStringLiteral("user %1 is a %2 (login %3): a %4 needs a user of its own")
                                     .arg(idText(id), other.noun, bound.value(0, 0), mine.noun));
    return {};
}

/// The user row, the login role with its password and group, and the binding, in the open transaction.
Status writeLogin(PgConnection &server, const ServerAdmin::Login &person, const QUuid &id,
                  ServerAdmin::LoginKind kind, const QByteArray &verifier, int version)
{
    const KindSpec spec = kindSpec(kind);
    const QString context = QStringLiteral("adding the %1").arg(spec.noun);
    const QByteArray idBytes = idText(id).toUtf8();
    const PgResult user =
        server.exec(QStringLiteral("INSERT INTO users (id, name, email) VALUES ($1::uuid, $2, $3) "
                                   "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name"),
                    {idBytes, person.name.trimmed().toUtf8(), person.email.trimmed().toUtf8()});
    if (!user.ok())
        return user.toError(context);
    // Statements about roles take no parameters: the name is checked (validateLogin) and quoted by libpq.
    const QByteArray login = person.login.toUtf8();
    const QByteArray role = server.identifier(login);
    const QByteArray script =
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + server.literal(login) +
        ") THEN CREATE ROLE " + role +
        " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$;\n"
        "ALTER ROLE " +
        role + " PASSWORD " + server.literal(verifier) + ";\nGRANT " + spec.group + " TO " + role + ";\n";
    if (const PgResult created = server.execScript(script); !created.ok())
        return created.toError(context);
    const PgResult binding =
        version < kDispatcherSchema
            ? server.exec(QStringLiteral("INSERT INTO fieldbook_logins (login_role, user_id) VALUES ($1, "
                                         "$2::uuid) ON CONFLICT (login_role) DO UPDATE SET user_id = "
                                         "EXCLUDED.user_id"),
                          {login, idBytes})
            : server.exec(
                  QStringLiteral("INSERT INTO fieldbook_logins (login_role, user_id, kind) VALUES ($1, "
                                 "$2::uuid, $3) ON CONFLICT (login_role) DO UPDATE SET user_id = "
                                 "EXCLUDED.user_id, kind = EXCLUDED.kind"),
                  {login, idBytes, spec.kind});
    if (!binding.ok())
        return binding.toError(context);
    return {};
}

} // namespace

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
    return addLogin(technician, LoginKind::Technician);
}

Result<QUuid> ServerAdmin::addDispatcher(const Dispatcher &dispatcher)
{
    return addLogin(dispatcher, LoginKind::Dispatcher);
}

Result<QUuid> ServerAdmin::addLogin(const Login &person, LoginKind kind)
{
    const KindSpec spec = kindSpec(kind);
    if (const Status valid = validateLogin(person); !valid)
        return valid.error();
    const auto version = schemaVersion();
    if (!version)
        return version.error();
    if (*version == 0)
        return Error::invalidState(
            QStringLiteral("the server has no Fieldbook schema: run fieldbook server-init first"));
    if (*version < spec.schema)
        return Error::invalidState(QStringLiteral("the server's schema is version %1 and a %2 needs version "
                                                  "%3: run fieldbook server-init to upgrade it")
                                       .arg(*version)
                                       .arg(spec.noun)
                                       .arg(spec.schema));
    const auto hashed = scramVerifier(m_server, person);
    if (!hashed)
        return hashed.error();
    const QUuid id = person.id.isNull() ? newId() : person.id;

    PgTransaction transaction(m_server);
    if (PgResult begun = transaction.begin(); !begun.ok())
        return begun.toError(QStringLiteral("adding the %1").arg(spec.noun));
    if (const Status free = checkFree(m_server, person, id, kind, *version); !free)
        return free.error();
    if (const Status written = writeLogin(m_server, person, id, kind, *hashed, *version); !written)
        return written.error();
    if (PgResult committed = transaction.commit(); !committed.ok())
        return committed.toError(QStringLiteral("adding the %1").arg(spec.noun));
    return id;
}

} // namespace fb::sync
