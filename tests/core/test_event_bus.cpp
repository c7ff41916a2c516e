// EventBus (seed 3.3, made durable): synchronous, ordered delivery; failing handlers are logged, rolled back
// and kept for retry without touching the publisher or the other handlers; events commit with the change that
// raised them and survive a crash between commit and delivery.
#include "db/transaction.h"
#include "support/testsupport.h"

#include <QRegularExpression>
#include <QTest>

#include <stdexcept>

using namespace fb;

namespace {

template <typename R> QString errorText(const R &result)
{
    return result.ok() ? QString() : result.error().toString();
}

qint64 scalar(Database &db, const QString &sql, const QVariantList &values = {})
{
    auto query = db.exec(sql, values);
    if (!query || !query->next())
        return -1;
    return query->value(0).toLongLong();
}

LeadCreatedEvent lead(Core &core, const QString &notes = QStringLiteral("furnace"))
{
    auto event = newEvent<LeadCreatedEvent>(core.db());
    event.leadId = newId();
    event.rawNotes = notes;
    return event;
}

const QString kLead = QString::fromLatin1(LeadCreatedEvent::kType);

/// Subscribes a handler that records its name in `calls` and succeeds.
void subscribeRecorder(EventBus &bus, const QString &type, const QString &name, QStringList &calls)
{
    bus.subscribe(type, name, [&calls, name](const DomainEvent &) -> Status {
        calls.append(name);
        return {};
    });
}

/// Creates a contact from inside a handler; returns its id through `created`.
Status writeContact(Core &core, const QString &name, QUuid &created)
{
    auto contact = core.contacts.create({name, std::nullopt, std::nullopt, std::nullopt});
    if (!contact)
        return contact.error();
    created = contact->id;
    return {};
}

} // namespace

