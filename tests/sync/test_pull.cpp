// The pull (issue 14): the office's changes to a technician's rows reach the laptop, in an order that never
// skips a change (a transaction held open across a pull), with their real author in the local trail, without
// being pushed back, and without overwriting a local change that waits for the push. Against the real server.
#include "core.h"
#include "db/integritycheck.h"
#include "pgconnection.h"
#include "puller.h"
#include "pusher.h"
#include "restorer.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

/// A dispatcher made as the server's administrator would (server-add-dispatcher does the same).
struct Office
{
    QUuid id;
    QString login;
    QString url;
};

Office addOffice(PgTestDatabase &server)
{
    Office office;
    office.id = newId();
    office.login = QStringLiteral("office_") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    const QString password = QStringLiteral("pw-") + QUuid::createUuid().toString(QUuid::Id128);
    for (const QString &sql :
         {QStringLiteral(
              "INSERT INTO users (id, name, email) VALUES ('%1', 'Dana at the office', '%2@example.com')")
              .arg(idText(office.id), office.login),
          QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2' IN ROLE fieldbook_dispatcher")
              .arg(office.login, password),
          QStringLiteral(
              "INSERT INTO fieldbook_logins (login_role, user_id, kind) VALUES ('%1', '%2', 'dispatcher')")
              .arg(office.login, idText(office.id))})
        must(server.adminExec(sql), "adding a dispatcher");
    office.url = QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                     .arg(office.login, password, PgTestServer::instance().host())
                     .arg(PgTestServer::instance().port())
                     .arg(server.name());
    return office;
}

void officeRuns(const Office &office, const QString &sql)
{
    auto connection = must(sync::PgConnection::connect(office.url), "the office connects");
    const sync::PgResult result = connection->execScript(sql.toUtf8()); // one or more statements
    if (!result.ok())
        qFatal("the office's statement failed: %s\n%s", qPrintable(result.message()), qPrintable(sql));
}

Result<sync::PushReport> push(Database &db, const QUuid &user, const QString &url)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        return connection.error();
    return sync::Pusher(db, user).pushAll(**connection);
}

Result<sync::PullReport> pull(Database &db, const QUuid &user, const QString &url, int pageSize = 1000)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        return connection.error();
    return sync::Puller(db, user, pageSize).pullAll(**connection);
}

QString localValue(Database &db, const QString &sql, const QVariantList &values = {})
{
    auto query = must(db.exec(sql, values), "local query");
    return query.next() ? query.value(0).toString() : QStringLiteral("<no row>");
}

/// A customer with a job booked on the laptop and pushed.
struct Booked
{
    CoreFixture::Customer customer;
    Ticket ticket;
};

Booked bookAndPush(CoreFixture &f, const PgTestDatabase::Technician &tech)
{
    Booked booked{f.addCustomer(QStringLiteral("Rosa Diaz")), {}};
    booked.ticket = must(f->tickets.create({booked.customer.contact.id,
                                            booked.customer.address.id,
                                            QDateTime(QDate(2026, 12, 8), QTime(10, 0), Qt::UTC),
                                            60,
                                            {}}),
                         "booking a job");
    auto pushed = push(f->db(), f.alice(), tech.url);
    if (!pushed)
        qFatal("push failed: %s", qPrintable(pushed.error().toString()));
    return booked;
}

/// One sync cycle of a device: push, then pull, on one connection (as fieldbook sync does).
void syncDevice(Database &db, const QUuid &user, const QString &url)
{
    auto connection = must(sync::PgConnection::connect(url), "connecting");
    must(sync::Pusher(db, user).pushAll(*connection), "push");
    must(sync::Puller(db, user).pullAll(*connection), "pull");
}

/// A row of a local table as "column=value" text, for comparing two devices.
QString rowText(Database &db, const QString &table, const QUuid &id)
{
    auto query = must(db.exec(QStringLiteral("SELECT * FROM main.%1 WHERE id = ?").arg(table), {idText(id)}),
                      "reading a row");
    if (!query.next())
        return QStringLiteral("<no row>");
    QStringList fields;
    for (int i = 0; i < query.record().count(); ++i)
        fields.append(query.record().fieldName(i) + QLatin1Char('=') + query.value(i).toString());
    return fields.join(QLatin1Char(' '));
}

} // namespace

