#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <memory>

struct pg_conn;
struct pg_result;

namespace fb::sync {

/// The outcome of one statement or script on the server.
class PgResult final
{
public:
    PgResult() = default;
    explicit PgResult(pg_result *result, QByteArray sqlState = {}, QString message = {},
                      bool transient = false);

    bool ok() const { return m_ok; }
    /// Five-character SQLSTATE of a failure ("23505"), empty for client-side failures.
    const QByteArray &sqlState() const { return m_sqlState; }
    const QString &message() const { return m_message; }
    /// A failure worth retrying later: the connection dropped, the server is starting or shutting down, a
    /// serialization failure or deadlock, resources exhausted. Everything else is permanent.
    bool transient() const { return m_transient; }

    int rows() const;
    QString value(int row, int column) const;
    /// The value's bytes as the server sent them (UTF-8 text), without a copy: valid while this result lives.
    QByteArray bytes(int row, int column) const;
    bool isNull(int row, int column) const;

    /// As an Error: Unavailable when transient, Forbidden for privilege/RLS refusals, Database otherwise.
    Error toError(const QString &context = {}) const;

private:
    std::shared_ptr<pg_result> m_result;
    bool m_ok = false;
    QByteArray m_sqlState;
    QString m_message;
    bool m_transient = false;
};

/// One libpq connection to the central PostgreSQL. Its URL (which may hold a password) is never logged or
/// shown: describe() names user, host, port and database only. libpq also reads PGPASSWORD and ~/.pgpass.
class PgConnection final
{
public:
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    /// Connects with a connect timeout (seconds) and the application name "fieldbook". `url` must pass
    /// ServerUrl::check() (a Validation error otherwise, before libpq sees it). `password`, when not empty,
    /// is given to libpq as its own parameter (it wins over one in the URL) and never leaves memory
    /// otherwise. Every error message (this one's and exec()'s) is scrubbed of the URL and its passwords.
    /// The connect timeout covers the whole connection (libpq leaves it to the caller when polling). When
    /// `cancelled` is given, a connect in progress gives up within a tenth of a second of it turning true
    /// (the sync worker's abort(), so that quitting never waits for a silent server's timeout).
    static Result<std::unique_ptr<PgConnection>> connect(const QString &url, int connectTimeoutSeconds = 5,
                                                         const QString &password = {},
                                                         const std::atomic_bool *cancelled = nullptr);

    /// One statement with text parameters (bound, never spliced into the SQL).
    PgResult exec(const QString &sql, const QList<QByteArray> &params = {});
    /// Several statements in one round trip (the simple query protocol); stops at the first error.
    PgResult execScript(const QByteArray &script);
    /// Sends a script without waiting for its result (the crash tests kill the process meanwhile).
    bool sendScript(const QByteArray &script);
    /// Waits for the result of sendScript().
    PgResult takeResult();

    /// A string literal for SQL text, quoted by libpq for this connection's encoding.
    QByteArray literal(const QByteArray &value) const;
    /// An identifier, quoted by libpq.
    QByteArray identifier(const QByteArray &value) const;

    bool isOpen() const;
    /// "user@host:port/database", without the password.
    QString describe() const;
    pg_conn *handle() { return m_conn; }

private:
    explicit PgConnection(pg_conn *conn) : m_conn(conn) {}
    PgResult wrap(pg_result *result);
    pg_conn *m_conn = nullptr;
    QString m_url;      ///< to scrub error messages (ServerUrl::scrub), never shown
    QString m_password; ///< likewise
};

/// Whether a SQLSTATE names a failure worth retrying.
bool isTransientSqlState(const QByteArray &sqlState);

} // namespace fb::sync
