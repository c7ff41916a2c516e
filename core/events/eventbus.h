#pragma once

#include "events/events.h"
#include "util/result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <vector>

namespace fb {

class Database;

/// A delivery that failed and waits for a retry, with its error.
struct FailedDelivery
{
    QUuid eventId;
    QString eventType;
    QString handler;
    int attempts = 0;
    QString lastError;
    QDateTime updatedAt;
};

/// Synchronous domain event bus (seed 3.3), made durable.
///
/// publish() stores the event in the current transaction (a transactional outbox: the event commits with the
/// change that raised it, or not at all) and, once no transaction is open, delivers every pending event to
/// its subscribers in subscription order. Each handler runs in its own transaction together with the record
/// of its successful delivery, so it takes effect exactly once. A failing handler (an error Result or an
/// exception) is logged with its name and the event, its transaction rolled back, and the failure kept with
/// its error; the other handlers and the publisher are unaffected. retryFailed() (called at start-up and by
/// the app) runs the failed deliveries again; events left by a crash between commit and delivery are
/// delivered the same way.
class EventBus final
{
public:
    using Handler = std::function<Status(const DomainEvent &)>;

    explicit EventBus(Database &db);

    /// Registers `handler` under `name` (unique per event type; it keys delivery records) for `eventType`.
    void subscribe(const QString &eventType, const QString &name, Handler handler);

    template <typename E> void subscribe(const QString &name, std::function<Status(const E &)> handler)
    {
        subscribe(QString::fromLatin1(E::kType), name,
                  [handler = std::move(handler)](const DomainEvent &event) {
                      return handler(static_cast<const E &>(event));
                  });
    }

    int subscriberCount(const QString &eventType) const;

    /// Stores the event (in the caller's transaction when one is open) and delivers it when none is.
    /// Fails only if the event cannot be stored; handler failures never reach the publisher.
    Status publish(const DomainEvent &event);

    /// Delivers every stored event of the current user that still has a handler to run. Returns how many
    /// deliveries failed in this pass. Does nothing inside a transaction or while already delivering.
    int deliverPending();

    /// Same as deliverPending(): failed deliveries are pending deliveries.
    int retryFailed() { return deliverPending(); }

    Result<QList<FailedDelivery>> failedDeliveries() const;

private:
    struct Subscription
    {
        QString eventType;
        QString name;
        Handler handler;
    };

    Status deliver(const DomainEvent &event, const Subscription &subscription);
    void recordFailure(const DomainEvent &event, const QString &handler, const QString &error);

    Database &m_db;
    std::vector<Subscription> m_subscriptions;
    bool m_delivering = false;
};

} // namespace fb
