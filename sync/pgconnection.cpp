#include "pgconnection.h"

#include "serverurl.h"

#include <libpq-fe.h>

#include <QDeadlineTimer>
#include <QList>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include <poll.h>

#include <vector>

namespace fb::sync {

bool isTransientSqlState(const QByteArray &sqlState)
{
    // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now; 40001 serialization
    // failure; 40P01 deadlock; 53: insufficient resources; 58: system error (I/O).
    return sqlState.startsWith("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03" ||
           sqlState == "40001" || sqlState == "40P01" || sqlState.startsWith("53") ||
           sqlState.startsWith("58");
}

PgResult::PgResult(pg_result *result, QByteArray sqlState, QString message, bool transient)
    : m_result(result, [](pg_result *r) { PQclear(r); }), m_sqlState(std::move(sqlState)),
      m_message(std::move(message)), m_transient(transient)
{
    if (result) {
        const ExecStatusType status = PQresultStatus(result);
        m_ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    }
    if (!m_message.isEmpty())
        m_ok = false;
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result.get()) : 0;
}

QString PgResult::value(int row, int column) const
{
    return m_result ? QString::fromUtf8(PQgetvalue(m_result.get(), row, column)) : QString();
}

QByteArray PgResult::bytes(int row, int column) const
{
    if (!m_result)
        return {};
    return QByteArray::fromRawData(PQgetvalue(m_result.get(), row, column),
                                   PQgetlength(m_result.get(), row, column));
}

bool PgResult::isNull(int row, int column) const
{
    return !m_result || PQgetisnull(m_result.get(), row, column);
}

Error PgResult::toError(const QString &context) const
{
    QString text = m_message;
    if (!m_sqlState.isEmpty())
        text = QStringLiteral("%1 [SQLSTATE %2]").arg(text, QString::fromLatin1(m_sqlState));
    if (!context.isEmpty())
        text = context + QStringLiteral(": ") + text;
    ErrorCode code = ErrorCode::Database;
    if (m_transient)
        code = ErrorCode::Unavailable;
    else if (m_sqlState == "42501")
        code = ErrorCode::Forbidden;
    return Error{code, {}, text};
}

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const QString &url, int connectTimeoutSeconds,
                                                            const QString &password,
                                                            const std::atomic_bool *cancelled)
{
    // libpq's own parse errors quote the URL, password and all: a URL it would choke on never reaches it.
    if (const Status valid = ServerUrl::check(url); !valid)
        return valid.error();
    // libpq takes the last value of a repeated keyword, and the URL's options land where "dbname" is: the
    // defaults come before it, so the URL's own (a connect_timeout of its own) win over them; the password
    // comes after it, so the one the app holds wins over one left in the URL.
    const QByteArray dsn = url.toUtf8();
    const QByteArray timeout = QByteArray::number(connectTimeoutSeconds);
    const QByteArray secret = password.toUtf8();
    // Keepalives and a TCP user timeout notice a server or network that went away mid-push (a van leaving
    // Wi-Fi) within about half a minute, instead of blocking the sync thread until the OS gives up (hours).
    // An empty password value is skipped by libpq, which then looks in ~/.pgpass and PGPASSWORD.
    const char *keywords[] = {
        "connect_timeout",  "application_name", "keepalives", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "dbname",     "password",        nullptr};
    const char *values[] = {timeout.constData(), "fieldbook",        "1",    "15", "5", "3", "30000",
                            dsn.constData(),     secret.constData(), nullptr};
    pg_conn *conn = PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
    if (!conn)
        return Error{ErrorCode::Unavailable, {}, QStringLiteral("out of memory connecting to the server")};
    // Polled rather than PQconnectdbParams, so that an abort (quitting the app) ends a connect to a server
    // that does not answer at once instead of after its timeout. libpq does not enforce connect_timeout while
    // polled: the deadline below does, for the whole connection.
    const QDeadlineTimer deadline(std::chrono::seconds(std::max(1, connectTimeoutSeconds)));
    PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
    while (PQstatus(conn) != CONNECTION_BAD && polling != PGRES_POLLING_OK &&
           polling != PGRES_POLLING_FAILED) {
        if (cancelled && cancelled->load()) {
            PQfinish(conn);
            return Error{ErrorCode::Unavailable, {}, QStringLiteral("sync stopped")};
        }
        if (deadline.hasExpired()) {
            PQfinish(conn);
            return Error{ErrorCode::Unavailable,
                         {},
                         QStringLiteral("cannot connect to the server: it did not answer within %1 s")
                             .arg(std::max(1, connectTimeoutSeconds))};
        }
        pollfd descriptor{PQsocket(conn), short(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
        if (descriptor.fd < 0) {
            polling = PQconnectPoll(conn);
            continue;
        }
        const int sliceMs = int(std::min<qint64>(100, std::max<qint64>(1, deadline.remainingTime())));
        const int ready = ::poll(&descriptor, 1, sliceMs);
        if (ready == 0 || (ready < 0 && errno == EINTR))
            continue;
        polling = PQconnectPoll(conn);
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        // libpq's message names host and port; scrubbed all the same, whatever libpq may quote one day.
        // One line: libpq's multi-line message (one line per address tried) folded, tabs and all.
        const QString message = ServerUrl::scrub(QString::fromUtf8(PQerrorMessage(conn))
                                                     .split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                                                     .replaceInStrings(QStringLiteral("\t"), QString())
                                                     .join(QStringLiteral("; "))
                                                     .simplified(),
                                                 url, {password});
        PQfinish(conn);
        // A wrong password or an unknown role will not fix itself by retrying.
        const bool refused = message.contains(QStringLiteral("password authentication failed")) ||
                             message.contains(QStringLiteral("does not exist")) ||
                             message.contains(QStringLiteral("no password supplied"));
        return Error{refused ? ErrorCode::Forbidden : ErrorCode::Unavailable,
                     {},
                     QStringLiteral("cannot connect to the server: %1").arg(message)};
    }
    auto connection = std::unique_ptr<PgConnection>(new PgConnection(conn));
    connection->m_url = url;
    connection->m_password = password;
    return connection;
}

PgResult PgConnection::wrap(pg_result *result)
{
    // What the server or libpq says is scrubbed of the connection's secrets before it leaves.
    const auto scrubbed = [this](const QString &message) {
        return ServerUrl::scrub(message, m_url, {m_password});
    };
    if (!result) {
        const bool lost = PQstatus(m_conn) != CONNECTION_OK;
        return PgResult(nullptr, {}, scrubbed(QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()), lost);
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
        return PgResult(result);
    const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const QByteArray sqlState = state ? QByteArray(state) : QByteArray();
    const char *primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    QString message =
        primary ? QString::fromUtf8(primary) : QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    const bool lost = PQstatus(m_conn) != CONNECTION_OK;
    return PgResult(result, sqlState, scrubbed(message), lost || isTransientSqlState(sqlState));
}

PgResult PgConnection::exec(const QString &sql, const QList<QByteArray> &params)
{
    std::vector<const char *> values;
    values.reserve(size_t(params.size()));
    for (const QByteArray &param : params)
        values.push_back(param.isNull() ? nullptr : param.constData());
    const QByteArray text = sql.toUtf8();
    return wrap(PQexecParams(m_conn, text.constData(), int(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0));
}

PgResult PgConnection::execScript(const QByteArray &script)
{
    if (!sendScript(script))
        return wrap(nullptr);
    return takeResult();
}

bool PgConnection::sendScript(const QByteArray &script)
{
    return PQsendQuery(m_conn, script.constData()) == 1;
}

PgResult PgConnection::takeResult()
{
    // A script yields one result per statement; keep the first failure, or else the last result.
    PgResult last;
    bool failed = false;
    bool any = false;
    while (pg_result *result = PQgetResult(m_conn)) {
        PgResult wrapped = wrap(result);
        any = true;
        if (!failed) {
            failed = !wrapped.ok();
            last = wrapped;
        }
    }
    if (!any)
        return wrap(nullptr);
    return last;
}

QByteArray PgConnection::literal(const QByteArray &value) const
{
    char *escaped = PQescapeLiteral(m_conn, value.constData(), size_t(value.size()));
    if (!escaped)
        return {};
    QByteArray out(escaped);
    PQfreemem(escaped);
    return out;
}

QByteArray PgConnection::identifier(const QByteArray &value) const
{
    char *escaped = PQescapeIdentifier(m_conn, value.constData(), size_t(value.size()));
    if (!escaped)
        return {};
    QByteArray out(escaped);
    PQfreemem(escaped);
    return out;
}

bool PgConnection::isOpen() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

QString PgConnection::describe() const
{
    return QStringLiteral("%1@%2:%3/%4")
        .arg(QString::fromUtf8(PQuser(m_conn)), QString::fromUtf8(PQhost(m_conn)),
             QString::fromUtf8(PQport(m_conn)), QString::fromUtf8(PQdb(m_conn)));
}

} // namespace fb::sync
