#include "core/services/pulledchange.h"
#include "db/integritycheck.h"
#include "support/fakellmclient.h"
#include "support/fixedclock.h"
#include "support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

#include <functional>

using namespace fb;
using fb::test::scalar;
using namespace Qt::StringLiterals;

namespace {

const QString kNotes =
    QStringLiteral("Retired couple. Their dog Biscuit hides under the porch, keep the gate "
                   "closed. Back sill on the 2nd floor, needed the extension ladder.");
const QString kFencedAnswer =
    QStringLiteral("```json\n{\"pet\": {\"type\": \"dog\", \"name\": \"Biscuit\"},\n"
                   "\"property_notes\": \"keep gate closed\",\n"
                   "\"equipment_needed\": \"extension ladder\"}\n```");

QJsonObject fencedAttributes()
{
    return {{QStringLiteral("pet"), QJsonObject{{QStringLiteral("type"), QStringLiteral("dog")},
                                                {QStringLiteral("name"), QStringLiteral("Biscuit")}}},
            {QStringLiteral("property_notes"), QStringLiteral("keep gate closed")},
            {QStringLiteral("equipment_needed"), QStringLiteral("extension ladder")}};
}

QDateTime at(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2030, 3, day), QTime(hour, minute), QTimeZone::utc());
}

/// Row counts of everything a ticket operation may write.
QList<qint64> writes(test::CoreFixture &f)
{
    QList<qint64> counts;
    for (const char *table : {"tickets", "line_items", "notes", "attributes", "scheduled_messages",
                              "invoices", "audit_log", "sync_outbox", "domain_events", "event_deliveries"})
        counts.append(scalar(f, QStringLiteral("SELECT count(*) FROM main.%1").arg(QLatin1String(table))));
    return counts;
}

/// The stored state of a ticket and its line items, to prove a refused call changed nothing.
QString snapshot(test::CoreFixture &f, const QUuid &ticketId)
{
    QString text;
    for (const QString &sql :
         {QStringLiteral("SELECT * FROM main.tickets WHERE id = ?"),
          QStringLiteral("SELECT * FROM main.line_items WHERE ticket_id = ? ORDER BY rowid")}) {
        auto query = f->db().exec(sql, {idText(ticketId)});
        while (query && query->next())
            text += QString::fromUtf8(
                QJsonDocument(rowToJson(rowFromQuery(*query))).toJson(QJsonDocument::Compact));
    }
    return text;
}

struct Catalog
{
    Service fixed;    // Gutter cleaning, 150.00
    Service perUnit;  // Window pane, 19.99 a pane
    Service flexible; // Repair, priced on the job
};

Service addService(test::CoreFixture &f, ServiceCreate data)
{
    auto service = f->catalog.createService(data);
    if (!service)
        qFatal("cannot create a service: %s", qPrintable(service.error().toString()));
    return *service;
}

Catalog makeCatalog(test::CoreFixture &f)
{
    ServiceCreate fixed;
    fixed.name = QStringLiteral("Gutter cleaning");
    fixed.pricingType = PricingType::Fixed;
    fixed.defaultPrice = Money::fromCents(15000);
    ServiceCreate perUnit;
    perUnit.name = QStringLiteral("Window pane");
    perUnit.pricingType = PricingType::PerUnit;
    perUnit.unitPrice = Money::fromCents(1999);
    perUnit.unitLabel = QStringLiteral("pane");
    ServiceCreate flexible;
    flexible.name = QStringLiteral("Repair");
    flexible.pricingType = PricingType::Flexible;
    return {addService(f, fixed), addService(f, perUnit), addService(f, flexible)};
}

LineItemCreate item(const Service &service, int quantity = 1, std::optional<Money> unitPrice = {},
                    std::optional<Money> totalPrice = {})
{
    LineItemCreate data;
    data.serviceId = service.id;
    data.quantity = quantity;
    data.unitPrice = unitPrice;
    data.totalPrice = totalPrice;
    return data;
}

Ticket createTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer,
                    const QDateTime &when = at(4, 9))
{
    TicketCreate data;
    data.contactId = customer.contact.id;
    data.addressId = customer.address.id;
    data.scheduledAt = when;
    data.scheduledDurationMinutes = 90;
    auto ticket = f->tickets.create(data);
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

LineItem addItem(test::CoreFixture &f, const QUuid &ticketId, const LineItemCreate &data)
{
    auto added = f->tickets.addLineItem(ticketId, data);
    if (!added)
        qFatal("cannot add a line item: %s", qPrintable(added.error().toString()));
    return *added;
}

QStringList scheduledTimes(const Result<QList<Ticket>> &tickets)
{
    if (!tickets)
        return {QStringLiteral("error: ") + tickets.error().toString()};
    QStringList times;
    for (const Ticket &ticket : *tickets)
        times.append(toStoredTime(ticket.scheduledAt));
    return times;
}

/// Empty when `result` is the InvalidState error a closed ticket must give, else what happened instead.
template <typename T> QString invalidStateMismatch(const Result<T> &result)
{
    if (result.ok())
        return QStringLiteral("succeeded");
    if (result.error().code != ErrorCode::InvalidState)
        return QStringLiteral("failed with %1: %2")
            .arg(errorCodeName(result.error().code), result.error().toString());
    return {};
}

QList<AuditAction> actions(test::CoreFixture &f, const QString &type, const QUuid &id)
{
    auto history = f->audit().entityHistory(type, id);
    if (!history)
        qFatal("cannot read the audit trail");
    QList<AuditAction> result;
    for (auto it = history->crbegin(); it != history->crend(); ++it) // oldest first
        result.append(it->action);
    return result;
}

} // namespace

