// The push against a real PostgreSQL (issue 3): every entity type arrives field by field, exactly once, in
// bounded batches; updates, soft and hard deletes propagate; a poison change is set aside while the rest goes
// on; a server that is down or drops the connection mid-batch loses and duplicates nothing.
#include "db/transaction.h"
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSemaphore>
#include <QSet>
#include <QSqlRecord>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace fb;
using namespace fb::test;

namespace {

QStringList serverAuditIds(const test::PgTestDatabase &server, const QUuid &user)
{
    return server.adminQuery(
        QStringLiteral("SELECT id::text FROM audit_log WHERE user_id = '%1' ORDER BY id").arg(idText(user)));
}

int serverCount(const test::PgTestDatabase &server, const QString &sql)
{
    return server.adminQuery(sql).value(0).toInt();
}

Result<sync::PushReport> push(Database &db, const QUuid &user, const QString &url,
                              int batchSize = sync::Pusher::kDefaultBatchSize)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        return connection.error();
    sync::Pusher pusher(db, user, batchSize);
    return pusher.pushAll(**connection);
}

QString errorText(const Result<sync::PushReport> &report)
{
    return report ? QString() : report.error().toString();
}

/// A URL to a port nobody listens on (the server is "down").
QString closedPortUrl(const test::PgTestDatabase::Technician &tech, const QString &database)
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot find a free port");
    const quint16 port = probe.serverPort();
    probe.close();
    return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4")
        .arg(tech.login, tech.password)
        .arg(port)
        .arg(database);
}

/// A TCP proxy on 127.0.0.1 in front of the test server, on its own thread: the push blocks the test's thread
/// inside libpq. It forwards both ways until the client starts sending its `dropOnScript`-th batch script
/// (the push's "BEGIN; SELECT set_config('app.current_user_id', ..."): then it forwards only the first bytes
/// of that script and aborts both connections, as a network that dies mid-batch would.
class DroppingProxy final : public QThread
{
public:
    DroppingProxy(quint16 target, int dropOnScript) : m_target(target), m_dropOnScript(dropOnScript)
    {
        start();
        m_ready.acquire();
    }
    ~DroppingProxy() override
    {
        quit();
        wait();
    }
    quint16 port() const { return m_port; }
    bool dropped() const { return m_dropped.load(); }

protected:
    void run() override
    {
        QTcpServer server;
        if (server.listen(QHostAddress::LocalHost, 0))
            m_port = server.serverPort();
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this, &server] {
            while (QTcpSocket *client = server.nextPendingConnection())
                relay(client);
        });
        m_ready.release();
        exec();
    }

private:
    void relay(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        upstream->connectToHost(QHostAddress::LocalHost, m_target);
        if (!upstream->waitForConnected(5000)) {
            client->abort();
            return;
        }
        static const QByteArray marker = "BEGIN;\nSELECT set_config('app.current_user_id'";
        auto tail = std::make_shared<QByteArray>();
        auto toServer = [this, client, upstream, tail] {
            const QByteArray data = client->readAll();
            if (m_dropped.load())
                return;
            const QByteArray scan = *tail + data;
            qsizetype cut = -1;
            for (qsizetype at = scan.indexOf(marker); at >= 0;
                 at = scan.indexOf(marker, at + marker.size())) {
                if (++m_scripts == m_dropOnScript) {
                    cut = at - tail->size() + marker.size() + 64;
                    break;
                }
            }
            *tail = scan.right(marker.size() - 1);
            if (cut < 0) {
                upstream->write(data);
                return;
            }
            upstream->write(data.left(std::max<qsizetype>(cut, 0)));
            upstream->flush();
            m_dropped.store(true);
            client->abort();
            upstream->abort();
        };
        QObject::connect(client, &QTcpSocket::readyRead, upstream, toServer);
        QObject::connect(upstream, &QTcpSocket::readyRead, client,
                         [client, upstream] { client->write(upstream->readAll()); });
        QObject::connect(upstream, &QTcpSocket::disconnected, client,
                         [client] { client->disconnectFromHost(); });
        QObject::connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
            upstream->disconnectFromHost();
            client->deleteLater();
        });
        toServer(); // the startup message may have arrived before the upstream connection was made
    }

    const quint16 m_target;
    const int m_dropOnScript;
    QSemaphore m_ready;
    quint16 m_port = 0;
    int m_scripts = 0; // only touched on the proxy's thread
    std::atomic<bool> m_dropped{false};
};

QString proxyUrl(const test::PgTestDatabase::Technician &tech, const QString &database, quint16 port)
{
    return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4")
        .arg(tech.login, tech.password)
        .arg(port)
        .arg(database);
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second, int ms)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, ms), Qt::UTC);
}

/// What the round trip creates and later checks by name.
struct Everything
{
    QUuid tuneUp;    // fixed, 19.99
    QUuid smallPart; // fixed, 0.05
    QUuid filter;    // per unit, 4.50
    QUuid diagnosis; // flexible
    QUuid bigJob;    // fixed, 99,999,999.99, inactive
    QUuid scheduled; // ticket at 2026-03-14T09:26:53.589Z
    QUuid completed;
    QUuid paidInvoice;
    QUuid filterItem;
};

