// AttributePersistenceHandler (seed 3.4.2): confirmed attributes are saved on the contact, one value per key,
// linked to the close-out note; an event's attributes are saved all together or not at all.
#include "support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

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

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

Ticket newTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

QHash<QString, Attribute> byKey(const QList<Attribute> &attributes)
{
    QHash<QString, Attribute> map;
    for (const Attribute &attribute : attributes)
        map.insert(attribute.key, attribute);
    return map;
}

} // namespace

class TestAttributePersistenceHandler final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savesConfirmedAttributesLinkedToTheNote()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        auto step1 =
            f->tickets.initiateCloseOut(ticket.id, 45, QStringLiteral("Dog Rex in the yard, gate 1234"));
        QVERIFY2(step1.ok(), qPrintable(errorText(step1)));
        QVERIFY(!step1->noteId.isNull());
        const QJsonObject confirmed = json(R"({"dog_name": "Rex", "gate_code": "1234", "ladder_needed": true,
                                               "floors": 2, "panel": {"brand": "Square D", "amps": 200}})");
        auto closed = f->tickets.finalizeCloseOut(ticket.id, confirmed, NextServiceAction::NoFollowup);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));

        auto attributes = f->attributes.getAttributes(customer.contact.id);
        QVERIFY2(attributes.ok(), qPrintable(errorText(attributes)));
        QCOMPARE(attributes->size(), confirmed.size());
        for (const Attribute &attribute : std::as_const(*attributes)) {
            QCOMPARE(attribute.value, confirmed.value(attribute.key));
            QCOMPARE(attribute.sourceNoteId, step1->noteId);
            QCOMPARE(attribute.contactId, customer.contact.id);
            QCOMPARE(attribute.userId, f.alice());
        }
        auto note = f->notes.getById(step1->noteId);
        QVERIFY2(note.ok(), qPrintable(errorText(note)));
        QCOMPARE(note->content, QStringLiteral("Dog Rex in the yard, gate 1234"));
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QVERIFY(failed->isEmpty());
    }

    void withoutANoteAttributesAreUnlinked()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        auto closed = f->tickets.finalizeCloseOut(ticket.id, json(R"({"dog_name": "Rex"})"),
                                                  NextServiceAction::NoFollowup);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(attributes.ok());
        QCOMPARE(attributes->size(), 1);
        QVERIFY(attributes->first().sourceNoteId.isNull());
    }

    void secondCloseOutReplacesInsteadOfDuplicating()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket first = newTicket(f, customer);
        auto firstNote = f->tickets.initiateCloseOut(first.id, 30, QStringLiteral("Dog Rex, gate 1234"));
        QVERIFY(firstNote.ok());
        QVERIFY(f->tickets
                    .finalizeCloseOut(first.id, json(R"({"dog_name": "Rex", "gate_code": "1234"})"),
                                      NextServiceAction::NoFollowup)
                    .ok());
        auto before = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(before.ok());
        const auto beforeByKey = byKey(*before);

        const Ticket second = newTicket(f, customer);
        auto secondNote = f->tickets.initiateCloseOut(second.id, 30, QStringLiteral("New dog: Max"));
        QVERIFY(secondNote.ok());
        QVERIFY(
            f->tickets
                .finalizeCloseOut(second.id, json(R"({"dog_name": "Max"})"), NextServiceAction::NoFollowup)
                .ok());

        auto after = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(after.ok());
        QCOMPARE(after->size(), 2);
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM main.attributes WHERE contact_id = ?"),
                        {idText(customer.contact.id)}),
                 2);
        const auto afterByKey = byKey(*after);
        const Attribute dog = afterByKey.value(QStringLiteral("dog_name"));
        QCOMPARE(dog.value, QJsonValue(QStringLiteral("Max")));
        QCOMPARE(dog.id, beforeByKey.value(QStringLiteral("dog_name")).id); // replaced in place
        QCOMPARE(dog.sourceNoteId, secondNote->noteId);
        QVERIFY(dog.updatedAt >= beforeByKey.value(QStringLiteral("dog_name")).updatedAt);
        const Attribute gate = afterByKey.value(QStringLiteral("gate_code"));
        QCOMPARE(gate.value, QJsonValue(QStringLiteral("1234")));
        QCOMPARE(gate.sourceNoteId, firstNote->noteId);

        // The replacement is an audited update of the same row.
        auto history = f->audit().entityHistory(QStringLiteral("attribute"), dog.id);
        QVERIFY(history.ok());
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->first().action, AuditAction::Update);
        QVERIFY(history->first().changes.contains(QStringLiteral("value")));

        // Confirming the same value again changes nothing.
        const Ticket third = newTicket(f, customer);
        QVERIFY(
            f->tickets
                .finalizeCloseOut(third.id, json(R"({"gate_code": "1234"})"), NextServiceAction::NoFollowup)
                .ok());
        auto gateHistory = f->audit().entityHistory(QStringLiteral("attribute"), gate.id);
        QVERIFY(gateHistory.ok());
        QCOMPARE(gateHistory->size(), 1);
    }

    void attributesOfDifferentContactsAreSeparate()
    {
        test::CoreFixture f;
        auto first = f.addCustomer(QStringLiteral("First Customer"));
        auto second = f.addCustomer(QStringLiteral("Second Customer"));
        QVERIFY(f->tickets
                    .finalizeCloseOut(newTicket(f, first).id, json(R"({"dog_name": "Rex"})"),
                                      NextServiceAction::NoFollowup)
                    .ok());
        QVERIFY(f->tickets
                    .finalizeCloseOut(newTicket(f, second).id, json(R"({"dog_name": "Fido"})"),
                                      NextServiceAction::NoFollowup)
                    .ok());
        auto firstAttributes = f->attributes.getAttributes(first.contact.id);
        auto secondAttributes = f->attributes.getAttributes(second.contact.id);
        QVERIFY(firstAttributes.ok() && secondAttributes.ok());
        QCOMPARE(firstAttributes->size(), 1);
        QCOMPARE(secondAttributes->size(), 1);
        QCOMPARE(firstAttributes->first().value, QJsonValue(QStringLiteral("Rex")));
        QCOMPARE(secondAttributes->first().value, QJsonValue(QStringLiteral("Fido")));
    }

    void emptyAttributesSaveNothing()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const qint64 entries = scalar(f->db(), QStringLiteral("SELECT count(*) FROM audit_log"));
        auto event = newEvent<TicketCompletedEvent>(f->db());
        event.ticketId = newId();
        event.contactId = customer.contact.id;
        event.nextServiceAction = QStringLiteral("no_followup");
        auto handled = f->attributePersistenceHandler.handleTicketCompleted(event);
        QVERIFY2(handled.ok(), qPrintable(errorText(handled)));
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM audit_log")), entries);

        const Ticket ticket = newTicket(f, customer);
        auto closed = f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction::NoFollowup);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(attributes.ok());
        QVERIFY(attributes->isEmpty());
        QCOMPARE(
            scalar(f->db(), QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'attribute'")),
            0);
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QVERIFY(failed->isEmpty());
    }

    void oneInvalidAttributeSavesNone_data()
    {
        // Every row has valid attributes sorted before the bad one, so they are written before it fails.
        QTest::addColumn<QJsonObject>("attributes");
        QTest::addColumn<QString>("badKey");
        QTest::newRow("array value") << json(R"({"a_dog": "Rex", "b_gate": "1234", "c_bad": [1, 2]})")
                                     << QStringLiteral("c_bad");
        QTest::newRow("null value") << json(R"({"a_dog": "Rex", "z_bad": null})") << QStringLiteral("z_bad");
        QTest::newRow("blank string")
            << json(R"({"a_dog": "Rex", "z_bad": "   "})") << QStringLiteral("z_bad");
        QTest::newRow("nested object")
            << json(R"({"a_dog": "Rex", "z_bad": {"inner": {"deep": 1}}})") << QStringLiteral("z_bad");
        QTest::newRow("empty object") << json(R"({"a_dog": "Rex", "z_bad": {}})") << QStringLiteral("z_bad");
        QTest::newRow("key not snake_case")
            << json(R"({"a_dog": "Rex", "z Bad Key": "x"})") << QStringLiteral("z Bad Key");
        QTest::newRow("value over 4 KiB")
            << QJsonObject{{QStringLiteral("a_dog"), QStringLiteral("Rex")},
                           {QStringLiteral("z_bad"), QString(5000, QLatin1Char('x'))}}
            << QStringLiteral("z_bad");
    }

    void oneInvalidAttributeSavesNone()
    {
        QFETCH(QJsonObject, attributes);
        QFETCH(QString, badKey);
        test::CoreFixture f;
        auto customer = f.addCustomer();
        // Straight onto the bus: the close-out validates first, but a stored event is retried as it was.
        auto event = newEvent<TicketCompletedEvent>(f->db());
        event.ticketId = newId();
        event.contactId = customer.contact.id;
        event.confirmedAttributes = attributes;
        event.nextServiceAction = QStringLiteral("reach_out");
        event.reachOutMonths = 2;
        const QRegularExpression logged(QStringLiteral("handler AttributePersistenceHandler failed for "
                                                       "TicketCompletedEvent %1")
                                            .arg(idText(event.eventId)));
        QTest::ignoreMessage(QtWarningMsg, logged);
        auto published = f->bus().publish(event);
        QVERIFY2(published.ok(), qPrintable(errorText(published)));

        auto saved = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(saved.ok());
        QVERIFY2(saved->isEmpty(), "a valid attribute of a failed event was saved");
        QCOMPARE(scalar(f->db(), QStringLiteral("SELECT count(*) FROM main.attributes")), 0);
        QCOMPARE(
            scalar(f->db(), QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'attribute'")),
            0);
        QCOMPARE(scalar(f->db(),
                        QStringLiteral("SELECT count(*) FROM sync_outbox WHERE entity_type = 'attribute'")),
                 0);

        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().handler, QString::fromLatin1(AttributePersistenceHandler::kName));
        QCOMPARE(failed->first().eventId, event.eventId);
        QVERIFY2(failed->first().lastError.contains(badKey), qPrintable(failed->first().lastError));

        // The other handler was not held back by the failure.
        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);

        // A retry of the same event fails the same way and still saves nothing.
        QTest::ignoreMessage(QtWarningMsg, logged);
        QCOMPARE(f->bus().retryFailed(), 1);
        saved = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(saved.ok());
        QVERIFY(saved->isEmpty());
        failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().attempts, 2);
        messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
    }

    void closeOutRefusesInvalidAttributesUpFront()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        auto closed = f->tickets.finalizeCloseOut(ticket.id, json(R"({"a_dog": "Rex", "z_bad": [1]})"),
                                                  NextServiceAction::NoFollowup);
        QVERIFY(!closed.ok());
        QCOMPARE(closed.error().code, ErrorCode::Validation);
        auto still = f->tickets.getById(ticket.id);
        QVERIFY(still.ok());
        QCOMPARE(toString(still->status), QStringLiteral("scheduled"));
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(attributes.ok());
        QVERIFY(attributes->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAttributePersistenceHandler)
#include "test_attribute_persistence_handler.moc"
