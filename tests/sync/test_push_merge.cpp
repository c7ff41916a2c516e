// The push merges per field against a real PostgreSQL (issue 14, item 4): the office (the administrative
// role, as a dispatcher with psql would) changes rows the laptop changes too; what both changed survives, the
// same field changed on both sides follows its documented rule and leaves a conflict on the server and in the
// local sync_conflicts, a row deleted at the office is never brought back, and a re-sent batch records
// nothing new.
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

QDateTime utc(int year, int month, int day, int hour, int minute)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute), Qt::UTC);
}

Result<sync::PushReport> push(Database &db, const QUuid &user, const QString &url)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        return connection.error();
    sync::Pusher pusher(db, user);
    return pusher.pushAll(**connection);
}

QString errorText(const Result<sync::PushReport> &report)
{
    return report ? QString() : report.error().toString();
}

QString one(const PgTestDatabase &server, const QString &sql)
{
    return server.adminQuery(sql).value(0);
}

QString localOne(Database &db, const QString &sql, const QVariantList &values = {})
{
    auto query = must(db.exec(sql, values), "reading locally");
    return query.next() ? query.value(0).toString() : QStringLiteral("<no row>");
}

/// The local conflicts as "entity_type field outcome theirs mine", sorted.
QStringList localConflicts(Database &db)
{
    auto query = must(db.exec(QStringLiteral("SELECT entity_type || ' ' || field || ' ' || outcome || ' ' || "
                                             "coalesce(theirs, 'NULL') || ' ' || coalesce(mine, 'NULL') FROM "
                                             "sync_conflicts ORDER BY 1")),
                      "reading sync_conflicts");
    QStringList rows;
    while (query.next())
        rows.append(query.value(0).toString());
    return rows;
}

QStringList serverConflicts(const PgTestDatabase &server)
{
    return server.adminQuery(
        QStringLiteral("SELECT entity_type || ' ' || field || ' ' || outcome || ' ' || "
                       "coalesce(theirs::text, 'NULL') || ' ' "
                       "|| coalesce(mine::text, 'NULL') FROM fieldbook_conflicts ORDER BY 1"));
}

const QString kMs = QStringLiteral("'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'");

} // namespace

