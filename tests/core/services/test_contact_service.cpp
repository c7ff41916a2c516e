#include "db/transaction.h"
#include "support/testsupport.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <algorithm>

using namespace fb;
using fb::test::scalar;

namespace {

/// Everything a contact mutation writes: rows, audit entries, sync records and events.
QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM main.contacts")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")),
            scalar(f, QStringLiteral("SELECT count(*) FROM domain_events"))};
}

QList<QJsonObject> eventPayloads(test::CoreFixture &f, const QString &type, const QUuid &contactId)
{
    auto query = f->db().exec(QStringLiteral("SELECT payload FROM domain_events WHERE event_type = ? AND "
                                             "json_extract(payload, '$.contact_id') = ? ORDER BY rowid"),
                              {type, idText(contactId)});
    if (!query)
        qFatal("cannot read events");
    QList<QJsonObject> payloads;
    while (query->next())
        payloads.append(QJsonDocument::fromJson(query->value(0).toString().toUtf8()).object());
    return payloads;
}

QStringList names(const Result<QList<Contact>> &contacts)
{
    QStringList result;
    if (!contacts)
        return {QStringLiteral("error: ") + contacts.error().toString()};
    for (const Contact &contact : *contacts)
        result.append(contact.name);
    return result;
}

Contact createContact(test::CoreFixture &f, const QString &name, const std::optional<QString> &email = {},
                      const std::optional<QString> &phone = {})
{
    auto contact = f->contacts.create({name, email, phone, std::nullopt});
    if (!contact)
        qFatal("cannot create %s: %s", qPrintable(name), qPrintable(contact.error().toString()));
    return *contact;
}

Address addAddress(test::CoreFixture &f, const QUuid &contactId, const QString &street, const QString &city)
{
    AddressCreate data;
    data.contactId = contactId;
    data.street = street;
    data.city = city;
    data.state = QStringLiteral("IL");
    data.zip = QStringLiteral("62565");
    auto address = f->addresses.create(data);
    if (!address)
        qFatal("cannot create an address: %s", qPrintable(address.error().toString()));
    return *address;
}

/// Five customers for the filters, created in this order: scheduled (a booked ticket), owes (two completed
/// visits, two sent invoices, a paid one), done (a completed visit, a cancelled ticket, a draft, a paid and a
/// void invoice), both (in progress now and a sent invoice), quiet (nothing).
struct Fixture
{
    Contact scheduled, owes, done, both, quiet;
    QDateTime owesLastVisit, bothVisit;
};

Ticket book(test::CoreFixture &f, const Contact &contact, const QDateTime &at)
{
    auto addresses = f->addresses.listForContact(contact.id);
    if (!addresses || addresses->isEmpty())
        qFatal("no address for %s", qPrintable(contact.name));
    auto ticket = f->tickets.create({contact.id, addresses->first().id, at, 60, std::nullopt});
    if (!ticket)
        qFatal("cannot book: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

void complete(test::CoreFixture &f, const Ticket &ticket)
{
    if (!f->tickets.clockIn(ticket.id) || !f->tickets.initiateCloseOut(ticket.id, 60, std::nullopt) ||
        !f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction::NoFollowup))
        qFatal("cannot complete a ticket");
}

Invoice invoice(test::CoreFixture &f, const Contact &contact, qint64 cents, InvoiceStatus status)
{
    auto created = f->invoices.createStandalone(contact.id, Money::fromCents(cents));
    if (!created)
        qFatal("cannot invoice: %s", qPrintable(created.error().toString()));
    Result<Invoice> result = *created;
    if (status == InvoiceStatus::Sent || status == InvoiceStatus::Paid)
        result = f->invoices.send(created->id);
    if (result && status == InvoiceStatus::Paid)
        result = f->invoices.markPaid(created->id);
    if (result && status == InvoiceStatus::Void)
        result = f->invoices.voidInvoice(created->id, QStringLiteral("Entered twice"));
    if (!result)
        qFatal("cannot move an invoice: %s", qPrintable(result.error().toString()));
    return *result;
}

Fixture filterFixture(test::CoreFixture &f)
{
    Fixture c;
    const QDateTime day = QDateTime(QDate(2030, 5, 6), QTime(9, 0), QTimeZone::utc());
    c.scheduled = f.addCustomer(QStringLiteral("Ann Hill")).contact;
    c.owes = f.addCustomer(QStringLiteral("Bill Owens")).contact;
    c.done = f.addCustomer(QStringLiteral("Cal Done")).contact;
    c.both = f.addCustomer(QStringLiteral("Dee Hill")).contact;
    c.quiet = f.addCustomer(QStringLiteral("Eve Quiet")).contact;

    book(f, c.scheduled, day);

    c.owesLastVisit = day.addDays(-3);
    complete(f, book(f, c.owes, day.addDays(-10)));
    complete(f, book(f, c.owes, c.owesLastVisit));
    invoice(f, c.owes, 12000, InvoiceStatus::Sent);
    invoice(f, c.owes, 4550, InvoiceStatus::Sent);
    invoice(f, c.owes, 9900, InvoiceStatus::Paid);

    complete(f, book(f, c.done, day.addDays(-1)));
    if (!f->tickets.cancel(book(f, c.done, day.addDays(2)).id))
        qFatal("cannot cancel");
    invoice(f, c.done, 100, InvoiceStatus::Draft);
    invoice(f, c.done, 200, InvoiceStatus::Paid);
    invoice(f, c.done, 300, InvoiceStatus::Void);

    c.bothVisit = day.addDays(-20);
    complete(f, book(f, c.both, day.addDays(-30)));
    if (!f->tickets.clockIn(book(f, c.both, c.bothVisit).id))
        qFatal("cannot clock in");
    invoice(f, c.both, 5000, InvoiceStatus::Sent);
    return c;
}

} // namespace