class TestEventBus final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliversSynchronouslyInSubscriptionOrder()
    {
        test::CoreFixture f;
        QStringList calls;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("first"), calls);
        subscribeRecorder(f->bus(), kLead, QStringLiteral("second"), calls);
        subscribeRecorder(f->bus(), kLead, QStringLiteral("third"), calls);
        QStringList converted;
        subscribeRecorder(f->bus(), QString::fromLatin1(LeadConvertedEvent::kType), QStringLiteral("other"),
                          converted);

        const auto event = lead(f.core());
        QList<QString> seen;
        f->bus().subscribe<LeadCreatedEvent>(QStringLiteral("payload"), [&seen](const LeadCreatedEvent &e) {
            seen.append(e.rawNotes);
            return Status();
        });
        auto published = f->bus().publish(event);
        QVERIFY2(published.ok(), qPrintable(errorText(published)));
        // When publish() returns, every handler has run, in the order they subscribed.
        QCOMPARE(calls,
                 (QStringList{QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("third")}));
        QCOMPARE(seen, QList<QString>{QStringLiteral("furnace")});
        QVERIFY(converted.isEmpty());
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT dispatched FROM domain_events WHERE event_id = ?"),
                        {idText(event.eventId)}),
                 1);
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QVERIFY(failed->isEmpty());

        // Delivered once: another pass does not run the handlers again.
        QCOMPARE(f->bus().deliverPending(), 0);
        QCOMPARE(calls.size(), 3);
    }

    void countsSubscribers()
    {
        test::CoreFixture f;
        // The core's own handlers: reach-outs and attributes.
        QCOMPARE(f->bus().subscriberCount(QString::fromLatin1(TicketCompletedEvent::kType)), 2);
        QCOMPARE(f->bus().subscriberCount(kLead), 0);
        QCOMPARE(f->bus().subscriberCount(QStringLiteral("NoSuchEvent")), 0);
        QStringList calls;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("a"), calls);
        subscribeRecorder(f->bus(), kLead, QStringLiteral("b"), calls);
        QCOMPARE(f->bus().subscriberCount(kLead), 2);
        QCOMPARE(f->bus().subscriberCount(QString::fromLatin1(TicketCompletedEvent::kType)), 2);
    }

    void handlerFailuresDoNotCascade()
    {
        test::CoreFixture f;
        QStringList calls;
        QUuid erroringWrote;
        QUuid throwingWrote;
        QUuid okWrote;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("before"), calls);
        f->bus().subscribe(kLead, QStringLiteral("erroring"), [&](const DomainEvent &) -> Status {
            calls.append(QStringLiteral("erroring"));
            FB_TRY(writeContact(f.core(), QStringLiteral("Written by erroring"), erroringWrote));
            return Error::validation(QStringLiteral("lead"), QStringLiteral("the lead is no good"));
        });
        f->bus().subscribe(kLead, QStringLiteral("throwing"), [&](const DomainEvent &) -> Status {
            calls.append(QStringLiteral("throwing"));
            FB_TRY(writeContact(f.core(), QStringLiteral("Written by throwing"), throwingWrote));
            throw std::runtime_error("kaboom in the handler");
        });
        f->bus().subscribe(kLead, QStringLiteral("after"), [&](const DomainEvent &) -> Status {
            calls.append(QStringLiteral("after"));
            return writeContact(f.core(), QStringLiteral("Written by after"), okWrote);
        });

        const auto event = lead(f.core());
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("handler erroring failed for LeadCreatedEvent %1.*"
                                              "the lead is no good")
                                   .arg(idText(event.eventId))));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("handler throwing failed for LeadCreatedEvent %1.*"
                                              "kaboom in the handler")
                                   .arg(idText(event.eventId))));
        auto published = f->bus().publish(event);
        QVERIFY2(published.ok(), qPrintable(errorText(published)));
        QCOMPARE(calls, (QStringList{QStringLiteral("before"), QStringLiteral("erroring"),
                                     QStringLiteral("throwing"), QStringLiteral("after")}));

        auto failed = f->bus().failedDeliveries();
        QVERIFY2(failed.ok(), qPrintable(errorText(failed)));
        QCOMPARE(failed->size(), 2);
        QStringList handlers;
        for (const FailedDelivery &delivery : std::as_const(*failed)) {
            handlers.append(delivery.handler);
            QCOMPARE(delivery.eventId, event.eventId);
            QCOMPARE(delivery.eventType, kLead);
            QCOMPARE(delivery.attempts, 1);
            QVERIFY(delivery.updatedAt.isValid());
            if (delivery.handler == QStringLiteral("erroring"))
                QVERIFY2(delivery.lastError.contains(QStringLiteral("the lead is no good")),
                         qPrintable(delivery.lastError));
            else
                QVERIFY2(delivery.lastError.contains(QStringLiteral("kaboom in the handler")),
                         qPrintable(delivery.lastError));
        }
        handlers.sort();
        QCOMPARE(handlers, (QStringList{QStringLiteral("erroring"), QStringLiteral("throwing")}));

        // The failed handlers' writes were rolled back with their transactions; the good one's were kept.
        Database &db = f->db();
        QVERIFY(!erroringWrote.isNull());
        QVERIFY(!throwingWrote.isNull());
        QVERIFY(!okWrote.isNull());
        for (const QUuid &id : {erroringWrote, throwingWrote}) {
            QCOMPARE(
                scalar(db, QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ?"), {idText(id)}),
                0);
            QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_id = ?"),
                            {idText(id)}),
                     0);
            QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE entity_id = ?"),
                            {idText(id)}),
                     0);
        }
        QCOMPARE(
            scalar(db, QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ?"), {idText(okWrote)}),
            1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_id = ?"),
                        {idText(okWrote)}),
                 1);
        // Only the surviving handler's own event (ContactCreatedEvent) was stored besides the lead.
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM domain_events WHERE event_type = "
                                           "'ContactCreatedEvent'")),
                 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT dispatched FROM domain_events WHERE event_id = ?"),
                        {idText(event.eventId)}),
                 0);
        QCOMPARE(db.transactionDepth(), 0);
    }

    void retryRunsOnlyTheFailedHandlersUntilTheySucceed()
    {
        test::CoreFixture f;
        int okCalls = 0;
        int flakyCalls = 0;
        bool healthy = false;
        QUuid flakyWrote;
        f->bus().subscribe(kLead, QStringLiteral("steady"), [&](const DomainEvent &) -> Status {
            ++okCalls;
            return {};
        });
        f->bus().subscribe(kLead, QStringLiteral("flaky"), [&](const DomainEvent &) -> Status {
            ++flakyCalls;
            FB_TRY(writeContact(f.core(), QStringLiteral("Flaky %1").arg(flakyCalls), flakyWrote));
            if (!healthy)
                return Error{ErrorCode::Unavailable, {}, QStringLiteral("service down")};
            return {};
        });

        const auto event = lead(f.core());
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("handler flaky failed.*service down")));
        QVERIFY(f->bus().publish(event).ok());
        QCOMPARE(okCalls, 1);
        QCOMPARE(flakyCalls, 1);

        // Still failing: the failure stays, with one more attempt, and the steady handler is left alone.
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("handler flaky failed.*service down")));
        QCOMPARE(f->bus().retryFailed(), 1);
        QCOMPARE(okCalls, 1);
        QCOMPARE(flakyCalls, 2);
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().handler, QStringLiteral("flaky"));
        QCOMPARE(failed->first().attempts, 2);
        QCOMPARE(failed->first().lastError, QStringLiteral("service down"));

        healthy = true;
        QCOMPARE(f->bus().retryFailed(), 0);
        QCOMPARE(flakyCalls, 3);
        QCOMPARE(okCalls, 1); // the successful handler did NOT run a second time
        failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QVERIFY(failed->isEmpty());
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT dispatched FROM domain_events WHERE event_id = ?"),
                        {idText(event.eventId)}),
                 1);
        // Only the successful attempt's write exists.
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM contacts WHERE name LIKE 'Flaky %'")),
                 1);
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT name = 'Flaky 3' FROM contacts WHERE id = ?"),
                        {idText(flakyWrote)}),
                 1);

        // Nothing is left to do.
        QCOMPARE(f->bus().retryFailed(), 0);
        QCOMPARE(flakyCalls, 3);
        QCOMPARE(okCalls, 1);
    }

    void eventOfARolledBackTransactionIsNeverDelivered()
    {
        test::CoreFixture f;
        QStringList calls;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("recorder"), calls);
        const auto event = lead(f.core());
        {
            Transaction tx(f->db());
            QVERIFY(tx.began().ok());
            QVERIFY(f->bus().publish(event).ok());
            QVERIFY(calls.isEmpty()); // not while the change that raised it may still be undone
        }                             // rolled back
        QCOMPARE(f->db().transactionDepth(), 0);
        QCOMPARE(f->bus().deliverPending(), 0);
        QCOMPARE(f->bus().retryFailed(), 0);
        QVERIFY(calls.isEmpty());
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM domain_events WHERE event_id = ?"),
                        {idText(event.eventId)}),
                 0);
        // Nor on the next start.
        auto reopened = f.reopen();
        QStringList reopenedCalls;
        subscribeRecorder(reopened->bus(), kLead, QStringLiteral("recorder"), reopenedCalls);
        QVERIFY(reopened->setCurrentUser(f.alice()).ok());
        QVERIFY(reopenedCalls.isEmpty());
    }

    void eventOfACommittedTransactionIsDeliveredAfterTheCommit()
    {
        test::CoreFixture f;
        QStringList calls;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("recorder"), calls);
        {
            Transaction tx(f->db());
            QVERIFY(tx.began().ok());
            QVERIFY(f->bus().publish(lead(f.core())).ok());
            QVERIFY(calls.isEmpty());
            QCOMPARE(f->bus().deliverPending(), 0); // inside the transaction: nothing yet
            QVERIFY(calls.isEmpty());
            QVERIFY(tx.commit().ok());
        }
        QCOMPARE(f->bus().deliverPending(), 0);
        QCOMPARE(calls, QStringList{QStringLiteral("recorder")});
    }

    void eventLeftByACrashIsDeliveredOnTheNextStart()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        auto completed = newEvent<TicketCompletedEvent>(f->db());
        completed.ticketId = newId();
        completed.contactId = customer.contact.id;
        completed.confirmedAttributes = {{QStringLiteral("dog_name"), QStringLiteral("Rex")}};
        completed.nextServiceAction = QStringLiteral("reach_out");
        completed.reachOutMonths = 3;
        const auto pendingLead = lead(f.core(), QStringLiteral("left behind"));
        // Every start of the app subscribes the same handlers; this one never gets to run before the "crash".
        QStringList firstRun;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("leads"), firstRun);
        {
            // Committed with its change, then the process "dies" before delivering.
            Transaction tx(f->db());
            QVERIFY(tx.began().ok());
            QVERIFY(f->bus().publish(completed).ok());
            QVERIFY(f->bus().publish(pendingLead).ok());
            QVERIFY(tx.commit().ok());
        }
        QVERIFY(firstRun.isEmpty());
        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QVERIFY(messages->isEmpty());

        auto restarted = f.reopen();
        QList<QString> leads;
        restarted->bus().subscribe<LeadCreatedEvent>(QStringLiteral("leads"),
                                                     [&leads](const LeadCreatedEvent &e) {
                                                         leads.append(e.rawNotes);
                                                         return Status();
                                                     });
        QVERIFY(leads.isEmpty()); // nothing is delivered before a user is selected
        auto selected = restarted->setCurrentUser(f.alice());
        QVERIFY2(selected.ok(), qPrintable(errorText(selected)));
        QCOMPARE(leads, QList<QString>{QStringLiteral("left behind")});
        messages = restarted->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
        QCOMPARE(messages->first().scheduledFor, addCalendarMonths(completed.occurredAt, 3));
        auto attributes = restarted->attributes.getAttributes(customer.contact.id);
        QVERIFY(attributes.ok());
        QCOMPARE(attributes->size(), 1);
        QCOMPARE(attributes->first().value, QJsonValue(QStringLiteral("Rex")));

        // Delivered exactly once: a further start does nothing more.
        auto again = f.reopen();
        QList<QString> leadsAgain;
        again->bus().subscribe<LeadCreatedEvent>(QStringLiteral("leads"),
                                                 [&leadsAgain](const LeadCreatedEvent &e) {
                                                     leadsAgain.append(e.rawNotes);
                                                     return Status();
                                                 });
        QVERIFY(again->setCurrentUser(f.alice()).ok());
        QVERIFY(leadsAgain.isEmpty());
        messages = again->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
    }

    void anotherUsersEventsWaitForThatUser()
    {
        test::CoreFixture f;
        const QUuid bob = f.addUser(QStringLiteral("Bob Bell"), QStringLiteral("bob@example.com"));
        auto bobsLead = lead(f.core(), QStringLiteral("bob's lead"));
        bobsLead.userId = bob;
        QStringList firstRun;
        subscribeRecorder(f->bus(), kLead, QStringLiteral("leads"), firstRun);
        {
            Transaction tx(f->db());
            QVERIFY(tx.began().ok());
            QVERIFY(f->bus().publish(bobsLead).ok());
            QVERIFY(tx.commit().ok());
        }
        auto restarted = f.reopen();
        QList<QString> leads;
        restarted->bus().subscribe<LeadCreatedEvent>(QStringLiteral("leads"),
                                                     [&leads](const LeadCreatedEvent &e) {
                                                         leads.append(e.rawNotes);
                                                         return Status();
                                                     });
        QVERIFY(restarted->setCurrentUser(f.alice()).ok());
        QVERIFY(leads.isEmpty()); // Alice's session never runs Bob's handlers
        QVERIFY(restarted->setCurrentUser(bob).ok());
        QCOMPARE(leads, QList<QString>{QStringLiteral("bob's lead")});
    }

    void eventsPublishedByAHandlerAreDeliveredInTheSamePass()
    {
        test::CoreFixture f;
        QStringList calls;
        f->bus().subscribe<LeadCreatedEvent>(QStringLiteral("converter"),
                                             [&](const LeadCreatedEvent &e) -> Status {
                                                 calls.append(QStringLiteral("converter"));
                                                 auto converted = newEvent<LeadConvertedEvent>(f->db());
                                                 converted.leadId = e.leadId;
                                                 converted.contactId = newId();
                                                 return f->bus().publish(converted);
                                             });
        QUuid convertedLead;
        f->bus().subscribe<LeadConvertedEvent>(QStringLiteral("welcome"),
                                               [&](const LeadConvertedEvent &e) -> Status {
                                                   calls.append(QStringLiteral("welcome"));
                                                   convertedLead = e.leadId;
                                                   return {};
                                               });
        const auto event = lead(f.core());
        QVERIFY(f->bus().publish(event).ok());
        QCOMPARE(calls, (QStringList{QStringLiteral("converter"), QStringLiteral("welcome")}));
        QCOMPARE(convertedLead, event.leadId);
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM domain_events WHERE dispatched = 0")),
                 0);
    }

    void failingHandlerDoesNotStopTheCloseOut()
    {
        // The checklist's "Handler failures don't cascade", end to end: a broken extra handler on
        // TicketCompletedEvent neither blocks the close-out nor the core's own handlers.
        test::CoreFixture f;
        f->bus().subscribe<TicketCompletedEvent>(QStringLiteral("SearchIndexer"),
                                                 [](const TicketCompletedEvent &) -> Status {
                                                     throw std::runtime_error("search index unavailable");
                                                 });
        auto customer = f.addCustomer();
        auto ticket =
            f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt});
        QVERIFY2(ticket.ok(), qPrintable(errorText(ticket)));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                               "handler SearchIndexer failed.*search index unavailable")));
        auto closed =
            f->tickets.finalizeCloseOut(ticket->id, {{QStringLiteral("gate_code"), QStringLiteral("4321")}},
                                        NextServiceAction::ReachOut, 6);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));
        QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));

        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(attributes.ok());
        QCOMPARE(attributes->size(), 1);
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().handler, QStringLiteral("SearchIndexer"));
        QCOMPARE(failed->first().eventType, QString::fromLatin1(TicketCompletedEvent::kType));
    }
};

QTEST_GUILESS_MAIN(TestEventBus)
#include "test_event_bus.moc"
