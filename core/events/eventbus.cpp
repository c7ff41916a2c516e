#include "events/eventbus.h"

#include "db/database.h"
#include "db/statement.h"
#include "db/transaction.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>

#include <exception>

Q_LOGGING_CATEGORY(lcEvents, "fieldbook.events")

namespace fb {

namespace {

/// Whether `handler` has a done record for `event`: read inside the handler's write transaction, it sees what
/// any other connection committed.
bool deliveredMeanwhile(Database &db, const DomainEvent &event, const QString &handler)
{
    auto done =
        db.exec(QStringLiteral("SELECT 1 FROM event_deliveries WHERE event_id = ? AND handler = ? AND "
                               "status = 'done'"),
                {idText(event.eventId), handler});
    return done && done->next();
}

} // namespace

EventBus::EventBus(Database &db) : m_db(db)
{
}

void EventBus::subscribe(const QString &eventType, const QString &name, Handler handler)
{
    m_subscriptions.push_back({eventType, name, std::move(handler)});
    qCDebug(lcEvents) << "subscribed" << name << "to" << eventType;
}

int EventBus::subscriberCount(const QString &eventType) const
{
    int count = 0;
    for (const auto &subscription : m_subscriptions)
        count += subscription.eventType == eventType ? 1 : 0;
    return count;
}

Status EventBus::publish(const DomainEvent &event)
{
    {
        Transaction tx(m_db);
        FB_TRY(tx.began());
        // An event nobody subscribes to is stored as dispatched: marking it after the commit would cost a
        // second durable commit per mutation (half the write throughput) for nothing to deliver.
        FB_TRY(m_db.run(
            QStringLiteral("INSERT INTO domain_events (event_id, event_type, user_id, payload, occurred_at, "
                           "dispatched) VALUES (?, ?, ?, ?, ?, ?)"),
            {idText(event.eventId), event.type(), idText(event.userId),
             QString::fromUtf8(QJsonDocument(event.payload()).toJson(QJsonDocument::Compact)),
             toStoredTime(event.occurredAt), subscriberCount(event.type()) == 0 ? 1 : 0}));
        FB_TRY(tx.commit());
    }
    deliverPending();
    return {};
}

int EventBus::deliverPending()
{
    if (m_delivering || m_db.transactionDepth() > 0 || m_db.currentUser().isNull())
        return 0;
    m_delivering = true;
    int failures = 0;
    // Walk the stored events in publication order; events a handler publishes are appended and picked up by
    // the same walk. `after` keeps a failing event from being retried again within one pass.
    // These statements are kept prepared (Database::read/run): every published event runs them.
    qint64 after = 0;
    for (;;) {
        bool found = false;
        QString type;
        QJsonObject payload;
        const Status read =
            m_db.read(QStringLiteral("SELECT rowid, event_type, payload FROM domain_events "
                                     "WHERE user_id = current_user_id() AND dispatched = 0 AND rowid > ? "
                                     "ORDER BY rowid LIMIT 1"),
                      {after}, [&](const Statement &row) {
                          found = true;
                          after = row.value(0).toLongLong();
                          type = row.value(1).toString();
                          payload = QJsonDocument::fromJson(row.value(2).toString().toUtf8()).object();
                          return false;
                      });
        if (!read || !found)
            break;
        const auto event = DomainEvent::fromPayload(type, payload);
        if (!event) {
            qCWarning(lcEvents) << "stored event of unknown type" << type << "left undelivered";
            continue;
        }
        QSet<QString> delivered;
        (void)m_db.read(QStringLiteral("SELECT handler FROM event_deliveries WHERE event_id = ? AND status = "
                                       "'done'"),
                        {idText(event->eventId)}, [&](const Statement &row) {
                            delivered.insert(row.value(0).toString());
                            return true;
                        });
        bool allDone = true;
        for (const auto &subscription : m_subscriptions) {
            if (subscription.eventType != type || delivered.contains(subscription.name))
                continue;
            if (!deliver(*event, subscription)) {
                allDone = false;
                ++failures;
            }
        }
        if (allDone)
            (void)m_db.run(QStringLiteral("UPDATE domain_events SET dispatched = 1 WHERE rowid = ?"),
                           {after});
    }
    m_delivering = false;
    return failures;
}

Status EventBus::deliver(const DomainEvent &event, const Subscription &subscription)
{
    QString error;
    {
        Transaction tx(m_db);
        if (!tx.began()) {
            error = tx.began().error().toString();
        } else if (deliveredMeanwhile(m_db, event, subscription.name)) {
            // Another process on the same file (the window and `fieldbook sync` starting together) delivered
            // it after this pass read the delivery records: looked up again under the write lock, it runs
            // once.
            return {};
        } else {
            try {
                if (const Status handled = subscription.handler(event); !handled) {
                    error = handled.error().toString();
                } else {
                    const auto marked = m_db.exec(
                        QStringLiteral(
                            "INSERT INTO event_deliveries (event_id, handler, status, attempts, "
                            "updated_at) VALUES (?, ?, 'done', 1, ?) ON CONFLICT (event_id, handler) "
                            "DO UPDATE SET status = 'done', attempts = attempts + 1, last_error = NULL, "
                            "updated_at = excluded.updated_at"),
                        {idText(event.eventId), subscription.name, toStoredTime(nowUtc())});
                    if (!marked)
                        error = marked.error().toString();
                    else if (const Status committed = tx.commit(); !committed)
                        error = committed.error().toString();
                }
            } catch (const std::exception &e) {
                error = QString::fromUtf8(e.what());
            } catch (...) {
                error = QStringLiteral("unknown exception");
            }
        }
    } // an uncommitted handler transaction rolls back here, before the failure is recorded
    if (error.isEmpty())
        return {};
    qCWarning(lcEvents).noquote() << "handler" << subscription.name << "failed for" << event.type()
                                  << idText(event.eventId) << ":" << error;
    recordFailure(event, subscription.name, error);
    return Error{ErrorCode::InvalidState, {}, error};
}

void EventBus::recordFailure(const DomainEvent &event, const QString &handler, const QString &error)
{
    Transaction tx(m_db);
    if (!tx.began())
        return;
    const auto recorded = m_db.exec(
        QStringLiteral(
            "INSERT INTO event_deliveries (event_id, handler, status, attempts, last_error, updated_at) "
            "VALUES (?, ?, 'failed', 1, ?, ?) ON CONFLICT (event_id, handler) DO UPDATE SET "
            "status = 'failed', attempts = attempts + 1, last_error = excluded.last_error, "
            "updated_at = excluded.updated_at"),
        {idText(event.eventId), handler, error, toStoredTime(nowUtc())});
    if (recorded)
        (void)tx.commit();
}

Result<QList<FailedDelivery>> EventBus::failedDeliveries() const
{
    auto query = m_db.exec(QStringLiteral(
        "SELECT d.event_id, e.event_type, d.handler, d.attempts, d.last_error, d.updated_at "
        "FROM event_deliveries d JOIN domain_events e ON e.event_id = d.event_id "
        "WHERE d.status = 'failed' AND e.user_id = current_user_id() ORDER BY d.updated_at, e.rowid"));
    if (!query)
        return query.error();
    QList<FailedDelivery> failed;
    while (query->next())
        failed.append({idFromVariant(query->value(0)), query->value(1).toString(), query->value(2).toString(),
                       query->value(3).toInt(), query->value(4).toString(), fromStoredTime(query->value(5))});
    return failed;
}

} // namespace fb
