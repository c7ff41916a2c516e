// Row-level security on the central schema (issue 3), tried with hand-written SQL as technician A's login
// after two technicians pushed their data: A reads and writes none of B's rows, whatever A sets
// app.current_user_id to; a missing identity fails loudly; A's soft deletes work and hide the rows; the audit
// log is append-only; the login bindings are private; technician roles hold no privilege that bypasses the
// policies.
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QJsonValue>
#include <QTest>

#include <memory>

using namespace fb;

namespace {

using test::must;

/// The user-scoped tables a technician can reach, and the column that says whose a row is.
const QList<std::pair<QString, QString>> &scopedTables()
{
    static const QList<std::pair<QString, QString>> tables{
        {QStringLiteral("users"), QStringLiteral("id")},
        {QStringLiteral("contacts"), QStringLiteral("user_id")},
        {QStringLiteral("addresses"), QStringLiteral("user_id")},
        {QStringLiteral("services"), QStringLiteral("user_id")},
        {QStringLiteral("tickets"), QStringLiteral("user_id")},
        {QStringLiteral("line_items"), QStringLiteral("user_id")},
        {QStringLiteral("invoices"), QStringLiteral("user_id")},
        {QStringLiteral("notes"), QStringLiteral("user_id")},
        {QStringLiteral("attributes"), QStringLiteral("user_id")},
        {QStringLiteral("scheduled_messages"), QStringLiteral("user_id")},
        {QStringLiteral("audit_log"), QStringLiteral("user_id")},
        {QStringLiteral("fieldbook_changes"), QStringLiteral("user_id")},
    };
    return tables;
}

void addTableRows()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("owner");
    for (const auto &[table, owner] : scopedTables())
        QTest::newRow(qPrintable(table)) << table << owner;
}

/// A bit of everything for the current technician: contacts (one soft-deleted), an address, a service, a
/// ticket with a line item, an invoice, a note, an attribute and a scheduled message.
void populate(test::CoreFixture &f, const QString &tag)
{
    Core &core = f.core();
    const auto customer = f.addCustomer(tag + QStringLiteral(" customer"));
    const Contact gone = must(core.contacts.create({tag + QStringLiteral(" gone"), {}, {}, {}}), "contact");
    if (auto removed = core.contacts.remove(gone.id); !removed)
        qFatal("soft delete: %s", qPrintable(removed.error().toString()));
    const Service service = must(
        core.catalog.createService(
            {tag + QStringLiteral(" tune-up"), {}, PricingType::Fixed, Money::fromCents(1999), {}, {}, true}),
        "service");
    const Ticket ticket =
        must(core.tickets.create({customer.contact.id, customer.address.id, nowUtc().addDays(1), 60, {}}),
             "ticket");
    LineItemCreate item;
    item.serviceId = service.id;
    must(core.tickets.addLineItem(ticket.id, item), "line item");
    must(core.invoices.createFromTicket(ticket.id), "invoice");
    const Note note =
        must(core.notes.create({customer.contact.id, ticket.id, tag + QStringLiteral(" note")}), "note");
    must(core.attributes.setAttribute({customer.contact.id, QStringLiteral("dog"), tag, note.id}),
         "attribute");
    must(core.messages.schedule({customer.contact.id, QStringLiteral("reminder"), {}, nowUtc().addMonths(6)}),
         "message");
}

} // namespace