/// One of everything, in every state: contacts with and without optional fields (one soft-deleted, one with
/// quotes, backslashes, newlines and non-Latin text), services of every pricing type (one inactive, one
/// deleted), tickets in every status with clock times (one soft-deleted), line items (one removed), invoices
/// draft, sent, paid, void and deleted, notes on a contact, a ticket and both (one deleted), attributes with
/// object and scalar values from a close-out, scheduled messages pending, sent, cancelled and failed.
Everything createEverything(test::CoreFixture &f)
{
    Core &core = f.core();
    Everything e;
    const Contact full =
        must(core.contacts.create({QStringLiteral("Rosa Diaz"), QStringLiteral("rosa@example.com"),
                                   QStringLiteral("+1 555 0101"), QStringLiteral("Back door")}),
             "contact");
    const Contact bare = must(core.contacts.create({QStringLiteral("Bare Minimum"), {}, {}, {}}), "contact");
    const Contact odd =
        must(core.contacts.create(
                 {QStringLiteral("Zoë Ñúñez 山田 🐕"),
                  {},
                  {},
                  QStringLiteral("He said \"ring twice\" \\ o/\nSecond line\ttab, 100% sure; 'quoted'")}),
             "contact");
    const Contact gone = must(core.contacts.create({QStringLiteral("Moved Away"), {}, {}, {}}), "contact");
    must(core.contacts.remove(gone.id), "contact soft delete");

    AddressCreate home{full.id,
                       QStringLiteral("Home"),
                       QStringLiteral("12 Elm Street"),
                       QStringLiteral("Springfield"),
                       QStringLiteral("IL"),
                       QStringLiteral("62701"),
                       QStringLiteral("Gate code at the office")};
    const Address rosaHome = must(core.addresses.create(home), "address");
    AddressCreate shop{odd.id,
                       {},
                       QStringLiteral("1 Main St"),
                       QStringLiteral("Shelbyville"),
                       QStringLiteral("IL"),
                       QStringLiteral("62565"),
                       {}};
    const Address oddShop = must(core.addresses.create(shop), "address");

    ServiceCreate tuneUp{QStringLiteral("Tune-up"),
                         QStringLiteral("Annual tune-up"),
                         PricingType::Fixed,
                         Money::fromCents(1999),
                         {},
                         {},
                         true};
    e.tuneUp = must(core.catalog.createService(tuneUp), "service").id;
    ServiceCreate smallPart{
        QStringLiteral("Washer"), {}, PricingType::Fixed, Money::fromCents(5), {}, {}, true};
    e.smallPart = must(core.catalog.createService(smallPart), "service").id;
    ServiceCreate filter{QStringLiteral("Filter"), {},  PricingType::PerUnit, {}, Money::fromCents(450),
                         QStringLiteral("filter"), true};
    e.filter = must(core.catalog.createService(filter), "service").id;
    ServiceCreate diagnosis{QStringLiteral("Diagnosis"), {}, PricingType::Flexible, {}, {}, {}, true};
    e.diagnosis = must(core.catalog.createService(diagnosis), "service").id;
    ServiceCreate bigJob{QStringLiteral("Whole building"),
                         {},
                         PricingType::Fixed,
                         Money::fromCents(Money::kMaxCents),
                         {},
                         {},
                         false};
    e.bigJob = must(core.catalog.createService(bigJob), "service").id;
    ServiceCreate retired{
        QStringLiteral("Retired"), {}, PricingType::Fixed, Money::fromCents(100), {}, {}, true};
    const QUuid retiredId = must(core.catalog.createService(retired), "service").id;
    must(core.catalog.deleteService(retiredId), "service delete");

    // Scheduled, with a line item that is then removed, and a note on the ticket only.
    TicketCreate scheduled{full.id, rosaHome.id, utc(2026, 3, 14, 9, 26, 53, 589), 90,
                           QStringLiteral("Bring a ladder")};
    e.scheduled = must(core.tickets.create(scheduled), "ticket").id;
    LineItemCreate removed;
    removed.serviceId = e.smallPart;
    const LineItem removedItem = must(core.tickets.addLineItem(e.scheduled, removed), "line item");
    must(core.tickets.removeLineItem(removedItem.id), "line item removal");
    must(core.notes.create({{}, e.scheduled, QStringLiteral("Customer asked for a morning slot")}), "note");

    // In progress: clocked in.
    const QUuid inProgress =
        must(core.tickets.create({full.id, rosaHome.id, utc(2026, 3, 15, 13, 0, 0, 1), {}, {}}), "ticket").id;
    must(core.tickets.clockIn(inProgress), "clock in");

    // Completed through the close-out, with line items of every pricing type and a reach-out.
    e.completed =
        must(core.tickets.create({odd.id, oddShop.id, utc(2026, 3, 16, 8, 30, 0, 999), 60, {}}), "ticket").id;
    must(core.tickets.clockIn(e.completed), "clock in");
    LineItemCreate fixedItem;
    fixedItem.serviceId = e.tuneUp;
    fixedItem.durationMinutes = 45;
    must(core.tickets.addLineItem(e.completed, fixedItem), "line item");
    LineItemCreate perUnit;
    perUnit.serviceId = e.filter;
    perUnit.quantity = 3;
    perUnit.description = QStringLiteral("Three 16x25 filters");
    e.filterItem = must(core.tickets.addLineItem(e.completed, perUnit), "line item").id;
    LineItemCreate flexible;
    flexible.serviceId = e.diagnosis;
    flexible.unitPrice = Money::fromCents(12345);
    must(core.tickets.addLineItem(e.completed, flexible), "line item");
    must(core.tickets.clockOut(e.completed), "clock out");
    must(core.tickets.initiateCloseOut(e.completed, 50,
                                       QStringLiteral("Dog Rex (lab) in the yard, gate code 1234")),
         "close-out step 1");
    const QJsonObject confirmed{
        {QStringLiteral("dog"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Rex")},
                                            {QStringLiteral("breed"), QStringLiteral("lab")}}},
        {QStringLiteral("gate_code"), QStringLiteral("1234")},
        {QStringLiteral("ladder_needed"), true},
        {QStringLiteral("floors"), 2},
    };
    must(core.tickets.finalizeCloseOut(e.completed, confirmed, NextServiceAction::ReachOut, 6),
         "close-out step 2");
    must(core.attributes.setAttribute({full.id, QStringLiteral("water_hardness"), 7.5, {}}), "attribute");

    // Cancelled, and one soft-deleted (the service layer has no ticket delete: the store does it).
    const QUuid cancelled =
        must(core.tickets.create({full.id, rosaHome.id, utc(2026, 3, 17, 10, 0, 0, 0), {}, {}}), "ticket").id;
    must(core.tickets.cancel(cancelled), "cancel");
    const QUuid deletedTicket =
        must(core.tickets.create({full.id, rosaHome.id, utc(2026, 3, 18, 10, 0, 0, 0), {}, {}}), "ticket").id;

    // Invoices: paid (from the completed ticket), sent, void, draft, deleted.
    e.paidInvoice = must(core.invoices.createFromTicket(e.completed), "invoice").id;
    must(core.invoices.send(e.paidInvoice), "send");
    must(core.invoices.markPaid(e.paidInvoice), "paid");
    const QUuid sent = must(core.invoices.createStandalone(full.id, Money::fromCents(100)), "invoice").id;
    must(core.invoices.send(sent), "send");
    const QUuid voided = must(core.invoices.createStandalone(odd.id, Money::fromCents(1)), "invoice").id;
    must(core.invoices.voidInvoice(voided, QStringLiteral("Billed in error")), "void");
    must(core.invoices.createStandalone(bare.id, Money::fromCents(Money::kMaxCents)), "invoice");
    const QUuid deletedInvoice =
        must(core.invoices.createStandalone(bare.id, Money::fromCents(2500)), "invoice").id;

    must(core.notes.create({bare.id, {}, QStringLiteral("Prefers e-mail")}), "note");
    const QUuid deletedNote =
        must(core.notes.create({full.id, {}, QStringLiteral("Wrong customer")}), "note").id;

    // Messages: the close-out's reach-out stays pending; one sent, one cancelled, one failed.
    const QUuid sentMessage =
        must(core.messages.schedule(
                 {full.id, {}, QStringLiteral("See you Tuesday"), utc(2026, 3, 20, 7, 45, 12, 250)}),
             "message")
            .id;
    must(core.messages.markSent(sentMessage), "mark sent");
    const QUuid cancelledMessage =
        must(core.messages.schedule({bare.id, QStringLiteral("reminder"), {}, utc(2026, 4, 1, 0, 0, 0, 0)}),
             "message")
            .id;
    must(core.messages.cancel(cancelledMessage), "cancel message");
    const QUuid failedMessage =
        must(core.messages.schedule(
                 {odd.id, QStringLiteral("reminder"), QStringLiteral("Hi!"), utc(2026, 4, 2, 0, 0, 0, 0)}),
             "message")
            .id;

    // No service deletes tickets, invoices or notes, and none marks a message failed: the store does, in a
    // transaction, with its audit entry, as a future service would.
    {
        Transaction tx(core.db());
        must(tx.began(), "begin");
        must(core.store().softDelete(QStringLiteral("tickets"), deletedTicket), "ticket soft delete");
        must(core.store().softDelete(QStringLiteral("invoices"), deletedInvoice), "invoice soft delete");
        must(core.store().softDelete(QStringLiteral("notes"), deletedNote), "note soft delete");
        must(core.store().update(
                 QStringLiteral("scheduled_messages"), failedMessage,
                 {{QStringLiteral("status"), QStringLiteral("failed")},
                  {QStringLiteral("error_message"), QStringLiteral("550 mailbox unavailable")}}),
             "message failed");
        must(tx.commit(), "commit");
    }
    return e;
}

