// Domain events (seed 3.2): every concrete event survives its stored form (payload JSON, as written to
// domain_events) unchanged, so a retried delivery sees exactly what the first one saw.
#include "events/events.h"

#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QTimeZone>

using namespace fb;

namespace {

const QDateTime kOccurred(QDate(2026, 1, 31), QTime(10, 0, 0, 123), QTimeZone::utc());
const QDateTime kLater(QDate(2026, 3, 14), QTime(15, 9, 26, 535), QTimeZone::utc());

template <typename E> E withBase(E event)
{
    event.eventId = QUuid::createUuid();
    event.userId = QUuid::createUuid();
    event.occurredAt = kOccurred;
    return event;
}

/// The payload as it comes back from the database: through JSON text, then rebuilt by type name.
template <typename E> std::unique_ptr<E> roundTrip(const E &event)
{
    const QByteArray stored = QJsonDocument(event.payload()).toJson(QJsonDocument::Compact);
    auto rebuilt = DomainEvent::fromPayload(event.type(), QJsonDocument::fromJson(stored).object());
    if (!rebuilt || rebuilt->type() != event.type())
        return nullptr;
    auto *typed = dynamic_cast<E *>(rebuilt.get());
    if (!typed)
        return nullptr;
    rebuilt.release();
    return std::unique_ptr<E>(typed);
}

#define FB_ROUND_TRIP(var, event)                                                                            \
    const auto var = roundTrip(event);                                                                       \
    QVERIFY2(var, "the event did not rebuild as its own type");                                              \
    QCOMPARE(var->eventId, (event).eventId);                                                                 \
    QCOMPARE(var->userId, (event).userId);                                                                   \
    QCOMPARE(var->occurredAt, (event).occurredAt);                                                           \
    QCOMPARE(var->occurredAt.time().msec(), (event).occurredAt.time().msec());                               \
    QCOMPARE(var->occurredAt.timeSpec(), Qt::UTC)

} // namespace

