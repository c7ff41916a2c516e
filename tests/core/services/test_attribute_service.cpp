#include "support/testsupport.h"

#include <QJsonArray>
#include <QTest>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM main.attributes")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))};
}

const QJsonObject kBiscuit{{QStringLiteral("type"), QStringLiteral("dog")},
                           {QStringLiteral("name"), QStringLiteral("Biscuit")}};

/// The contacts (by id) the attributes belong to, and their values.
QJsonObject byContact(const Result<QList<Attribute>> &attributes)
{
    QJsonObject result;
    if (!attributes)
        return {{QStringLiteral("error"), attributes.error().toString()}};
    for (const Attribute &attribute : *attributes)
        result.insert(idText(attribute.contactId), attribute.value);
    return result;
}

} // namespace

class TestAttributeService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void setAndGet()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto pet = f->attributes.setAttribute({customer.contact.id, QStringLiteral("pet"), kBiscuit, {}});
        VERIFY_OK(pet);
        QCOMPARE(pet->key, QStringLiteral("pet"));
        QCOMPARE(pet->value, QJsonValue(kBiscuit));
        QCOMPARE(pet->userId, f.alice());
        VERIFY_OK(f->attributes.setAttribute(
            {customer.contact.id, QStringLiteral("gate_code"), QStringLiteral("4417"), {}}));
        VERIFY_OK(f->attributes.setAttribute({customer.contact.id, QStringLiteral("stories"), 2, {}}));
        VERIFY_OK(
            f->attributes.setAttribute({customer.contact.id, QStringLiteral("ladder_needed"), true, {}}));

        auto all = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(all);
        QStringList keys;
        QJsonObject values;
        for (const Attribute &attribute : *all) {
            keys.append(attribute.key);
            values.insert(attribute.key, attribute.value);
        }
        QCOMPARE(keys, (QStringList{QStringLiteral("gate_code"), QStringLiteral("ladder_needed"),
                                    QStringLiteral("pet"), QStringLiteral("stories")}));
        QCOMPARE(values.value(QStringLiteral("pet")), QJsonValue(kBiscuit));
        QCOMPARE(values.value(QStringLiteral("gate_code")), QJsonValue(QStringLiteral("4417")));
        QVERIFY(values.value(QStringLiteral("gate_code")).isString()); // "4417" stays text, never a number
        QCOMPARE(values.value(QStringLiteral("stories")), QJsonValue(2));
        QCOMPARE(values.value(QStringLiteral("ladder_needed")), QJsonValue(true));

        auto history = f->audit().entityHistory(QStringLiteral("attribute"), pet->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);
        QVERIFY(
            f->attributes.getAttributes(f.addCustomer(QStringLiteral("Tomas Ruiz")).contact.id)->isEmpty());
    }

    void setIsAnUpsert()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto note = f->notes.create({customer.contact.id, {}, QStringLiteral("Cat now, not a dog")});
        VERIFY_OK(note);
        auto first = f->attributes.setAttribute({customer.contact.id, QStringLiteral("pet"), kBiscuit, {}});
        VERIFY_OK(first);
        auto second = f->attributes.setAttribute(
            {customer.contact.id, QStringLiteral("pet"), QStringLiteral("cat"), note->id});
        VERIFY_OK(second);
        QCOMPARE(second->id, first->id);
        QCOMPARE(second->value, QJsonValue(QStringLiteral("cat")));
        QCOMPARE(second->sourceNoteId, note->id);
        QCOMPARE(second->createdAt, first->createdAt);

        auto all = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(all);
        QCOMPARE(all->size(), 1);
        QCOMPARE(all->first().value, QJsonValue(QStringLiteral("cat")));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.attributes")), 1);

        auto history = f->audit().entityHistory(QStringLiteral("attribute"), first->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->first().action, AuditAction::Update);
        QVERIFY(history->first().changes.contains(QStringLiteral("value")));

        // The same value again changes nothing.
        const auto before = writes(f);
        VERIFY_OK(f->attributes.setAttribute(
            {customer.contact.id, QStringLiteral("pet"), QStringLiteral("cat"), {}}));
        QCOMPARE(writes(f), before);
        QCOMPARE(f->attributes.getAttributes(customer.contact.id)->first().sourceNoteId, note->id);

        // A new value typed by hand no longer comes from that note: the link goes with the old value.
        VERIFY_OK(f->attributes.setAttribute(
            {customer.contact.id, QStringLiteral("pet"), QStringLiteral("rabbit"), {}}));
        const auto byHand = f->attributes.getAttributes(customer.contact.id)->first();
        QCOMPARE(byHand.value, QJsonValue(QStringLiteral("rabbit")));
        QVERIFY(byHand.sourceNoteId.isNull());
    }

    void searchByKeyAndValue()
    {
        test::CoreFixture f;
        const QUuid margaret = f.addCustomer().contact.id;
        const QUuid tomas = f.addCustomer(QStringLiteral("Tomas Ruiz")).contact.id;
        const QUuid bob = f.addCustomer(QStringLiteral("Bob Stone")).contact.id;
        const QJsonObject rex{{QStringLiteral("type"), QStringLiteral("dog")},
                              {QStringLiteral("name"), QStringLiteral("Rex")}};
        VERIFY_OK(f->attributes.setAttribute({margaret, QStringLiteral("pet"), kBiscuit, {}}));
        VERIFY_OK(f->attributes.setAttribute({tomas, QStringLiteral("pet"), rex, {}}));
        VERIFY_OK(f->attributes.setAttribute({bob, QStringLiteral("pet"), QStringLiteral("dog"), {}}));
        VERIFY_OK(f->attributes.setAttribute({margaret, QStringLiteral("stories"), 2, {}}));
        VERIFY_OK(f->attributes.setAttribute({tomas, QStringLiteral("stories"), QStringLiteral("2"), {}}));
        VERIFY_OK(f->attributes.setAttribute({bob, QStringLiteral("ladder_needed"), true, {}}));
        VERIFY_OK(f->attributes.setAttribute({tomas, QStringLiteral("ladder_needed"), false, {}}));

        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"))).size(), 3);
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"), QStringLiteral("dog"))),
                 (QJsonObject{{idText(bob), QStringLiteral("dog")}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"), kBiscuit)),
                 (QJsonObject{{idText(margaret), kBiscuit}}));
        // An object written with its fields in another order is the same value.
        QJsonObject reordered;
        reordered.insert(QStringLiteral("type"), QStringLiteral("dog"));
        reordered.insert(QStringLiteral("name"), QStringLiteral("Rex"));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"), reordered)),
                 (QJsonObject{{idText(tomas), rex}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(
                     QStringLiteral("pet"), QJsonObject{{QStringLiteral("type"), QStringLiteral("dog")}})),
                 QJsonObject());
        // Numbers and text are different values; so are true and false.
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("stories"), 2)),
                 (QJsonObject{{idText(margaret), 2}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("stories"), 2.0)),
                 (QJsonObject{{idText(margaret), 2}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("stories"), QStringLiteral("2"))),
                 (QJsonObject{{idText(tomas), QStringLiteral("2")}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("ladder_needed"), true)),
                 (QJsonObject{{idText(bob), true}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("ladder_needed"), false)),
                 (QJsonObject{{idText(tomas), false}}));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("gate_code"))), QJsonObject());
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"), QStringLiteral("cat"))),
                 QJsonObject());

        // Never another technician's customers.
        const QUuid other = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(other));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"))), QJsonObject());
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"), kBiscuit)), QJsonObject());
        QVERIFY(f->attributes.getAttributes(margaret)->isEmpty());
    }

    void remove()
    {
        test::CoreFixture f;
        const QUuid contact = f.addCustomer().contact.id;
        auto pet = f->attributes.setAttribute({contact, QStringLiteral("pet"), kBiscuit, {}});
        VERIFY_OK(pet);
        VERIFY_OK(
            f->attributes.setAttribute({contact, QStringLiteral("gate_code"), QStringLiteral("4417"), {}}));
        VERIFY_OK(f->attributes.removeAttribute(contact, QStringLiteral("pet")));
        auto left = f->attributes.getAttributes(contact);
        VERIFY_OK(left);
        QCOMPARE(left->size(), 1);
        QCOMPARE(left->first().key, QStringLiteral("gate_code"));
        QCOMPARE(byContact(f->attributes.searchByAttribute(QStringLiteral("pet"))), QJsonObject());
        auto history = f->audit().entityHistory(QStringLiteral("attribute"), pet->id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Delete);

        const auto before = writes(f);
        const Status again = f->attributes.removeAttribute(contact, QStringLiteral("pet"));
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);

        // A removed key can be set again.
        VERIFY_OK(f->attributes.setAttribute({contact, QStringLiteral("pet"), QStringLiteral("cat"), {}}));
        QCOMPARE(f->attributes.getAttributes(contact)->size(), 2);
    }

    void validation_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("field");
        const QJsonValue fine(QStringLiteral("dog"));
        const QString key = QStringLiteral("key");
        QTest::newRow("empty key") << QString() << fine << key;
        QTest::newRow("capital letter") << QStringLiteral("Pet") << fine << key;
        QTest::newRow("camelCase") << QStringLiteral("gateCode") << fine << key;
        QTest::newRow("starts with a digit") << QStringLiteral("2nd_floor") << fine << key;
        QTest::newRow("starts with underscore") << QStringLiteral("_pet") << fine << key;
        QTest::newRow("hyphen") << QStringLiteral("pet-name") << fine << key;
        QTest::newRow("space") << QStringLiteral("pet name") << fine << key;
        QTest::newRow("non-ASCII") << QStringLiteral("café") << fine << key;
        QTest::newRow("65 characters")
            << QString(QStringLiteral("k") + QString(64, QLatin1Char('x'))) << fine << key;
        const QString pet = QStringLiteral("attributes.pet");
        QTest::newRow("null") << QStringLiteral("pet") << QJsonValue(QJsonValue::Null) << pet;
        QTest::newRow("undefined") << QStringLiteral("pet") << QJsonValue(QJsonValue::Undefined) << pet;
        QTest::newRow("array") << QStringLiteral("pet") << QJsonValue(QJsonArray{QStringLiteral("dog")})
                               << pet;
        QTest::newRow("empty string") << QStringLiteral("pet") << QJsonValue(QString()) << pet;
        QTest::newRow("blank string") << QStringLiteral("pet") << QJsonValue(QStringLiteral("  ")) << pet;
        QTest::newRow("empty object") << QStringLiteral("pet") << QJsonValue(QJsonObject()) << pet;
        QTest::newRow("nested object")
            << QStringLiteral("pet")
            << QJsonValue(QJsonObject{
                   {QStringLiteral("dog"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Rex")}}}})
            << pet;
        QTest::newRow("array inside an object")
            << QStringLiteral("pet")
            << QJsonValue(QJsonObject{{QStringLiteral("names"), QJsonArray{QStringLiteral("Rex")}}}) << pet;
        QJsonObject wide;
        for (int i = 0; i < 11; ++i)
            wide.insert(QStringLiteral("f%1").arg(i), i);
        QTest::newRow("object with 11 fields") << QStringLiteral("pet") << QJsonValue(wide) << pet;
        QTest::newRow("value over 4 KiB")
            << QStringLiteral("pet") << QJsonValue(QString(4097, QLatin1Char('v'))) << pet;
    }

    void validation()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, field);
        test::CoreFixture f;
        const QUuid contact = f.addCustomer().contact.id;
        const auto before = writes(f);
        auto set = f->attributes.setAttribute({contact, key, value, {}});
        QVERIFY(!set);
        QCOMPARE(set.error().code, ErrorCode::Validation);
        QCOMPARE(set.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void contactMustBeVisible()
    {
        test::CoreFixture f;
        const auto gone = f.addCustomer(QStringLiteral("Gone Away"));
        VERIFY_OK(f->contacts.remove(gone.contact.id));
        const auto before = writes(f);
        for (const QUuid &contact : {gone.contact.id, QUuid::createUuid(), QUuid()}) {
            auto set =
                f->attributes.setAttribute({contact, QStringLiteral("pet"), QStringLiteral("dog"), {}});
            QVERIFY(!set);
            QCOMPARE(set.error().code, ErrorCode::Validation);
            QCOMPARE(set.error().field, QStringLiteral("contact_id"));
        }
        QCOMPARE(writes(f), before);
    }
};

QTEST_GUILESS_MAIN(TestAttributeService)
#include "test_attribute_service.moc"