class TestServerRls final : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::PgTestDatabase> m_server;
    std::unique_ptr<test::CoreFixture> m_deviceA;
    std::unique_ptr<test::CoreFixture> m_deviceB;
    test::PgTestDatabase::Technician m_a;
    test::PgTestDatabase::Technician m_b;

    QString a() const { return idText(m_a.id); }
    QString b() const { return idText(m_b.id); }

    std::unique_ptr<sync::PgConnection> connectAsA() const
    {
        return must(sync::PgConnection::connect(m_a.url), "connecting as technician A");
    }

    /// One transaction as technician A claiming `identity`, with app.include_deleted when asked: runs `sql`,
    /// commits when it succeeded and `commit` is set, rolls back otherwise. Returns the result of `sql`.
    sync::PgResult asA(const QString &identity, const QString &sql, bool includeDeleted = false,
                       bool commit = true) const
    {
        auto connection = connectAsA();
        if (!connection->exec(QStringLiteral("BEGIN")).ok())
            qFatal("BEGIN failed");
        const auto identified = connection->exec(
            QStringLiteral(
                "SELECT set_config('app.current_user_id', $1, true), set_config('app.include_deleted', "
                "$2, true)"),
            {identity.toUtf8(), includeDeleted ? QByteArray("on") : QByteArray("off")});
        if (!identified.ok())
            qFatal("set_config failed: %s", qPrintable(identified.message()));
        const auto result = connection->exec(sql);
        (void)connection->exec(result.ok() && commit ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
        return result;
    }

    QString adminOne(const QString &sql) const { return m_server->adminQuery(sql).value(0); }

    /// One committed transaction as technician B under B's own identity: the hostile technician of issue 11,
    /// with nothing but psql and B's own login.
    sync::PgResult asB(const QString &sql) const
    {
        auto connection = must(sync::PgConnection::connect(m_b.url), "connecting as technician B");
        (void)connection->exec(QStringLiteral("BEGIN"));
        (void)connection->exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, true)"),
                               {b().toUtf8()});
        const auto result = connection->exec(sql);
        (void)connection->exec(result.ok() ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
        return result;
    }

    /// An id of `owner`'s rows in `table`, as the administrator sees them.
    QString someIdOf(const QString &table, const QString &owner) const
    {
        return adminOne(QStringLiteral("SELECT id::text FROM %1 WHERE user_id = '%2' ORDER BY id LIMIT 1")
                            .arg(table, owner));
    }

    /// Count and checksum of B's rows in `table`, as the administrator sees them.
    QString fingerprintOfB(const QString &table, const QString &owner) const
    {
        return adminOne(
            QStringLiteral("SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, ',' ORDER BY "
                           "x::text), '')) FROM %1 x WHERE %2 = '%3'")
                .arg(table, owner, b()));
    }

    bool hasSoftDelete(const QString &table) const
    {
        return adminOne(QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
                                       "'public' AND table_name = '%1' AND column_name = 'deleted_at'")
                            .arg(table)) == QStringLiteral("1");
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::PgTestDatabase>();
        m_deviceA = std::make_unique<test::CoreFixture>();
        m_deviceB = std::make_unique<test::CoreFixture>();
        m_a = m_server->addTechnician(m_deviceA->alice(), QStringLiteral("a@example.com"),
                                      QStringLiteral("Tech A"));
        m_b = m_server->addTechnician(m_deviceB->alice(), QStringLiteral("b@example.com"),
                                      QStringLiteral("Tech B"));
        populate(*m_deviceA, QStringLiteral("A"));
        populate(*m_deviceB, QStringLiteral("B"));
        for (const auto &[device, tech] :
             {std::pair{m_deviceA.get(), &m_a}, std::pair{m_deviceB.get(), &m_b}}) {
            auto connection = must(sync::PgConnection::connect(tech->url), "connecting");
            sync::Pusher pusher((*device)->db(), tech->id);
            const auto report = pusher.pushAll(*connection);
            QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
            QCOMPARE(report->quarantined, 0);
        }
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_deviceA.reset();
        m_deviceB.reset();
    }

    void technicianSeesOnlyOwnRows_data() { addTableRows(); }
    void technicianSeesOnlyOwnRows()
    {
        QFETCH(QString, table);
        QFETCH(QString, owner);
        // Both technicians have rows here, or the test proves nothing.
        const QString count = QStringLiteral("SELECT count(*) FROM %1 WHERE %2 = '%3'");
        QVERIFY(adminOne(count.arg(table, owner, a())).toInt() > 0);
        QVERIFY(adminOne(count.arg(table, owner, b())).toInt() > 0);
        const bool soft = hasSoftDelete(table);
        const QString liveOfA = adminOne(
            QStringLiteral("SELECT count(*) FROM %1 WHERE %2 = '%3' %4")
                .arg(table, owner, a(), soft ? QStringLiteral("AND deleted_at IS NULL") : QString()));
        const QString allOfA = adminOne(count.arg(table, owner, a()));

        const QString sql = QStringLiteral("SELECT count(*), count(*) FILTER (WHERE %1 <> '%2') FROM %3")
                                .arg(owner, a(), table);
        const auto normal = asA(a(), sql);
        QVERIFY2(normal.ok(), qPrintable(normal.message()));
        QCOMPARE(normal.value(0, 0), liveOfA);
        QCOMPARE(normal.value(0, 1), QStringLiteral("0"));
        // The push's include_deleted flag reveals A's own soft-deleted rows, never B's.
        const auto withDeleted = asA(a(), sql, true);
        QVERIFY2(withDeleted.ok(), qPrintable(withDeleted.message()));
        QCOMPARE(withDeleted.value(0, 0), allOfA);
        QCOMPARE(withDeleted.value(0, 1), QStringLiteral("0"));
    }

    void claimingAnotherIdentityIsRefused_data() { addTableRows(); }
    void claimingAnotherIdentityIsRefused()
    {
        QFETCH(QString, table);
        const QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(table);
        // Session-wide, as a client would try it.
        auto connection = connectAsA();
        QVERIFY(
            connection
                ->exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, false)"), {b().toUtf8()})
                .ok());
        const auto session = connection->exec(sql);
        QVERIFY(!session.ok());
        QCOMPARE(session.sqlState(), QByteArray("42501"));
        QVERIFY2(session.message().contains(m_a.login), qPrintable(session.message()));
        // Transaction-local, as the push does it, and with include_deleted on.
        const auto local = asA(b(), sql, true);
        QVERIFY(!local.ok());
        QVERIFY2(local.message().contains(m_a.login), qPrintable(local.message()));
    }

    void cannotInsertRowsForAnotherUser_data()
    {
        QTest::addColumn<QString>("statement"); // {user} is replaced by the user_id to write
        QTest::newRow("contacts") << QStringLiteral(
            "INSERT INTO contacts (id, user_id, name) VALUES (gen_random_uuid(), '{user}', 'Intruder')");
        QTest::newRow("addresses") << QStringLiteral(
            "INSERT INTO addresses (id, user_id, contact_id, street, city, state, zip) VALUES "
            "(gen_random_uuid(), '{user}', '{contact}', '1 Way', 'Town', 'IL', '60000')");
        QTest::newRow("services") << QStringLiteral("INSERT INTO services (id, user_id, name, pricing_type) "
                                                    "VALUES (gen_random_uuid(), '{user}', 'X', 'fixed')");
        QTest::newRow("tickets") << QStringLiteral(
            "INSERT INTO tickets (id, user_id, contact_id, address_id, scheduled_at) VALUES "
            "(gen_random_uuid(), '{user}', '{contact}', '{address}', now())");
        QTest::newRow("line_items") << QStringLiteral(
            "INSERT INTO line_items (id, user_id, ticket_id, service_id, total_price) VALUES "
            "(gen_random_uuid(), '{user}', '{ticket}', '{service}', 1)");
        QTest::newRow("invoices") << QStringLiteral(
            "INSERT INTO invoices (id, user_id, contact_id, total_amount) VALUES "
            "(gen_random_uuid(), '{user}', '{contact}', 1)");
        QTest::newRow("notes") << QStringLiteral(
            "INSERT INTO notes (id, user_id, contact_id, content) VALUES "
            "(gen_random_uuid(), '{user}', '{contact}', 'x')");
        QTest::newRow("attributes") << QStringLiteral(
            "INSERT INTO attributes (id, user_id, contact_id, key, value, source_note_id) VALUES "
            "(gen_random_uuid(), '{user}', '{contact}', 'intruder', '1', '{note}')");
        QTest::newRow("scheduled_messages") << QStringLiteral(
            "INSERT INTO scheduled_messages (id, user_id, contact_id, scheduled_for) VALUES "
            "(gen_random_uuid(), '{user}', '{contact}', now())");
        QTest::newRow("audit_log") << QStringLiteral(
            "INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, changes) VALUES "
            "(gen_random_uuid(), '{user}', 'contact', '{contact}', 'create', '{}')");
    }

    void cannotInsertRowsForAnotherUser()
    {
        QFETCH(QString, statement);
        const QString first = QStringLiteral("SELECT id::text FROM %1 WHERE user_id = '%2' AND %3 LIMIT 1");
        const QString contact =
            adminOne(first.arg(QStringLiteral("contacts"), a(), QStringLiteral("deleted_at IS NULL")));
        const QString address = adminOne(first.arg(QStringLiteral("addresses"), a(), QStringLiteral("true")));
        const QString ticket = adminOne(first.arg(QStringLiteral("tickets"), a(), QStringLiteral("true")));
        const QString service = adminOne(first.arg(QStringLiteral("services"), a(), QStringLiteral("true")));
        const QString note = adminOne(first.arg(QStringLiteral("notes"), a(), QStringLiteral("true")));
        const auto forUser = [&](const QString &user) {
            return QString(statement)
                .replace(QStringLiteral("{user}"), user)
                .replace(QStringLiteral("{contact}"), contact)
                .replace(QStringLiteral("{address}"), address)
                .replace(QStringLiteral("{ticket}"), ticket)
                .replace(QStringLiteral("{service}"), service)
                .replace(QStringLiteral("{note}"), note);
        };
        // The same row for A is valid (rolled back): the refusal below is about whose row it is, nothing
        // else.
        const auto own = asA(a(), forUser(a()), false, false);
        QVERIFY2(own.ok(), qPrintable(own.message()));

        const auto other = asA(a(), forUser(b()), true);
        QVERIFY(!other.ok());
        // Refused by row-level security, or, where the row points at A's rows, already by the check that a
        // row only references rows of its own user (schema version 3), which runs first.
        const bool byPolicy =
            other.sqlState() == "42501" && other.message().contains(QStringLiteral("row-level security"));
        const bool byReference =
            other.sqlState() == "23503" &&
            other.message().contains(QStringLiteral("does not name a row of the same user"));
        QVERIFY2(byPolicy || byReference, qPrintable(other.message()));
    }

    void cannotChangeOtherUsersRows_data() { addTableRows(); }
    void cannotChangeOtherUsersRows()
    {
        QFETCH(QString, table);
        QFETCH(QString, owner);
        QStringList statements{
            QStringLiteral("UPDATE {table} SET created_at = '2000-01-01' WHERE {owner} = '{b}'"),
            QStringLiteral("UPDATE {table} SET {owner} = '{a}' WHERE {owner} = '{b}'"),
            QStringLiteral("DELETE FROM {table} WHERE {owner} = '{b}'"),
        };
        if (hasSoftDelete(table))
            statements.append(QStringLiteral("UPDATE {table} SET deleted_at = now() WHERE {owner} = '{b}'"));
        if (table == QStringLiteral("fieldbook_changes"))
            statements[0] =
                QStringLiteral("UPDATE {table} SET received_at = '2000-01-01' WHERE {owner} = '{b}'");
        const QString before = fingerprintOfB(table, owner);
        QVERIFY(!before.startsWith(QStringLiteral("0:")));
        for (const QString &statement : std::as_const(statements)) {
            const QString sql = QString(statement)
                                    .replace(QStringLiteral("{table}"), table)
                                    .replace(QStringLiteral("{owner}"), owner)
                                    .replace(QStringLiteral("{b}"), b())
                                    .replace(QStringLiteral("{a}"), a());
            // Refused, or allowed but matching nothing: either way B's rows are as they were.
            (void)asA(a(), sql, true);
            QVERIFY2(fingerprintOfB(table, owner) == before, qPrintable(sql));
        }
    }

    void missingIdentityFailsLoudly_data() { addTableRows(); }
    void missingIdentityFailsLoudly()
    {
        QFETCH(QString, table);
        const QString sql = QStringLiteral("SELECT count(*) FROM %1").arg(table);
        // An empty table never asks for the identity; this one has rows.
        QVERIFY(adminOne(sql).toInt() > 0);
        auto connection = connectAsA();
        const auto never = connection->exec(sql);
        QVERIFY(!never.ok());
        QVERIFY2(never.message().contains(QStringLiteral("no user identity")), qPrintable(never.message()));
        // After a transaction that set it locally, the setting reads '' rather than NULL: still no identity,
        // and no "invalid input syntax for type uuid".
        QVERIFY(connection->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY(
            connection
                ->exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, true)"), {a().toUtf8()})
                .ok());
        QVERIFY(connection->exec(QStringLiteral("COMMIT")).ok());
        const auto ended = connection->exec(sql);
        QVERIFY(!ended.ok());
        QVERIFY2(ended.message().contains(QStringLiteral("no user identity")), qPrintable(ended.message()));
        QVERIFY2(!ended.message().contains(QStringLiteral("uuid")), qPrintable(ended.message()));
    }

    void softDeleteOfOwnRowWorksAndHidesIt()
    {
        const QString contact =
            adminOne(QStringLiteral(
                         "SELECT id::text FROM contacts WHERE user_id = '%1' AND deleted_at IS NULL LIMIT 1")
                         .arg(a()));
        QVERIFY(!contact.isEmpty());
        const auto deleted =
            asA(a(),
                QStringLiteral("UPDATE contacts SET deleted_at = now(), updated_at = now() WHERE id = '%1'")
                    .arg(contact),
                true);
        QVERIFY2(deleted.ok(), qPrintable(deleted.message()));
        QCOMPARE(
            adminOne(QStringLiteral("SELECT (deleted_at IS NOT NULL)::text FROM contacts WHERE id = '%1'")
                         .arg(contact)),
            QStringLiteral("true"));

        // Hidden from A's normal reads, like the one soft-deleted on the device and pushed.
        const auto normal =
            asA(a(), QStringLiteral("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL OR id = '%1'")
                         .arg(contact));
        QVERIFY2(normal.ok(), qPrintable(normal.message()));
        QCOMPARE(normal.value(0, 0), QStringLiteral("0"));
        const auto withDeleted =
            asA(a(), QStringLiteral("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL"), true);
        QCOMPARE(withDeleted.value(0, 0), QStringLiteral("2"));
    }

    void auditLogIsAppendOnly()
    {
        const QString before =
            adminOne(QStringLiteral("SELECT count(*) || ':' || md5(string_agg(x::text, ',' ORDER BY "
                                    "x::text)) FROM audit_log x"));
        for (const QString &sql :
             {QStringLiteral("UPDATE audit_log SET action = 'update' WHERE user_id = '%1'"),
              QStringLiteral("DELETE FROM audit_log WHERE user_id = '%1'")}) {
            const auto asOwner = asA(a(), sql.arg(a()), true);
            QVERIFY2(!asOwner.ok(), qPrintable(sql));
            QCOMPARE(asOwner.sqlState(), QByteArray("42501"));
            // Not even the administrator.
            const auto asAdmin = m_server->adminExec(sql.arg(a()));
            QVERIFY2(!asAdmin.ok(), qPrintable(sql));
            QVERIFY2(asAdmin.error().message.contains(QStringLiteral("append-only")),
                     qPrintable(asAdmin.error().message));
        }
        QCOMPARE(adminOne(QStringLiteral(
                     "SELECT count(*) || ':' || md5(string_agg(x::text, ',' ORDER BY x::text)) "
                     "FROM audit_log x")),
                 before);
    }

    void loginBindingsArePrivate()
    {
        auto connection = connectAsA();
        const auto read = connection->exec(QStringLiteral("SELECT count(*) FROM fieldbook_logins"));
        QVERIFY(!read.ok());
        QCOMPARE(read.sqlState(), QByteArray("42501"));
        const auto rebind =
            asA(a(), QStringLiteral("UPDATE fieldbook_logins SET user_id = '%1'").arg(b()), true);
        QVERIFY(!rebind.ok());
        QCOMPARE(rebind.sqlState(), QByteArray("42501"));
        const auto bind = asA(a(),
                              QStringLiteral("INSERT INTO fieldbook_logins VALUES ('%1', '%2')")
                                  .arg(m_a.login + QStringLiteral("_2"), b()),
                              true);
        QVERIFY(!bind.ok());
        QCOMPARE(adminOne(QStringLiteral("SELECT user_id::text FROM fieldbook_logins WHERE login_role = '%1'")
                              .arg(m_a.login)),
                 a());
    }

    /// Every reference from a user's row to another row, as the server's foreign keys list them (derived from
    /// the schema, so a new reference is covered or this fails).
    void rowsCannotPointAtAnotherUsersRows_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("parent");
        const QStringList references = m_server->adminQuery(QStringLiteral(
            "SELECT c.conrelid::regclass || ' ' || a.attname || ' ' || c.confrelid::regclass FROM "
            "pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND c.confrelid <> "
            "'users'::regclass AND EXISTS (SELECT 1 FROM pg_attribute u WHERE u.attrelid = c.conrelid AND "
            "u.attname = 'user_id') AND EXISTS (SELECT 1 FROM pg_attribute u WHERE u.attrelid = c.confrelid "
            "AND "
            "u.attname = 'user_id') AND has_table_privilege('fieldbook_technician', c.conrelid, 'INSERT') "
            "ORDER BY 1"));
        QVERIFY(references.size() >= 12);
        for (const QString &reference : references) {
            const QStringList parts = reference.split(QLatin1Char(' '));
            QTest::newRow(qPrintable(parts.value(0) + QLatin1Char('.') + parts.value(1)))
                << parts.value(0) << parts.value(1) << parts.value(2);
        }
    }

    void rowsCannotPointAtAnotherUsersRows()
    {
        QFETCH(QString, table);
        QFETCH(QString, column);
        QFETCH(QString, parent);
        const QString theirs = someIdOf(parent, a());
        QVERIFY(!theirs.isEmpty());
        const QString before = adminOne(QStringLiteral("SELECT count(*) FROM %1").arg(table));
        // B copies one of B's own rows with a new id and the reference pointed at A's row (the exact SQL a
        // technician could type), then tries the same on an existing row of B's.
        const auto copy = [&](const QString &target) {
            return QStringLiteral("INSERT INTO %1 SELECT (jsonb_populate_record(NULL::%1, to_jsonb(x) || "
                                  "jsonb_build_object('id', gen_random_uuid(), '%2', '%3'))).* FROM %1 x "
                                  "WHERE x.user_id = '%4' LIMIT 1")
                .arg(table, column, target, b());
        };
        const auto inserted = asB(copy(theirs));
        QVERIFY2(!inserted.ok(),
                 qPrintable(table + QStringLiteral(" accepted a reference to A's ") + parent));
        QCOMPARE(inserted.sqlState(), QByteArray("23503"));
        // The refusal tells B nothing about A's ids: a reference to a row that exists nowhere reads the same.
        const auto nowhere = asB(copy(QUuid::createUuid().toString(QUuid::WithoutBraces)));
        QVERIFY(!nowhere.ok());
        QCOMPARE(inserted.message(), nowhere.message());

        const auto moved = asB(
            QStringLiteral("UPDATE %1 SET %2 = '%3' WHERE user_id = '%4'").arg(table, column, theirs, b()));
        QVERIFY2(!moved.ok(), qPrintable(table + QStringLiteral(" let B point a row at A's ") + parent));
        QCOMPARE(moved.sqlState(), QByteArray("23503"));
        QCOMPARE(adminOne(QStringLiteral("SELECT count(*) FROM %1").arg(table)), before);
        QCOMPARE(adminOne(QStringLiteral("SELECT count(*) FROM %1 WHERE user_id = '%2' AND %3 IN (SELECT id "
                                         "FROM %4 WHERE user_id = '%5')")
                              .arg(table, b(), column, parent, a())),
                 QStringLiteral("0"));
    }

    void aPlantedAttributeCannotBlockAnotherUsersChange()
    {
        const QString contactOfA = adminOne(
            QStringLiteral("SELECT id::text FROM contacts WHERE user_id = '%1' AND name = 'A customer'")
                .arg(a()));
        QVERIFY(!contactOfA.isEmpty());
        const auto planted =
            asB(QStringLiteral("INSERT INTO attributes (user_id, contact_id, key, value) VALUES "
                               "('%1', '%2', 'gate_code', '\"0000\"')")
                    .arg(b(), contactOfA));
        QVERIFY2(!planted.ok(), "B planted an attribute on A's contact");

        // A's own change of that key goes through and is not set aside.
        const Attribute gate = must((*m_deviceA)
                                        ->attributes.setAttribute({QUuid::fromString(contactOfA),
                                                                   QStringLiteral("gate_code"),
                                                                   QJsonValue(QStringLiteral("4821")),
                                                                   {}}),
                                    "A's gate code");
        auto connection = connectAsA();
        sync::Pusher pusher((*m_deviceA)->db(), m_a.id);
        const auto report = pusher.pushAll(*connection);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->quarantined, 0);
        QCOMPARE(adminOne(QStringLiteral(
                              "SELECT value #>> '{}' FROM attributes WHERE id = '%1' AND user_id = '%2'")
                              .arg(idText(gate.id), a())),
                 QStringLiteral("4821"));
    }

    void noSecurityDefinerFunctionIsOpenToEveryone()
    {
        // Functions that run with their owner's rights: PUBLIC may execute none of them, and technicians only
        // those they call (the identity, who they are, the schema version, the pull of their own feed, the
        // restore's audit pages and its claim of an invoice letter, and who made the server's side of a
        // conflict, which fieldbook_push() asks).
        // Trigger functions run as triggers anyway.
        QCOMPARE(adminOne(QStringLiteral(
                     "SELECT coalesce(string_agg(p.oid::regprocedure::text, ', '), '') FROM pg_proc p WHERE "
                     "p.pronamespace = 'public'::regnamespace AND p.prosecdef AND "
                     "has_function_privilege('public', p.oid, 'EXECUTE')")),
                 QString());
        for (const QString &role : {m_b.login, QStringLiteral("fieldbook_technician")})
            QCOMPARE(adminOne(QStringLiteral(
                                  "SELECT string_agg(p.proname, ', ' ORDER BY p.proname) FROM pg_proc p "
                                  "WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef AND "
                                  "has_function_privilege('%1', p.oid, 'EXECUTE')")
                                  .arg(role)),
                     QStringLiteral("fieldbook_audit_page, fieldbook_claim_invoice_letter, "
                                    "fieldbook_field_author, fieldbook_pull, "
                                    "fieldbook_schema_version, fieldbook_server_check, fieldbook_user_id, "
                                    "fieldbook_whoami"));
        const auto called = asB(QStringLiteral("SELECT fieldbook_record_change()"));
        QVERIFY(!called.ok());
        QCOMPARE(called.sqlState(), QByteArray("42501")); // permission denied, before "only as a trigger"
    }

    void technicianRolesHoldNoBypass()
    {
        for (const QString &role : {m_a.login, m_b.login, QStringLiteral("fieldbook_technician")}) {
            QCOMPARE(adminOne(QStringLiteral(
                                  "SELECT (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)::text "
                                  "FROM pg_roles WHERE rolname = '%1'")
                                  .arg(role)),
                     QStringLiteral("false"));
            // Owns nothing in the schema, directly or through a role it belongs to (an owner would bypass RLS
            // without FORCE, and could drop the policies).
            QCOMPARE(
                adminOne(QStringLiteral("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                        "c.relnamespace WHERE n.nspname = 'public' AND pg_has_role('%1', "
                                        "c.relowner, 'MEMBER')")
                             .arg(role)),
                QStringLiteral("0"));
            QCOMPARE(
                adminOne(QStringLiteral("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = "
                                        "p.pronamespace WHERE n.nspname = 'public' AND pg_has_role('%1', "
                                        "p.proowner, 'MEMBER')")
                             .arg(role)),
                QStringLiteral("0"));
            // Every table it may touch at all has row-level security, forced.
            QCOMPARE(adminOne(QStringLiteral(
                                  "SELECT coalesce(string_agg(c.relname, ','), '') FROM pg_class c JOIN "
                                  "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                                  "AND c.relkind = 'r' AND has_table_privilege('%1', c.oid, "
                                  "'SELECT,INSERT,UPDATE,DELETE') AND NOT (c.relrowsecurity AND "
                                  "c.relforcerowsecurity)")
                                  .arg(role)),
                     QString());
        }
    }
};

QTEST_GUILESS_MAIN(TestServerRls)
#include "test_server_rls.moc"