class TestEvents final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ticketCreated()
    {
        auto e = withBase(TicketCreatedEvent{});
        e.ticketId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        e.addressId = QUuid::createUuid();
        e.scheduledAt = kLater;
        QCOMPARE(e.type(), QStringLiteral("TicketCreatedEvent"));
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->ticketId, e.ticketId);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->addressId, e.addressId);
        QCOMPARE(r->scheduledAt, kLater);
        QCOMPARE(r->scheduledAt.time().msec(), 535);
    }

    void ticketCompleted()
    {
        auto e = withBase(TicketCompletedEvent{});
        e.ticketId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        e.notes = QStringLiteral("Dog named Rex; gate code 4321 — ring twice");
        e.confirmedAttributes = QJsonDocument::fromJson(R"({"dog_name": "Rex", "gate_code": "4321",
            "ladder_needed": true, "floors": 2, "panel": {"brand": "Square D", "amps": 200}})")
                                    .object();
        e.nextServiceAction = QStringLiteral("reach_out");
        e.reachOutMonths = 6;
        e.sourceNoteId = QUuid::createUuid();
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->ticketId, e.ticketId);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->notes, e.notes);
        QCOMPARE(r->confirmedAttributes, e.confirmedAttributes);
        QCOMPARE(r->nextServiceAction, QStringLiteral("reach_out"));
        QCOMPARE(r->reachOutMonths, std::optional<int>(6));
        QCOMPARE(r->sourceNoteId, e.sourceNoteId);
    }

    void ticketCompletedWithoutOptionals()
    {
        auto e = withBase(TicketCompletedEvent{});
        e.ticketId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        e.nextServiceAction = QStringLiteral("no_followup");
        QVERIFY(e.payload().value(QStringLiteral("notes")).isNull());
        QVERIFY(e.payload().value(QStringLiteral("reach_out_months")).isNull());
        FB_ROUND_TRIP(r, e);
        QVERIFY(!r->notes.has_value());
        QVERIFY(!r->reachOutMonths.has_value());
        QVERIFY(r->sourceNoteId.isNull());
        QVERIFY(r->confirmedAttributes.isEmpty());
        QCOMPARE(r->nextServiceAction, QStringLiteral("no_followup"));

        // Empty notes are notes, not "no notes".
        e.notes = QString();
        FB_ROUND_TRIP(empty, e);
        QVERIFY(empty->notes.has_value());
        QVERIFY(empty->notes->isEmpty());
    }

    void contactCreated()
    {
        auto e = withBase(ContactCreatedEvent{});
        e.contactId = QUuid::createUuid();
        e.name = QStringLiteral("Zoë O'Brien");
        e.email = QStringLiteral("zoe@example.com");
        e.phone = QStringLiteral("+1 555 0100");
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->name, e.name);
        QCOMPARE(r->email, e.email);
        QCOMPARE(r->phone, e.phone);

        e.email.reset();
        e.phone.reset();
        FB_ROUND_TRIP(bare, e);
        QVERIFY(!bare->email.has_value());
        QVERIFY(!bare->phone.has_value());
    }

    void contactUpdated()
    {
        auto e = withBase(ContactUpdatedEvent{});
        e.contactId = QUuid::createUuid();
        e.changes = QJsonDocument::fromJson(R"({"name": {"old": "A", "new": "B"},
                                                "phone": {"old": null, "new": "555"}})")
                        .object();
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->changes, e.changes);
    }

    void invoiceCreated()
    {
        auto e = withBase(InvoiceCreatedEvent{});
        e.invoiceId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        e.ticketId = QUuid::createUuid();
        e.totalAmount = Money::fromCents(123456);
        QCOMPARE(e.payload().value(QStringLiteral("total_amount_cents")).toInteger(), 123456);
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->invoiceId, e.invoiceId);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->ticketId, e.ticketId);
        QCOMPARE(r->totalAmount.cents(), 123456);

        // A standalone invoice has no ticket; the largest amount survives to the cent.
        e.ticketId = QUuid();
        e.totalAmount = Money::fromCents(Money::kMaxCents);
        FB_ROUND_TRIP(standalone, e);
        QVERIFY(standalone->ticketId.isNull());
        QCOMPARE(standalone->totalAmount.cents(), Money::kMaxCents);
    }

    void invoiceSent()
    {
        auto e = withBase(InvoiceSentEvent{});
        e.invoiceId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        e.paymentLink = QStringLiteral("https://pay.example.com/i/abc?x=1&y=2");
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->invoiceId, e.invoiceId);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->paymentLink, e.paymentLink);

        e.paymentLink.reset();
        FB_ROUND_TRIP(noLink, e);
        QVERIFY(!noLink->paymentLink.has_value());
    }

    void invoicePaid()
    {
        auto e = withBase(InvoicePaidEvent{});
        e.invoiceId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        e.amountPaid = Money::fromCents(1); // one cent: a float would be tempted to round this
        QCOMPARE(e.payload().value(QStringLiteral("amount_paid_cents")).toInteger(), 1);
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->invoiceId, e.invoiceId);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->amountPaid.cents(), 1);
    }

    void leadCreated()
    {
        auto e = withBase(LeadCreatedEvent{});
        e.leadId = QUuid::createUuid();
        e.rawNotes = QStringLiteral("Call back re: furnace\nline two");
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->leadId, e.leadId);
        QCOMPARE(r->rawNotes, e.rawNotes);
    }

    void leadConverted()
    {
        auto e = withBase(LeadConvertedEvent{});
        e.leadId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->leadId, e.leadId);
        QCOMPARE(r->contactId, e.contactId);
    }

    void scheduledMessageCreated()
    {
        auto e = withBase(ScheduledMessageCreatedEvent{});
        e.messageId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        // Given in another zone: the same instant comes back, in UTC.
        e.scheduledFor = QDateTime(QDate(2026, 7, 1), QTime(9, 30, 0, 7), QTimeZone(2 * 3600));
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->messageId, e.messageId);
        QCOMPARE(r->contactId, e.contactId);
        QCOMPARE(r->scheduledFor, e.scheduledFor);
        QCOMPARE(r->scheduledFor.toMSecsSinceEpoch(), e.scheduledFor.toMSecsSinceEpoch());
        QCOMPARE(r->scheduledFor.time(), QTime(7, 30, 0, 7));
    }

    void scheduledMessageSent()
    {
        auto e = withBase(ScheduledMessageSentEvent{});
        e.messageId = QUuid::createUuid();
        e.contactId = QUuid::createUuid();
        FB_ROUND_TRIP(r, e);
        QCOMPARE(r->messageId, e.messageId);
        QCOMPARE(r->contactId, e.contactId);
    }

    void unknownTypeIsNull()
    {
        const QJsonObject payload = LeadCreatedEvent{}.payload();
        QVERIFY(!DomainEvent::fromPayload(QStringLiteral("LeadDeletedEvent"), payload));
        QVERIFY(!DomainEvent::fromPayload(QString(), payload));
        QVERIFY(!DomainEvent::fromPayload(QStringLiteral("leadcreatedevent"), payload));
    }

    void knownEventTypesListsEveryType()
    {
        const QStringList expected{
            QStringLiteral("TicketCreatedEvent"),       QStringLiteral("TicketCompletedEvent"),
            QStringLiteral("ContactCreatedEvent"),      QStringLiteral("ContactUpdatedEvent"),
            QStringLiteral("InvoiceCreatedEvent"),      QStringLiteral("InvoiceSentEvent"),
            QStringLiteral("InvoicePaidEvent"),         QStringLiteral("LeadCreatedEvent"),
            QStringLiteral("LeadConvertedEvent"),       QStringLiteral("ScheduledMessageCreatedEvent"),
            QStringLiteral("ScheduledMessageSentEvent")};
        QCOMPARE(knownEventTypes(), expected);
        for (const QString &type : expected) {
            const auto event = DomainEvent::fromPayload(type, {});
            QVERIFY2(event, qPrintable(type));
            QCOMPARE(event->type(), type);
        }
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "test_events.moc"
