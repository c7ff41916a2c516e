#pragma once

#include "util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace fb {

class Database;

enum class AuditAction
{
    Create,
    Update,
    Delete
};
QString auditActionName(AuditAction action);

struct AuditEntry
{
    QUuid id;
    QUuid userId;
    QString entityType;
    QUuid entityId;
    AuditAction action = AuditAction::Create;
    /// create: {"created": {...}}, update: {field: {"old", "new"}}, delete: {"deleted": {...}} (the seed's
    /// formats)
    QJsonObject changes;
    QDateTime createdAt;
    /// Where the entry came from (sync, local migration 007): empty when this device wrote it, else 'server'
    /// or the id of another device of the technician.
    QString origin;
    /// For an entry from elsewhere, its author as the server names them (sync_authors): their name, their
    /// server login, and whether they are the office (a dispatcher).
    QString authorName;
    QString authorLogin;
    bool byOffice = false;
};

/// The universal, append-only audit trail (seed 3.1). Entries are written in the caller's transaction, so a
/// mutation and its entry commit together; the database itself rejects UPDATE and DELETE of entries.
class AuditLogger final
{
public:
    explicit AuditLogger(Database &db);

    /// Records a change by the connection's current user. Call inside the mutation's transaction.
    Status logChange(const QString &entityType, const QUuid &entityId, AuditAction action,
                     const QJsonObject &changes);

    /// Every entry for one entity, newest first; entries of the same millisecond keep their write order.
    Result<QList<AuditEntry>> entityHistory(const QString &entityType, const QUuid &entityId) const;

    /// A user's most recent entries, newest first, without those of `excludedTypes` (entity types).
    Result<QList<AuditEntry>> userActivity(const QUuid &userId, int limit = 100,
                                           const QStringList &excludedTypes = {}) const;

private:
    Database &m_db;
};

/// {field: {"old": old, "new": new}} for every field whose value differs, skipping `excluded` (updated_at by
/// default, as in the seed).
QJsonObject computeChanges(const QJsonObject &oldState, const QJsonObject &newState,
                           const QSet<QString> &excluded = {QStringLiteral("updated_at")});

} // namespace fb