class TestPull final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void officeMoveReachesTheLaptopWithItsAuthor()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, tech);
        const int outboxBefore = int(scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")));

        officeRuns(office,
                   QStringLiteral("UPDATE tickets SET scheduled_at = '2026-12-09T14:00:00Z' WHERE id = '%1'")
                       .arg(idText(booked.ticket.id)));
        const auto report = pull(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));

        const Ticket moved = must(f->tickets.getById(booked.ticket.id), "the job");
        QCOMPARE(moved.scheduledAt, QDateTime(QDate(2026, 12, 9), QTime(14, 0), Qt::UTC));
        // The local trail says who moved it, from when to when, in the local convention.
        const auto history =
            must(f->audit().entityHistory(QStringLiteral("ticket"), booked.ticket.id), "history");
        QVERIFY(!history.isEmpty());
        const AuditEntry &last = history.first();
        QCOMPARE(last.userId, office.id);
        QCOMPARE(last.changes.value(QStringLiteral("scheduled_at")).toObject(),
                 (QJsonObject{{QStringLiteral("old"), QStringLiteral("2026-12-08T10:00:00.000Z")},
                              {QStringLiteral("new"), QStringLiteral("2026-12-09T14:00:00.000Z")}}));
        QCOMPARE(
            localValue(f->db(),
                       QStringLiteral("SELECT author_login || ' ' || origin FROM audit_log WHERE id = ?"),
                       {idText(last.id)}),
            office.login + QStringLiteral(" server"));
        QCOMPARE(
            localValue(f->db(),
                       QStringLiteral("SELECT name || ' ' || kind FROM sync_authors WHERE author_id = ?"),
                       {idText(office.id)}),
            QStringLiteral("Dana at the office dispatcher"));
        // Pulled changes are not pushed back, and the file stays consistent.
        QCOMPARE(int(scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))), outboxBefore);
        QCOMPARE(must(push(f->db(), f.alice(), tech.url), "push after pull").pushed, 0);

        // Nothing new: one round trip, nothing applied.
        const auto again = pull(f->db(), f.alice(), tech.url);
        QVERIFY(again.ok());
        QCOMPARE(again->pages, 0);
        QCOMPARE(again->changes, 0);
    }

    void officeBooksAndCancels()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, tech);

        // The office books a new job for a new customer and cancels the laptop's job.
        const QString contact = idText(newId());
        const QString address = idText(newId());
        const QString job = idText(newId());
        officeRuns(office,
                   QStringLiteral("INSERT INTO contacts (id, user_id, name, phone) VALUES ('%1', '%2', "
                                  "'Walter Ng', '(815) 555-0186')")
                       .arg(contact, idText(f.alice())));
        officeRuns(office,
                   QStringLiteral("INSERT INTO addresses (id, user_id, contact_id, street, city, state, zip) "
                                  "VALUES ('%1', '%2', '%3', '9 Elm St', 'Rockford', 'IL', '61101')")
                       .arg(address, idText(f.alice()), contact));
        officeRuns(office,
                   QStringLiteral("INSERT INTO tickets (id, user_id, contact_id, address_id, scheduled_at, "
                                  "scheduled_duration_minutes) VALUES ('%1', '%2', '%3', '%4', "
                                  "'2026-12-10 09:30:00.123456+00', 45)")
                       .arg(job, idText(f.alice()), contact, address));
        officeRuns(office, QStringLiteral("UPDATE tickets SET status = 'cancelled' WHERE id = '%1'")
                               .arg(idText(booked.ticket.id)));

        // Small pages: a page may end between a parent and its child.
        const auto report = pull(f->db(), f.alice(), tech.url, 3);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QVERIFY(report->pages > 1);

        const Ticket booked2 = must(f->tickets.getById(QUuid(job)), "the office's job");
        QCOMPARE(booked2.scheduledAt, QDateTime(QDate(2026, 12, 10), QTime(9, 30, 0, 123), Qt::UTC));
        QCOMPARE(booked2.scheduledDurationMinutes, std::optional<int>(45));
        QCOMPARE(must(f->contacts.getById(QUuid(contact)), "the office's customer").name,
                 QStringLiteral("Walter Ng"));
        QVERIFY(must(f->tickets.getById(booked.ticket.id), "the cancelled job").status ==
                TicketStatus::Cancelled);
        const IntegrityReport check = must(checkIntegrity(f.path()), "integrity check");
        QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.join(QLatin1Char('\n'))));
    }

    void transactionHeldOpenAcrossAPullIsNotSkipped()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const Booked first = bookAndPush(f, tech);
        const Ticket second = must(f->tickets.create({first.customer.contact.id,
                                                      first.customer.address.id,
                                                      QDateTime(QDate(2026, 12, 8), QTime(13, 0), Qt::UTC),
                                                      30,
                                                      {}}),
                                   "a second job");
        must(push(f->db(), f.alice(), tech.url), "push");

        // One office session takes its transaction id first and stays open; another commits after it. A feed
        // read by "largest number seen" would hand the second change out and step past the first for good.
        auto slow = must(sync::PgConnection::connect(office.url), "slow office session");
        QVERIFY(slow->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY(slow->exec(QStringLiteral("UPDATE tickets SET notes = 'gate code 4821' WHERE id = '%1'")
                               .arg(idText(first.ticket.id)))
                    .ok());
        officeRuns(office,
                   QStringLiteral("UPDATE tickets SET scheduled_duration_minutes = 90 WHERE id = '%1'")
                       .arg(idText(second.id)));

        // A pull meanwhile reads around the open transaction (a row's state is read as committed now, so it
        // may bring the later change early; it can never step past the open one).
        QVERIFY(pull(f->db(), f.alice(), tech.url).ok());
        QCOMPARE(must(f->tickets.getById(first.ticket.id), "first").notes, std::nullopt);

        QVERIFY(slow->exec(QStringLiteral("COMMIT")).ok());
        const auto after = pull(f->db(), f.alice(), tech.url);
        QVERIFY(after.ok());
        QCOMPARE(must(f->tickets.getById(first.ticket.id), "first").notes,
                 std::optional<QString>(QStringLiteral("gate code 4821")));
        QCOMPARE(must(f->tickets.getById(second.id), "second").scheduledDurationMinutes,
                 std::optional<int>(90));
    }

    void localChangeNotYetPushedIsKept()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, tech);

        TicketUpdate notes;
        notes.notes = QStringLiteral("ladder: 8 m");
        must(f->tickets.update(booked.ticket.id, notes), "a local edit, not pushed");
        officeRuns(office, QStringLiteral("UPDATE tickets SET notes = 'office note', scheduled_at = "
                                          "'2026-12-11T08:00:00Z' WHERE id = '%1'")
                               .arg(idText(booked.ticket.id)));

        const auto report = pull(f->db(), f.alice(), tech.url);
        QVERIFY(report.ok());
        const Ticket now = must(f->tickets.getById(booked.ticket.id), "the job");
        QCOMPARE(now.notes, std::optional<QString>(QStringLiteral("ladder: 8 m"))); // waits for the push
        QCOMPARE(now.scheduledAt, QDateTime(QDate(2026, 12, 11), QTime(8, 0), Qt::UTC));
        QCOMPARE(report->keptLocal, 1);
        QCOMPARE(
            must(f->db().exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE pushed_at IS NULL")),
                 "pending")
                .next(),
            true);
    }

    void removalsAtTheOfficeReachTheLaptop()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const auto customer = f.addCustomer(QStringLiteral("Gone Soon"));
        const Address second = must(f->addresses.create({customer.contact.id,
                                                         std::optional<QString>(QStringLiteral("Barn")),
                                                         QStringLiteral("2 Farm Rd"),
                                                         QStringLiteral("Byron"),
                                                         QStringLiteral("IL"),
                                                         QStringLiteral("61010"),
                                                         {}}),
                                    "second address");
        must(push(f->db(), f.alice(), tech.url), "push");

        officeRuns(office, QStringLiteral("DELETE FROM addresses WHERE id = '%1'").arg(idText(second.id)));
        officeRuns(office, QStringLiteral("UPDATE contacts SET deleted_at = now() WHERE id = '%1'")
                               .arg(idText(customer.contact.id)));
        const auto pulled = pull(f->db(), f.alice(), tech.url);
        QVERIFY2(pulled.ok(), qPrintable(pulled.ok() ? QString() : pulled.error().toString()));
        QCOMPARE(localValue(f->db(), QStringLiteral("SELECT count(*) FROM main.addresses WHERE id = ?"),
                            {idText(second.id)}),
                 QStringLiteral("0"));
        QVERIFY(!f->contacts.getById(customer.contact.id).ok());
        QVERIFY(localValue(f->db(), QStringLiteral("SELECT deleted_at FROM main.contacts WHERE id = ?"),
                           {idText(customer.contact.id)})
                    .endsWith(QLatin1Char('Z')));
    }

    void seedServicesWritesAreReadInTheirConvention()
    {
        // The seed's Python services write rows with app.current_user_id and audit entries of their own, with
        // money as text dollars and times with microseconds; the pull reads both.
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Booked booked = bookAndPush(f, tech);
        const Service service = must(
            f->catalog.createService(
                {QStringLiteral("Gutters"), {}, PricingType::Fixed, Money::fromCents(12000), {}, {}, true}),
            "service");
        must(push(f->db(), f.alice(), tech.url), "push");
        auto python = must(sync::PgConnection::connect(tech.url), "the seed's service connects");
        QVERIFY(python->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY(python
                    ->exec(QStringLiteral("SELECT set_config('app.current_user_id', '%1', true)")
                               .arg(idText(f.alice())))
                    .ok());
        QVERIFY(python
                    ->exec(QStringLiteral("UPDATE services SET default_price = 156.00 WHERE id = '%1'")
                               .arg(idText(service.id)))
                    .ok());
        QVERIFY(python
                    ->exec(QStringLiteral(
                               "INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, changes, "
                               "created_at) VALUES (gen_random_uuid(), '%1', 'service', '%2', 'update', "
                               "'{\"default_price\": {\"old\": \"120.00\", \"new\": \"156.00\"}}', "
                               "'2026-12-05T14:05:58.123456+00:00')")
                               .arg(idText(f.alice()), idText(service.id)))
                    .ok());
        QVERIFY(python->exec(QStringLiteral("COMMIT")).ok());
        Q_UNUSED(booked);

        QVERIFY(pull(f->db(), f.alice(), tech.url).ok());
        QCOMPARE(must(f->catalog.getById(service.id), "service").defaultPrice,
                 std::optional<Money>(Money::fromCents(15600)));
        QCOMPARE(localValue(f->db(),
                            QStringLiteral(
                                "SELECT count(*) FROM audit_log WHERE entity_id = ? AND origin = 'server' "
                                "AND json_extract(changes, '$.default_price.new') = 15600 AND "
                                "json_extract(changes, '$.default_price.old') = 12000"),
                            {idText(service.id)}),
                 QStringLiteral("2")); // the server's own entry and the service's
    }

    void twoDevicesOfOneTechnicianConverge()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Booked booked = bookAndPush(f, tech);

        // The second device starts as a restore of the first.
        QTemporaryDir dir;
        auto tablet =
            must(Core::open(dir.filePath(QStringLiteral("tablet.db")), uniqueConnectionName()), "tablet");
        {
            auto connection = must(sync::PgConnection::connect(tech.url), "tablet connects");
            must(sync::Restorer(*tablet).restore(*connection), "restoring the tablet");
        }
        QCOMPARE(rowText(tablet->db(), QStringLiteral("tickets"), booked.ticket.id),
                 rowText(f->db(), QStringLiteral("tickets"), booked.ticket.id));

        // Offline on both: different fields of the job, and the same field of the customer.
        TicketUpdate notes;
        notes.notes = QStringLiteral("from the laptop");
        must(f->tickets.update(booked.ticket.id, notes), "laptop edits the notes");
        TicketUpdate longer;
        longer.scheduledDurationMinutes = 120;
        must(tablet->tickets.update(booked.ticket.id, longer), "tablet lengthens the job");
        ContactUpdate laptopPhone;
        laptopPhone.phone = QStringLiteral("(815) 555-0100");
        must(f->contacts.update(booked.customer.contact.id, laptopPhone), "laptop phone");
        ContactUpdate tabletPhone;
        tabletPhone.phone = QStringLiteral("(815) 555-0199");
        must(tablet->contacts.update(booked.customer.contact.id, tabletPhone), "tablet phone");

        syncDevice(f->db(), f.alice(), tech.url);
        syncDevice(tablet->db(), f.alice(), tech.url);
        syncDevice(f->db(), f.alice(), tech.url);

        // Both changes to the job survive on both; the phone is the later arrival's on both, and the tablet
        // keeps a record of the value it replaced.
        const Ticket job = must(f->tickets.getById(booked.ticket.id), "laptop's job");
        QCOMPARE(job.notes, std::optional<QString>(QStringLiteral("from the laptop")));
        QCOMPARE(job.scheduledDurationMinutes, std::optional<int>(120));
        for (const QString &table : {QStringLiteral("tickets"), QStringLiteral("contacts")}) {
            const QUuid id =
                table == QLatin1String("tickets") ? booked.ticket.id : booked.customer.contact.id;
            QCOMPARE(rowText(tablet->db(), table, id), rowText(f->db(), table, id));
        }
        QCOMPARE(must(f->contacts.getById(booked.customer.contact.id), "phone").phone,
                 std::optional<QString>(QStringLiteral("(815) 555-0199")));
        QCOMPARE(localValue(tablet->db(),
                            QStringLiteral("SELECT count(*) FROM sync_conflicts WHERE field = 'phone' AND "
                                           "outcome = 'mine'")),
                 QStringLiteral("1"));
    }

    void aServerSetUpAnewOrRestoredFromABackupStopsThePull()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, tech);
        QVERIFY(pull(f->db(), f.alice(), tech.url).ok()); // learns the server's identity
        officeRuns(office, QStringLiteral("UPDATE tickets SET notes = 'from the office' WHERE id = '%1'")
                               .arg(idText(booked.ticket.id)));

        // Another server under the same address (set up anew): nothing is pulled.
        must(server.adminExec(QStringLiteral("UPDATE fieldbook_server SET id = gen_random_uuid()")),
             "new identity");
        auto refused = pull(f->db(), f.alice(), tech.url);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::InvalidState);
        QVERIFY2(
            refused.error().message.contains(QStringLiteral("is not the server this laptop synced with")),
            qPrintable(refused.error().message));
        QCOMPARE(must(f->tickets.getById(booked.ticket.id), "job").notes, std::nullopt);

        // The same server, gone back in time behind what this laptop pulled (a backup): nothing is pulled.
        QTemporaryDir dir;
        auto fresh =
            must(Core::open(dir.filePath(QStringLiteral("fresh.db")), uniqueConnectionName()), "fresh");
        must(fresh->db().exec(
                 QStringLiteral("INSERT INTO users (id, name, email, created_at) VALUES (?, 'Alice', "
                                "'alice@example.com', '2026-01-01T00:00:00.000Z')"),
                 {idText(f.alice())}),
             "profile");
        must(fresh->setCurrentUser(f.alice()), "select");
        must(fresh->db().exec(
                 QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, 'pull_position', "
                                "'900000000:0')"),
                 {idText(f.alice())}),
             "a position from the future");
        auto behind = pull(fresh->db(), f.alice(), tech.url);
        QVERIFY(!behind.ok());
        QVERIFY2(behind.error().message.contains(QStringLiteral("gone back in time")),
                 qPrintable(behind.error().message));
    }

    void aPullThatWouldEmptyATableStopsAndAsks()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const auto customer = f.addCustomer(QStringLiteral("Many Sites Inc"));
        for (int i = 0; i < 30; ++i)
            must(f->addresses.create({customer.contact.id,
                                      std::optional<QString>(QStringLiteral("Site %1").arg(i)),
                                      QStringLiteral("%1 Depot Rd").arg(i),
                                      QStringLiteral("Joliet"),
                                      QStringLiteral("IL"),
                                      QStringLiteral("60431"),
                                      {}}),
                 "a site");
        must(push(f->db(), f.alice(), tech.url), "push");
        QVERIFY(pull(f->db(), f.alice(), tech.url).ok());

        officeRuns(office, QStringLiteral("DELETE FROM addresses WHERE label LIKE 'Site %'"));
        auto refused = pull(f->db(), f.alice(), tech.url);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QStringLiteral("would remove 30 of the 31 addresses")),
                 qPrintable(refused.error().message));
        QCOMPARE(localValue(f->db(), QStringLiteral("SELECT count(*) FROM main.addresses")),
                 QStringLiteral("31"));

        // The technician confirms: the removals go through.
        auto connection = must(sync::PgConnection::connect(tech.url), "connect");
        sync::Puller accepting(f->db(), f.alice());
        accepting.setAcceptRemovals(true);
        QVERIFY(accepting.pullAll(*connection).ok());
        QCOMPARE(localValue(f->db(), QStringLiteral("SELECT count(*) FROM main.addresses")),
                 QStringLiteral("1"));
    }

    void aPageEndingBetweenAParentAndItsChildConverges()
    {
        // The job's state in a page can point at an address created in a later page: the job is left out of
        // that page, named, and arrives with the page that brings its address.
        CoreFixture f;
        PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, tech);
        const QString job = idText(booked.ticket.id);
        const QString site = idText(newId());
        officeRuns(office,
                   QStringLiteral("UPDATE tickets SET notes = 'ring twice' WHERE id = '%1'").arg(job));
        officeRuns(office,
                   QStringLiteral("INSERT INTO addresses (id, user_id, contact_id, street, city, state, zip) "
                                  "VALUES ('%1', '%2', '%3', '7 New Rd', 'Rockford', 'IL', '61101')")
                       .arg(site, idText(f.alice()), idText(booked.customer.contact.id)));
        officeRuns(office,
                   QStringLiteral("UPDATE tickets SET address_id = '%1' WHERE id = '%2'").arg(site, job));

        const auto report = pull(f->db(), f.alice(), tech.url, 2);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QVERIFY2(!report->leftOut.isEmpty() && report->leftOut.first().contains(job),
                 "the job was left out once");
        const Ticket now = must(f->tickets.getById(booked.ticket.id), "the job");
        QCOMPARE(now.addressId, QUuid(site));
        QCOMPARE(now.notes, std::optional<QString>(QStringLiteral("ring twice")));
    }

    void aJobGivenToAnotherTechnicianLeavesTheFirst()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto alice = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const QUuid bobId = f.addUser(QStringLiteral("Bob"), QStringLiteral("bob@example.com"));
        server.addTechnician(bobId, QStringLiteral("bob@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, alice);
        QVERIFY(pull(f->db(), f.alice(), alice.url).ok());

        // The office gives the job (and its customer's site) to Bob.
        const QString bobsCustomer = idText(newId());
        const QString bobsSite = idText(newId());
        officeRuns(office,
                   QStringLiteral("INSERT INTO contacts (id, user_id, name) VALUES ('%1', '%2', 'Bob''s')")
                       .arg(bobsCustomer, idText(bobId)));
        officeRuns(office,
                   QStringLiteral("INSERT INTO addresses (id, user_id, contact_id, street, city, state, zip) "
                                  "VALUES ('%1', '%2', '%3', '1 B St', 'Elgin', 'IL', '60120')")
                       .arg(bobsSite, idText(bobId), bobsCustomer));
        officeRuns(office,
                   QStringLiteral("UPDATE tickets SET user_id = '%1', contact_id = '%2', address_id = '%3' "
                                  "WHERE id = '%4'")
                       .arg(idText(bobId), bobsCustomer, bobsSite, idText(booked.ticket.id)));

        const auto report = pull(f->db(), f.alice(), alice.url);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QVERIFY(report->leftOut.isEmpty());
        QVERIFY(!f->tickets.getById(booked.ticket.id).ok()); // gone from Alice's schedule
        QVERIFY(localValue(f->db(),
                           QStringLiteral("SELECT user_id || ' ' || coalesce(deleted_at, 'live') FROM "
                                          "main.tickets WHERE id = ?"),
                           {idText(booked.ticket.id)})
                    .startsWith(idText(f.alice()) + QLatin1Char(' ')));
        QCOMPARE(localValue(f->db(), QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ?"),
                            {bobsCustomer}),
                 QStringLiteral("0")); // nothing of Bob's reached Alice
    }

    void nobodyHidesAChangeOrWritesIntoAnothersHistory()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto alice = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const QUuid bobId = f.addUser(QStringLiteral("Bob"), QStringLiteral("bob@example.com"));
        const auto bob = server.addTechnician(bobId, QStringLiteral("bob@example.com"));
        const Office office = addOffice(server);
        const Booked booked = bookAndPush(f, alice);
        QVERIFY(pull(f->db(), f.alice(), alice.url).ok());
        const QString device =
            localValue(f->db(), QStringLiteral("SELECT value FROM sync_state WHERE key = 'device_id'"));

        // The office names itself as Alice's device: the change is still audited as the office's and pulled.
        officeRuns(office, QStringLiteral(
                               "SELECT set_config('app.fieldbook_device', '%1', false); UPDATE tickets SET "
                               "notes = 'office, incognito' WHERE id = '%2'")
                               .arg(device, idText(booked.ticket.id)));
        // Bob writes an entry about Alice's job, claiming a login and a device: it stays in Bob's own feed.
        auto asBob = must(sync::PgConnection::connect(bob.url), "bob connects");
        QVERIFY(asBob
                    ->execScript(
                        QStringLiteral("BEGIN; SELECT set_config('app.current_user_id', '%1', true); "
                                       "INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, "
                                       "changes, created_at, author_login, origin) VALUES "
                                       "(gen_random_uuid(), '%1', 'ticket', '%2', 'update', "
                                       "'{\"notes\": {\"old\": null, \"new\": \"forged\"}}', now(), "
                                       "'%3', '%4'); COMMIT;")
                            .arg(idText(bobId), idText(booked.ticket.id), office.login, device)
                            .toUtf8())
                    .ok());
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT author_login || ' ' || coalesce(origin, '-') FROM audit_log "
                                    "WHERE changes->'notes'->>'new' = 'forged'")),
                 QStringList{bob.login + QStringLiteral(" -")});

        QVERIFY(pull(f->db(), f.alice(), alice.url).ok());
        QCOMPARE(must(f->tickets.getById(booked.ticket.id), "job").notes,
                 std::optional<QString>(QStringLiteral("office, incognito")));
        QCOMPARE(localValue(
                     f->db(),
                     QStringLiteral("SELECT count(*) FROM audit_log WHERE user_id = ? AND author_login = ?"),
                     {idText(office.id), office.login}),
                 QStringLiteral("1"));
        QCOMPARE(localValue(f->db(),
                            QStringLiteral("SELECT count(*) FROM audit_log WHERE changes LIKE '%forged%'")),
                 QStringLiteral("0"));
    }

    void aTechnicianPullsOnlyTheirOwnFeed()
    {
        CoreFixture f;
        PgTestDatabase server;
        const auto alice = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const QUuid bobId = f.addUser(QStringLiteral("Bob"), QStringLiteral("bob@example.com"));
        const auto bob = server.addTechnician(bobId, QStringLiteral("bob@example.com"));
        bookAndPush(f, alice);

        // Bob's login cannot pull as Alice, and Bob's own feed holds nothing of hers.
        auto connection = must(sync::PgConnection::connect(bob.url), "bob connects");
        const sync::PgResult asAlice =
            connection->exec(QStringLiteral("SELECT count(*) FROM fieldbook_pull('%1', NULL, '0', 0, 100)")
                                 .arg(idText(f.alice())));
        QVERIFY(!asAlice.ok());
        QVERIFY2(asAlice.message().contains(QStringLiteral("cannot act as")), qPrintable(asAlice.message()));
        const sync::PgResult own =
            connection->exec(QStringLiteral("SELECT count(*) FROM fieldbook_pull('%1', NULL, '0', 0, 100)")
                                 .arg(idText(bobId)));
        QVERIFY(own.ok());
        QCOMPARE(own.value(0, 0), QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestPull)
#include "test_pull.moc"
