#pragma once

#include "historymodel.h"

#include <QHash>
#include <QJsonObject>
#include <QUuid>

namespace fb {
class Core;
}

namespace fb::ui {

/// Turns audit entries into HistoryRows a person reads, the one place that does for every screen (the History
/// screen, a customer's history tab, the ticket's history): the technician's name, the entity named by what
/// it is ("Customer Margaret Hill", "Job on Sat 28 Nov for Margaret Hill", "Line item Gutter clearing") and
/// every change as "Field: old → new" with money as money and times in local time.
///
/// Design choice: an entity's name comes from its own audit trail (the created row with every later change
/// applied), not from the services. The trail also knows deleted rows, which the services' scoped reads no
/// longer return, and it is one indexed query per entity, cached for the describer's lifetime (one reload).
class HistoryDescriber final
{
public:
    explicit HistoryDescriber(Core &core);

    /// An entity's full trail (newest first) the caller already read, so it is not read again.
    void addTrail(const QString &entityType, const QUuid &entityId, const QList<AuditEntry> &newestFirst);

    HistoryRow describe(const AuditEntry &entry);
    /// "Customer Margaret Hill"; the humanised type when the trail knows nothing of the entity.
    QString subject(const QString &entityType, const QUuid &entityId);
    /// The entity's own name without its kind or customer: a line item's description ("Window cleaning"), a
    /// customer's or a service's name; empty when the trail has none.
    QString name(const QString &entityType, const QUuid &entityId);
    /// The technician's name, or a short form of the id for a profile this laptop does not hold.
    QString userName(const QUuid &userId);

    /// "Name: Margaret Hill → Margaret Jones" for each field of an update; the row's fields for a create or
    /// a delete (a line item as one line, "Window cleaning, 1 × $120.00 = $120.00"; a job starting with
    /// "Scheduled for ..."). Ids and bookkeeping times are left out.
    static QList<QString> describeChanges(const AuditEntry &entry);
    /// "Created", "Changed", ...; a line item is "Added" to a job and "Removed" from it.
    static QString actionText(const QString &entityType, HistoryAction action);
    /// A stored value as text: money columns as money, times in local time, statuses by their label.
    static QString valueText(const QString &entityType, const QString &field, const QJsonValue &value);
    /// Who made a change that came from elsewhere, to follow the action: " by the office (office_dana)",
    /// " on your other device", " by Script (etl)"; empty for this device's own entries.
    static QString authorText(const AuditEntry &entry);
    /// Whether `entry` is a restore: an update that clears deleted_at.
    static bool isRestore(const AuditEntry &entry);

private:
    struct Known
    {
        QJsonObject state; ///< the row as the trail last left it
        bool deleted = false;
        bool found = false;
    };
    static QList<QString> describeRow(const QString &entityType, const QJsonObject &row);
    const Known &known(const QString &entityType, const QUuid &entityId);
    QString contactName(const QJsonValue &contactId);

    Core &m_core;
    QHash<QString, Known> m_known; ///< by "type/id"
    QHash<QUuid, QString> m_users;
    bool m_usersRead = false;
};

} // namespace fb::ui
