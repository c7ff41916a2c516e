#pragma once

#include "util/result.h"

#include <QString>
#include <QStringList>
#include <QUuid>

namespace fb::test {

/// A real PostgreSQL for sync tests. Uses FIELDBOOK_TEST_PG_URL (an administrative URL, set by
/// scripts/test.sh, which starts a throwaway cluster); without it, starts a throwaway cluster itself with
/// scripts/pg-throwaway.sh for the life of the process. Each PgTestDatabase is a fresh database with the
/// Fieldbook schema; login roles it creates are dropped with it.
class PgTestServer final
{
public:
    /// The process-wide server; qFatal with the reason when none can be had.
    static PgTestServer &instance();

    /// Administrative URL of database `database` on this server.
    QString adminUrl(const QString &database) const;
    QString host() const { return m_host; }
    int port() const { return m_port; }

    ~PgTestServer();

private:
    PgTestServer();
    QString m_host;
    int m_port = 0;
    QString m_user;
    QString m_password;
    QString m_ownedDataDir; // set when this process started the cluster
};

class PgTestDatabase final
{
public:
    /// Creates a uniquely named database and runs `fieldbook server-init`'s migrations on it.
    PgTestDatabase();
    ~PgTestDatabase();
    PgTestDatabase(const PgTestDatabase &) = delete;
    PgTestDatabase &operator=(const PgTestDatabase &) = delete;

    const QString &name() const { return m_name; }
    QString adminUrl() const;

    struct Technician
    {
        QUuid id;
        QString login;
        QString password;
        QString url; ///< the technician's URL, password included
    };
    /// Adds a technician (as server-add-technician does) with a unique login role, keeping `id`.
    Technician addTechnician(const QUuid &id, const QString &email,
                             const QString &name = QStringLiteral("Tech"));

    /// Runs SQL as the administrative role and returns the first column of each row ("" for NULL);
    /// qFatal on error (use it for setup and for reading what reached the server).
    QStringList adminQuery(const QString &sql) const;
    /// Runs SQL as the administrative role, returning the error instead of failing.
    Status adminExec(const QString &sql) const;

private:
    QString m_name;
    QStringList m_roles;
};

} // namespace fb::test
