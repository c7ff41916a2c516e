#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace fb {

/// A change the server refused for good, set aside with the server's reason (the pusher finds them; the sync
/// page lists them).
struct QuarantinedChange
{
    qint64 seq = 0;
    QString entityType;
    QUuid entityId;
    QString reason;
    QDateTime at;
    QString action;     ///< what the local change did: "create", "update" or "delete" (its audit entry's)
    QStringList fields; ///< the fields an update changed
};

/// A failure the sync page lists, with when it happened (UTC).
struct RecentSyncError
{
    enum class Source
    {
        Server, ///< a push cycle
        Model,  ///< the extraction queue could not reach the model
    };
    QDateTime at;
    Source source = Source::Server;
    QString message;
};

/// What a connection test found on the sync server.
struct ServerCheckResult
{
    QString role;                     ///< the login role the server knows us as (current_user)
    std::optional<int> schemaVersion; ///< unset on a schema before version 2 (it cannot say)
    QString server;                   ///< "user@host:port/database", without the password
};

/// What the model answered to a one-line sample note ("Test the model").
struct ModelCheckResult
{
    QString model;     ///< the model that answered, as it named itself (empty: it did not say)
    QString requestId; ///< the API's request id (empty: none)
    QString unusable;  ///< why the extraction cannot use the answer; empty when it can
};

} // namespace fb
