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

    struct Technician
    {
        QString email;
        QString name;
        QString login;    ///< the login role to create: [a-z_][a-z0-9_]*, at most 63 characters
        QString password; ///< sent to the server only as a SCRAM-SHA-256 verifier, never in clear text
        QUuid id;         ///< keep a laptop's offline profile id; a new one when null
    };
    /// Creates the user (or reuses one with the same id and e-mail), its login role as a member of
    /// fieldbook_technician, and the binding of the role to the user, in one transaction.
    Result<QUuid> addTechnician(const Technician &technician);

private:
    PgConnection &m_server;
};

} // namespace fb::sync