/// contacts, each with an address and a rename: three changes per contact.
void createBacklog(test::CoreFixture &f, int contacts, const QString &prefix = QStringLiteral("Customer"))
{
    for (int i = 0; i < contacts; ++i) {
        const Contact contact =
            must(f->contacts.create({QStringLiteral("%1 %2").arg(prefix).arg(i), {}, {}, {}}), "contact");
        must(f->addresses.create({contact.id,
                                  {},
                                  QStringLiteral("%1 Oak Ave").arg(i),
                                  QStringLiteral("Springfield"),
                                  QStringLiteral("IL"),
                                  QStringLiteral("62701"),
                                  {}}),
             "address");
        ContactUpdate rename;
        rename.name = QStringLiteral("%1 %2 (renamed)").arg(prefix).arg(i);
        must(f->contacts.update(contact.id, rename), "rename");
    }
}

} // namespace

class TestPush final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyEntityTypeArrivesFieldByField()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Everything e = createEverything(f);
        const int total = outboxTotal(f->db(), f.alice());

        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, total);
        QCOMPARE(report->quarantined, 0);
        QCOMPARE(report->remaining, 0);

        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));

        // The comparison means something only if every column holds a value somewhere: a column the push
        // dropped would then differ. Every column of every table is non-null in at least one row.
        auto admin = connectOrDie(server.adminUrl());
        for (const QString &table : kTables) {
            const auto types = serverTypes(*admin, table);
            for (auto it = types.cbegin(); it != types.cend(); ++it) {
                const int filled =
                    serverCount(server, QStringLiteral("SELECT count(\"%1\") FROM %2 WHERE user_id = '%3'")
                                            .arg(it.key(), table, idText(f.alice())));
                QVERIFY2(filled > 0,
                         qPrintable(QStringLiteral("%1.%2 is never filled").arg(table, it.key())));
            }
        }
        // Every status of every lifecycle reached the server.
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM tickets")),
                 QStringList{QStringLiteral("cancelled,completed,in_progress,scheduled")});
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM invoices")),
                 QStringList{QStringLiteral("draft,paid,sent,void")});
        QCOMPARE(server.adminQuery(QStringLiteral(
                     "SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM scheduled_messages")),
                 QStringList{QStringLiteral("cancelled,failed,pending,sent")});
        QCOMPARE(server.adminQuery(QStringLiteral(
                     "SELECT string_agg(DISTINCT pricing_type, ',' ORDER BY pricing_type) FROM services")),
                 QStringList{QStringLiteral("fixed,flexible,per_unit")});

        // Money and times exact, written out by hand (independent of the comparison's conversions).
        const auto one = [&](const QString &sql, const QUuid &id) {
            return server.adminQuery(sql.arg(idText(id))).value(0);
        };
        QCOMPARE(one(QStringLiteral("SELECT default_price::text FROM services WHERE id = '%1'"), e.tuneUp),
                 QStringLiteral("19.99"));
        QCOMPARE(one(QStringLiteral("SELECT default_price::text FROM services WHERE id = '%1'"), e.smallPart),
                 QStringLiteral("0.05"));
        QCOMPARE(one(QStringLiteral("SELECT default_price::text FROM services WHERE id = '%1'"), e.bigJob),
                 QStringLiteral("99999999.99"));
        QCOMPARE(one(QStringLiteral("SELECT is_active::text FROM services WHERE id = '%1'"), e.bigJob),
                 QStringLiteral("false"));
        QCOMPARE(one(QStringLiteral(
                         "SELECT unit_price || ' x ' || quantity || ' = ' || total_price FROM line_items "
                         "WHERE id = '%1'"),
                     e.filterItem),
                 QStringLiteral("4.50 x 3 = 13.50"));
        QCOMPARE(
            one(QStringLiteral("SELECT total_amount::text FROM invoices WHERE id = '%1'"), e.paidInvoice),
            QStringLiteral("156.94")); // 19.99 + 3 x 4.50 + 123.45
        // The invoice's readable number (server schema 6) arrives as the device gave it.
        QCOMPARE(one(QStringLiteral("SELECT number FROM invoices WHERE id = '%1'"), e.paidInvoice),
                 *must(f->invoices.getById(e.paidInvoice), "the invoice").number);
        QCOMPARE(one(QStringLiteral("SELECT to_char(scheduled_at AT TIME ZONE 'UTC', "
                                    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM tickets WHERE id = '%1'"),
                     e.scheduled),
                 QStringLiteral("2026-03-14T09:26:53.589Z"));
        QCOMPARE(one(QStringLiteral(
                         "SELECT (clock_in_at < clock_out_at AND closed_at IS NOT NULL)::text FROM tickets "
                         "WHERE id = '%1'"),
                     e.completed),
                 QStringLiteral("true"));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT value->>'name' FROM attributes WHERE key = 'dog'")),
                 QStringList{QStringLiteral("Rex")});
        QCOMPARE(server.adminQuery(QStringLiteral(
                     "SELECT jsonb_typeof(value) FROM attributes WHERE key = 'ladder_needed'")),
                 QStringList{QStringLiteral("boolean")});

        // Each audit entry once: on the server with the same ids, and recorded on arrival once.
        const QStringList audit = localAuditIds(f->db(), f.alice());
        QCOMPARE(audit.size(), total);
        QCOMPARE(serverAuditIds(server, f.alice()), audit);
        QCOMPARE(serverCount(server,
                             QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'")),
                 total);
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), total);
        // The seed's services insert invoices without a number: they still can (the column is nullable).
        QVERIFY(
            server
                .adminExec(QStringLiteral("INSERT INTO invoices (user_id, contact_id, total_amount) SELECT "
                                          "user_id, contact_id, 10.00 FROM invoices WHERE id = '%1'")
                               .arg(idText(e.paidInvoice)))
                .ok());
    }

    // A 'create' entry is stored here without the row's columns that repeat the entry's own (local schema 14,
    // audit/auditchanges.h); the server's trail still gets the whole row, exactly as from an entry an older
    // build stored whole.
    void leanCreateEntriesArriveWhole()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const Contact lean = must(
            f->contacts.create({QStringLiteral("Ruth Baker"), QStringLiteral("ruth@example.com"), {}, {}}),
            "a contact");
        // As a file from before schema 14 holds one: the row, and its entry with the whole row.
        const QUuid older = newId();
        QJsonObject olderRow;
        {
            auto row = must(
                f->db().exec(QStringLiteral("SELECT * FROM main.contacts WHERE id = ?"), {idText(lean.id)}),
                "the contact");
            QVERIFY(row.next());
            olderRow = rowToJson(rowFromQuery(row));
        }
        olderRow.insert(QStringLiteral("id"), idText(older));
        olderRow.insert(QStringLiteral("name"), QStringLiteral("Older Entry"));
        QStringList columns;
        QStringList marks;
        QVariantList values;
        for (auto it = olderRow.begin(); it != olderRow.end(); ++it) {
            columns.append(it.key());
            marks.append(QStringLiteral("?"));
            values.append(it.value().toVariant());
        }
        must(f->db().exec(QStringLiteral("INSERT INTO main.contacts (%1) VALUES (%2)")
                              .arg(columns.join(QLatin1Char(',')), marks.join(QLatin1Char(','))),
                          values),
             "the older row");
        const QString olderText = QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("created"), olderRow}}).toJson(QJsonDocument::Compact));
        must(
            f->db().exec(QStringLiteral("INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, "
                                        "changes, created_at) VALUES (?, ?, 'contact', ?, 'create', ?, ?)"),
                         {idText(newId()), idText(f.alice()), idText(older), olderText,
                          olderRow.value(QStringLiteral("created_at")).toString()}),
            "the older entry");
        auto stored =
            must(f->db().exec(QStringLiteral("SELECT changes FROM main.audit_log WHERE entity_id = ?"),
                              {idText(lean.id)}),
                 "the lean entry");
        QVERIFY(stored.next());
        QVERIFY2(!stored.value(0).toString().contains(idText(lean.id)),
                 qPrintable(stored.value(0).toString()));

        const int total = outboxTotal(f->db(), f.alice()); // all that is pending, the two entries among it
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, total);
        QCOMPARE(report->remaining, 0);

        const catalog::Table *contacts = catalog::tableForEntity(QStringLiteral("contact"));
        for (const QUuid &id : {lean.id, older}) {
            auto row =
                must(f->db().exec(QStringLiteral("SELECT * FROM main.contacts WHERE id = ?"), {idText(id)}),
                     "the contact");
            QVERIFY(row.next());
            const QJsonObject whole{{QStringLiteral("created"), rowToJson(rowFromQuery(row))}};
            const QString expected = canonicalJson(
                QString::fromUtf8(QJsonDocument(sync::convention::changesToServer(contacts, whole))
                                      .toJson(QJsonDocument::Compact)));
            QVERIFY(expected.contains(idText(id)) && expected.contains(idText(f.alice())));
            QCOMPARE(canonicalJson(
                         server
                             .adminQuery(
                                 QStringLiteral("SELECT changes::text FROM audit_log WHERE entity_id = '%1'")
                                     .arg(idText(id)))
                             .value(0)),
                     expected);
        }
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
    }

    void repushIsIdempotent()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        createEverything(f);
        const int total = outboxTotal(f->db(), f.alice());
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        // As if every acknowledgement was lost: the whole outbox goes again.
        QVERIFY(f->db().exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = NULL")).ok());
        sync::Pusher pusher(f->db(), f.alice());
        QCOMPARE(*pusher.pendingCount(), total);
        auto connection = connectOrDie(tech.url);
        const auto again = pusher.pushAll(*connection);
        QVERIFY2(again.ok(), qPrintable(errorText(again)));
        QCOMPARE(again->pushed, total);
        QCOMPARE(again->quarantined, 0);
        QCOMPARE(*pusher.pendingCount(), 0);

        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice()));
        QCOMPARE(serverCount(server,
                             QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'")),
                 total);
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
    }

    void updatesAfterAPushPropagate()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket =
            must(f->tickets.create(
                     {customer.contact.id, customer.address.id, utc(2026, 5, 1, 9, 0, 0, 0), 60, {}}),
                 "ticket");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());

        ContactUpdate rename;
        rename.name = QStringLiteral("Rosa Diaz-Peralta");
        rename.phone = QString(); // cleared
        QVERIFY(f->contacts.update(customer.contact.id, rename).ok());
        TicketUpdate reschedule;
        reschedule.scheduledAt = utc(2026, 5, 2, 14, 15, 16, 17);
        QVERIFY(f->tickets.update(ticket.id, reschedule).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, 2);

        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT name || '|' || coalesce(phone, 'NULL') FROM contacts")),
            QStringList{QStringLiteral("Rosa Diaz-Peralta|NULL")});
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT to_char(scheduled_at AT TIME ZONE 'UTC', "
                                                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM tickets")),
                 QStringList{QStringLiteral("2026-05-02T14:15:16.017Z")});
        QCOMPARE(
            serverCount(server, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'update'")), 2);
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void softDeletesPropagate()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Service service = must(
            f->catalog.createService(
                {QStringLiteral("Tune-up"), {}, PricingType::Fixed, Money::fromCents(1999), {}, {}, true}),
            "service");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM contacts WHERE deleted_at IS NULL")),
                 QStringList{QStringLiteral("1")});

        QVERIFY(f->contacts.remove(customer.contact.id).ok());
        QVERIFY(f->catalog.deleteService(service.id).ok());
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, 2);

        // Same instant as on the device, to the millisecond; the row is kept (a soft delete, not a delete).
        auto local = must(f->db().exec(QStringLiteral("SELECT deleted_at FROM main.contacts WHERE id = ?"),
                                       {idText(customer.contact.id)}),
                          "local deleted_at");
        QVERIFY(local.next());
        QVERIFY(!local.value(0).isNull());
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT to_char(deleted_at AT TIME ZONE 'UTC', "
                                                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM contacts")),
                 QStringList{local.value(0).toString()});
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT count(*) FROM services WHERE deleted_at IS NOT NULL")),
            QStringList{QStringLiteral("1")});
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));

        // Re-sending the delete is harmless.
        QVERIFY(f->db().exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = NULL")).ok());
        const auto again = push(f->db(), f.alice(), tech.url);
        QVERIFY2(again.ok(), qPrintable(errorText(again)));
        QCOMPARE(again->quarantined, 0);
        QVERIFY(differences(f->db(), server.adminUrl(), f.alice()).isEmpty());
    }

    void hardDeletesPropagate()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Address second = must(f->addresses.create({customer.contact.id,
                                                         QStringLiteral("Cabin"),
                                                         QStringLiteral("3 Lake Rd"),
                                                         QStringLiteral("Ogden"),
                                                         QStringLiteral("UT"),
                                                         QStringLiteral("84401"),
                                                         {}}),
                                    "address");
        const Attribute dog =
            must(f->attributes.setAttribute({customer.contact.id,
                                             QStringLiteral("dog"),
                                             QJsonObject{{QStringLiteral("name"), QStringLiteral("Rex")}},
                                             {}}),
                 "attribute");
        must(f->attributes.setAttribute({customer.contact.id, QStringLiteral("floors"), 2, {}}), "attribute");
        QVERIFY(push(f->db(), f.alice(), tech.url).ok());
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM addresses")), 2);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM attributes")), 2);

        QVERIFY(f->addresses.remove(second.id).ok());
        QVERIFY(f->attributes.removeAttribute(customer.contact.id, QStringLiteral("floors")).ok());
        // A key freed by a delete, reused by a new row in the same push: the delete must go first.
        QVERIFY(f->attributes.removeAttribute(customer.contact.id, QStringLiteral("dog")).ok());
        const Attribute newDog =
            must(f->attributes.setAttribute(
                     {customer.contact.id, QStringLiteral("dog"), QStringLiteral("none any more"), {}}),
                 "attribute");
        QVERIFY(newDog.id != dog.id);
        const auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->quarantined, 0);

        QCOMPARE(server.adminQuery(QStringLiteral("SELECT id::text FROM addresses")),
                 QStringList{idText(customer.address.id)});
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT id::text || ' ' || key || ' ' || value::text FROM attributes")),
                 QStringList{idText(newDog.id) + QStringLiteral(" dog \"none any more\"")});
        // The deletions' audit entries arrived like any other.
        QCOMPARE(
            serverCount(server, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'delete'")), 3);
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void childIsPushedAfterAParentChangedLater()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket =
            must(f->tickets.create(
                     {customer.contact.id, customer.address.id, utc(2026, 5, 1, 9, 0, 0, 0), {}, {}}),
                 "ticket");
        // Created after the ticket, then the ticket moves there: the ticket's creation entry, pushed on its
        // own, carries the ticket's current state, which points at an address the server does not have yet.
        const Address moved = must(f->addresses.create({customer.contact.id,
                                                        QStringLiteral("Shop"),
                                                        QStringLiteral("1 Main St"),
                                                        QStringLiteral("Springfield"),
                                                        QStringLiteral("IL"),
                                                        QStringLiteral("62701"),
                                                        {}}),
                                   "address");
        TicketUpdate move;
        move.addressId = moved.id;
        QVERIFY(f->tickets.update(ticket.id, move).ok());

        const auto report = push(f->db(), f.alice(), tech.url, 1); // one entry per server transaction
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->quarantined, 0);
        QCOMPARE(report->pushed, outboxTotal(f->db(), f.alice()));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT address_id::text FROM tickets")),
                 QStringList{idText(moved.id)});
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void backlogGoesInSeveralBatches()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        createBacklog(f, 100);
        const int total = outboxTotal(f->db(), f.alice());
        QVERIFY(total >= 300);
        const int batches = (total + 49) / 50;

        const auto report = push(f->db(), f.alice(), tech.url, 50);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, total);
        QCOMPARE(report->batches, batches);
        QCOMPARE(report->remaining, 0);
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), total);
        // One server transaction per batch: the audit rows were written by exactly that many transactions.
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(DISTINCT xmin::text) FROM audit_log")),
                 batches);
        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice()));
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
    }

    void laterChangesOfARefusedCreationWaitWithIt()
    {
        // A refused creation takes the row's later changes along: sent alone, they would meet no row on the
        // server, be judged "deleted at the office" and the laptop would mark its own customer deleted.
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QVERIFY(server
                    .adminExec(QStringLiteral(
                        "ALTER TABLE contacts ADD CONSTRAINT no_poison CHECK (name <> 'POISON')"))
                    .ok());
        createBacklog(f, 3, QStringLiteral("Before"));
        const Contact poison = must(f->contacts.create({QStringLiteral("POISON"), {}, {}, {}}), "contact");
        ContactUpdate phone;
        phone.phone = QStringLiteral("(815) 555-0186");
        must(f->contacts.update(poison.id, phone), "a later change of the refused customer");
        createBacklog(f, 3, QStringLiteral("After"));

        sync::Pusher pusher(f->db(), f.alice());
        auto connection = connectOrDie(tech.url);
        const auto report = pusher.pushAll(*connection);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(*pusher.pendingCount(), 0);
        const auto quarantined = must(pusher.quarantined(), "set aside");
        QCOMPARE(quarantined.size(), 2);
        QVERIFY2(quarantined.last().reason.startsWith(QStringLiteral("waits for its creation")),
                 qPrintable(quarantined.last().reason));
        // The customer is still the laptop's, live, with its phone; nothing of it reached the server.
        QCOMPARE(must(f->contacts.getById(poison.id), "still here").phone,
                 std::optional<QString>(QStringLiteral("(815) 555-0186")));
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM fieldbook_conflicts")), 0);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM contacts")), 6);

        // A change made after the creation was set aside waits with it too.
        ContactUpdate email;
        email.email = QStringLiteral("poison@example.com");
        must(f->contacts.update(poison.id, email), "a change made later");
        QVERIFY(pusher.pushAll(*connection).ok());
        QCOMPARE(must(pusher.quarantined(), "set aside").size(), 3);
        QCOMPARE(must(f->contacts.getById(poison.id), "still live").email,
                 std::optional<QString>(QStringLiteral("poison@example.com")));
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM fieldbook_conflicts")), 0);

        // Fixed on the server and released: all go, in order.
        QVERIFY(server.adminExec(QStringLiteral("ALTER TABLE contacts DROP CONSTRAINT no_poison")).ok());
        QCOMPARE(*pusher.releaseQuarantine(), 3);
        QVERIFY(pusher.pushAll(*connection).ok());
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT phone || ' ' || email FROM contacts WHERE name = 'POISON'")),
                 QStringList{QStringLiteral("(815) 555-0186 poison@example.com")});
    }

    void poisonChangeIsQuarantinedWhileTheRestGoesOn()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QVERIFY(server
                    .adminExec(QStringLiteral(
                        "ALTER TABLE contacts ADD CONSTRAINT no_poison CHECK (name <> 'POISON')"))
                    .ok());
        createBacklog(f, 5, QStringLiteral("Before"));
        const Contact poison = must(f->contacts.create({QStringLiteral("POISON"), {}, {}, {}}), "contact");
        createBacklog(f, 5, QStringLiteral("After"));

        sync::Pusher pusher(f->db(), f.alice());
        auto connection = connectOrDie(tech.url);
        const auto report = pusher.pushAll(*connection);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->quarantined, 1);
        QCOMPARE(*pusher.pendingCount(), 0);
        const auto quarantined = pusher.quarantined();
        QVERIFY(quarantined.ok());
        QCOMPARE(quarantined->size(), 1);
        QCOMPARE(quarantined->first().entityType, QStringLiteral("contact"));
        QCOMPARE(quarantined->first().entityId, poison.id);
        QVERIFY2(quarantined->first().reason.contains(QStringLiteral("no_poison")),
                 qPrintable(quarantined->first().reason));
        QVERIFY(quarantined->first().at.isValid());

        // Everything else is there, POISON is not.
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM contacts")), 10);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM addresses")), 10);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM contacts WHERE name = 'POISON'")),
                 0);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM audit_log")),
                 outboxTotal(f->db(), f.alice()) - 1);

        // Fixed on the server, released on the device: it goes through, once.
        QVERIFY(server.adminExec(QStringLiteral("ALTER TABLE contacts DROP CONSTRAINT no_poison")).ok());
        QVERIFY(pusher.releaseQuarantine().ok());
        QCOMPARE(*pusher.pendingCount(), 1);
        const auto released = pusher.pushAll(*connection);
        QVERIFY2(released.ok(), qPrintable(errorText(released)));
        QCOMPARE(released->pushed, 1);
        QVERIFY(pusher.quarantined()->isEmpty());
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM contacts WHERE name = 'POISON'")),
                 1);
        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice()));
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }

    void serverDownThenUp()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        createBacklog(f, 3);
        const int total = outboxTotal(f->db(), f.alice());

        const auto down = push(f->db(), f.alice(), closedPortUrl(tech, server.name()));
        QVERIFY(!down.ok());
        QCOMPARE(down.error().code, ErrorCode::Unavailable);
        QVERIFY2(!down.error().message.contains(tech.password), qPrintable(down.error().message));
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), 0);

        const auto up = push(f->db(), f.alice(), tech.url);
        QVERIFY2(up.ok(), qPrintable(errorText(up)));
        QCOMPARE(up->pushed, total);
        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice()));
        QVERIFY(differences(f->db(), server.adminUrl(), f.alice()).isEmpty());
    }

    void connectionDroppedMidBatch_data()
    {
        QTest::addColumn<int>("dropOnScript");
        QTest::newRow("first batch") << 1;
        QTest::newRow("third batch") << 3;
    }

    void connectionDroppedMidBatch()
    {
        QFETCH(int, dropOnScript);
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        createBacklog(f, 100);
        const int total = outboxTotal(f->db(), f.alice());

        {
            DroppingProxy proxy(quint16(test::PgTestServer::instance().port()), dropOnScript);
            QVERIFY(proxy.port() != 0);
            const auto dropped = push(f->db(), f.alice(), proxyUrl(tech, server.name(), proxy.port()), 50);
            QVERIFY(proxy.dropped());
            QVERIFY(!dropped.ok());
            QCOMPARE(dropped.error().code, ErrorCode::Unavailable);
        }
        // The batches before the drop committed and were acknowledged; the one in flight is on neither side.
        const int acknowledged = (dropOnScript - 1) * 50;
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), acknowledged);
        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice(), true));
        QVERIFY(sync::Pusher(f->db(), f.alice()).quarantined()->isEmpty());

        const auto resumed = push(f->db(), f.alice(), tech.url, 50);
        QVERIFY2(resumed.ok(), qPrintable(errorText(resumed)));
        QCOMPARE(resumed->pushed, total - acknowledged);
        QCOMPARE(resumed->quarantined, 0);
        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice()));
        QCOMPARE(serverCount(server,
                             QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'")),
                 total);
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
    }

    void commitRefusedAcknowledgesNothing_data()
    {
        QTest::addColumn<QString>("sqlState");
        // Serialization failures are a real COMMIT-time failure (retry later); a deferred constraint that
        // refuses the COMMIT is one the server keeps giving.
        QTest::newRow("serialization failure at COMMIT") << QStringLiteral("40001");
        QTest::newRow("a deferred check refuses the COMMIT") << QStringLiteral("23514");
    }

    void commitRefusedAcknowledgesNothing()
    {
        QFETCH(QString, sqlState);
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        createBacklog(f, 3);
        const int total = outboxTotal(f->db(), f.alice());
        QCOMPARE(total, 10); // the technician's profile; per customer: created, an address, renamed
        // Every statement of the batch succeeds; the server refuses only at COMMIT, where a deferred
        // constraint trigger on the audit rows runs. The connection stays up throughout.
        VERIFY_OK(server.adminExec(
            QStringLiteral("CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           "RAISE EXCEPTION 'refused at commit by the test' USING ERRCODE = '%1'; END $$")
                .arg(sqlState)));
        VERIFY_OK(server.adminExec(QStringLiteral("CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON "
                                                  "audit_log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                                                  "EXECUTE FUNCTION refuse_commit()")));

        sync::Pusher pusher(f->db(), f.alice());
        {
            auto connection = connectOrDie(tech.url);
            const auto refused = pusher.pushAll(*connection);
            // Whether the cycle stops (retry later) or sets the refused changes aside is the pusher's choice;
            // what the technician must see is the same: nothing acknowledged, nothing lost.
            if (refused.ok())
                QCOMPARE(refused->pushed, 0);
            else
                QVERIFY2(refused.error().message.contains(QStringLiteral("refused at commit")),
                         qPrintable(refused.error().message));
        }
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), 0);
        QCOMPARE(
            localCount(f->db(), QStringLiteral("SELECT count(*) FROM sync_state WHERE key = 'last_push_at'")),
            0);
        const auto setAside = pusher.quarantined();
        QVERIFY(setAside.ok());
        // Each one refused at commit, or, a child whose parent's creation was set aside, refused because what
        // it points at is not on the server (it truly depends on the refused change).
        for (const auto &change : *setAside)
            QVERIFY2(change.reason.contains(QStringLiteral("refused at commit")) ||
                         change.reason.contains(QStringLiteral("does not name a row of the same user")),
                     qPrintable(change.reason));
        QCOMPARE(*pusher.pendingCount() + int(setAside->size()), total);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM contacts")), 0);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM addresses")), 0);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM audit_log")), 0);
        QCOMPARE(serverCount(server,
                             QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'")),
                 0);

        // The server fixed; what was set aside goes back in the queue (the sync page's Retry), and the next
        // sync pushes everything, once.
        QVERIFY(server.adminExec(QStringLiteral("DROP TRIGGER refuse_commit ON audit_log")).ok());
        if (!setAside->isEmpty())
            QVERIFY(pusher.releaseQuarantine().ok());
        const auto later = push(f->db(), f.alice(), tech.url);
        QVERIFY2(later.ok(), qPrintable(errorText(later)));
        QCOMPARE(later->pushed, total);
        QCOMPARE(later->remaining, 0);
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), total);
        QVERIFY(pusher.quarantined()->isEmpty());
        QCOMPARE(serverAuditIds(server, f.alice()), localAuditIds(f->db(), f.alice()));
        QCOMPARE(serverCount(server,
                             QStringLiteral("SELECT count(*) FROM fieldbook_changes WHERE kind = 'audit'")),
                 total);
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
    }

    void technicianNotBoundIsForbidden_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("login without a binding") << QStringLiteral("unbound");
        QTest::newRow("login bound to another technician") << QStringLiteral("other");
    }

    void technicianNotBoundIsForbidden()
    {
        QFETCH(QString, how);
        test::CoreFixture f;
        test::PgTestDatabase server;
        createBacklog(f, 2);
        QString url;
        if (how == QStringLiteral("unbound")) {
            const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
            QVERIFY(server
                        .adminExec(QStringLiteral("DELETE FROM fieldbook_logins WHERE login_role = '%1'")
                                       .arg(tech.login))
                        .ok());
            url = tech.url;
        } else {
            server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
            url = server.addTechnician(newId(), QStringLiteral("bob@example.com")).url;
        }

        sync::Pusher pusher(f->db(), f.alice());
        auto connection = connectOrDie(url);
        const auto report = pusher.pushAll(*connection);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Forbidden);
        QVERIFY2(report.error().message.contains(QStringLiteral("login role")),
                 qPrintable(report.error().message));
        // Nothing acknowledged, nothing quarantined (no change is at fault), nothing on the server.
        QCOMPARE(outboxAcknowledged(f->db(), f.alice()), 0);
        QCOMPARE(*pusher.pendingCount(), outboxTotal(f->db(), f.alice()));
        QVERIFY(pusher.quarantined()->isEmpty());
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM contacts")), 0);
        QCOMPARE(serverCount(server, QStringLiteral("SELECT count(*) FROM audit_log")), 0);
    }
};

QTEST_GUILESS_MAIN(TestPush)
#include "test_push.moc"