class TestPushMerge final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void officeRenameSurvivesTheLaptopsEdits()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        // The office renames the customer (a minute ahead of the laptop's clock, as a server's can be).
        VERIFY_OK(
            server.adminExec(QStringLiteral("UPDATE contacts SET name = 'Rosa Diaz-Peralta', updated_at = "
                                            "now() + interval '1 minute'")));
        const QString officeStamp =
            one(server,
                QStringLiteral("SELECT to_char(updated_at AT TIME ZONE 'UTC', %1) FROM contacts").arg(kMs));

        // The laptop, which never saw the rename, edits a note of one of the addresses and the phone.
        AddressUpdate note;
        note.notes = QStringLiteral("Gate code 4821");
        QVERIFY(f->addresses.update(customer.address.id, note).ok());
        ContactUpdate phone;
        phone.phone = QStringLiteral("+1 555 0199");
        QVERIFY(f->contacts.update(customer.contact.id, phone).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, 2);
        QCOMPARE(report->conflicts, 0);

        QCOMPARE(one(server, QStringLiteral("SELECT name || ' | ' || phone FROM contacts")),
                 QStringLiteral("Rosa Diaz-Peralta | +1 555 0199"));
        QCOMPARE(one(server, QStringLiteral("SELECT notes FROM addresses")),
                 QStringLiteral("Gate code 4821"));
        // updated_at did not go back to the laptop's earlier time.
        QCOMPARE(
            one(server,
                QStringLiteral("SELECT to_char(updated_at AT TIME ZONE 'UTC', %1) FROM contacts").arg(kMs)),
            officeStamp);
        // Different fields: no conflict anywhere.
        QVERIFY(serverConflicts(server).isEmpty());
        QVERIFY(localConflicts(f->db()).isEmpty());
    }

    void officeReschedulesWhileTheLaptopWorksOnTheJob()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket =
            must(f->tickets.create({customer.contact.id, customer.address.id, utc(2026, 5, 1, 9, 0), 60, {}}),
                 "ticket");
        const Service filter = must(f->catalog.createService({QStringLiteral("Filter"),
                                                              {},
                                                              PricingType::PerUnit,
                                                              {},
                                                              Money::fromCents(450),
                                                              QStringLiteral("filter"),
                                                              true}),
                                    "service");
        LineItemCreate filters;
        filters.serviceId = filter.id;
        filters.quantity = 2;
        const LineItem item = must(f->tickets.addLineItem(ticket.id, filters), "line item");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        VERIFY_OK(
            server.adminExec(QStringLiteral("UPDATE tickets SET scheduled_at = '2026-05-02T14:00:00Z'")));
        LineItemUpdate three;
        three.quantity = 3;
        QVERIFY(f->tickets.updateLineItem(item.id, three).ok());
        QVERIFY(f->tickets.clockIn(ticket.id).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->conflicts, 0);

        QCOMPARE(one(server,
                     QStringLiteral("SELECT to_char(scheduled_at AT TIME ZONE 'UTC', %1) || ' ' || status || "
                                    "' ' || (clock_in_at IS NOT NULL) FROM tickets")
                         .arg(kMs)),
                 QStringLiteral("2026-05-02T14:00:00.000Z in_progress true"));
        QCOMPARE(
            one(server, QStringLiteral("SELECT quantity || ' x ' || unit_price || ' = ' || total_price FROM "
                                       "line_items")),
            QStringLiteral("3 x 4.50 = 13.50"));
        // The server's audit entries follow its convention: money as decimal text.
        QCOMPARE(
            one(server, QStringLiteral("SELECT changes->'total_price'->>'new' || ' ' || "
                                       "jsonb_typeof(changes->'total_price'->'new') FROM audit_log WHERE "
                                       "entity_type = 'line_item' AND action = 'update'")),
            QStringLiteral("13.50 string"));
        QVERIFY(serverConflicts(server).isEmpty());
    }

    void sameFieldOnBothSidesFollowsTheRuleAndIsRecorded()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket = must(f->tickets.create({customer.contact.id, customer.address.id,
                                                      utc(2026, 5, 1, 9, 0), 60, QStringLiteral("Ladder")}),
                                   "ticket");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        VERIFY_OK(server.adminExec(
            QStringLiteral("UPDATE tickets SET scheduled_at = '2026-05-03T08:00:00.123456Z', "
                           "notes = 'Office: bring the big ladder'")));
        TicketUpdate mine;
        mine.scheduledAt = utc(2026, 5, 2, 10, 0);
        mine.notes = QStringLiteral("Tech: ladder in the van");
        QVERIFY(f->tickets.update(ticket.id, mine).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->conflicts, 2);

        // When the job is booked: the office's; what was done: the technician's.
        QCOMPARE(one(server,
                     QStringLiteral("SELECT to_char(scheduled_at AT TIME ZONE 'UTC', %1) || ' | ' || notes "
                                    "FROM tickets")
                         .arg(kMs)),
                 QStringLiteral("2026-05-03T08:00:00.123Z | Tech: ladder in the van"));
        QCOMPARE(serverConflicts(server),
                 (QStringList{
                     QStringLiteral("ticket notes mine \"Office: bring the big ladder\" \"Tech: ladder in "
                                    "the van\""),
                     QStringLiteral("ticket scheduled_at theirs \"2026-05-03T08:00:00.123Z\" "
                                    "\"2026-05-02T10:00:00.000Z\"")}));
        QCOMPARE(one(server,
                     QStringLiteral("SELECT count(*) FROM fieldbook_conflicts c JOIN audit_log a ON a.id = "
                                    "c.audit_id WHERE c.base IS NOT NULL AND c.device = a.origin")),
                 QStringLiteral("2"));
        // The same on the laptop, which now shows the office's time (the losing value kept in the conflict).
        QCOMPARE(localConflicts(f->db()),
                 (QStringList{
                     QStringLiteral("ticket notes mine \"Office: bring the big ladder\" \"Tech: ladder in "
                                    "the van\""),
                     QStringLiteral("ticket scheduled_at theirs \"2026-05-03T08:00:00.123Z\" "
                                    "\"2026-05-02T10:00:00.000Z\"")}));
        // Who made the office's side: the login the server's own audit entry of that change names.
        const QString officeLogin =
            one(server, QStringLiteral("SELECT author_login FROM audit_log WHERE origin IS "
                                       "NULL AND entity_type = 'ticket' AND action = 'update'"));
        QVERIFY(!officeLogin.isEmpty());
        QCOMPARE(localOne(f->db(),
                          QStringLiteral("SELECT group_concat(DISTINCT theirs_author) FROM sync_conflicts")),
                 officeLogin);
        QCOMPARE(localOne(f->db(), QStringLiteral("SELECT scheduled_at || ' | ' || notes FROM main.tickets")),
                 QStringLiteral("2026-05-03T08:00:00.123Z | Tech: ladder in the van"));
        QCOMPARE(localOne(f->db(),
                          QStringLiteral("SELECT count(*) FROM sync_conflicts WHERE audit_id IN (SELECT id "
                                         "FROM audit_log) AND user_id = ?"),
                          {idText(f.alice())}),
                 QStringLiteral("2"));
    }

    void jobCompletedOnSiteStaysCompletedWhenTheOfficeCancelled()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket =
            must(f->tickets.create({customer.contact.id, customer.address.id, utc(2026, 5, 1, 9, 0), 60, {}}),
                 "ticket");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        VERIFY_OK(server.adminExec(QStringLiteral("UPDATE tickets SET status = 'cancelled'")));
        QVERIFY(f->tickets.clockIn(ticket.id).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(
            one(server, QStringLiteral("SELECT status || ' ' || (clock_in_at IS NOT NULL) FROM tickets")),
            QStringLiteral("in_progress true"));
        QCOMPARE(serverConflicts(server),
                 QStringList{QStringLiteral("ticket status mine \"cancelled\" \"in_progress\"")});
        QCOMPARE(localOne(f->db(), QStringLiteral("SELECT status FROM main.tickets")),
                 QStringLiteral("in_progress"));
    }

    void deleteAtTheOfficeIsNotUndoneByAnUpdate()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Address cabin = must(f->addresses.create({customer.contact.id,
                                                        QStringLiteral("Cabin"),
                                                        QStringLiteral("3 Lake Rd"),
                                                        QStringLiteral("Ogden"),
                                                        QStringLiteral("UT"),
                                                        QStringLiteral("84401"),
                                                        {}}),
                                   "address");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        // The office deletes the customer (soft) and the cabin (addresses have no soft delete).
        VERIFY_OK(
            server.adminExec(QStringLiteral("UPDATE contacts SET deleted_at = '2026-06-01T12:00:00.5Z'")));
        VERIFY_OK(
            server.adminExec(QStringLiteral("DELETE FROM addresses WHERE id = '%1'").arg(idText(cabin.id))));
        ContactUpdate phone;
        phone.phone = QStringLiteral("+1 555 0199");
        QVERIFY(f->contacts.update(customer.contact.id, phone).ok());
        AddressUpdate note;
        note.notes = QStringLiteral("Key under the mat");
        QVERIFY(f->addresses.update(cabin.id, note).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->quarantined, 0);

        // Not resurrected, nothing applied, and each change recorded as met by a delete.
        QCOMPARE(one(server, QStringLiteral("SELECT to_char(deleted_at AT TIME ZONE 'UTC', %1) || ' ' || "
                                            "coalesce(phone, 'no phone') FROM contacts")
                                 .arg(kMs)),
                 QStringLiteral("2026-06-01T12:00:00.500Z 555-0100"));
        QCOMPARE(one(server,
                     QStringLiteral("SELECT count(*) FROM addresses WHERE id = '%1'").arg(idText(cabin.id))),
                 QStringLiteral("0"));
        QCOMPARE(serverConflicts(server),
                 (QStringList{QStringLiteral("address notes deleted null \"Key under the mat\""),
                              QStringLiteral("contact phone deleted \"555-0100\" \"+1 555 0199\"")}));
        QCOMPARE(localConflicts(f->db()),
                 (QStringList{QStringLiteral("address notes deleted null \"Key under the mat\""),
                              QStringLiteral("contact phone deleted \"555-0100\" \"+1 555 0199\"")}));
        // The laptop follows: the customer is deleted there too, at the office's time; the cabin is gone.
        QCOMPARE(localOne(f->db(), QStringLiteral("SELECT deleted_at FROM main.contacts")),
                 QStringLiteral("2026-06-01T12:00:00.500Z"));
        QCOMPARE(localOne(f->db(), QStringLiteral("SELECT count(*) FROM main.addresses WHERE id = ?"),
                          {idText(cabin.id)}),
                 QStringLiteral("0"));

        // Re-sending the laptop's delete of something already deleted is harmless too.
        QVERIFY(f->db().exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = NULL")).ok());
        const auto again = push(f->db(), f.alice(), tech.url);
        QVERIFY2(again.ok(), qPrintable(errorText(again)));
        QCOMPARE(again->quarantined, 0);
        QCOMPARE(serverConflicts(server).size(), 2);
    }

    void resentBatchRecordsNoNewConflicts()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket =
            must(f->tickets.create({customer.contact.id, customer.address.id, utc(2026, 5, 1, 9, 0), 60, {}}),
                 "ticket");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());
        VERIFY_OK(
            server.adminExec(QStringLiteral("UPDATE tickets SET scheduled_at = '2026-05-03T08:00:00Z'")));
        TicketUpdate mine;
        mine.scheduledAt = utc(2026, 5, 2, 10, 0);
        QVERIFY(f->tickets.update(ticket.id, mine).ok());
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());
        QCOMPARE(serverConflicts(server).size(), 1);

        // The office moves the job again; then every acknowledgement is lost (a crash after COMMIT) and the
        // whole outbox goes again: nothing is applied twice, nothing recorded twice, the office's move stays.
        VERIFY_OK(
            server.adminExec(QStringLiteral("UPDATE tickets SET scheduled_at = '2026-05-04T08:00:00Z'")));
        QVERIFY(f->db().exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = NULL")).ok());
        QVERIFY(f->db().exec(QStringLiteral("DELETE FROM sync_conflicts")).ok());
        const auto again = push(f->db(), f.alice(), tech.url);
        QVERIFY2(again.ok(), qPrintable(errorText(again)));
        QCOMPARE(again->quarantined, 0);
        QCOMPARE(serverConflicts(server).size(), 1);
        QCOMPARE(
            one(server,
                QStringLiteral("SELECT to_char(scheduled_at AT TIME ZONE 'UTC', %1) FROM tickets").arg(kMs)),
            QStringLiteral("2026-05-04T08:00:00.000Z"));
        // The conflict the lost acknowledgement should have stored reaches the laptop now, once.
        QCOMPARE(localConflicts(f->db()),
                 QStringList{QStringLiteral("ticket scheduled_at theirs \"2026-05-03T08:00:00.000Z\" "
                                            "\"2026-05-02T10:00:00.000Z\"")});
    }
};

QTEST_GUILESS_MAIN(TestPushMerge)
#include "test_push_merge.moc"