class TestTicketService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contactAddressTicketFlow()
    {
        test::CoreFixture f;
        auto contact =
            f->contacts.create({QStringLiteral("Margaret Hill"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(contact);
        AddressCreate addressData;
        addressData.contactId = contact->id;
        addressData.street = QStringLiteral("12 Elm Street");
        addressData.city = QStringLiteral("Springfield");
        addressData.state = QStringLiteral("IL");
        addressData.zip = QStringLiteral("62701");
        auto address = f->addresses.create(addressData);
        VERIFY_OK(address);

        TicketCreate data;
        data.contactId = contact->id;
        data.addressId = address->id;
        // 11:30 at UTC+2 is 09:30 UTC; the ticket keeps the instant, in UTC.
        data.scheduledAt = QDateTime(QDate(2030, 3, 4), QTime(11, 30, 0, 250), QTimeZone(7200));
        data.scheduledDurationMinutes = 90;
        data.notes = QStringLiteral("Bring the long ladder");
        auto ticket = f->tickets.create(data);
        VERIFY_OK(ticket);
        QCOMPARE(toString(ticket->status), toString(TicketStatus::Scheduled));
        QCOMPARE(ticket->userId, f.alice());
        QVERIFY(!ticket->clockInAt.isValid());
        QVERIFY(!ticket->closedAt.isValid());

        auto stored = f->tickets.getById(ticket->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->contactId, contact->id);
        QCOMPARE(stored->addressId, address->id);
        QCOMPARE(toString(stored->status), toString(TicketStatus::Scheduled));
        QCOMPARE(stored->scheduledAt, data.scheduledAt);
        QCOMPARE(toStoredTime(stored->scheduledAt), QStringLiteral("2030-03-04T09:30:00.250Z"));
        QCOMPARE(stored->scheduledDurationMinutes, 90);
        QCOMPARE(stored->notes, QStringLiteral("Bring the long ladder"));

        auto events = f->db().exec(QStringLiteral("SELECT payload FROM domain_events WHERE event_type = "
                                                  "'TicketCreatedEvent'"));
        VERIFY_OK(events);
        QVERIFY(events->next());
        const QJsonObject payload = QJsonDocument::fromJson(events->value(0).toString().toUtf8()).object();
        QVERIFY(!events->next());
        QCOMPARE(payload.value(QStringLiteral("ticket_id")).toString(), idText(ticket->id));
        QCOMPARE(payload.value(QStringLiteral("contact_id")).toString(), idText(contact->id));
        QCOMPARE(payload.value(QStringLiteral("address_id")).toString(), idText(address->id));
        QCOMPARE(payload.value(QStringLiteral("scheduled_at")).toString(),
                 QStringLiteral("2030-03-04T09:30:00.250Z"));
        QCOMPARE(actions(f, QStringLiteral("ticket"), ticket->id), QList<AuditAction>{AuditAction::Create});

        auto forContact = f->tickets.listForContact(contact->id);
        VERIFY_OK(forContact);
        QCOMPARE(forContact->size(), 1);
    }

    void createValidation_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("field");
        QTest::newRow("no contact") << QStringLiteral("no contact") << QStringLiteral("contact_id");
        QTest::newRow("unknown contact") << QStringLiteral("unknown contact") << QStringLiteral("contact_id");
        QTest::newRow("deleted contact") << QStringLiteral("deleted contact") << QStringLiteral("contact_id");
        QTest::newRow("no address") << QStringLiteral("no address") << QStringLiteral("address_id");
        QTest::newRow("unknown address") << QStringLiteral("unknown address") << QStringLiteral("address_id");
        QTest::newRow("address of another contact")
            << QStringLiteral("other address") << QStringLiteral("address_id");
        QTest::newRow("no time") << QStringLiteral("no time") << QStringLiteral("scheduled_at");
        QTest::newRow("negative duration")
            << QStringLiteral("negative duration") << QStringLiteral("scheduled_duration_minutes");
        QTest::newRow("duration over a day")
            << QStringLiteral("long duration") << QStringLiteral("scheduled_duration_minutes");
        QTest::newRow("notes over 64 KiB") << QStringLiteral("long notes") << QStringLiteral("notes");
    }

    void createValidation()
    {
        QFETCH(QString, broken);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto other = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        const auto gone = f.addCustomer(QStringLiteral("Gone Away"));
        VERIFY_OK(f->contacts.remove(gone.contact.id));

        TicketCreate data;
        data.contactId = customer.contact.id;
        data.addressId = customer.address.id;
        data.scheduledAt = at(4, 9);
        if (broken == QStringLiteral("no contact"))
            data.contactId = QUuid();
        else if (broken == QStringLiteral("unknown contact"))
            data.contactId = QUuid::createUuid();
        else if (broken == QStringLiteral("deleted contact"))
            data = TicketCreate{gone.contact.id, gone.address.id, at(4, 9), std::nullopt, std::nullopt};
        else if (broken == QStringLiteral("no address"))
            data.addressId = QUuid();
        else if (broken == QStringLiteral("unknown address"))
            data.addressId = QUuid::createUuid();
        else if (broken == QStringLiteral("other address"))
            data.addressId = other.address.id;
        else if (broken == QStringLiteral("no time"))
            data.scheduledAt = QDateTime();
        else if (broken == QStringLiteral("negative duration"))
            data.scheduledDurationMinutes = -5;
        else if (broken == QStringLiteral("long duration"))
            data.scheduledDurationMinutes = 24 * 60 + 1;
        else if (broken == QStringLiteral("long notes"))
            data.notes = QString(64 * 1024 + 1, QLatin1Char('n'));

        const auto before = writes(f);
        auto ticket = f->tickets.create(data);
        QVERIFY(!ticket);
        QCOMPARE(ticket.error().code, ErrorCode::Validation);
        QCOMPARE(ticket.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void clockInAndOut()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());

        const QDateTime beforeIn = nowUtc();
        auto in = f->tickets.clockIn(ticket.id);
        VERIFY_OK(in);
        QCOMPARE(toString(in->status), toString(TicketStatus::InProgress));
        QVERIFY(in->clockInAt.isValid());
        QVERIFY(in->clockInAt >= beforeIn && in->clockInAt <= nowUtc());
        QVERIFY(!in->clockOutAt.isValid());
        QCOMPARE(f->tickets.getById(ticket.id)->clockInAt, in->clockInAt);

        // Clocking in twice is refused and changes nothing.
        const auto before = writes(f);
        const QString state = snapshot(f, ticket.id);
        auto again = f->tickets.clockIn(ticket.id);
        QCOMPARE(invalidStateMismatch(again), QString());
        QCOMPARE(writes(f), before);
        QCOMPARE(snapshot(f, ticket.id), state);

        // Twenty minutes on the job, without waiting for them.
        VERIFY_OK(f->db().exec(QStringLiteral("UPDATE main.tickets SET clock_in_at = ? WHERE id = ?"),
                               {toStoredTime(nowUtc().addSecs(-20 * 60)), idText(ticket.id)}));
        auto out = f->tickets.clockOut(ticket.id);
        VERIFY_OK(out);
        QVERIFY(out->clockOutAt.isValid());
        QVERIFY(out->clockOutAt >= in->clockInAt);
        QCOMPARE(out->actualDurationMinutes, 20);
        QCOMPARE(toString(out->status), toString(TicketStatus::InProgress)); // closing is the close-out's job
        QVERIFY(!out->closedAt.isValid());

        const auto afterOut = writes(f);
        QCOMPARE(invalidStateMismatch(f->tickets.clockOut(ticket.id)), QString());
        QCOMPARE(invalidStateMismatch(f->tickets.clockIn(ticket.id)), QString());
        QCOMPARE(writes(f), afterOut);
    }

    void clockOutRoundsToTheNearestMinute_data()
    {
        QTest::addColumn<qint64>("elapsedMs");
        QTest::addColumn<int>("minutes");
        const auto ms = [](int minutes, int seconds, int millis = 0) {
            return (qint64(minutes) * 60 + seconds) * 1000 + millis;
        };
        QTest::newRow("20 min 29 s") << ms(20, 29) << 20;
        QTest::newRow("20 min 29.999 s") << ms(20, 29, 999) << 20;
        QTest::newRow("20 min 30 s: half a minute counts") << ms(20, 30) << 21;
        QTest::newRow("20 min 31 s") << ms(20, 31) << 21;
        QTest::newRow("no time at all") << ms(0, 0) << 0;
        QTest::newRow("29 s") << ms(0, 29) << 0;
        QTest::newRow("31 s") << ms(0, 31) << 1;
        QTest::newRow("a working day, 8 h 0 min 29 s") << ms(480, 29) << 480;
        QTest::newRow("clock set back 29 s") << -ms(0, 29) << 0;
        QTest::newRow("clock set back 3 min") << -ms(3, 0) << 0;
        QTest::newRow("clock set back 2 h") << -ms(120, 0) << 0;
    }

    void clockOutRoundsToTheNearestMinute()
    {
        QFETCH(qint64, elapsedMs);
        QFETCH(int, minutes);
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        test::FixedClock clock(QDateTime(QDate(2030, 3, 4), QTime(9, 2, 10, 250), QTimeZone::utc()));
        auto in = f->tickets.clockIn(ticket.id);
        VERIFY_OK(in);
        QCOMPARE(in->clockInAt, clock.now());

        clock.advanceMs(elapsedMs);
        auto out = f->tickets.clockOut(ticket.id);
        VERIFY_OK(out);
        QCOMPARE(out->clockOutAt, clock.now());
        QCOMPARE(out->actualDurationMinutes, minutes);
        QCOMPARE(scalar(f, QStringLiteral("SELECT actual_duration_minutes FROM main.tickets WHERE id = ?"),
                        {idText(ticket.id)}),
                 qint64(minutes));
        // The close-out starts from the minutes clocked.
        QCOMPARE(f->tickets.getById(ticket.id)->actualDurationMinutes, minutes);
    }

    void repricingAndRequantifyingKeepTotalsExact()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket ticket = createTicket(f, f.addCustomer());
        const LineItem repair = addItem(f, ticket.id, item(catalog.flexible, 3, Money::fromCents(1250)));
        const LineItem panes = addItem(f, ticket.id, item(catalog.perUnit, 4));
        const LineItem gutters = addItem(f, ticket.id, item(catalog.fixed));
        const LineItem removed = addItem(f, ticket.id, item(catalog.flexible, 2, Money::fromCents(7000)));
        QCOMPARE(repair.totalPrice, Money::fromCents(3750));
        QCOMPARE(panes.totalPrice, Money::fromCents(7996));

        const auto stored = [&](const LineItem &line) {
            return QStringLiteral("%1 x %2 = %3")
                .arg(scalar(f, QStringLiteral("SELECT quantity FROM main.line_items WHERE id = ?"),
                            {idText(line.id)}))
                .arg(scalar(f, QStringLiteral("SELECT unit_price FROM main.line_items WHERE id = ?"),
                            {idText(line.id)}))
                .arg(scalar(f, QStringLiteral("SELECT total_price FROM main.line_items WHERE id = ?"),
                            {idText(line.id)}));
        };

        // A new price for an item of three: three at the new price.
        LineItemUpdate price;
        price.unitPrice = Money::fromCents(4550);
        auto repriced = f->tickets.updateLineItem(repair.id, price);
        VERIFY_OK(repriced);
        QCOMPARE(repriced->quantity, 3);
        QCOMPARE(repriced->unitPrice, Money::fromCents(4550));
        QCOMPARE(repriced->totalPrice, Money::fromCents(13650));
        QCOMPARE(stored(repair), QStringLiteral("3 x 4550 = 13650"));

        // More of them later: the price it now has, times five.
        LineItemUpdate five;
        five.quantity = 5;
        auto more = f->tickets.updateLineItem(repair.id, five);
        VERIFY_OK(more);
        QCOMPARE(more->totalPrice, Money::fromCents(22750));
        QCOMPARE(stored(repair), QStringLiteral("5 x 4550 = 22750"));

        // A new price and a new quantity at once.
        LineItemUpdate both;
        both.quantity = 2;
        both.unitPrice = Money::fromCents(999);
        auto changed = f->tickets.updateLineItem(repair.id, both);
        VERIFY_OK(changed);
        QCOMPARE(changed->totalPrice, Money::fromCents(1998));
        QCOMPARE(stored(repair), QStringLiteral("2 x 999 = 1998"));

        // Per unit: up to seven panes, then down to one; naming the catalog price changes nothing.
        LineItemUpdate seven;
        seven.quantity = 7;
        VERIFY_OK(f->tickets.updateLineItem(panes.id, seven));
        QCOMPARE(stored(panes), QStringLiteral("7 x 1999 = 13993"));
        LineItemUpdate one;
        one.quantity = 1;
        one.unitPrice = Money::fromCents(1999);
        VERIFY_OK(f->tickets.updateLineItem(panes.id, one));
        QCOMPARE(stored(panes), QStringLiteral("1 x 1999 = 1999"));
        LineItemUpdate three;
        three.quantity = 3;
        VERIFY_OK(f->tickets.updateLineItem(panes.id, three));
        QCOMPARE(stored(panes), QStringLiteral("3 x 1999 = 5997"));

        // A fixed item stays one at its price when only its text changes.
        LineItemUpdate text;
        text.description = QStringLiteral("Front and back gutters");
        VERIFY_OK(f->tickets.updateLineItem(gutters.id, text));
        QCOMPARE(stored(gutters), QStringLiteral("1 x 15000 = 15000"));
        VERIFY_OK(f->tickets.removeLineItem(removed.id));

        // The job's total and the invoice built from it: 19.98 + 59.97 + 150.00, the removed 140.00 not
        // counted.
        const qint64 expected = 1998 + 5997 + 15000;
        auto details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->total, Money::fromCents(expected));
        auto invoice = f->invoices.createFromTicket(ticket.id);
        VERIFY_OK(invoice);
        QCOMPARE(invoice->totalAmount, Money::fromCents(expected));
        QCOMPARE(invoice->totalAmount.toDecimalString(), QStringLiteral("229.95"));
        QCOMPARE(scalar(f, QStringLiteral("SELECT total_amount FROM main.invoices WHERE id = ?"),
                        {idText(invoice->id)}),
                 expected);
    }

    void clockOutBeforeClockInFails()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        const auto before = writes(f);
        auto out = f->tickets.clockOut(ticket.id);
        QCOMPARE(invalidStateMismatch(out), QString());
        QCOMPARE(writes(f), before);
        auto stored = f->tickets.getById(ticket.id);
        QVERIFY(!stored->clockOutAt.isValid());
        QVERIFY(!stored->actualDurationMinutes);
    }

    void clockUnknownTicketIsNotFound()
    {
        test::CoreFixture f;
        auto in = f->tickets.clockIn(QUuid::createUuid());
        QVERIFY(!in);
        QCOMPARE(in.error().code, ErrorCode::NotFound);
    }

    void lineItemPricingTypes()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket ticket = createTicket(f, f.addCustomer());

        const LineItem fixed = addItem(f, ticket.id, item(catalog.fixed));
        QCOMPARE(fixed.quantity, 1);
        QCOMPARE(fixed.unitPrice, Money::fromCents(15000));
        QCOMPARE(fixed.totalPrice, Money::fromCents(15000));
        QCOMPARE(fixed.description, QStringLiteral("Gutter cleaning"));

        // Naming the catalog price (and the matching total) is accepted.
        const LineItem fixedNamed =
            addItem(f, ticket.id, item(catalog.fixed, 1, Money::fromCents(15000), Money::fromCents(15000)));
        QCOMPARE(fixedNamed.totalPrice, Money::fromCents(15000));

        LineItemCreate panes = item(catalog.perUnit, 3);
        panes.description = QStringLiteral("Front windows");
        panes.durationMinutes = 25;
        const LineItem perUnit = addItem(f, ticket.id, panes);
        QCOMPARE(perUnit.unitPrice, Money::fromCents(1999));
        QCOMPARE(perUnit.totalPrice, Money::fromCents(5997));
        QCOMPARE(perUnit.description, QStringLiteral("Front windows"));
        QCOMPARE(perUnit.durationMinutes, 25);

        const LineItem flexible = addItem(f, ticket.id, item(catalog.flexible, 2, Money::fromCents(1250)));
        QCOMPARE(flexible.unitPrice, Money::fromCents(1250));
        QCOMPARE(flexible.totalPrice, Money::fromCents(2500));
        const LineItem penny = addItem(f, ticket.id, item(catalog.flexible, 1, Money::fromCents(1)));
        QCOMPARE(penny.totalPrice, Money::fromCents(1));
        const LineItem largest =
            addItem(f, ticket.id, item(catalog.flexible, 1, Money::fromCents(Money::kMaxCents)));
        QCOMPARE(largest.totalPrice, Money::fromCents(Money::kMaxCents));

        auto items = f->tickets.lineItems(ticket.id);
        VERIFY_OK(items);
        QCOMPARE(items->size(), 6);
        QCOMPARE(items->at(2).id, perUnit.id);
        QCOMPARE(items->at(2).totalPrice, Money::fromCents(5997));
        QCOMPARE(items->at(2).durationMinutes, 25);
        QCOMPARE(scalar(f, QStringLiteral("SELECT total_price FROM main.line_items WHERE id = ?"),
                        {idText(perUnit.id)}),
                 5997);
        QCOMPARE(actions(f, QStringLiteral("line_item"), perUnit.id),
                 QList<AuditAction>{AuditAction::Create});
    }

    void lineItemValidation_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<int>("quantity");
        QTest::addColumn<QVariant>("unitCents");  // null: not given
        QTest::addColumn<QVariant>("totalCents"); // null: not given
        QTest::addColumn<QString>("field");
        const QVariant none;
        const auto cents = [](qint64 value) { return QVariant(value); };
        QTest::newRow("fixed, contradicting unit price")
            << u"fixed"_s << 1 << cents(14000) << none << u"unit_price"_s;
        QTest::newRow("fixed, quantity 2") << u"fixed"_s << 2 << none << none << u"quantity"_s;
        QTest::newRow("fixed, contradicting total")
            << u"fixed"_s << 1 << none << cents(14000) << u"total_price"_s;
        QTest::newRow("per_unit, contradicting unit price")
            << u"per_unit"_s << 3 << cents(1500) << none << u"unit_price"_s;
        QTest::newRow("per_unit, contradicting total")
            << u"per_unit"_s << 3 << none << cents(5000) << u"total_price"_s;
        QTest::newRow("per_unit, total of one unit")
            << u"per_unit"_s << 3 << cents(1999) << cents(1999) << u"total_price"_s;
        QTest::newRow("flexible without a price") << u"flexible"_s << 1 << none << none << u"unit_price"_s;
        QTest::newRow("flexible without a price, with a total")
            << u"flexible"_s << 1 << none << cents(500) << u"unit_price"_s;
        QTest::newRow("flexible, contradicting total")
            << u"flexible"_s << 2 << cents(1000) << cents(1000) << u"total_price"_s;
        QTest::newRow("quantity 0") << u"per_unit"_s << 0 << none << none << u"quantity"_s;
        QTest::newRow("negative quantity") << u"per_unit"_s << -2 << none << none << u"quantity"_s;
        QTest::newRow("negative unit price") << u"flexible"_s << 1 << cents(-1) << none << u"unit_price"_s;
        QTest::newRow("negative total")
            << u"flexible"_s << 1 << cents(100) << cents(-100) << u"total_price"_s;
        QTest::newRow("unit price over 99,999,999.99")
            << u"flexible"_s << 1 << cents(Money::kMaxCents + 1) << none << u"unit_price"_s;
        QTest::newRow("total over 99,999,999.99")
            << u"flexible"_s << 1 << cents(100) << cents(Money::kMaxCents + 1) << u"total_price"_s;
        // A quantity past validate::kMaxQuantity is refused as the quantity, before any total is computed.
        QTest::newRow("quantity over 99,999")
            << u"per_unit"_s << 600'000'000 << none << none << u"quantity"_s;
        QTest::newRow("flexible quantity x price over the maximum")
            << u"flexible"_s << 2 << cents(Money::kMaxCents) << none << u"total_price"_s;
        QTest::newRow("inactive service") << u"inactive"_s << 1 << cents(1000) << none << u"service_id"_s;
        QTest::newRow("deleted service") << u"deleted"_s << 1 << cents(1000) << none << u"service_id"_s;
        QTest::newRow("unknown service") << u"unknown"_s << 1 << cents(1000) << none << u"service_id"_s;
        QTest::newRow("no service") << u"none"_s << 1 << cents(1000) << none << u"service_id"_s;
    }

    void lineItemValidation()
    {
        QFETCH(QString, service);
        QFETCH(int, quantity);
        QFETCH(QVariant, unitCents);
        QFETCH(QVariant, totalCents);
        QFETCH(QString, field);
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        ServiceCreate retired;
        retired.name = QStringLiteral("Chimney sweep");
        retired.pricingType = PricingType::Flexible;
        retired.isActive = false;
        const Service inactive = addService(f, retired);
        retired.name = QStringLiteral("Pressure washing");
        retired.isActive = true;
        const Service deleted = addService(f, retired);
        VERIFY_OK(f->catalog.deleteService(deleted.id));
        const Ticket ticket = createTicket(f, f.addCustomer());

        LineItemCreate data;
        data.quantity = quantity;
        if (!unitCents.isNull())
            data.unitPrice = Money::fromCents(unitCents.toLongLong());
        if (!totalCents.isNull())
            data.totalPrice = Money::fromCents(totalCents.toLongLong());
        if (service == QStringLiteral("fixed"))
            data.serviceId = catalog.fixed.id;
        else if (service == QStringLiteral("per_unit"))
            data.serviceId = catalog.perUnit.id;
        else if (service == QStringLiteral("flexible"))
            data.serviceId = catalog.flexible.id;
        else if (service == QStringLiteral("inactive"))
            data.serviceId = inactive.id;
        else if (service == QStringLiteral("deleted"))
            data.serviceId = deleted.id;
        else if (service == QStringLiteral("unknown"))
            data.serviceId = QUuid::createUuid();

        const auto before = writes(f);
        auto added = f->tickets.addLineItem(ticket.id, data);
        QVERIFY(!added);
        QCOMPARE(added.error().code, ErrorCode::Validation);
        QCOMPARE(added.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void lineItemTextValidation()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket ticket = createTicket(f, f.addCustomer());
        const auto before = writes(f);
        LineItemCreate data = item(catalog.fixed);
        data.description = QString(256, QLatin1Char('d'));
        auto added = f->tickets.addLineItem(ticket.id, data);
        QVERIFY(!added);
        QCOMPARE(added.error().field, QStringLiteral("description"));
        data = item(catalog.fixed);
        data.durationMinutes = -1;
        added = f->tickets.addLineItem(ticket.id, data);
        QVERIFY(!added);
        QCOMPARE(added.error().field, QStringLiteral("duration_minutes"));
        added = f->tickets.addLineItem(QUuid::createUuid(), item(catalog.fixed));
        QVERIFY(!added);
        QCOMPARE(added.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);
    }

    void catalogPriceChangeKeepsExistingLineItems()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket ticket = createTicket(f, f.addCustomer());
        const LineItem gutters = addItem(f, ticket.id, item(catalog.fixed));
        const LineItem panes = addItem(f, ticket.id, item(catalog.perUnit, 3));

        ServiceUpdate fixedPrice;
        fixedPrice.defaultPrice = Money::fromCents(17500);
        VERIFY_OK(f->catalog.updateService(catalog.fixed.id, fixedPrice));
        ServiceUpdate unitPrice;
        unitPrice.unitPrice = Money::fromCents(2499);
        VERIFY_OK(f->catalog.updateService(catalog.perUnit.id, unitPrice));

        auto details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->lineItems.at(0).unitPrice, Money::fromCents(15000));
        QCOMPARE(details->lineItems.at(0).totalPrice, Money::fromCents(15000));
        QCOMPARE(details->lineItems.at(1).totalPrice, Money::fromCents(5997));
        QCOMPARE(details->total, Money::fromCents(20997));

        // Changing the quantity of an item keeps the price it was sold at.
        LineItemUpdate more;
        more.quantity = 4;
        auto updated = f->tickets.updateLineItem(panes.id, more);
        VERIFY_OK(updated);
        QCOMPARE(updated->unitPrice, Money::fromCents(1999));
        QCOMPARE(updated->totalPrice, Money::fromCents(7996));

        // A new item takes the new catalog price.
        const LineItem newGutters = addItem(f, ticket.id, item(catalog.fixed));
        QCOMPARE(newGutters.totalPrice, Money::fromCents(17500));
        auto old = f->tickets.lineItems(ticket.id);
        VERIFY_OK(old);
        QCOMPARE(old->first().id, gutters.id);
        QCOMPARE(old->first().totalPrice, Money::fromCents(15000));
    }

    void updateAndRemoveLineItems()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket ticket = createTicket(f, f.addCustomer());
        const LineItem gutters = addItem(f, ticket.id, item(catalog.fixed));
        const LineItem panes = addItem(f, ticket.id, item(catalog.perUnit, 3));
        const LineItem repair = addItem(f, ticket.id, item(catalog.flexible, 1, Money::fromCents(4000)));

        LineItemUpdate quantity;
        quantity.quantity = 5;
        auto morePanes = f->tickets.updateLineItem(panes.id, quantity);
        VERIFY_OK(morePanes);
        QCOMPARE(morePanes->quantity, 5);
        QCOMPARE(morePanes->totalPrice, Money::fromCents(9995));

        LineItemUpdate price;
        price.unitPrice = Money::fromCents(4550);
        price.description = QStringLiteral("Replaced the sill");
        price.durationMinutes = 40;
        auto repriced = f->tickets.updateLineItem(repair.id, price);
        VERIFY_OK(repriced);
        QCOMPARE(repriced->unitPrice, Money::fromCents(4550));
        QCOMPARE(repriced->totalPrice, Money::fromCents(4550));
        QCOMPARE(repriced->description, QStringLiteral("Replaced the sill"));
        QCOMPARE(repriced->durationMinutes, 40);

        auto details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->lineItems.size(), 3);
        QCOMPARE(details->total, Money::fromCents(15000 + 9995 + 4550));

        VERIFY_OK(f->tickets.removeLineItem(panes.id));
        details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->lineItems.size(), 2);
        QCOMPARE(details->lineItems.at(0).id, gutters.id);
        QCOMPARE(details->lineItems.at(1).id, repair.id);
        QCOMPARE(details->total, Money::fromCents(15000 + 4550));
        QCOMPARE(scalar(f,
                        QStringLiteral(
                            "SELECT count(*) FROM main.line_items WHERE id = ? AND deleted_at IS NOT NULL"),
                        {idText(panes.id)}),
                 1);
        QCOMPARE(actions(f, QStringLiteral("line_item"), panes.id),
                 (QList<AuditAction>{AuditAction::Create, AuditAction::Update, AuditAction::Delete}));

        // A removed item can be neither changed nor removed again.
        const auto before = writes(f);
        const Status again = f->tickets.removeLineItem(panes.id);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::NotFound);
        auto changed = f->tickets.updateLineItem(panes.id, quantity);
        QVERIFY(!changed);
        QCOMPARE(changed.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);
    }

    void updateLineItemValidation_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<int>("quantity");
        QTest::addColumn<QVariant>("unitCents");
        QTest::addColumn<QString>("field");
        const QVariant none;
        QTest::newRow("fixed, quantity 2") << u"fixed"_s << 2 << none << u"quantity"_s;
        QTest::newRow("fixed, contradicting unit price")
            << u"fixed"_s << 1 << QVariant(qint64(100)) << u"unit_price"_s;
        QTest::newRow("per_unit, quantity 0") << u"per_unit"_s << 0 << none << u"quantity"_s;
        QTest::newRow("per_unit, negative quantity") << u"per_unit"_s << -1 << none << u"quantity"_s;
        QTest::newRow("per_unit, contradicting unit price")
            << u"per_unit"_s << 3 << QVariant(qint64(100)) << u"unit_price"_s;
        QTest::newRow("per_unit, quantity over 99,999")
            << u"per_unit"_s << 600'000'000 << none << u"quantity"_s;
        QTest::newRow("flexible, negative price")
            << u"flexible"_s << 1 << QVariant(qint64(-5)) << u"unit_price"_s;
        QTest::newRow("flexible, quantity 0") << u"flexible"_s << 0 << none << u"quantity"_s;
        QTest::newRow("flexible, price over the maximum")
            << u"flexible"_s << 1 << QVariant(qint64(Money::kMaxCents + 1)) << u"unit_price"_s;
    }

    void updateLineItemValidation()
    {
        QFETCH(QString, which);
        QFETCH(int, quantity);
        QFETCH(QVariant, unitCents);
        QFETCH(QString, field);
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket ticket = createTicket(f, f.addCustomer());
        const LineItem fixed = addItem(f, ticket.id, item(catalog.fixed));
        const LineItem perUnit = addItem(f, ticket.id, item(catalog.perUnit, 3));
        const LineItem flexible = addItem(f, ticket.id, item(catalog.flexible, 1, Money::fromCents(4000)));
        const QUuid id = which == QStringLiteral("fixed")      ? fixed.id
                         : which == QStringLiteral("per_unit") ? perUnit.id
                                                               : flexible.id;
        LineItemUpdate data;
        data.quantity = quantity;
        if (!unitCents.isNull())
            data.unitPrice = Money::fromCents(unitCents.toLongLong());

        const auto before = writes(f);
        const QString state = snapshot(f, ticket.id);
        auto updated = f->tickets.updateLineItem(id, data);
        QVERIFY(!updated);
        QCOMPARE(updated.error().code, ErrorCode::Validation);
        QCOMPARE(updated.error().field, field);
        QCOMPARE(writes(f), before);
        QCOMPARE(snapshot(f, ticket.id), state);
    }

    void getWithDetails()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        auto empty = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(empty);
        QCOMPARE(empty->total, Money());
        QVERIFY(empty->lineItems.isEmpty());

        addItem(f, ticket.id, item(catalog.perUnit, 3));
        addItem(f, ticket.id, item(catalog.flexible, 1, Money::fromCents(1)));
        auto details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->ticket.id, ticket.id);
        QCOMPARE(details->contact.id, customer.contact.id);
        QCOMPARE(details->contact.name, customer.contact.name);
        QCOMPARE(details->address.id, customer.address.id);
        QCOMPARE(details->address.street, QStringLiteral("12 Elm Street"));
        QCOMPARE(details->total, Money::fromCents(5998));
        QCOMPARE(details->total.toDecimalString(), QStringLiteral("59.98"));

        auto missing = f->tickets.getWithDetails(QUuid::createUuid());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void rescheduleAndCancel()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto other = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        AddressCreate second;
        second.contactId = customer.contact.id;
        second.label = QStringLiteral("Rental");
        second.street = QStringLiteral("4 Quarry Lane");
        second.city = QStringLiteral("Ogdenville");
        second.state = QStringLiteral("IL");
        second.zip = QStringLiteral("62999");
        auto rental = f->addresses.create(second);
        VERIFY_OK(rental);
        const Ticket ticket = createTicket(f, customer, at(4, 9));

        TicketUpdate reschedule;
        reschedule.scheduledAt = at(6, 14, 30);
        reschedule.scheduledDurationMinutes = 45;
        reschedule.addressId = rental->id;
        auto moved = f->tickets.update(ticket.id, reschedule);
        VERIFY_OK(moved);
        QCOMPARE(moved->scheduledAt, at(6, 14, 30));
        QCOMPARE(moved->scheduledDurationMinutes, 45);
        QCOMPARE(moved->addressId, rental->id);
        QCOMPARE(toString(moved->status), toString(TicketStatus::Scheduled));
        QCOMPARE(scheduledTimes(f->tickets.listRange(at(4, 0), at(5, 0))), QStringList());
        QCOMPARE(scheduledTimes(f->tickets.listRange(at(6, 0), at(7, 0))),
                 QStringList{QStringLiteral("2030-03-06T14:30:00.000Z")});
        auto history = f->audit().entityHistory(QStringLiteral("ticket"), ticket.id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Update);
        QVERIFY(history->first().changes.contains(QStringLiteral("scheduled_at")));

        // The address must be one of the ticket's contact.
        const auto before = writes(f);
        TicketUpdate wrong;
        wrong.addressId = other.address.id;
        auto refused = f->tickets.update(ticket.id, wrong);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Validation);
        QCOMPARE(refused.error().field, QStringLiteral("address_id"));
        TicketUpdate negative;
        negative.scheduledDurationMinutes = -1;
        refused = f->tickets.update(ticket.id, negative);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, QStringLiteral("scheduled_duration_minutes"));
        QCOMPARE(writes(f), before);

        auto cancelled = f->tickets.cancel(ticket.id);
        VERIFY_OK(cancelled);
        QCOMPARE(toString(cancelled->status), toString(TicketStatus::Cancelled));
        QCOMPARE(toString(f->tickets.getById(ticket.id)->status), toString(TicketStatus::Cancelled));
        QCOMPARE(invalidStateMismatch(f->tickets.cancel(ticket.id)), QString());
    }

    void rescheduleOnlyWhileScheduled()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        VERIFY_OK(f->tickets.clockIn(ticket.id));
        const auto before = writes(f);
        TicketUpdate reschedule;
        reschedule.scheduledAt = at(9, 9);
        QCOMPARE(invalidStateMismatch(f->tickets.update(ticket.id, reschedule)), QString());
        QCOMPARE(writes(f), before);
        QCOMPARE(f->tickets.getById(ticket.id)->scheduledAt, at(4, 9));
    }

    void listRangeIsHalfOpenAndInTimeOrder()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        // Created out of order; listed in time order.
        createTicket(f, customer, at(5, 8));
        createTicket(f, customer, at(4, 13));
        createTicket(f, customer, at(4, 0)); // exactly `from`: included
        createTicket(f, customer, at(4, 9));
        createTicket(f, customer, at(3, 23, 59).addMSecs(59'999)); // just before: excluded
        createTicket(f, customer, at(5, 0));                       // exactly `to`: excluded
        createTicket(f, customer, at(4, 23, 59).addMSecs(59'999)); // last millisecond: included

        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        createTicket(f, f.addCustomer(QStringLiteral("Bob's customer")), at(4, 10));
        VERIFY_OK(f->setCurrentUser(f.alice()));

        QCOMPARE(scheduledTimes(f->tickets.listRange(at(4, 0), at(5, 0))),
                 (QStringList{QStringLiteral("2030-03-04T00:00:00.000Z"),
                              QStringLiteral("2030-03-04T09:00:00.000Z"),
                              QStringLiteral("2030-03-04T13:00:00.000Z"),
                              QStringLiteral("2030-03-04T23:59:59.999Z")}));
        // The same range given in another time zone selects the same instants.
        const QTimeZone plusTwo = QTimeZone(7200);
        QCOMPARE(
            scheduledTimes(f->tickets.listRange(at(4, 0).toTimeZone(plusTwo), at(5, 0).toTimeZone(plusTwo)))
                .size(),
            4);
        QCOMPARE(scheduledTimes(f->tickets.listRange(at(1, 0), at(8, 0))).size(), 7);
        QCOMPARE(scheduledTimes(f->tickets.listRange(at(5, 0), at(4, 0))), QStringList());
    }

    void closedTicketsCannotBeModified_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("completed") << QStringLiteral("completed");
        QTest::newRow("cancelled") << QStringLiteral("cancelled here");
        // Only who cancelled counts, not whether the office touched the job at all.
        QTest::newRow("cancelled here after the office moved it")
            << QStringLiteral("cancelled here after an office move");
        // No work started here: nothing on site to record (workMayContinue).
        QTest::newRow("cancelled at the office before clock-in")
            << QStringLiteral("office cancelled before clock-in");
    }

    void closedTicketsCannotBeModified()
    {
        QFETCH(QString, how);
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const Catalog catalog = makeCatalog(f);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        const LineItem panes = addItem(f, ticket.id, item(catalog.perUnit, 2));
        if (how == QLatin1String("cancelled here after an office move"))
            VERIFY_OK(test::pullMove(f.core(), ticket.id, at(4, 9), at(4, 11), at(3, 17)));
        if (how == QLatin1String("office cancelled before clock-in")) {
            VERIFY_OK(test::pullCancel(f.core(), ticket.id, QStringLiteral("scheduled"), at(3, 18)));
            QCOMPARE(toString(f->tickets.getById(ticket.id)->status), toString(TicketStatus::Cancelled));
        } else {
            VERIFY_OK(f->tickets.clockIn(ticket.id));
        }
        if (how == QLatin1String("completed")) {
            VERIFY_OK(f->tickets.initiateCloseOut(ticket.id, 60, kNotes));
            auto closed = f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction::NoFollowup);
            VERIFY_OK(closed);
            QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));
        } else if (how.startsWith(QLatin1String("cancelled here"))) {
            auto closed = f->tickets.cancel(ticket.id);
            VERIFY_OK(closed);
            QCOMPARE(toString(closed->status), toString(TicketStatus::Cancelled));
        }
        const qsizetype llmCalls = llm.requests.size();
        const auto before = writes(f);
        const QString state = snapshot(f, ticket.id);

        TicketUpdate reschedule;
        reschedule.scheduledAt = at(9, 9);
        TicketUpdate notes;
        notes.notes = QStringLiteral("changed afterwards");
        TicketUpdate duration;
        duration.scheduledDurationMinutes = 10;
        LineItemUpdate quantity;
        quantity.quantity = 7;
        const QList<std::pair<QString, std::function<QString()>>> calls{
            {QStringLiteral("update scheduled_at"),
             [&] { return invalidStateMismatch(f->tickets.update(ticket.id, reschedule)); }},
            {QStringLiteral("update notes"),
             [&] { return invalidStateMismatch(f->tickets.update(ticket.id, notes)); }},
            {QStringLiteral("update duration"),
             [&] { return invalidStateMismatch(f->tickets.update(ticket.id, duration)); }},
            {QStringLiteral("cancel"), [&] { return invalidStateMismatch(f->tickets.cancel(ticket.id)); }},
            {QStringLiteral("clockIn"), [&] { return invalidStateMismatch(f->tickets.clockIn(ticket.id)); }},
            {QStringLiteral("clockOut"),
             [&] { return invalidStateMismatch(f->tickets.clockOut(ticket.id)); }},
            {QStringLiteral("addLineItem"),
             [&] { return invalidStateMismatch(f->tickets.addLineItem(ticket.id, item(catalog.fixed))); }},
            {QStringLiteral("updateLineItem"),
             [&] { return invalidStateMismatch(f->tickets.updateLineItem(panes.id, quantity)); }},
            {QStringLiteral("removeLineItem"),
             [&] { return invalidStateMismatch(f->tickets.removeLineItem(panes.id)); }},
            {QStringLiteral("initiateCloseOut"),
             [&] { return invalidStateMismatch(f->tickets.initiateCloseOut(ticket.id, 30, kNotes)); }},
            {QStringLiteral("finalizeCloseOut"),
             [&] {
                 return invalidStateMismatch(
                     f->tickets.finalizeCloseOut(ticket.id, {{QStringLiteral("pet"), QStringLiteral("cat")}},
                                                 NextServiceAction::ReachOut, 6));
             }},
        };
        for (const auto &[name, call] : calls) {
            const QString mismatch = call();
            QVERIFY2(mismatch.isEmpty(), qPrintable(name + QStringLiteral(": ") + mismatch));
            QVERIFY2(writes(f) == before, qPrintable(name + QStringLiteral(" wrote something")));
            QVERIFY2(snapshot(f, ticket.id) == state,
                     qPrintable(name + QStringLiteral(" changed the ticket")));
        }
        QCOMPARE(llm.requests.size(), llmCalls);
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(attributes);
        QVERIFY(attributes->isEmpty());
    }

    /// Issue 14, item 6: the office cancels a job while the technician is on site, clocked in. Nothing of
    /// the work is lost: line items, notes, the clock-out and the close-out are still recorded, and closing
    /// it out makes it completed (the merge keeps a technician's completed over the office's cancelled).
    void officeCancelledWhileClockedInKeepsTheWorkAndClosesOut()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const Catalog catalog = makeCatalog(f);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        VERIFY_OK(f->tickets.clockIn(ticket.id));
        const LineItem panes = addItem(f, ticket.id, item(catalog.perUnit, 2));
        VERIFY_OK(test::pullCancel(f.core(), ticket.id, QStringLiteral("in_progress"), at(4, 9, 40)));
        QCOMPARE(toString(f->tickets.getById(ticket.id)->status), toString(TicketStatus::Cancelled));

        // The work done on site, recorded after the cancellation arrived.
        auto gutters = f->tickets.addLineItem(ticket.id, item(catalog.fixed));
        VERIFY_OK(gutters);
        LineItemUpdate threePanes;
        threePanes.quantity = 3;
        VERIFY_OK(f->tickets.updateLineItem(panes.id, threePanes));
        auto repair = f->tickets.addLineItem(ticket.id, item(catalog.flexible, 1, Money::fromCents(4500)));
        VERIFY_OK(repair);
        VERIFY_OK(f->tickets.removeLineItem(repair->id));
        VERIFY_OK(f->tickets.restoreLineItem(repair->id));
        VERIFY_OK(f->tickets.removeLineItem(repair->id));
        NoteCreate note;
        note.contactId = customer.contact.id;
        note.ticketId = ticket.id;
        note.content = QStringLiteral("Customer was home; finished the front before the office called.");
        VERIFY_OK(f->notes.create(note));
        VERIFY_OK(f->tickets.clockOut(ticket.id));
        QCOMPARE(toString(f->tickets.getById(ticket.id)->status), toString(TicketStatus::Cancelled));

        // The close-out, both steps.
        auto started = f->tickets.initiateCloseOut(ticket.id, 70, kNotes);
        VERIFY_OK(started);
        QCOMPARE(int(started->extraction.state), int(ExtractionOutcome::State::Done));
        QCOMPARE(started->ticket.actualDurationMinutes, std::optional<int>(70));
        auto closed = f->tickets.finalizeCloseOut(ticket.id, started->extraction.attributes.attributes,
                                                  NextServiceAction::ReachOut, 6);
        VERIFY_OK(closed);
        QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));
        QVERIFY(closed->closedAt.isValid());

        // Everything is there: 3 panes at 19.99 and the gutters at 150.00, the close-out's notes, the
        // details, the reach-out; the banner's question no longer finds a cancellation.
        auto details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->lineItems.size(), 2);
        QCOMPARE(details->total.cents(), 3 * 1999 + 15000);
        QCOMPARE(details->lineItems.at(1).id, gutters->id);
        auto notes = f->notes.listForTicket(ticket.id);
        VERIFY_OK(notes);
        QCOMPARE(notes->first().content, kNotes);
        QCOMPARE(f->attributes.getAttributes(customer.contact.id)->size(), 3);
        QCOMPARE(f->messages.listForContact(customer.contact.id)->size(), 1);
        auto cancellation = f->officeChanges.cancellation(ticket.id);
        VERIFY_OK(cancellation);
        QVERIFY(!cancellation->has_value());

        // The trail says cancelled -> completed, written here, so the push sends it; the office's entry is
        // not sent back. Every entry of this device has its outbox row, and the file passes `fieldbook
        // check`. The last entry of the job's trail (in the order written: the office's clock may be ahead).
        auto last = f->db().exec(
            QStringLiteral("SELECT origin IS NULL, json_extract(changes, '$.status.old'), "
                           "json_extract(changes, '$.status.new') FROM main.audit_log WHERE entity_type = "
                           "'ticket' AND entity_id = ? ORDER BY rowid DESC LIMIT 1"),
            {idText(ticket.id)});
        VERIFY_OK(last);
        QVERIFY(last->next());
        QVERIFY(last->value(0).toBool());
        QCOMPARE(last->value(1).toString(), QStringLiteral("cancelled"));
        QCOMPARE(last->value(2).toString(), QStringLiteral("completed"));
        QCOMPARE(
            scalar(f, QStringLiteral("SELECT count(*) FROM main.audit_log a WHERE a.origin IS NULL AND NOT "
                                     "EXISTS (SELECT 1 FROM main.sync_outbox o WHERE o.audit_id = a.id)")),
            0);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.sync_outbox o JOIN main.audit_log a ON "
                                          "a.id = o.audit_id WHERE a.origin IS NOT NULL")),
                 0);
        QCOMPARE(
            scalar(f, QStringLiteral("SELECT count(*) FROM main.audit_log WHERE entity_type = 'line_item' "
                                     "AND origin IS NULL")),
            7); // 3 created, 1 changed, removed, restored, removed
        auto check = checkIntegrity(f.path());
        VERIFY_OK(check);
        QVERIFY2(check->ok(), qPrintable(check->problems.join(QLatin1Char('\n'))));

        // Completed now: like any completed job, it takes nothing more.
        QCOMPARE(invalidStateMismatch(f->tickets.addLineItem(ticket.id, item(catalog.fixed))), QString());
    }

    void closeOutExtractsAttributesForReview()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        VERIFY_OK(f->tickets.clockIn(ticket.id));

        int callbacks = 0;
        auto result = f->tickets.initiateCloseOut(ticket.id, 75, kNotes,
                                                  [&](const ExtractionOutcome &) { ++callbacks; });
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Done);
        QCOMPARE(result->extraction.attributes.attributes, fencedAttributes());
        QCOMPARE(result->extraction.attributes.rawResponse, kFencedAnswer);
        QCOMPARE(result->extraction.attributes.thinking, QStringLiteral("thinking about the notes"));
        QVERIFY(callbacks <= 1);

        // Notes and duration are saved, the notes also as a note; the ticket stays open for review.
        QCOMPARE(result->ticket.notes, kNotes);
        QCOMPARE(result->ticket.actualDurationMinutes, 75);
        QCOMPARE(toString(result->ticket.status), toString(TicketStatus::InProgress));
        QVERIFY(!result->ticket.closedAt.isValid());
        auto stored = f->tickets.getById(ticket.id);
        VERIFY_OK(stored);
        QCOMPARE(stored->notes, kNotes);
        QCOMPARE(stored->actualDurationMinutes, 75);
        QCOMPARE(toString(stored->status), toString(TicketStatus::InProgress));
        QVERIFY(!stored->isClosed());
        auto notes = f->notes.listForTicket(ticket.id);
        VERIFY_OK(notes);
        QCOMPARE(notes->size(), 1);
        QCOMPARE(notes->first().id, result->noteId);
        QCOMPARE(notes->first().content, kNotes);
        QCOMPARE(notes->first().contactId, customer.contact.id);
        QCOMPARE(f->notes.listForContact(customer.contact.id)->size(), 1);
        // Nothing is saved on the customer before the technician confirms.
        QVERIFY(f->attributes.getAttributes(customer.contact.id)->isEmpty());

        QCOMPARE(llm.requests.size(), 1);
        const LlmRequest &request = llm.requests.first();
        QVERIFY(!request.system.trimmed().isEmpty());
        QVERIFY(!request.system.contains(kNotes));
        QVERIFY(request.thinking);
        QVERIFY(request.thinkingBudgetTokens >= 1024);
        QVERIFY(request.thinkingBudgetTokens < request.maxTokens);
        QVERIFY2(
            request.userMessage.contains(QStringLiteral("<notes>\n") + kNotes + QStringLiteral("\n</notes>")),
            qPrintable(request.userMessage));

        // Going back to step 1 replaces the draft note instead of adding one.
        llm.answerWith(QStringLiteral("{\"pet\": \"cat\"}"));
        auto again = f->tickets.initiateCloseOut(ticket.id, 80, QStringLiteral("Cat named Tom"));
        VERIFY_OK(again);
        QCOMPARE(again->noteId, result->noteId);
        QCOMPARE(again->extraction.attributes.attributes,
                 (QJsonObject{{QStringLiteral("pet"), QStringLiteral("cat")}}));
        notes = f->notes.listForTicket(ticket.id);
        QCOMPARE(notes->size(), 1);
        QCOMPARE(notes->first().content, QStringLiteral("Cat named Tom"));
        QCOMPARE(f->tickets.getById(ticket.id)->actualDurationMinutes, 80);
    }

    void closeOutExtractionFailures_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("stopReason");
        QTest::addColumn<bool>("clientFails");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        const int parse = int(ErrorCode::Parse);
        QTest::newRow("garbage") << QStringLiteral("I could not find anything useful, sorry!")
                                 << u"end_turn"_s << false << parse << QString();
        QTest::newRow("malformed JSON")
            << QStringLiteral("{\"pet\": \"dog\",") << u"end_turn"_s << false << parse << QString();
        QTest::newRow("empty answer") << QString() << u"end_turn"_s << false << parse << QString();
        QTest::newRow("JSON array") << QStringLiteral("[\"dog\"]") << u"end_turn"_s << false << parse
                                    << QString();
        QTest::newRow("cut off at max_tokens")
            << QStringLiteral("{\"pet\": \"dog\"}") << u"max_tokens"_s << false << parse << u"truncated"_s;
        QTest::newRow("refusal") << QStringLiteral("{}") << u"refusal"_s << false << parse << u"refused"_s;
        // An unavailable client (offline) is not a failure but a queued request:
        // tests/llm/test_extraction_queue.
    }

    void closeOutExtractionFailures()
    {
        QFETCH(QString, answer);
        QFETCH(QString, stopReason);
        QFETCH(bool, clientFails);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        test::FakeLlmClient llm;
        if (clientFails)
            llm.failWith(Error{ErrorCode::Unavailable, {}, QStringLiteral("offline: no network")});
        else
            llm.answerWith(answer, stopReason);
        test::CoreFixture f(&llm);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);

        auto result = f->tickets.initiateCloseOut(ticket.id, 30, kNotes);
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Failed);
        QCOMPARE(int(result->extraction.error.code), code);
        QVERIFY(!result->extraction.error.message.isEmpty());
        QVERIFY2(result->extraction.error.message.contains(mentions),
                 qPrintable(result->extraction.error.message));
        QVERIFY(result->extraction.attributes.attributes.isEmpty());
        // The technician's notes are never lost to a failed extraction, and the ticket stays open.
        QCOMPARE(f->tickets.getById(ticket.id)->notes, kNotes);
        QCOMPARE(f->tickets.getById(ticket.id)->actualDurationMinutes, 30);
        QCOMPARE(f->notes.listForTicket(ticket.id)->size(), 1);
        QCOMPARE(toString(f->tickets.getById(ticket.id)->status), toString(TicketStatus::Scheduled));
        QCOMPARE(llm.requests.size(), 1);
    }

    void closeOutPendingUntilTheAnswerArrives()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        llm.holdAnswers(true);
        test::CoreFixture f(&llm);
        const Ticket ticket = createTicket(f, f.addCustomer());

        QList<ExtractionOutcome> outcomes;
        auto result = f->tickets.initiateCloseOut(
            ticket.id, 45, kNotes, [&](const ExtractionOutcome &outcome) { outcomes.append(outcome); });
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Answering);
        QVERIFY(outcomes.isEmpty());
        QCOMPARE(f->tickets.getById(ticket.id)->notes, kNotes);

        llm.release();
        QCOMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.first().state, ExtractionOutcome::State::Done);
        QCOMPARE(outcomes.first().attributes.attributes, fencedAttributes());
        llm.release();
        QCOMPARE(outcomes.size(), 1);
    }

    void closeOutWithoutNotesAsksNothing_data()
    {
        QTest::addColumn<QVariant>("notes");
        QTest::newRow("no notes") << QVariant();
        QTest::newRow("empty notes") << QVariant(QString());
        QTest::newRow("blank notes") << QVariant(QStringLiteral("  \n\t "));
    }

    void closeOutWithoutNotesAsksNothing()
    {
        QFETCH(QVariant, notes);
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const Ticket ticket = createTicket(f, f.addCustomer());
        int callbacks = 0;
        auto result = f->tickets.initiateCloseOut(
            ticket.id, 50, notes.isNull() ? std::nullopt : std::optional<QString>(notes.toString()),
            [&](const ExtractionOutcome &) { ++callbacks; });
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::NotRequested);
        QVERIFY(result->noteId.isNull());
        QCOMPARE(result->ticket.actualDurationMinutes, 50);
        QVERIFY(llm.requests.isEmpty());
        QCOMPARE(callbacks, 0);
        QVERIFY(f->notes.listForTicket(ticket.id)->isEmpty());
    }

    void closeOutWithoutAnExtractorStillSavesNotes()
    {
        test::CoreFixture f; // no LLM configured
        const Ticket ticket = createTicket(f, f.addCustomer());
        auto result = f->tickets.initiateCloseOut(ticket.id, 50, kNotes);
        VERIFY_OK(result);
        // Queued for when a client is configured (ExtractionQueue).
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Queued);
        QCOMPARE(result->ticket.notes, kNotes);
        QCOMPARE(f->notes.listForTicket(ticket.id)->size(), 1);
    }

    void closeOutValidation()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const Ticket ticket = createTicket(f, f.addCustomer());
        const auto before = writes(f);
        auto negative = f->tickets.initiateCloseOut(ticket.id, -1, kNotes);
        QVERIFY(!negative);
        QCOMPARE(negative.error().code, ErrorCode::Validation);
        QCOMPARE(negative.error().field, QStringLiteral("actual_duration_minutes"));
        auto huge = f->tickets.initiateCloseOut(ticket.id, 30, QString(64 * 1024 + 1, QLatin1Char('n')));
        QVERIFY(!huge);
        QCOMPARE(huge.error().field, QStringLiteral("notes"));
        auto missing = f->tickets.initiateCloseOut(QUuid::createUuid(), 30, kNotes);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);
        QVERIFY(llm.requests.isEmpty());
    }

    void finalizeCloseOutCompletesAndHandsOver()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        VERIFY_OK(f->tickets.clockIn(ticket.id));
        VERIFY_OK(f->tickets.clockOut(ticket.id));
        auto step1 = f->tickets.initiateCloseOut(ticket.id, 75, kNotes);
        VERIFY_OK(step1);

        QList<TicketCompletedEvent> received;
        f->bus().subscribe<TicketCompletedEvent>(QStringLiteral("TestProbe"),
                                                 std::function<Status(const TicketCompletedEvent &)>(
                                                     [&](const TicketCompletedEvent &event) -> Status {
                                                         received.append(event);
                                                         return {};
                                                     }));

        // The technician corrects one proposal and adds one by hand.
        QJsonObject confirmed = step1->extraction.attributes.attributes;
        confirmed.insert(QStringLiteral("property_notes"), QStringLiteral("keep the side gate closed"));
        confirmed.insert(QStringLiteral("gate_code"), QStringLiteral("4321"));
        auto closed = f->tickets.finalizeCloseOut(ticket.id, confirmed, NextServiceAction::ReachOut, 6);
        VERIFY_OK(closed);
        QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));
        QVERIFY(closed->closedAt.isValid());
        QVERIFY(closed->isClosed());
        QCOMPARE(toString(f->tickets.getById(ticket.id)->status), toString(TicketStatus::Completed));

        QCOMPARE(received.size(), 1);
        const TicketCompletedEvent &event = received.first();
        QCOMPARE(event.ticketId, ticket.id);
        QCOMPARE(event.contactId, customer.contact.id);
        QCOMPARE(event.confirmedAttributes, confirmed);
        QCOMPARE(event.nextServiceAction, QStringLiteral("reach_out"));
        QCOMPARE(event.reachOutMonths, 6);
        QCOMPARE(event.notes, kNotes);
        QCOMPARE(event.sourceNoteId, step1->noteId);
        QCOMPARE(event.occurredAt, closed->closedAt);
        QCOMPARE(
            scalar(f, QStringLiteral("SELECT count(*) FROM event_deliveries d JOIN domain_events e USING "
                                     "(event_id) WHERE e.event_type = 'TicketCompletedEvent' AND "
                                     "d.status = 'done'")),
            3);
        QCOMPARE(scalar(f, QStringLiteral("SELECT dispatched FROM domain_events WHERE event_type = "
                                          "'TicketCompletedEvent'")),
                 1);

        auto attributes = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(attributes);
        QJsonObject saved;
        for (const Attribute &attribute : std::as_const(*attributes)) {
            saved.insert(attribute.key, attribute.value);
            QCOMPARE(attribute.sourceNoteId, step1->noteId);
        }
        QCOMPARE(saved, confirmed);

        auto pending = f->messages.listPending();
        VERIFY_OK(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().contactId, customer.contact.id);
        QCOMPARE(toString(pending->first().status), toString(MessageStatus::Pending));
        QVERIFY(pending->first().templateName);
        QCOMPARE(pending->first().scheduledFor, addCalendarMonths(closed->closedAt, 6));
    }

    void finalizeWithoutFollowUpSchedulesNothing_data()
    {
        QTest::addColumn<int>("action");
        QTest::newRow("no_followup") << int(NextServiceAction::NoFollowup);
        QTest::newRow("schedule_now") << int(NextServiceAction::ScheduleNow);
    }

    void finalizeWithoutFollowUpSchedulesNothing()
    {
        QFETCH(int, action);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        auto closed = f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction(action), 6);
        VERIFY_OK(closed);
        QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));
        QVERIFY(f->messages.listPending()->isEmpty());
        QVERIFY(f->attributes.getAttributes(customer.contact.id)->isEmpty());
    }

    void finalizeValidation_data()
    {
        QTest::addColumn<QJsonObject>("attributes");
        QTest::addColumn<int>("action");
        QTest::addColumn<QVariant>("months");
        QTest::addColumn<QString>("field");
        const QJsonObject good{{QStringLiteral("pet"), QStringLiteral("dog")}};
        const int reachOut = int(NextServiceAction::ReachOut);
        QTest::newRow("reach_out without months") << good << reachOut << QVariant() << u"reach_out_months"_s;
        QTest::newRow("reach_out in 0 months") << good << reachOut << QVariant(0) << u"reach_out_months"_s;
        QTest::newRow("reach_out in -3 months") << good << reachOut << QVariant(-3) << u"reach_out_months"_s;
        QTest::newRow("reach_out in 61 months") << good << reachOut << QVariant(61) << u"reach_out_months"_s;
        QTest::newRow("key with a space")
            << QJsonObject{{QStringLiteral("Pet Name"), QStringLiteral("Rex")}}
            << int(NextServiceAction::NoFollowup) << QVariant() << u"attributes.Pet Name"_s;
        QTest::newRow("key in camelCase")
            << QJsonObject{{QStringLiteral("gateCode"), QStringLiteral("1234")}}
            << int(NextServiceAction::NoFollowup) << QVariant() << u"attributes.gateCode"_s;
        QTest::newRow("array value") << QJsonObject{{QStringLiteral("pets"),
                                                     QJsonArray{QStringLiteral("dog")}}}
                                     << int(NextServiceAction::NoFollowup) << QVariant()
                                     << u"attributes.pets"_s;
        QTest::newRow("null value") << QJsonObject{{QStringLiteral("pet"), QJsonValue::Null}}
                                    << int(NextServiceAction::NoFollowup) << QVariant()
                                    << u"attributes.pet"_s;
    }

    void finalizeValidation()
    {
        QFETCH(QJsonObject, attributes);
        QFETCH(int, action);
        QFETCH(QVariant, months);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        const auto before = writes(f);
        const QString state = snapshot(f, ticket.id);
        auto closed =
            f->tickets.finalizeCloseOut(ticket.id, attributes, NextServiceAction(action),
                                        months.isNull() ? std::nullopt : std::optional<int>(months.toInt()));
        QVERIFY(!closed);
        QCOMPARE(closed.error().code, ErrorCode::Validation);
        QCOMPARE(closed.error().field, field);
        QCOMPARE(writes(f), before);
        QCOMPARE(snapshot(f, ticket.id), state);
        QVERIFY(!f->tickets.getById(ticket.id)->isClosed());
    }

    void auditTrailCapturesAllChanges()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kFencedAnswer);
        test::CoreFixture f(&llm);
        const Catalog catalog = makeCatalog(f);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        TicketUpdate reschedule;
        reschedule.scheduledAt = at(5, 9);
        VERIFY_OK(f->tickets.update(ticket.id, reschedule));
        const LineItem panes = addItem(f, ticket.id, item(catalog.perUnit, 2));
        const LineItem repair = addItem(f, ticket.id, item(catalog.flexible, 1, Money::fromCents(2000)));
        LineItemUpdate more;
        more.quantity = 3;
        VERIFY_OK(f->tickets.updateLineItem(panes.id, more));
        VERIFY_OK(f->tickets.removeLineItem(repair.id));
        VERIFY_OK(f->tickets.clockIn(ticket.id));
        VERIFY_OK(f->tickets.clockOut(ticket.id));
        auto step1 = f->tickets.initiateCloseOut(ticket.id, 60, kNotes);
        VERIFY_OK(step1);
        VERIFY_OK(f->tickets.finalizeCloseOut(ticket.id, step1->extraction.attributes.attributes,
                                              NextServiceAction::ReachOut, 12));

        // create, reschedule, clock in, clock out, close-out notes, completion
        QCOMPARE(actions(f, QStringLiteral("ticket"), ticket.id),
                 (QList<AuditAction>{AuditAction::Create, AuditAction::Update, AuditAction::Update,
                                     AuditAction::Update, AuditAction::Update, AuditAction::Update}));
        auto history = f->audit().entityHistory(QStringLiteral("ticket"), ticket.id);
        VERIFY_OK(history);
        const QJsonObject completion = history->first().changes;
        QCOMPARE(
            completion.value(QStringLiteral("status")).toObject().value(QStringLiteral("new")).toString(),
            QStringLiteral("completed"));
        QVERIFY(completion.contains(QStringLiteral("closed_at")));
        QCOMPARE(
            history->at(3).changes.value(QStringLiteral("status")).toObject().value(QStringLiteral("new")),
            QJsonValue(QStringLiteral("in_progress")));
        for (const AuditEntry &entry : std::as_const(*history)) {
            QVERIFY(!entry.changes.isEmpty());
            QCOMPARE(entry.userId, f.alice());
        }
        QCOMPARE(actions(f, QStringLiteral("line_item"), panes.id),
                 (QList<AuditAction>{AuditAction::Create, AuditAction::Update}));
        QCOMPARE(actions(f, QStringLiteral("line_item"), repair.id),
                 (QList<AuditAction>{AuditAction::Create, AuditAction::Delete}));
        QCOMPARE(actions(f, QStringLiteral("note"), step1->noteId), QList<AuditAction>{AuditAction::Create});
        QCOMPARE(
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'attribute' AND "
                                     "action = 'create'")),
            3);
        QCOMPARE(
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'scheduled_message' "
                                     "AND action = 'create'")),
            1);
        // Every audit entry is also a change for the sync module.
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM audit_log a LEFT JOIN sync_outbox o ON "
                                          "o.audit_id = a.id WHERE o.seq IS NULL")),
                 0);
    }

    void otherUsersTicketsAreInvisible()
    {
        test::CoreFixture f;
        const Catalog catalog = makeCatalog(f);
        const Ticket mine = createTicket(f, f.addCustomer());
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        const auto before = writes(f);
        auto read = f->tickets.getById(mine.id);
        QVERIFY(!read);
        QCOMPARE(read.error().code, ErrorCode::NotFound);
        QVERIFY(!f->tickets.clockIn(mine.id));
        QVERIFY(!f->tickets.cancel(mine.id));
        QVERIFY(!f->tickets.addLineItem(mine.id, item(catalog.fixed)));
        QVERIFY(!f->tickets.finalizeCloseOut(mine.id, {}, NextServiceAction::NoFollowup));
        QCOMPARE(writes(f), before);
        VERIFY_OK(f->setCurrentUser(f.alice()));
        QCOMPARE(toString(f->tickets.getById(mine.id)->status), toString(TicketStatus::Scheduled));
    }
};

QTEST_GUILESS_MAIN(TestTicketService)
#include "test_ticket_service.moc"