class TestContactService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createTrimsAuditsAndStoresEvent()
    {
        test::CoreFixture f;
        auto created = f->contacts.create({QStringLiteral("  Margaret Hill \t"),
                                           QStringLiteral(" margaret@example.com "),
                                           QStringLiteral(" 555-0100 "), QStringLiteral("Prefers mornings")});
        VERIFY_OK(created);
        QCOMPARE(created->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(created->email, QStringLiteral("margaret@example.com"));
        QCOMPARE(created->phone, QStringLiteral("555-0100"));
        QCOMPARE(created->userId, f.alice());

        auto stored = f->contacts.getById(created->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(stored->email, QStringLiteral("margaret@example.com"));
        QCOMPARE(stored->phone, QStringLiteral("555-0100"));
        QCOMPARE(stored->notes, QStringLiteral("Prefers mornings"));
        QCOMPARE(stored->createdAt, created->createdAt);

        auto history = f->audit().entityHistory(QStringLiteral("contact"), created->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);
        QCOMPARE(history->first().userId, f.alice());
        QCOMPARE(history->first()
                     .changes.value(QStringLiteral("created"))
                     .toObject()
                     .value(QStringLiteral("name")),
                 QJsonValue(QStringLiteral("Margaret Hill")));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE entity_id = ?"),
                        {idText(created->id)}),
                 1);

        const auto events = eventPayloads(f, QStringLiteral("ContactCreatedEvent"), created->id);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().value(QStringLiteral("name")).toString(), QStringLiteral("Margaret Hill"));
        QCOMPARE(events.first().value(QStringLiteral("email")).toString(),
                 QStringLiteral("margaret@example.com"));
        QCOMPARE(events.first().value(QStringLiteral("user_id")).toString(), idText(f.alice()));
    }

    void createWithoutOptionalFields()
    {
        test::CoreFixture f;
        auto created =
            f->contacts.create({QStringLiteral("Bob Stone"), QStringLiteral("  "), QString(), QString()});
        VERIFY_OK(created);
        auto stored = f->contacts.getById(created->id);
        VERIFY_OK(stored);
        QVERIFY(!stored->email);
        QVERIFY(!stored->phone);
        QVERIFY(!stored->notes);
    }

    void createAcceptsLimits()
    {
        test::CoreFixture f;
        const QString longestName(255, QLatin1Char('x'));
        const QString largestNotes(64 * 1024, QLatin1Char('n'));
        auto created = f->contacts.create({longestName, std::nullopt, std::nullopt, largestNotes});
        VERIFY_OK(created);
        auto stored = f->contacts.getById(created->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->name, longestName);
        QCOMPARE(stored->notes, largestNotes);
    }

    void getByIdUnknownIsNotFound()
    {
        test::CoreFixture f;
        auto missing = f->contacts.getById(QUuid::createUuid());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void getWithAddressesInCreationOrder()
    {
        test::CoreFixture f;
        const Contact contact = createContact(f, QStringLiteral("Margaret Hill"));
        const Contact other = createContact(f, QStringLiteral("Tomas Ruiz"));
        const QStringList streets{QStringLiteral("3 Zinnia Way"), QStringLiteral("1 Aster Road"),
                                  QStringLiteral("2 Maple Court")};
        for (const QString &street : streets)
            addAddress(f, contact.id, street, QStringLiteral("Springfield"));
        addAddress(f, other.id, QStringLiteral("9 Oak Avenue"), QStringLiteral("Shelbyville"));

        auto details = f->contacts.getWithAddresses(contact.id);
        VERIFY_OK(details);
        QCOMPARE(details->contact.id, contact.id);
        QStringList got;
        for (const Address &address : std::as_const(details->addresses)) {
            QCOMPARE(address.contactId, contact.id);
            got.append(address.street);
        }
        QCOMPARE(got, streets);

        auto empty = f->contacts.getWithAddresses(createContact(f, QStringLiteral("Bob Stone")).id);
        VERIFY_OK(empty);
        QVERIFY(empty->addresses.isEmpty());
        auto missing = f->contacts.getWithAddresses(QUuid::createUuid());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void updateChangesOnlySetFields()
    {
        test::CoreFixture f;
        const Contact contact =
            *f->contacts.create({QStringLiteral("Margaret Hill"), QStringLiteral("margaret@example.com"),
                                 QStringLiteral("555-0100"), QStringLiteral("Gate code 1234")});
        ContactUpdate change;
        change.phone = QStringLiteral(" 555-0199 ");
        auto updated = f->contacts.update(contact.id, change);
        VERIFY_OK(updated);
        QCOMPARE(updated->phone, QStringLiteral("555-0199"));
        QCOMPARE(updated->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(updated->email, QStringLiteral("margaret@example.com"));
        QCOMPARE(updated->notes, QStringLiteral("Gate code 1234"));
        QVERIFY(updated->updatedAt >= contact.updatedAt);

        const auto events = eventPayloads(f, QStringLiteral("ContactUpdatedEvent"), contact.id);
        QCOMPARE(events.size(), 1);
        const QJsonObject changes = events.first().value(QStringLiteral("changes")).toObject();
        QCOMPARE(changes.keys(), QStringList{QStringLiteral("phone")});
        QCOMPARE(changes.value(QStringLiteral("phone")).toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("555-0100")},
                              {QStringLiteral("new"), QStringLiteral("555-0199")}}));

        auto history = f->audit().entityHistory(QStringLiteral("contact"), contact.id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->first().action, AuditAction::Update);
        QCOMPARE(history->first().changes, changes);
    }

    void updateWithEmptyStringClearsOptionalFields()
    {
        test::CoreFixture f;
        const Contact contact =
            *f->contacts.create({QStringLiteral("Margaret Hill"), QStringLiteral("margaret@example.com"),
                                 QStringLiteral("555-0100"), QStringLiteral("Gate code 1234")});
        ContactUpdate change;
        change.email = QString();
        change.phone = QString();
        change.notes = QString();
        auto updated = f->contacts.update(contact.id, change);
        VERIFY_OK(updated);
        QVERIFY(!updated->email);
        QVERIFY(!updated->phone);
        QVERIFY(!updated->notes);
        QCOMPARE(updated->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(
            scalar(f,
                   QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ? AND email IS NULL AND "
                                  "phone IS NULL AND notes IS NULL"),
                   {idText(contact.id)}),
            1);

        const auto events = eventPayloads(f, QStringLiteral("ContactUpdatedEvent"), contact.id);
        QCOMPARE(events.size(), 1);
        const QJsonObject changes = events.first().value(QStringLiteral("changes")).toObject();
        QCOMPARE(changes.value(QStringLiteral("email")).toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("margaret@example.com")},
                              {QStringLiteral("new"), QJsonValue::Null}}));
        QVERIFY(changes.contains(QStringLiteral("phone")));
        QVERIFY(changes.contains(QStringLiteral("notes")));
        QVERIFY(!changes.contains(QStringLiteral("name")));
    }

    void updateWithoutChangeWritesNothing()
    {
        test::CoreFixture f;
        const Contact contact =
            *f->contacts.create({QStringLiteral("Margaret Hill"), QStringLiteral("margaret@example.com"),
                                 std::nullopt, std::nullopt});
        const auto before = writes(f);

        ContactUpdate same;
        same.name = QStringLiteral(" Margaret Hill ");
        same.email = QStringLiteral("margaret@example.com");
        same.phone = QString(); // already empty
        auto updated = f->contacts.update(contact.id, same);
        VERIFY_OK(updated);
        QCOMPARE(updated->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(updated->updatedAt, contact.updatedAt);

        auto nothing = f->contacts.update(contact.id, ContactUpdate{});
        VERIFY_OK(nothing);
        QCOMPARE(nothing->updatedAt, contact.updatedAt);

        QCOMPARE(writes(f), before);
        QVERIFY(eventPayloads(f, QStringLiteral("ContactUpdatedEvent"), contact.id).isEmpty());
    }

    void updateUnknownIsNotFound()
    {
        test::CoreFixture f;
        ContactUpdate change;
        change.name = QStringLiteral("Nobody");
        auto missing = f->contacts.update(QUuid::createUuid(), change);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void removeIsSoftDelete()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Contact keep = createContact(f, QStringLiteral("Tomas Ruiz"));
        VERIFY_OK(f->contacts.remove(customer.contact.id));

        auto gone = f->contacts.getById(customer.contact.id);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QCOMPARE(names(f->contacts.list()), QStringList{keep.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("Margaret"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("Elm Street"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("Hi"))), QStringList());
        QVERIFY(!f->contacts.getWithAddresses(customer.contact.id));

        QCOMPARE(scalar(f,
                        QStringLiteral(
                            "SELECT count(*) FROM main.contacts WHERE id = ? AND deleted_at IS NOT NULL"),
                        {idText(customer.contact.id)}),
                 1);
        auto history = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Delete);
        QCOMPARE(history->first()
                     .changes.value(QStringLiteral("deleted"))
                     .toObject()
                     .value(QStringLiteral("name")),
                 QJsonValue(QStringLiteral("Margaret Hill")));

        const auto before = writes(f);
        const Status again = f->contacts.remove(customer.contact.id);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::NotFound);
        ContactUpdate change;
        change.name = QStringLiteral("Back again");
        QVERIFY(!f->contacts.update(customer.contact.id, change));
        QCOMPARE(writes(f), before);
    }

    void filterNarrowsListAndSearch()
    {
        test::CoreFixture f;
        const Fixture c = filterFixture(f);
        ContactFilter open;
        open.openTickets = true;
        ContactFilter unpaid;
        unpaid.unpaidInvoices = true;
        ContactFilter both;
        both.openTickets = both.unpaidInvoices = true;

        // Scheduled and in-progress tickets are open; completed and cancelled ones are not.
        QCOMPARE(names(f->contacts.list(100, open)), (QStringList{c.both.name, c.scheduled.name}));
        // Only sent invoices are unpaid: not drafts, paid or void ones.
        QCOMPARE(names(f->contacts.list(100, unpaid)), (QStringList{c.both.name, c.owes.name}));
        QCOMPARE(names(f->contacts.list(100, both)), QStringList{c.both.name});
        QCOMPARE(names(f->contacts.list(1, open)), QStringList{c.both.name});
        QCOMPARE(names(f->contacts.list()).size(), 5);

        // Each search path: the trigram index (3+ characters) and LIKE (shorter), in name order.
        QCOMPARE(names(f->contacts.search(QStringLiteral("Hill"), 100, open)),
                 (QStringList{c.scheduled.name, c.both.name}));
        QCOMPARE(names(f->contacts.search(QStringLiteral("il"), 100, unpaid)),
                 (QStringList{c.owes.name, c.both.name}));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Dee"), 100, both)), QStringList{c.both.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("Ann"), 100, unpaid)), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("  "), 100, both)), QStringList{c.both.name});

        // A deleted customer is never listed, whatever their tickets.
        VERIFY_OK(f->contacts.remove(c.both.id));
        QCOMPARE(names(f->contacts.list(100, open)), QStringList{c.scheduled.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("il"), 100, unpaid)), QStringList{c.owes.name});
    }

    void activityOfAPageOfCustomers()
    {
        test::CoreFixture f;
        const Fixture c = filterFixture(f);
        auto activity = f->contacts.activity({c.scheduled.id, c.owes.id, c.done.id, c.both.id, c.quiet.id});
        VERIFY_OK(activity);
        QVERIFY(!activity->contains(c.quiet.id));
        QCOMPARE(activity->size(), 4);

        const ContactActivity scheduled = activity->value(c.scheduled.id);
        QVERIFY(!scheduled.lastVisit.isValid()); // booked, not visited yet
        QCOMPARE(scheduled.openTickets, 1);
        QCOMPARE(scheduled.unpaidInvoices, 0);

        // The latest of two completed visits.
        const ContactActivity owes = activity->value(c.owes.id);
        QCOMPARE(owes.lastVisit, c.owesLastVisit);
        QCOMPARE(owes.openTickets, 0);
        QCOMPARE(owes.unpaidInvoices, 2);
        QCOMPARE(owes.unpaidTotal.cents(), 12000 + 4550);

        const ContactActivity done = activity->value(c.done.id);
        QCOMPARE(done.openTickets, 0);
        QCOMPARE(done.unpaidInvoices, 0);
        QCOMPARE(done.unpaidTotal.cents(), 0);

        // Being visited now counts as the last visit and as open work.
        const ContactActivity both = activity->value(c.both.id);
        QCOMPARE(both.lastVisit, c.bothVisit);
        QCOMPARE(both.openTickets, 1);
        QCOMPARE(both.unpaidInvoices, 1);

        // Only the ids asked for.
        auto one = f->contacts.activity({c.both.id});
        VERIFY_OK(one);
        QCOMPARE(one->keys(), QList<QUuid>{c.both.id});
        QVERIFY(f->contacts.activity({})->isEmpty());
    }

    void listNewestFirstWithLimit()
    {
        test::CoreFixture f;
        QCOMPARE(names(f->contacts.list()), QStringList());
        createContact(f, QStringLiteral("Anna First"));
        createContact(f, QStringLiteral("Bert Second"));
        createContact(f, QStringLiteral("Cleo Third"));
        QCOMPARE(names(f->contacts.list()),
                 (QStringList{QStringLiteral("Cleo Third"), QStringLiteral("Bert Second"),
                              QStringLiteral("Anna First")}));
        QCOMPARE(names(f->contacts.list(2)),
                 (QStringList{QStringLiteral("Cleo Third"), QStringLiteral("Bert Second")}));
    }

    void search_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected");
        const QString margaret = QStringLiteral("Margaret Hill");
        const QString tomas = QStringLiteral("Tomás Ruiz");
        const QString bob = QStringLiteral("Bob Stone");
        QTest::newRow("name substring") << QStringLiteral("garet H") << QStringList{margaret};
        QTest::newRow("name, upper case") << QStringLiteral("MARGARET") << QStringList{margaret};
        QTest::newRow("name, lower case") << QStringLiteral("stone") << QStringList{bob};
        QTest::newRow("non-ASCII name") << QStringLiteral("Tomás") << QStringList{tomas};
        QTest::newRow("e-mail") << QStringLiteral("tomas@ruiz.net") << QStringList{tomas};
        QTest::newRow("e-mail part, mixed case") << QStringLiteral("t@EXAMPLE") << QStringList{margaret};
        QTest::newRow("phone") << QStringLiteral("555-0177") << QStringList{tomas};
        QTest::newRow("phone digits") << QStringLiteral("0100") << QStringList{margaret};
        QTest::newRow("street") << QStringLiteral("Elm Street") << QStringList{margaret};
        QTest::newRow("street, lower case") << QStringLiteral("oak avenue") << QStringList{tomas};
        QTest::newRow("city") << QStringLiteral("Shelbyville") << QStringList{tomas};
        QTest::newRow("zip") << QStringLiteral("62701") << QStringList{margaret};
        QTest::newRow("several, by name") << QStringLiteral("555") << QStringList{margaret, tomas};
        QTest::newRow("no match") << QStringLiteral("Quincy") << QStringList();
        QTest::newRow("two characters") << QStringLiteral("Ru") << QStringList{tomas};
        QTest::newRow("two characters, mixed case") << QStringLiteral("rU") << QStringList{tomas};
        QTest::newRow("one character") << QStringLiteral("z") << QStringList{tomas};
        QTest::newRow("one character, padded") << QStringLiteral("  Z ") << QStringList{tomas};
        QTest::newRow("LIKE wildcard %") << QStringLiteral("%") << QStringList();
        QTest::newRow("LIKE wildcard _") << QStringLiteral("_") << QStringList();
        QTest::newRow("two LIKE wildcards") << QStringLiteral("%%") << QStringList();
        QTest::newRow("quote") << QStringLiteral("\"") << QStringList();
        QTest::newRow("unbalanced quote") << QStringLiteral("\"Margaret") << QStringList();
        QTest::newRow("quotes inside") << QStringLiteral("Mar\"garet") << QStringList();
        QTest::newRow("star") << QStringLiteral("Marg*") << QStringList();
        QTest::newRow("parenthesis") << QStringLiteral("(Hill") << QStringList();
        QTest::newRow("minus") << QStringLiteral("-Hill") << QStringList();
        QTest::newRow("AND") << QStringLiteral("Hill AND Stone") << QStringList();
        QTest::newRow("OR") << QStringLiteral("Hill OR Stone") << QStringList();
        QTest::newRow("NEAR") << QStringLiteral("NEAR(Hill Stone)") << QStringList();
        QTest::newRow("column filter") << QStringLiteral("body:Hill") << QStringList();
        QTest::newRow("caret") << QStringLiteral("^Hill") << QStringList();
        QTest::newRow("apostrophe") << QStringLiteral("O'Brien") << QStringList();
        QTest::newRow("backslash") << QStringLiteral("\\") << QStringList();
        QTest::newRow("hyphen as text") << QStringLiteral("-0177") << QStringList{tomas};
        QTest::newRow("at sign as text") << QStringLiteral("@ruiz") << QStringList{tomas};
    }

    void search()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        test::CoreFixture f;
        // margaret@example.com, 555-0100, Home 12 Elm Street, Springfield IL 62701
        f.addCustomer(QStringLiteral("Margaret Hill"));
        const Contact tomas = createContact(f, QStringLiteral("Tomás Ruiz"), QStringLiteral("tomas@ruiz.net"),
                                            QStringLiteral("555-0177"));
        addAddress(f, tomas.id, QStringLiteral("9 Oak Avenue"), QStringLiteral("Shelbyville"));
        createContact(f, QStringLiteral("Bob Stone"));

        auto found = f->contacts.search(query);
        VERIFY_OK(found);
        QCOMPARE(names(found), expected);
    }

    // Issue 15, item 6: a phone number is found however it is typed, and the result says what matched.
    void searchFindsPhoneInAnyFormat_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("digits only") << QStringLiteral("8155550186");
        QTest::newRow("spaces") << QStringLiteral("815 555 0186");
        QTest::newRow("country code and dashes") << QStringLiteral("+1 815-555-0186");
        QTest::newRow("dots") << QStringLiteral("815.555.0186");
        QTest::newRow("as stored") << QStringLiteral("(815) 555-0186");
        QTest::newRow("last seven digits") << QStringLiteral("5550186");
        QTest::newRow("area code and exchange") << QStringLiteral("815-555");
    }

    void searchFindsPhoneInAnyFormat()
    {
        QFETCH(QString, query);
        test::CoreFixture f;
        const Contact dana =
            createContact(f, QStringLiteral("Dana Smith"), std::nullopt, QStringLiteral("(815) 555-0186"));
        addAddress(f, dana.id, QStringLiteral("12 Elm Street"), QStringLiteral("Rockford"));
        createContact(f, QStringLiteral("Other Person"), std::nullopt, QStringLiteral("(815) 444-0186"));
        QCOMPARE(names(f->contacts.search(query)), QStringList{dana.name});
        QCOMPARE(names(f->contacts.search(query, 100, ContactFilter{})), QStringList{dana.name});

        auto hits = f->contacts.searchHits(query);
        VERIFY_OK(hits);
        QCOMPARE(hits->size(), 1);
        QCOMPARE(hits->first().contact.id, dana.id);
        QCOMPARE(hits->first().match, SearchMatch::Phone);
        QVERIFY(hits->first().address);
        QCOMPARE(hits->first().address->street, QStringLiteral("12 Elm Street"));
    }

    void searchByPhoneFollowsEdits()
    {
        test::CoreFixture f;
        const Contact dana =
            createContact(f, QStringLiteral("Dana Smith"), std::nullopt, QStringLiteral("(815) 555-0186"));
        ContactUpdate change;
        change.phone = QStringLiteral("+1 (779) 555 0123");
        VERIFY_OK(f->contacts.update(dana.id, change));
        QCOMPARE(names(f->contacts.search(QStringLiteral("8155550186"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("779-555-0123"))), QStringList{dana.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("17795550123"))), QStringList{dana.name});
        // Digits that are no phone's digits in a row find nothing, and a street is still found as typed.
        QCOMPARE(names(f->contacts.search(QStringLiteral("555 0186"))), QStringList());
        addAddress(f, dana.id, QStringLiteral("12-14 Main Street"), QStringLiteral("Rockford"));
        QCOMPARE(names(f->contacts.search(QStringLiteral("12-14"))), QStringList{dana.name});
    }

    // A file from before local schema 9: opening it indexes every customer's phone digits (the migration
    // rebuilds the search documents), not only customers edited afterwards.
    void anOlderFileFindsPhonesByDigitsAfterTheUpgrade()
    {
        test::CoreFixture f;
        const Contact dana =
            createContact(f, QStringLiteral("Dana Smith"), std::nullopt, QStringLiteral("(815) 555-0186"));
        // Back to version 8: its documents (without the digits), view and invoices table, on a plain
        // connection (the app's own has temporary views over the tables, which a column's removal trips
        // over).
        {
            QSqlDatabase raw =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("downgrade"));
            raw.setDatabaseName(f.path());
            QVERIFY(raw.open());
            const QStringList steps = {
                QStringLiteral("DROP VIEW contact_search_source"),
                QStringLiteral(
                    "CREATE VIEW contact_search_source AS SELECT c.rowid AS doc_rowid, c.id AS contact_id, "
                    "c.name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '') || ' ' || "
                    "coalesce((SELECT group_concat(coalesce(a.label, '') || ' ' || a.street || ' ' || a.city "
                    "|| "
                    "' ' || a.state || ' ' || a.zip, ' ') FROM addresses a WHERE a.contact_id = c.id), '') "
                    "AS "
                    "body FROM contacts c WHERE c.deleted_at IS NULL"),
                // Version 16's kept numbers of changes waiting (16 counts them again).
                QStringLiteral("DROP TRIGGER sync_outbox_pending_insert"),
                QStringLiteral("DROP TRIGGER sync_outbox_pending_update"),
                QStringLiteral("DROP TRIGGER sync_outbox_pending_delete"),
                QStringLiteral("DROP TABLE sync_outbox_pending"),
                // Version 15's triggers and index that version 8 did not have (15 makes them again).
                QStringLiteral("DROP TRIGGER contacts_search_unindex"),
                QStringLiteral("DROP TRIGGER addresses_search_unindex_insert"),
                QStringLiteral("DROP TRIGGER addresses_search_unindex_update"),
                QStringLiteral("DROP TRIGGER addresses_search_unindex_delete"),
                QStringLiteral("DROP INDEX idx_contacts_name"),
                QStringLiteral(
                    "CREATE INDEX idx_contacts_user_name ON contacts(user_id, name COLLATE NOCASE) "
                    "WHERE deleted_at IS NULL"),
                // Version 10's search index and what else it changed, as they were before it.
                QStringLiteral("DROP TABLE contact_search"),
                QStringLiteral("CREATE VIRTUAL TABLE contact_search USING fts5(contact_id UNINDEXED, body, "
                               "tokenize = 'trigram')"),
                QStringLiteral(
                    "INSERT INTO contact_search (rowid, contact_id, body) SELECT doc_rowid, contact_id, "
                    "body FROM contact_search_source"),
                QStringLiteral("DROP TABLE sync_outbox_pruned"),
                // Version 14's indexes (version 12's on (user_id, created_at) went), and version 1's.
                QStringLiteral("DROP INDEX idx_audit_log_created"),
                QStringLiteral("DROP INDEX idx_contacts_created"),
                QStringLiteral("DROP INDEX idx_audit_log_entity_id"),
                QStringLiteral("CREATE INDEX idx_audit_log_entity ON audit_log(entity_type, entity_id)"),
                QStringLiteral("CREATE INDEX idx_audit_log_user ON audit_log(user_id)"),
                QStringLiteral("ALTER TABLE invoices DROP COLUMN number"),
                QStringLiteral("PRAGMA user_version = 8")};
            for (const QString &step : steps) {
                QSqlQuery query(raw);
                QVERIFY2(query.exec(step),
                         qPrintable(step + QStringLiteral(": ") + query.lastError().text()));
            }
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("downgrade"));
        QCOMPARE(names(f->contacts.search(QStringLiteral("8155550186"))), QStringList());

        auto reopened = f.reopen();
        QCOMPARE(reopened->db().schemaVersion(), Database::latestSchemaVersion());
        VERIFY_OK(reopened->setCurrentUser(f.alice()));
        auto found = reopened->contacts.search(QStringLiteral("8155550186"));
        VERIFY_OK(found);
        QCOMPARE(found->size(), 1);
        QCOMPARE(found->first().id, dana.id);
    }

    void phoneDigitsOnlyForPhoneLikeQueries()
    {
        QCOMPARE(ContactService::phoneDigits(QStringLiteral("+1 815-555-0186")),
                 QStringLiteral("8155550186"));
        QCOMPARE(ContactService::phoneDigits(QStringLiteral("(815) 555-0186")), QStringLiteral("8155550186"));
        QCOMPARE(ContactService::phoneDigits(QStringLiteral("0186")), QStringLiteral("0186"));
        QCOMPARE(ContactService::phoneDigits(QStringLiteral("12 Elm")), QString());
        QCOMPARE(ContactService::phoneDigits(QStringLiteral("(8)")), QString());
        QCOMPARE(ContactService::phoneDigits(QStringLiteral("a@b.com")), QString());
    }

    void searchHitsSayWhatMatched()
    {
        test::CoreFixture f;
        // Two customers of the same name: the result tells them apart by what matched and by their address.
        const Contact home = createContact(f, QStringLiteral("Sam Lee"), QStringLiteral("sam@lee.org"),
                                           QStringLiteral("(815) 555-0101"));
        addAddress(f, home.id, QStringLiteral("1 Home Road"), QStringLiteral("Rockford"));
        const Address rental =
            addAddress(f, home.id, QStringLiteral("77 Rental Court"), QStringLiteral("Belvidere"));
        const Contact other =
            createContact(f, QStringLiteral("Sam Lee"), std::nullopt, QStringLiteral("(779) 555-0199"));
        addAddress(f, other.id, QStringLiteral("3 Lake Drive"), QStringLiteral("Loves Park"));

        auto byStreet = f->contacts.searchHits(QStringLiteral("Rental Co"));
        VERIFY_OK(byStreet);
        QCOMPARE(byStreet->size(), 1);
        QCOMPARE(byStreet->first().match, SearchMatch::Address);
        QCOMPARE(byStreet->first().address->id, rental.id); // the address that matched, not the home one

        auto byCity = f->contacts.searchHits(QStringLiteral("belvidere"));
        VERIFY_OK(byCity);
        QCOMPARE(byCity->size(), 1);
        QCOMPARE(byCity->first().address->id, rental.id);

        auto byEmail = f->contacts.searchHits(QStringLiteral("sam@lee"));
        VERIFY_OK(byEmail);
        QCOMPARE(byEmail->size(), 1);
        QCOMPARE(byEmail->first().match, SearchMatch::Email);

        auto byName = f->contacts.searchHits(QStringLiteral("Sam Lee"));
        VERIFY_OK(byName);
        QCOMPARE(byName->size(), 2);
        QSet<QString> streets;
        for (const ContactSearchHit &hit : *byName) {
            QCOMPARE(hit.match, SearchMatch::Name);
            QVERIFY(hit.address);
            streets.insert(hit.address->street);
        }
        QCOMPARE(streets, (QSet<QString>{QStringLiteral("1 Home Road"), QStringLiteral("3 Lake Drive")}));
    }

    void searchEmptyQueryLists()
    {
        test::CoreFixture f;
        createContact(f, QStringLiteral("Anna First"));
        createContact(f, QStringLiteral("Bert Second"));
        QCOMPARE(names(f->contacts.search(QStringLiteral("   "))).size(), 2);
    }

    void searchHonoursLimit()
    {
        test::CoreFixture f;
        for (int i = 0; i < 5; ++i)
            createContact(f, QStringLiteral("Customer %1").arg(i));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Customer"), 3)).size(), 3);
        QCOMPARE(names(f->contacts.search(QStringLiteral("Cu"), 2)).size(), 2);
    }

    void searchWithManyMatchesListsTheFirstInNameOrder()
    {
        // 2,600 customers whose names all begin alike: one tie group of the search's name order (migration
        // 015), read whole and sorted. The technician sees the first page of their live customers by name,
        // whatever the case, and never a deleted one.
        test::CoreFixture f;
        QList<std::pair<QString, bool>> all; // name, live
        {
            Transaction tx(f->db());
            QVERIFY(tx.began());
            for (int i = 0; i < 2600; ++i) {
                Contact c;
                c.id = newId();
                c.userId = f.alice();
                c.name = QStringLiteral("%1alker %2")
                             .arg(i % 2 ? QLatin1Char('w') : QLatin1Char('W'))
                             .arg((i * 7919) % 2600, 4, 10, QLatin1Char('0'));
                c.createdAt = c.updatedAt = nowUtc();
                const bool live = i % 7 != 3;
                if (!live)
                    c.deletedAt = nowUtc();
                VERIFY_OK(f->store().insert(QStringLiteral("contacts"), c.toRow()));
                all.append({c.name, live});
            }
            VERIFY_OK(tx.commit());
        }
        const auto firstByName = [&](const QString &part, int limit) {
            QStringList found;
            for (const auto &[name, live] : std::as_const(all))
                if (live && name.contains(part, Qt::CaseInsensitive))
                    found.append(name);
            std::sort(found.begin(), found.end(), [](const QString &a, const QString &b) {
                return a.compare(b, Qt::CaseInsensitive) < 0;
            });
            return found.mid(0, limit);
        };
        // 2,600 documents match, and 1,000.
        for (const QString &query : {QStringLiteral("alker"), QStringLiteral("ALKER 1")}) {
            QCOMPARE(names(f->contacts.search(query)), firstByName(query, 100));
            QCOMPARE(names(f->contacts.search(query, 5)), firstByName(query, 5));
        }
    }

    void searchListsTheFirstByNameWhateverTheNamesBeginWith()
    {
        // The search reads its matches in the order of the first two characters of the name (folded as
        // COLLATE NOCASE folds) and stops after the page and the names that tie with its last: whatever the
        // names, the page must be exactly the first live matches in name order, as the contacts table sorts
        // them. Names of one character, capitals, letters beyond ASCII and beyond Latin-1,
        // renames that move a customer, deletions.
        test::CoreFixture f;
        const QStringList firsts = {
            QStringLiteral("A"),         QStringLiteral("Al"),        QStringLiteral("AL"),
            QStringLiteral("al "),       QStringLiteral("Alba"),      QStringLiteral("ALBA"),
            QStringLiteral("albatros"),  QStringLiteral("Alex"),      QStringLiteral("Bo"),
            QStringLiteral("Émile"),     QStringLiteral("Ångström"),  QStringLiteral("Zoë"),
            QStringLiteral("zoe"),       QStringLiteral("Łukasz"),    QStringLiteral("Ωmega"),
            QStringLiteral("ßtraße"),    QStringLiteral("Ólafur"),    QStringLiteral("12 Co"),
            QStringLiteral("(Acme)"),    QStringLiteral("Jame"),      QStringLiteral("James"),
            QStringLiteral("JAMES"),     QStringLiteral("Jamey"),     QStringLiteral("Jamie"),
            QStringLiteral("jamesina"),  QStringLiteral("[Bracket]"), QStringLiteral("_under"),
            QStringLiteral("@home"),     QStringLiteral("{curly}"),   QStringLiteral("~tilde"),
            QStringLiteral("Zz9"),       QStringLiteral("Christina"), QStringLiteral("Christine"),
            QStringLiteral("CHRISTINA-")};
        QList<QUuid> ids;
        {
            Transaction tx(f->db());
            QVERIFY(tx.began());
            for (int i = 0; i < 480; ++i) {
                Contact c;
                c.id = newId();
                c.userId = f.alice();
                // Every name holds "lee" (the query) and appears many times over, in shuffled order.
                const int pick = (i * 37) % int(firsts.size());
                c.name = QStringLiteral("%1 %2 %3")
                             .arg(firsts.at(pick), i % 3 ? QStringLiteral("Lee") : QStringLiteral("LEEK"))
                             .arg((i * 7919) % 480);
                c.createdAt = c.updatedAt = nowUtc();
                VERIFY_OK(f->store().insert(QStringLiteral("contacts"), c.toRow()));
                ids.append(c.id);
            }
            VERIFY_OK(tx.commit());
        }
        const auto expected = [&](const QString &like, int limit) {
            QStringList found;
            auto rows =
                f->db().exec(QStringLiteral("SELECT name FROM main.contacts WHERE deleted_at IS NULL AND "
                                            "name LIKE ? ORDER BY name COLLATE NOCASE, rowid LIMIT ?"),
                             {like, limit});
            while (rows && rows->next())
                found.append(rows->value(0).toString());
            return found;
        };
        const auto checkPages = [&] {
            for (const int limit : {1, 2, 7, 20, 33, 100, 500}) {
                QCOMPARE(names(f->contacts.search(QStringLiteral("lee"), limit)),
                         expected(QStringLiteral("%lee%"), limit));
                QCOMPARE(names(f->contacts.search(QStringLiteral("LEEK"), limit)),
                         expected(QStringLiteral("%leek%"), limit));
                QCOMPARE(names(f->contacts.search(QStringLiteral("e"), limit)),
                         expected(QStringLiteral("%e%"), limit));
            }
        };
        checkPages();
        // Renames move customers between groups (and to the very start and end); deletions leave gaps.
        for (int i = 0; i < 60; ++i) {
            ContactUpdate rename;
            rename.name = QStringLiteral("%1 Lee %2")
                              .arg(i % 2 ? QStringLiteral("aaron") : QStringLiteral("Zz"))
                              .arg(i);
            VERIFY_OK(f->contacts.update(ids.at(i * 5), rename));
            VERIFY_OK(f->contacts.remove(ids.at(i * 5 + 1)));
        }
        checkPages();
    }

    void searchNeverFindsDeletedContacts()
    {
        test::CoreFixture f;
        const Contact bob = createContact(f, QStringLiteral("Bob Stone"), QStringLiteral("bob@stone.org"));
        addAddress(f, bob.id, QStringLiteral("4 Quarry Lane"), QStringLiteral("Ogdenville"));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Quarry"))), QStringList{bob.name});
        VERIFY_OK(f->contacts.remove(bob.id));
        for (const QString &query :
             {QStringLiteral("Bob Stone"), QStringLiteral("bob@stone.org"), QStringLiteral("Quarry"),
              QStringLiteral("Ogdenville"), QStringLiteral("Bo"), QStringLiteral("Q")})
            QVERIFY2(names(f->contacts.search(query)).isEmpty(), qPrintable(query));
    }

    void otherUsersContactsAreInvisible()
    {
        test::CoreFixture f;
        const auto mine = f.addCustomer(QStringLiteral("Margaret Hill"));
        const QUuid bobUser = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bobUser));
        const auto theirs = f.addCustomer(QStringLiteral("Margaret Other"));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Margaret"))),
                 QStringList{QStringLiteral("Margaret Other")});
        VERIFY_OK(f->setCurrentUser(f.alice()));

        for (const QString &query :
             {QStringLiteral("Margaret"), QStringLiteral("Elm Street"),
              QStringLiteral("margaret@example.com"), QStringLiteral("Ma"), QStringLiteral("M")})
            QCOMPARE(names(f->contacts.search(query)), QStringList{mine.contact.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("Other"))), QStringList());
        QCOMPARE(names(f->contacts.list()), QStringList{mine.contact.name});

        auto read = f->contacts.getById(theirs.contact.id);
        QVERIFY(!read);
        QCOMPARE(read.error().code, ErrorCode::NotFound);
        QVERIFY(!f->contacts.getWithAddresses(theirs.contact.id));
        const auto before = writes(f);
        ContactUpdate change;
        change.name = QStringLiteral("Hijacked");
        QVERIFY(!f->contacts.update(theirs.contact.id, change));
        QVERIFY(!f->contacts.remove(theirs.contact.id));
        QCOMPARE(writes(f), before);
        QCOMPARE(scalar(f,
                        QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ? AND name = ? AND "
                                       "deleted_at IS NULL"),
                        {idText(theirs.contact.id), QStringLiteral("Margaret Other")}),
                 1);
    }

    void searchFollowsAddressEditsAndRenames()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Contact bob = createContact(f, QStringLiteral("Bob Stone"));

        AddressUpdate moved;
        moved.street = QStringLiteral("7 Birch Road");
        moved.city = QStringLiteral("Capital City");
        VERIFY_OK(f->addresses.update(customer.address.id, moved));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Elm Street"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("Springfield"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("Birch"))), QStringList{customer.contact.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("capital city"))),
                 QStringList{customer.contact.name});

        const Address second =
            addAddress(f, customer.contact.id, QStringLiteral("5 Cedar Loop"), QStringLiteral("Ogdenville"));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Cedar"))), QStringList{customer.contact.name});
        QCOMPARE(names(f->contacts.search(QStringLiteral("Birch"))), QStringList{customer.contact.name});
        VERIFY_OK(f->addresses.remove(second.id));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Cedar"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("Birch"))), QStringList{customer.contact.name});

        ContactUpdate rename;
        rename.name = QStringLiteral("Robert Stone");
        VERIFY_OK(f->contacts.update(bob.id, rename));
        QCOMPARE(names(f->contacts.search(QStringLiteral("Bob"))), QStringList());
        QCOMPARE(names(f->contacts.search(QStringLiteral("Robert"))),
                 QStringList{QStringLiteral("Robert Stone")});
        QCOMPARE(names(f->contacts.search(QStringLiteral("bE"))),
                 QStringList{QStringLiteral("Robert Stone")});

        ContactUpdate email;
        email.email = QStringLiteral("robert@stone.org");
        VERIFY_OK(f->contacts.update(bob.id, email));
        QCOMPARE(names(f->contacts.search(QStringLiteral("stone.org"))),
                 QStringList{QStringLiteral("Robert Stone")});
    }

    void validation_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::newRow("empty name") << QStringLiteral("name") << QString();
        QTest::newRow("whitespace name") << QStringLiteral("name") << QStringLiteral("  \t ");
        QTest::newRow("256-character name") << QStringLiteral("name") << QString(256, QLatin1Char('x'));
        QTest::newRow("e-mail without @")
            << QStringLiteral("email") << QStringLiteral("margaret.example.com");
        QTest::newRow("e-mail without domain dot")
            << QStringLiteral("email") << QStringLiteral("margaret@example");
        QTest::newRow("e-mail with space")
            << QStringLiteral("email") << QStringLiteral("marg aret@example.com");
        QTest::newRow("e-mail without local part")
            << QStringLiteral("email") << QStringLiteral("@example.com");
        QTest::newRow("e-mail with two @") << QStringLiteral("email") << QStringLiteral("a@@example.com");
        QTest::newRow("e-mail domain starting with dot")
            << QStringLiteral("email") << QStringLiteral("a@.example.com");
        QTest::newRow("e-mail ending with dot")
            << QStringLiteral("email") << QStringLiteral("a@example.com.");
        QTest::newRow("e-mail over 255 characters")
            << QStringLiteral("email") << QString(250, QLatin1Char('a')) + QStringLiteral("@example.com");
        QTest::newRow("phone with letters") << QStringLiteral("phone") << QStringLiteral("call me");
        QTest::newRow("phone with extension") << QStringLiteral("phone") << QStringLiteral("555-0100 ext 4");
        QTest::newRow("phone too short") << QStringLiteral("phone") << QStringLiteral("12");
        QTest::newRow("phone too long") << QStringLiteral("phone") << QString(41, QLatin1Char('5'));
        QTest::newRow("notes over 64 KiB")
            << QStringLiteral("notes") << QString(64 * 1024 + 1, QLatin1Char('n'));
        QTest::newRow("notes over 64 KiB in UTF-8")
            << QStringLiteral("notes") << QString(22'000, QChar(0x20AC)); // 22,000 characters, 66,000 bytes
    }

    void validation()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        test::CoreFixture f;
        const auto before = writes(f);

        ContactCreate data{QStringLiteral("Margaret Hill"), QStringLiteral("margaret@example.com"),
                           QStringLiteral("555-0100"), std::nullopt};
        if (field == QStringLiteral("name"))
            data.name = value;
        else if (field == QStringLiteral("email"))
            data.email = value;
        else if (field == QStringLiteral("phone"))
            data.phone = value;
        else
            data.notes = value;
        auto created = f->contacts.create(data);
        QVERIFY(!created);
        QCOMPARE(created.error().code, ErrorCode::Validation);
        QCOMPARE(created.error().field, field);
        QVERIFY(!created.error().message.isEmpty());
        QCOMPARE(writes(f), before);
    }

    void updateValidation_data() { validation_data(); }

    void updateValidation()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        test::CoreFixture f;
        const Contact contact =
            *f->contacts.create({QStringLiteral("Margaret Hill"), QStringLiteral("margaret@example.com"),
                                 QStringLiteral("555-0100"), QStringLiteral("Gate code 1234")});
        const auto before = writes(f);

        ContactUpdate change;
        change.name =
            QStringLiteral("Peggy Hill"); // a valid change in the same call must not be applied either
        if (field == QStringLiteral("name"))
            change.name = value;
        else if (field == QStringLiteral("email"))
            change.email = value;
        else if (field == QStringLiteral("phone"))
            change.phone = value;
        else
            change.notes = value;
        auto updated = f->contacts.update(contact.id, change);
        QVERIFY(!updated);
        QCOMPARE(updated.error().code, ErrorCode::Validation);
        QCOMPARE(updated.error().field, field);
        QCOMPARE(writes(f), before);

        auto stored = f->contacts.getById(contact.id);
        VERIFY_OK(stored);
        QCOMPARE(stored->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(stored->email, QStringLiteral("margaret@example.com"));
        QCOMPARE(stored->phone, QStringLiteral("555-0100"));
        QCOMPARE(stored->notes, QStringLiteral("Gate code 1234"));
        QCOMPARE(stored->updatedAt, contact.updatedAt);
    }

    void saveWithABadSecondAddressWritesNothing()
    {
        test::CoreFixture f;
        const QList<qint64> before = writes(f);
        const qint64 addressesBefore = scalar(f, QStringLiteral("SELECT count(*) FROM main.addresses"));
        ContactForm form;
        form.name = QStringLiteral("Dana Whitfield");
        form.email = QStringLiteral("dana@example.com");
        Address home;
        home.street = QStringLiteral("4 Birch Lane");
        home.city = QStringLiteral("Shelbyville");
        home.state = QStringLiteral("IL");
        home.zip = QStringLiteral("62565");
        Address shop = home;
        shop.street = QStringLiteral("12 Oak St");
        shop.zip = QStringLiteral("  ");
        form.addresses = {{home, false}, {shop, false}};

        auto saved = f->contacts.save(form);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, ErrorCode::Validation);
        QCOMPARE(saved.error().message,
                 QStringLiteral("Address 2 (12 Oak St): the ZIP code must not be empty"));
        const AddressAtFault fault = ContactService::addressAtFault(saved.error());
        QCOMPARE(fault.index, 1);
        QVERIFY(!fault.removed);
        // No customer, no address (not even the good first one), no audit, no sync record, no event.
        QCOMPARE(writes(f), before);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.addresses")), addressesBefore);

        // Corrected, the same form saves the customer with both addresses, each change audited once.
        form.addresses[1].address.zip = QStringLiteral("62565");
        auto corrected = f->contacts.save(form);
        VERIFY_OK(corrected);
        auto stored = f->contacts.getWithAddresses(corrected->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->contact.email, std::optional<QString>(QStringLiteral("dana@example.com")));
        QCOMPARE(stored->addresses.size(), 2);
        QCOMPARE(stored->addresses.at(1).street, QStringLiteral("12 Oak St"));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")), before.at(1) + 3);
        QCOMPARE(eventPayloads(f, QStringLiteral("ContactCreatedEvent"), corrected->id).size(), 1);
    }

    void saveWithARefusedRemovalTakesBackTheRename()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        VERIFY_OK(f->tickets.create({customer.contact.id, customer.address.id,
                                     QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc()), 60,
                                     std::nullopt}));
        const QList<qint64> before = writes(f);
        ContactForm form;
        form.id = customer.contact.id;
        form.name = QStringLiteral("Margaret Hill-Moreno");
        form.removedAddresses = {customer.address};

        auto saved = f->contacts.save(form);
        QVERIFY(!saved);
        QVERIFY2(saved.error().message.startsWith(QStringLiteral("The removed address ") +
                                                  customer.address.street),
                 qPrintable(saved.error().message));
        QVERIFY2(saved.error().message.contains(QStringLiteral("used by 1 ticket")),
                 qPrintable(saved.error().message));
        const AddressAtFault fault = ContactService::addressAtFault(saved.error());
        QCOMPARE(fault.index, 0);
        QVERIFY(fault.removed);
        QCOMPARE(f->contacts.getById(customer.contact.id)->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(f->addresses.listForContact(customer.contact.id)->size(), 1);
        QCOMPARE(writes(f), before);
    }

    void aBadCustomerFieldNamesTheFieldNotAnAddress()
    {
        test::CoreFixture f;
        ContactForm form;
        form.name = QStringLiteral("Dana Whitfield");
        form.phone = QStringLiteral("call me");
        auto saved = f->contacts.save(form);
        QVERIFY(!saved);
        QCOMPARE(saved.error().field, QStringLiteral("phone"));
        QCOMPARE(ContactService::addressAtFault(saved.error()).index, -1);
    }
};

QTEST_GUILESS_MAIN(TestContactService)
#include "test_contact_service.moc"
