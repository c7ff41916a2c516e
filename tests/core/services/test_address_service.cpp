#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM main.addresses")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))};
}

AddressCreate addressOf(const QUuid &contactId, const QString &street = QStringLiteral("9 Oak Avenue"))
{
    AddressCreate data;
    data.contactId = contactId;
    data.label = QStringLiteral("Rental");
    data.street = street;
    data.city = QStringLiteral("Shelbyville");
    data.state = QStringLiteral("IL");
    data.zip = QStringLiteral("62565");
    return data;
}

QStringList streets(const Result<QList<Address>> &addresses)
{
    if (!addresses)
        return {QStringLiteral("error: ") + addresses.error().toString()};
    QStringList result;
    for (const Address &address : *addresses)
        result.append(address.street);
    return result;
}

} // namespace

class TestAddressService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createTrimsAndAudits()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        AddressCreate data = addressOf(customer.contact.id, QStringLiteral("  9 Oak Avenue "));
        data.label = QStringLiteral("  ");
        data.city = QStringLiteral(" Shelbyville");
        data.notes = QStringLiteral("Key under the mat");
        auto created = f->addresses.create(data);
        VERIFY_OK(created);
        QCOMPARE(created->street, QStringLiteral("9 Oak Avenue"));
        QCOMPARE(created->city, QStringLiteral("Shelbyville"));
        QVERIFY(!created->label);
        QCOMPARE(created->oneLine(), QStringLiteral("9 Oak Avenue, Shelbyville, IL 62565"));

        auto stored = f->addresses.getById(created->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->contactId, customer.contact.id);
        QCOMPARE(stored->street, QStringLiteral("9 Oak Avenue"));
        QCOMPARE(stored->zip, QStringLiteral("62565"));
        QCOMPARE(stored->notes, QStringLiteral("Key under the mat"));
        QVERIFY(!stored->label);
        auto history = f->audit().entityHistory(QStringLiteral("address"), created->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);
    }

    void listForContactInCreationOrder()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer(); // 12 Elm Street
        const auto other = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        VERIFY_OK(f->addresses.create(addressOf(customer.contact.id, QStringLiteral("3 Zinnia Way"))));
        VERIFY_OK(f->addresses.create(addressOf(customer.contact.id, QStringLiteral("1 Aster Road"))));
        QCOMPARE(streets(f->addresses.listForContact(customer.contact.id)),
                 (QStringList{QStringLiteral("12 Elm Street"), QStringLiteral("3 Zinnia Way"),
                              QStringLiteral("1 Aster Road")}));
        QCOMPARE(streets(f->addresses.listForContact(other.contact.id)),
                 QStringList{QStringLiteral("12 Elm Street")});
        QCOMPARE(streets(f->addresses.listForContact(QUuid::createUuid())), QStringList());
    }

    void createValidation_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("field");
        QTest::newRow("no contact") << QStringLiteral("no contact") << QStringLiteral("contact_id");
        QTest::newRow("unknown contact") << QStringLiteral("unknown contact") << QStringLiteral("contact_id");
        QTest::newRow("deleted contact") << QStringLiteral("deleted contact") << QStringLiteral("contact_id");
        QTest::newRow("empty street") << QStringLiteral("street") << QStringLiteral("street");
        QTest::newRow("empty city") << QStringLiteral("city") << QStringLiteral("city");
        QTest::newRow("empty state") << QStringLiteral("state") << QStringLiteral("state");
        QTest::newRow("blank zip") << QStringLiteral("zip") << QStringLiteral("zip");
        QTest::newRow("256-character street") << QStringLiteral("long street") << QStringLiteral("street");
        QTest::newRow("256-character label") << QStringLiteral("long label") << QStringLiteral("label");
        QTest::newRow("notes over 64 KiB") << QStringLiteral("long notes") << QStringLiteral("notes");
    }

    void createValidation()
    {
        QFETCH(QString, broken);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto gone = f.addCustomer(QStringLiteral("Gone Away"));
        VERIFY_OK(f->contacts.remove(gone.contact.id));
        AddressCreate data = addressOf(customer.contact.id);
        if (broken == QStringLiteral("no contact"))
            data.contactId = QUuid();
        else if (broken == QStringLiteral("unknown contact"))
            data.contactId = QUuid::createUuid();
        else if (broken == QStringLiteral("deleted contact"))
            data.contactId = gone.contact.id;
        else if (broken == QStringLiteral("street"))
            data.street.clear();
        else if (broken == QStringLiteral("city"))
            data.city.clear();
        else if (broken == QStringLiteral("state"))
            data.state.clear();
        else if (broken == QStringLiteral("zip"))
            data.zip = QStringLiteral("  ");
        else if (broken == QStringLiteral("long street"))
            data.street = QString(256, QLatin1Char('s'));
        else if (broken == QStringLiteral("long label"))
            data.label = QString(256, QLatin1Char('l'));
        else if (broken == QStringLiteral("long notes"))
            data.notes = QString(64 * 1024 + 1, QLatin1Char('n'));
        const auto before = writes(f);
        auto created = f->addresses.create(data);
        QVERIFY(!created);
        QCOMPARE(created.error().code, ErrorCode::Validation);
        QCOMPARE(created.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void updateChangesOnlySetFields()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        AddressUpdate change;
        change.street = QStringLiteral(" 7 Birch Road ");
        change.label = QString(); // clears "Home"
        auto updated = f->addresses.update(customer.address.id, change);
        VERIFY_OK(updated);
        QCOMPARE(updated->street, QStringLiteral("7 Birch Road"));
        QVERIFY(!updated->label);
        QCOMPARE(updated->city, QStringLiteral("Springfield"));
        QCOMPARE(updated->zip, QStringLiteral("62701"));
        auto history = f->audit().entityHistory(QStringLiteral("address"), customer.address.id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->first().action, AuditAction::Update);
        QCOMPARE(history->first().changes.value(QStringLiteral("street")).toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("12 Elm Street")},
                              {QStringLiteral("new"), QStringLiteral("7 Birch Road")}}));

        // A required field cannot be cleared; a refused update changes nothing.
        const auto before = writes(f);
        for (const char *column : {"street", "city", "state", "zip"}) {
            AddressUpdate clear;
            clear.label = QStringLiteral("Should not be saved");
            if (qstrcmp(column, "street") == 0)
                clear.street = QString();
            else if (qstrcmp(column, "city") == 0)
                clear.city = QStringLiteral(" ");
            else if (qstrcmp(column, "state") == 0)
                clear.state = QString();
            else
                clear.zip = QString();
            auto refused = f->addresses.update(customer.address.id, clear);
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, ErrorCode::Validation);
            QCOMPARE(refused.error().field, QString::fromLatin1(column));
        }
        QCOMPARE(writes(f), before);
        QVERIFY(!f->addresses.getById(customer.address.id)->label);

        // Nothing to change: nothing written.
        AddressUpdate same;
        same.city = QStringLiteral("Springfield");
        VERIFY_OK(f->addresses.update(customer.address.id, same));
        VERIFY_OK(f->addresses.update(customer.address.id, AddressUpdate{}));
        QCOMPARE(writes(f), before);

        auto missing = f->addresses.update(QUuid::createUuid(), change);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void removeDeletesAndAudits()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto extra = f->addresses.create(addressOf(customer.contact.id));
        VERIFY_OK(extra);
        VERIFY_OK(f->addresses.remove(extra->id));
        auto gone = f->addresses.getById(extra->id);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.addresses WHERE id = ?"),
                        {idText(extra->id)}),
                 0);
        QCOMPARE(streets(f->addresses.listForContact(customer.contact.id)),
                 QStringList{QStringLiteral("12 Elm Street")});
        auto history = f->audit().entityHistory(QStringLiteral("address"), extra->id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Delete);
        QCOMPARE(history->first()
                     .changes.value(QStringLiteral("deleted"))
                     .toObject()
                     .value(QStringLiteral("street")),
                 QJsonValue(QStringLiteral("9 Oak Avenue")));
        const Status again = f->addresses.remove(extra->id);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::NotFound);
    }

    void addressUsedByATicketCannotBeRemoved()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime(QDate(2030, 3, 4), QTime(9, 0), QTimeZone::utc()),
                                         std::nullopt, std::nullopt});
        VERIFY_OK(ticket);
        VERIFY_OK(f->tickets.cancel(ticket->id)); // even a cancelled job still points at it
        const auto before = writes(f);
        const Status refused = f->addresses.remove(customer.address.id);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::InvalidState);
        QCOMPARE(writes(f), before);
        QVERIFY(f->addresses.getById(customer.address.id));
    }

    void otherUsersAddressesAreInvisible()
    {
        test::CoreFixture f;
        const auto mine = f.addCustomer();
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        QVERIFY(!f->addresses.getById(mine.address.id));
        QVERIFY(f->addresses.listForContact(mine.contact.id)->isEmpty());
        const auto before = writes(f);
        AddressUpdate change;
        change.street = QStringLiteral("Hijacked");
        QVERIFY(!f->addresses.update(mine.address.id, change));
        QVERIFY(!f->addresses.remove(mine.address.id));
        auto foreign = f->addresses.create(addressOf(mine.contact.id));
        QVERIFY(!foreign);
        QCOMPARE(foreign.error().field, QStringLiteral("contact_id"));
        QCOMPARE(writes(f), before);
        VERIFY_OK(f->setCurrentUser(f.alice()));
        QCOMPARE(f->addresses.getById(mine.address.id)->street, QStringLiteral("12 Elm Street"));
    }
};

QTEST_GUILESS_MAIN(TestAddressService)
#include "test_address_service.moc"
