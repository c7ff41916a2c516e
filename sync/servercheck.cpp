#include "servercheck.h"

#include "pgconnection.h"
#include "serverurl.h"
#include "util/timeutil.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace fb::sync {

namespace {

/// PgConnection scrubs its own errors; this catches whatever else a check may say (an exception's text).
Error redacted(Error error, const QString &url, const QString &password)
{
    error.message = ServerUrl::scrub(error.message, url, {password});
    return error;
}

Result<ServerCheckResult> check(const QString &url, const QString &password, const QUuid &userId,
                                int connectTimeoutSeconds)
{
    // In words, quoting nothing of the URL (libpq's parse errors quote the password).
    if (const Status valid = ServerUrl::check(url, QStringLiteral("server_url")); !valid)
        return valid.error();
    auto connected = PgConnection::connect(url, connectTimeoutSeconds, password);
    if (!connected)
        return connected.error();
    PgConnection &server = **connected;

    ServerCheckResult result;
    result.server = server.describe();
    PgResult who = server.exec(
        QStringLiteral("SELECT current_user, to_regclass('public.fieldbook_schema_version') IS NOT NULL"));
    if (!who.ok())
        return who.toError(QStringLiteral("asking the server who we are"));
    result.role = who.value(0, 0);
    if (who.value(0, 1) != QStringLiteral("t"))
        return Error{ErrorCode::Database,
                     {},
                     QStringLiteral("connected as %1, but %2 has no Fieldbook schema: run fieldbook "
                                    "server-init on it")
                         .arg(result.role, result.server)};
    PgResult version = server.exec(QStringLiteral("SELECT fieldbook_schema_version()"));
    if (version.ok())
        result.schemaVersion = version.value(0, 0).toInt();
    else if (version.sqlState() != "42883") // a schema before version 2 has no such function
        return version.toError(QStringLiteral("reading the schema version"));

    if (!userId.isNull()) {
        // The identity the push sets, checked the way the server checks every push; nothing is written.
        PgResult begun = server.exec(QStringLiteral("BEGIN READ ONLY"));
        if (!begun.ok())
            return begun.toError(QStringLiteral("checking the login's technician"));
        PgResult bound = server.exec(
            QStringLiteral("SELECT set_config('app.current_user_id', $1, true), fieldbook_user_id()"),
            {idText(userId).toUtf8()});
        server.exec(QStringLiteral("ROLLBACK"));
        if (!bound.ok())
            return Error{bound.sqlState() == "42501" ? ErrorCode::Forbidden : ErrorCode::Database,
                         {},
                         QStringLiteral("connected as %1, but it cannot push this profile's changes: %2")
                             .arg(result.role, bound.message())};
    }
    return result;
}

} // namespace

Result<ServerCheckResult> ServerCheck::run(const QString &url, const QString &password, const QUuid &userId,
                                           int connectTimeoutSeconds)
{
    // On a pool thread nothing may escape: an exception becomes the error.
    try {
        auto result = check(url, password, userId, connectTimeoutSeconds);
        if (!result)
            return redacted(result.error(), url, password);
        return result;
    } catch (const std::exception &e) {
        return redacted(Error{ErrorCode::Database, {}, QString::fromLocal8Bit(e.what())}, url, password);
    }
}

void ServerCheck::start(const QString &url, const QString &password, const QUuid &userId, QObject *context,
                        Callback done, int connectTimeoutSeconds)
{
    // The watcher is the context's child: when the context goes first, so does the watcher, and `done` is
    // never called.
    auto *watcher = new QFutureWatcher<Result<ServerCheckResult>>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run([=] { return ServerCheck::run(url, password, userId, connectTimeoutSeconds); }));
}

} // namespace fb::sync
