#pragma once

#include "util/result.h"

#include <QString>
#include <QUuid>

namespace fb::sync {

class PgConnection;

/// Administration of the central database, run with an administrative role's URL.
class ServerAdmin final
{
public:
    explicit ServerAdmin(PgConnection &server);

    /// The schema version the server has (0 for an empty database).
    Result<int> schemaVersion();
    /// Applies the bundled server migrations (resources/migrations/server) that the server lacks, each in one
    /// transaction with its version row. Returns the version reached.
    Result<int> initialize();

    /// The kinds of Fieldbook login. A technician acts as one user on that user's rows only; a dispatcher
    /// (server schema 4) reads and writes every technician's rows, and the server audits its writes with the
    /// dispatcher as the author.
    enum class LoginKind
    {
        Technician,
        Dispatcher,
    };

    /// A person and the login role they connect with.
    struct Login
    {
        QString email;
        QString name;
        QString login;    ///< the login role to create: [a-z_][a-z0-9_]*, at most 63 characters
        QString password; ///< sent to the server only as a SCRAM-SHA-256 verifier, never in clear text
        QUuid id;         ///< keep this user id (a laptop's offline profile); a new one when null
    };
    using Technician = Login;
    using Dispatcher = Login;

    /// Creates the user (or reuses one with the same id and e-mail), its login role as a member of
    /// fieldbook_technician, and the binding of the role to the user, in one transaction.
    Result<QUuid> addTechnician(const Technician &technician);
    /// The same for a dispatcher: the role is a member of fieldbook_dispatcher and its binding has the kind
    /// 'dispatcher'. Needs server schema 4 (an InvalidState error saying to run server-init otherwise).
    Result<QUuid> addDispatcher(const Dispatcher &dispatcher);

private:
    /// addTechnician and addDispatcher: they differ only in the role's group and the binding's kind.
    Result<QUuid> addLogin(const Login &person, LoginKind kind);

    PgConnection &m_server;
};

} // namespace fb::sync
