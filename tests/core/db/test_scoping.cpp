// Per-user scoping, the checklist's "RLS prevents cross-user data access": with two technicians on one
// database, raw SQL through the app's connection sees and changes only the current user's rows.
#include "db/scoping.h"
#include "db/transaction.h"
#include "support/fakellmclient.h"
#include "support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
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

/// One row in every user-scoped table, all owned by one technician.
struct Owned
{
    QUuid user;
    QHash<QString, QUuid> ids; // table -> id of the row
};

/// The value of a set-up step that must not fail.
template <typename R> R require(R result, const char *what)
{
    if (!result)
        qFatal("%s failed: %s", what, qPrintable(result.error().toString()));
    return result;
}

Owned populate(test::CoreFixture &f, const QUuid &user, const QString &who)
{
    if (!f->setCurrentUser(user).ok())
        qFatal("cannot select the user");
    Owned owned{user, {}};
    auto customer = f.addCustomer(QStringLiteral("%1's customer").arg(who));
    owned.ids.insert(QStringLiteral("contacts"), customer.contact.id);
    owned.ids.insert(QStringLiteral("addresses"), customer.address.id);
    ServiceCreate service;
    service.name = QStringLiteral("%1's tune-up").arg(who);
    service.pricingType = PricingType::Fixed;
    service.defaultPrice = Money::fromCents(12'500);
    auto created = require(f->catalog.createService(service), "created");
    owned.ids.insert(QStringLiteral("services"), created->id);
    auto ticket = require(
        f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt}), "ticket");
    owned.ids.insert(QStringLiteral("tickets"), ticket->id);
    LineItemCreate item;
    item.serviceId = created->id;
    auto lineItem = require(f->tickets.addLineItem(ticket->id, item), "lineItem");
    owned.ids.insert(QStringLiteral("line_items"), lineItem->id);
    auto invoice = require(f->invoices.createFromTicket(ticket->id), "invoice");
    owned.ids.insert(QStringLiteral("invoices"), invoice->id);
    auto note = require(
        f->notes.create({customer.contact.id, ticket->id, QStringLiteral("%1's note").arg(who)}), "note");
    owned.ids.insert(QStringLiteral("notes"), note->id);
    auto attribute = require(f->attributes.setAttribute({customer.contact.id, QStringLiteral("dog_name"),
                                                         QJsonValue(QStringLiteral("Rex")), note->id}),
                             "attribute");
    owned.ids.insert(QStringLiteral("attributes"), attribute->id);
    ScheduledMessageCreate message;
    message.contactId = customer.contact.id;
    message.templateName = QStringLiteral("service_reminder");
    message.scheduledFor = nowUtc().addDays(30);
    auto scheduled = require(f->messages.schedule(message), "scheduled");
    owned.ids.insert(QStringLiteral("scheduled_messages"), scheduled->id);
    // A queued extraction request, answered into one suggestion (the offline extraction queue, issue 4).
    auto request =
        require(f->extractionQueue.enqueue(customer.contact.id, ticket->id, note->id,
                                           QStringLiteral("%1's gate code is 1234").arg(who), false),
                "extraction request");
    owned.ids.insert(QStringLiteral("extraction_requests"), *request);
    test::FakeLlmClient llm;
    llm.answerWith(QStringLiteral("{\"gate_code\": \"1234\"}"));
    f->extractionQueue.runPending(llm);
    auto suggestions = require(f->extractionQueue.openSuggestions(customer.contact.id), "suggestions");
    if (suggestions->size() != 1)
        qFatal("expected one suggestion");
    owned.ids.insert(QStringLiteral("attribute_suggestions"), suggestions->first().id);
    // A close-out draft (keyed by its ticket, not in scopedTables(): see migration 005).
    if (auto saved = f->drafts.save(ticket->id, QJsonObject{{QStringLiteral("notes"), who}}); !saved)
        qFatal("cannot save a draft: %s", qPrintable(saved.error().toString()));
    owned.ids.insert(QStringLiteral("closeout_drafts"), ticket->id);
    return owned;
}

/// Tables with a user_id column that hold no user-owned data and so have no write guards, each with the
/// reason. Any other table with a user_id column must be guarded: a new table fails the tests below until it
/// has its triggers (and a row in populate()) or is added here with a reason.
const QHash<QString, QString> &unguardedTables()
{
    static const QHash<QString, QString> tables{
        {QStringLiteral("audit_log"),
         QStringLiteral("append-only for everyone, entries only in the current user's name (test_audit)")},
        {QStringLiteral("sync_outbox"),
         QStringLiteral("written only by the audit_log trigger; push bookkeeping")},
        {QStringLiteral("sync_state"), QStringLiteral("the push's own bookkeeping (last push, errors)")},
        {QStringLiteral("sync_outbox_pruned"),
         QStringLiteral("the housekeeping's count of acknowledged outbox rows it pruned, per technician")},
        {QStringLiteral("sync_outbox_pending"),
         QStringLiteral(
             "the number of sync_outbox rows waiting, per technician, kept by its triggers (016)")},
        {QStringLiteral("sync_conflicts"),
         QStringLiteral("the server's merge decisions, written by the sync layer for the user it syncs")},
        {QStringLiteral("domain_events"), QStringLiteral("the event bus's transactional outbox")},
    };
    return tables;
}

/// Tables guarded by triggers but read through their service rather than a scoped view, with the reason.
const QHash<QString, QString> &guardedWithoutView()
{
    static const QHash<QString, QString> tables{
        {QStringLiteral("closeout_drafts"),
         QStringLiteral("UI state keyed by ticket, read by DraftService with its own user filter (005)")},
    };
    return tables;
}

QStringList columnsOf(Database &db, const QString &table)
{
    QStringList columns;
    auto query = db.exec(QStringLiteral("SELECT name FROM pragma_table_info(?) ORDER BY cid"), {table});
    while (query && query->next())
        columns.append(query->value(0).toString());
    return columns;
}

/// Every table of the main schema with a user_id column, from the schema itself.
QStringList tablesWithUserId(Database &db)
{
    QStringList tables;
    auto query =
        db.exec(QStringLiteral("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT "
                               "LIKE 'sqlite_%' ORDER BY name"));
    QStringList all;
    while (query && query->next())
        all.append(query->value(0).toString());
    for (const QString &table : std::as_const(all))
        if (columnsOf(db, table).contains(QStringLiteral("user_id")))
            tables.append(table);
    return tables;
}

/// The tables whose rows belong to one user and must be guarded: those with a user_id column, less
/// unguardedTables().
QStringList guardedTables(Database &db)
{
    QStringList tables;
    for (const QString &table : tablesWithUserId(db))
        if (!unguardedTables().contains(table))
            tables.append(table);
    return tables;
}

/// The rowid of `user`'s first row of `table` (read as the table's owner), or -1.
qint64 firstRowOf(Database &db, const QString &table, const QUuid &user)
{
    return scalar(db,
                  QStringLiteral("SELECT coalesce(min(rowid), -1) FROM main.%1 WHERE user_id = ?").arg(table),
                  {idText(user)});
}

/// The stored row, every column, as text for comparisons.
QString rowText(Database &db, const QString &table, qint64 rowid)
{
    auto query = db.exec(QStringLiteral("SELECT * FROM main.%1 WHERE rowid = ?").arg(table), {rowid});
    if (!query || !query->next())
        return QStringLiteral("(no row %1)").arg(rowid);
    return QString::fromUtf8(QJsonDocument(rowToJson(rowFromQuery(*query))).toJson(QJsonDocument::Compact));
}

/// Empty when `result` is the scoping refusal for `verb` ("insert", "change", "delete") on `table`, else what
/// happened instead.
template <typename R> QString refusalMismatch(const R &result, const QString &verb, const QString &table)
{
    if (result.ok())
        return QStringLiteral("%1 on %2 succeeded").arg(verb, table);
    const QString message = result.error().message;
    if (result.error().code != ErrorCode::Forbidden || !message.contains(QStringLiteral("scoping:")) ||
        !message.contains(verb) || !message.contains(QStringLiteral(" %1 row").arg(table)))
        return QStringLiteral("%1 on %2 failed otherwise: %3").arg(verb, table, message);
    return {};
}

} // namespace

class TestScoping final : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::CoreFixture> m_f;
    Owned m_a;
    Owned m_b;
    QStringList m_guarded; // from the schema: guardedTables()

    Database &db() { return (*m_f)->db(); }
    Core &core() { return m_f->core(); }

    /// One row per table with a user_id column that must be guarded.
    void guardedTablesData()
    {
        QTest::addColumn<QString>("table");
        for (const QString &table : std::as_const(m_guarded))
            QTest::newRow(qPrintable(table)) << table;
    }

    /// A's and B's first rows of `table`; fails the test when populate() made none (a new table needs one).
    bool ownRows(const QString &table, qint64 &aRow, qint64 &bRow)
    {
        aRow = firstRowOf(db(), table, m_a.user);
        bRow = firstRowOf(db(), table, m_b.user);
        return aRow > 0 && bRow > 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::CoreFixture schema;
        m_guarded = guardedTables(schema->db());
        // The list is the schema's: it holds the eleven scoped tables and the drafts at least.
        QVERIFY2(m_guarded.size() >= 12, qPrintable(m_guarded.join(QLatin1Char(','))));
    }

    // Every test starts as A, with A's and B's data in every scoped table.
    void init()
    {
        m_f = std::make_unique<test::CoreFixture>();
        const QUuid bob = m_f->addUser(QStringLiteral("Bob Bell"), QStringLiteral("bob@example.com"));
        m_b = populate(*m_f, bob, QStringLiteral("Bob"));
        m_a = populate(*m_f, m_f->alice(), QStringLiteral("Alice"));
        QCOMPARE(db().currentUser(), m_a.user);
    }

    void cleanup() { m_f.reset(); }

    void everyScopedTableIsCovered()
    {
        QStringList covered = m_a.ids.keys();
        covered.sort();
        QCOMPARE(covered, m_guarded);
    }

    void theCodesTableListsMatchTheSchema()
    {
        // scoping::scopedTables() builds the read views; a guarded table missing from it would be readable
        // across users. Only the tables named in guardedWithoutView() are read another way.
        QStringList expected;
        for (const QString &table : std::as_const(m_guarded))
            if (!guardedWithoutView().contains(table))
                expected.append(table);
        QStringList scoped = scoping::scopedTables();
        scoped.sort();
        QCOMPARE(scoped, expected);

        // Soft-delete tables are exactly the scoped tables with a deleted_at column: their views hide those
        // rows.
        QStringList softDelete;
        for (const QString &table : std::as_const(expected))
            if (columnsOf(db(), table).contains(QStringLiteral("deleted_at")))
                softDelete.append(table);
        QStringList listed = scoping::softDeleteTables();
        listed.sort();
        QCOMPARE(listed, softDelete);

        // populate() put a row of each user in every guarded table, so the tests below test something.
        for (const QString &table : std::as_const(m_guarded)) {
            qint64 aRow = 0;
            qint64 bRow = 0;
            QVERIFY2(ownRows(table, aRow, bRow),
                     qPrintable(QStringLiteral("populate() wrote no %1 rows").arg(table)));
        }
    }

    void insertingForAnotherUserIsRefused_data() { guardedTablesData(); }

    void insertingForAnotherUserIsRefused()
    {
        QFETCH(QString, table);
        qint64 aRow = 0;
        qint64 bRow = 0;
        QVERIFY2(ownRows(table, aRow, bRow), "populate() wrote no row for each user");
        // B's row, every column as stored: removed by B, then written back by A (refused) and by B (allowed),
        // in a transaction rolled back at the end. Foreign keys are checked at its end, which never comes:
        // the rows that point at B's row do not stand in the way.
        auto stored = db().exec(QStringLiteral("SELECT * FROM main.%1 WHERE rowid = ?").arg(table), {bRow});
        QVERIFY(stored.ok() && stored->next());
        const Row row = rowFromQuery(*stored);
        stored->finish();
        QStringList columns = columnsOf(db(), table);
        QVariantList values;
        for (const QString &column : std::as_const(columns))
            values.append(row.value(column));
        const QString insert =
            QStringLiteral("INSERT INTO main.%1 (%2) VALUES (%3)")
                .arg(table, columns.join(QLatin1Char(',')),
                     QStringList(columns.size(), QStringLiteral("?")).join(QLatin1Char(',')));
        const QString count = QStringLiteral("SELECT count(*) FROM main.%1 WHERE user_id = ?").arg(table);

        Transaction tx(db());
        VERIFY_OK(tx.began());
        VERIFY_OK(db().exec(QStringLiteral("PRAGMA defer_foreign_keys = ON")));
        db().setCurrentUser(m_b.user);
        VERIFY_OK(db().exec(QStringLiteral("DELETE FROM main.%1 WHERE rowid = ?").arg(table), {bRow}));
        const qint64 bRows = scalar(db(), count, {idText(m_b.user)});

        db().setCurrentUser(m_a.user);
        QCOMPARE(refusalMismatch(db().exec(insert, values), QStringLiteral("insert"), table), QString());
        QCOMPARE(scalar(db(), count, {idText(m_b.user)}), bRows);

        // The same statement is B's to run: the refusal is about who writes, not what.
        db().setCurrentUser(m_b.user);
        VERIFY_OK(db().exec(insert, values));
        QCOMPARE(scalar(db(), count, {idText(m_b.user)}), bRows + 1);
    } // rolled back

    void changingAnotherUsersRowIsRefused_data() { guardedTablesData(); }

    void changingAnotherUsersRowIsRefused()
    {
        QFETCH(QString, table);
        qint64 aRow = 0;
        qint64 bRow = 0;
        QVERIFY2(ownRows(table, aRow, bRow), "populate() wrote no row for each user");
        const QStringList columns = columnsOf(db(), table);
        const QString column = columns.contains(QStringLiteral("updated_at")) ? QStringLiteral("updated_at")
                                                                              : QStringLiteral("created_at");
        QVERIFY(columns.contains(column));
        const QString update =
            QStringLiteral("UPDATE main.%1 SET %2 = '2001-02-03T04:05:06.007Z' WHERE rowid = ?")
                .arg(table, column);
        const QString before = rowText(db(), table, bRow);

        QCOMPARE(refusalMismatch(db().exec(update, {bRow}), QStringLiteral("change"), table), QString());
        QCOMPARE(rowText(db(), table, bRow), before);
        // Not even a change that leaves the row as it is.
        QCOMPARE(
            refusalMismatch(
                db().exec(QStringLiteral("UPDATE main.%1 SET user_id = user_id WHERE rowid = ?").arg(table),
                          {bRow}),
                QStringLiteral("change"), table),
            QString());

        // A's own row takes the same change.
        VERIFY_OK(db().exec(update, {aRow}));
        QVERIFY(rowText(db(), table, aRow).contains(QStringLiteral("2001-02-03T04:05:06.007Z")));
    }

    void handingARowOverIsRefused_data() { guardedTablesData(); }

    void handingARowOverIsRefused()
    {
        QFETCH(QString, table);
        qint64 aRow = 0;
        qint64 bRow = 0;
        QVERIFY2(ownRows(table, aRow, bRow), "populate() wrote no row for each user");
        const QString handTo = QStringLiteral("UPDATE main.%1 SET user_id = ? WHERE rowid = ?").arg(table);
        const QString owner = QStringLiteral("SELECT user_id FROM main.%1 WHERE rowid = ?").arg(table);
        const QString before = rowText(db(), table, aRow);

        // A gives A's row to B.
        QCOMPARE(
            refusalMismatch(db().exec(handTo, {idText(m_b.user), aRow}), QStringLiteral("change"), table),
            QString());
        QCOMPARE(rowText(db(), table, aRow), before);
        // A takes B's row.
        QCOMPARE(
            refusalMismatch(db().exec(handTo, {idText(m_a.user), bRow}), QStringLiteral("change"), table),
            QString());
        // B hands A's row to B.
        db().setCurrentUser(m_b.user);
        QCOMPARE(
            refusalMismatch(db().exec(handTo, {idText(m_b.user), aRow}), QStringLiteral("change"), table),
            QString());
        auto aOwner = db().exec(owner, {aRow});
        QVERIFY(aOwner.ok() && aOwner->next());
        QCOMPARE(idFromVariant(aOwner->value(0)), m_a.user);
        aOwner->finish();
        auto bOwner = db().exec(owner, {bRow});
        QVERIFY(bOwner.ok() && bOwner->next());
        QCOMPARE(idFromVariant(bOwner->value(0)), m_b.user);
    }

    void deletingAnotherUsersRowIsRefused_data() { guardedTablesData(); }

    void deletingAnotherUsersRowIsRefused()
    {
        QFETCH(QString, table);
        qint64 aRow = 0;
        qint64 bRow = 0;
        QVERIFY2(ownRows(table, aRow, bRow), "populate() wrote no row for each user");
        const bool softDelete = columnsOf(db(), table).contains(QStringLiteral("deleted_at"));
        const QString hardDelete = QStringLiteral("DELETE FROM main.%1 WHERE rowid = ?").arg(table);
        const QString markDeleted =
            QStringLiteral("UPDATE main.%1 SET deleted_at = ? WHERE rowid = ?").arg(table);
        const QString deletedAt = toStoredTime(nowUtc());
        const QString before = rowText(db(), table, bRow);

        Transaction tx(db());
        VERIFY_OK(tx.began());
        VERIFY_OK(db().exec(QStringLiteral("PRAGMA defer_foreign_keys = ON")));
        QCOMPARE(refusalMismatch(db().exec(hardDelete, {bRow}), QStringLiteral("delete"), table), QString());
        QCOMPARE(rowText(db(), table, bRow), before);
        if (softDelete) {
            QCOMPARE(
                refusalMismatch(db().exec(markDeleted, {deletedAt, bRow}), QStringLiteral("change"), table),
                QString());
            QCOMPARE(rowText(db(), table, bRow), before);
        }

        // B may do both to B's row (rolled back with the transaction).
        db().setCurrentUser(m_b.user);
        if (softDelete) {
            VERIFY_OK(db().exec(markDeleted, {deletedAt, bRow}));
            QVERIFY(rowText(db(), table, bRow).contains(deletedAt));
        }
        VERIFY_OK(db().exec(hardDelete, {bRow}));
        QCOMPARE(
            scalar(db(), QStringLiteral("SELECT count(*) FROM main.%1 WHERE rowid = ?").arg(table), {bRow}),
            0);
    } // rolled back

    void readsSeeOnlyTheCurrentUsersRows_data()
    {
        // The schema's tables (theCodesTableListsMatchTheSchema pins scoping::scopedTables() to them).
        QTest::addColumn<QString>("table");
        for (const QString &table : std::as_const(m_guarded))
            if (!guardedWithoutView().contains(table))
                QTest::newRow(qPrintable(table)) << table;
    }

    void readsSeeOnlyTheCurrentUsersRows()
    {
        QFETCH(QString, table);
        // B's row is really there: the owner's view of the table shows it.
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM main.%1 WHERE id = ?").arg(table),
                        {idText(m_b.ids.value(table))}),
                 1);

        auto all = db().exec(QStringLiteral("SELECT * FROM %1").arg(table));
        QVERIFY2(all.ok(), qPrintable(errorText(all)));
        QList<QUuid> seen;
        while (all->next()) {
            const Row row = rowFromQuery(*all);
            QCOMPARE(idFromVariant(row.value(QStringLiteral("user_id"))), m_a.user);
            seen.append(idFromVariant(row.value(QStringLiteral("id"))));
        }
        QVERIFY(seen.contains(m_a.ids.value(table)));
        QVERIFY(!seen.contains(m_b.ids.value(table)));

        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM %1 WHERE user_id = ?").arg(table),
                        {idText(m_b.user)}),
                 0);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM %1 WHERE id = ?").arg(table),
                        {idText(m_b.ids.value(table))}),
                 0);
        // A join through plain names cannot reach B's rows either.
        QCOMPARE(
            scalar(db(), QStringLiteral("SELECT count(*) FROM %1 t JOIN main.users u ON u.id = t.user_id "
                                        "WHERE u.email = 'bob@example.com'")
                             .arg(table)),
            0);

        // And from B's side, the mirror image.
        QVERIFY(core().setCurrentUser(m_b.user).ok());
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM %1 WHERE id = ?").arg(table),
                        {idText(m_b.ids.value(table))}),
                 1);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM %1 WHERE user_id <> ?").arg(table),
                        {idText(m_b.user)}),
                 0);
    }

    void updatingAnotherUsersRowIsForbidden()
    {
        const QUuid bContact = m_b.ids.value(QStringLiteral("contacts"));
        auto updated =
            db().exec(QStringLiteral("UPDATE main.contacts SET name = 'x' WHERE id = ?"), {idText(bContact)});
        QVERIFY(!updated.ok());
        QCOMPARE(updated.error().code, ErrorCode::Forbidden);

        // Every scoped table guards its rows the same way.
        for (const QString &table : scoping::scopedTables()) {
            auto touched =
                db().exec(QStringLiteral("UPDATE main.%1 SET user_id = user_id WHERE id = ?").arg(table),
                          {idText(m_b.ids.value(table))});
            QVERIFY2(!touched.ok(), qPrintable(table));
            QCOMPARE(touched.error().code, ErrorCode::Forbidden);
        }

        QVERIFY(core().setCurrentUser(m_b.user).ok());
        auto contact = core().contacts.getById(bContact);
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
        QCOMPARE(contact->name, QStringLiteral("Bob's customer"));
        auto history = core().audit().entityHistory(QStringLiteral("contact"), bContact);
        QVERIFY(history.ok());
        QCOMPARE(history->size(), 1);
    }

    void insertingForAnotherUserIsForbidden()
    {
        const QUuid id = newId();
        const QString now = toStoredTime(nowUtc());
        auto inserted =
            db().exec(QStringLiteral("INSERT INTO main.contacts (id, user_id, name, created_at, updated_at) "
                                     "VALUES (?, ?, 'Planted', ?, ?)"),
                      {idText(id), idText(m_b.user), now, now});
        QVERIFY(!inserted.ok());
        QCOMPARE(inserted.error().code, ErrorCode::Forbidden);
        QCOMPARE(
            scalar(db(), QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ?"), {idText(id)}), 0);

        // An address for B's contact in A's name is refused too: it would put A's row under B's customer.
        auto address = db().exec(
            QStringLiteral("INSERT INTO main.addresses (id, user_id, contact_id, street, city, "
                           "state, zip, created_at, updated_at) VALUES (?, ?, ?, 's', 'c', "
                           "'st', 'z', ?, ?)"),
            {idText(newId()), idText(m_b.user), idText(m_b.ids.value(QStringLiteral("contacts"))), now, now});
        QVERIFY(!address.ok());
        QCOMPARE(address.error().code, ErrorCode::Forbidden);

        // The same statement for oneself works: the refusal is about ownership.
        auto own =
            db().exec(QStringLiteral("INSERT INTO main.contacts (id, user_id, name, created_at, updated_at) "
                                     "VALUES (?, ?, 'Mine', ?, ?)"),
                      {idText(id), idText(m_a.user), now, now});
        QVERIFY2(own.ok(), qPrintable(errorText(own)));
    }

    void deletingAnotherUsersRowIsForbidden()
    {
        const QUuid bAddress = m_b.ids.value(QStringLiteral("addresses"));
        auto deleted =
            db().exec(QStringLiteral("DELETE FROM main.addresses WHERE id = ?"), {idText(bAddress)});
        QVERIFY(!deleted.ok());
        QCOMPARE(deleted.error().code, ErrorCode::Forbidden);
        // A sweeping delete fails as a whole rather than deleting A's rows and skipping B's.
        auto sweeping = db().exec(QStringLiteral("DELETE FROM main.scheduled_messages"));
        QVERIFY(!sweeping.ok());
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM scheduled_messages")), 1);

        QVERIFY(core().setCurrentUser(m_b.user).ok());
        auto address = core().addresses.getById(bAddress);
        QVERIFY2(address.ok(), qPrintable(errorText(address)));
        QCOMPARE(address->street, QStringLiteral("12 Elm Street"));
    }

    void handingARowToAnotherUserIsForbidden()
    {
        const QUuid aContact = m_a.ids.value(QStringLiteral("contacts"));
        auto handed = db().exec(QStringLiteral("UPDATE main.contacts SET user_id = ? WHERE id = ?"),
                                {idText(m_b.user), idText(aContact)});
        QVERIFY(!handed.ok());
        QCOMPARE(handed.error().code, ErrorCode::Forbidden);
        auto contact = core().contacts.getById(aContact);
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
        QCOMPARE(contact->userId, m_a.user);

        QVERIFY(core().setCurrentUser(m_b.user).ok());
        QCOMPARE(core().contacts.getById(aContact).error().code, ErrorCode::NotFound);
    }

    void writingThroughThePlainNameFails()
    {
        // The plain names are read-only views: a write that forgets main. fails instead of touching rows.
        auto updated = db().exec(QStringLiteral("UPDATE contacts SET name = 'x'"));
        QVERIFY(!updated.ok());
        auto deleted = db().exec(QStringLiteral("DELETE FROM addresses"));
        QVERIFY(!deleted.ok());
        auto inserted =
            db().exec(QStringLiteral("INSERT INTO notes (id, user_id, contact_id, content, created_at) "
                                     "VALUES (?, ?, ?, 'x', ?)"),
                      {idText(newId()), idText(m_a.user), idText(m_a.ids.value(QStringLiteral("contacts"))),
                       toStoredTime(nowUtc())});
        QVERIFY(!inserted.ok());

        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM main.contacts WHERE name = 'x'")), 0);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM main.addresses")), 2);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM main.notes")), 2);
    }

    void servicesDoNotFindAnotherUsersEntities()
    {
        auto expectNotFound = [](const auto &result, const char *what) {
            QVERIFY2(!result.ok(), what);
            QVERIFY2(result.error().code == ErrorCode::NotFound, qPrintable(result.error().toString()));
        };
        const auto &b = m_b.ids;
        expectNotFound(core().contacts.getById(b.value(QStringLiteral("contacts"))), "contact");
        expectNotFound(core().contacts.getWithAddresses(b.value(QStringLiteral("contacts"))),
                       "contact details");
        expectNotFound(core().addresses.getById(b.value(QStringLiteral("addresses"))), "address");
        expectNotFound(core().catalog.getById(b.value(QStringLiteral("services"))), "service");
        expectNotFound(core().tickets.getById(b.value(QStringLiteral("tickets"))), "ticket");
        expectNotFound(core().invoices.getById(b.value(QStringLiteral("invoices"))), "invoice");
        expectNotFound(core().notes.getById(b.value(QStringLiteral("notes"))), "note");
        expectNotFound(core().messages.getById(b.value(QStringLiteral("scheduled_messages"))), "message");

        // Nor can A change or delete them through the services.
        ContactUpdate update;
        update.name = QStringLiteral("Stolen");
        QVERIFY(!core().contacts.update(b.value(QStringLiteral("contacts")), update).ok());
        QVERIFY(!core().contacts.remove(b.value(QStringLiteral("contacts"))).ok());
        QVERIFY(!core().tickets.clockIn(b.value(QStringLiteral("tickets"))).ok());
        QVERIFY(!core().messages.cancel(b.value(QStringLiteral("scheduled_messages"))).ok());

        // Lists and searches hold only A's data.
        auto contacts = core().contacts.list();
        QVERIFY(contacts.ok());
        QCOMPARE(contacts->size(), 1);
        QCOMPARE(contacts->first().id, m_a.ids.value(QStringLiteral("contacts")));
        auto found = core().contacts.search(QStringLiteral("customer"));
        QVERIFY(found.ok());
        QCOMPARE(found->size(), 1);
        auto attributes = core().attributes.searchByAttribute(QStringLiteral("dog_name"));
        QVERIFY(attributes.ok());
        QCOMPARE(attributes->size(), 1);
        QCOMPARE(attributes->first().userId, m_a.user);
    }

    void withoutACurrentUserScopedReadsFail_data()
    {
        QTest::addColumn<QString>("table");
        for (const QString &table : scoping::scopedTables())
            QTest::newRow(qPrintable(table)) << table;
    }

    void withoutACurrentUserScopedReadsFail()
    {
        QFETCH(QString, table);
        db().setCurrentUser(QUuid());
        auto all = db().exec(QStringLiteral("SELECT * FROM %1").arg(table));
        QVERIFY2(!all.ok(), "rows were returned with no current user");
        QVERIFY2(all.error().message.contains(QStringLiteral("no current user")), qPrintable(errorText(all)));
        QCOMPARE(all.error().code, ErrorCode::Forbidden);
    }

    void withoutACurrentUserNothingIsReadOrWritten()
    {
        db().setCurrentUser(QUuid());
        auto contact = core().contacts.getById(m_a.ids.value(QStringLiteral("contacts")));
        QVERIFY(!contact.ok());
        QVERIFY2(contact.error().message.contains(QStringLiteral("no current user")),
                 qPrintable(errorText(contact)));
        auto list = core().contacts.list();
        QVERIFY(!list.ok());
        auto created =
            core().contacts.create({QStringLiteral("Nobody's"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY(!created.ok());
        const QString now = toStoredTime(nowUtc());
        auto inserted =
            db().exec(QStringLiteral("INSERT INTO main.contacts (id, user_id, name, created_at, updated_at) "
                                     "VALUES (?, ?, 'Raw', ?, ?)"),
                      {idText(newId()), idText(m_a.user), now, now});
        QVERIFY(!inserted.ok());
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM main.contacts")), 2);
    }

    void softDeletedRowsAreHiddenFromPlainNames()
    {
        const QUuid aContact = m_a.ids.value(QStringLiteral("contacts"));
        QVERIFY(core().contacts.remove(aContact).ok());
        QCOMPARE(
            scalar(db(), QStringLiteral("SELECT count(*) FROM contacts WHERE id = ?"), {idText(aContact)}),
            0);
        QCOMPARE(scalar(db(), QStringLiteral("SELECT count(*) FROM contacts")), 0);
        QCOMPARE(
            scalar(db(),
                   QStringLiteral("SELECT count(*) FROM main.contacts WHERE id = ? AND deleted_at IS NOT "
                                  "NULL"),
                   {idText(aContact)}),
            1);
        QCOMPARE(core().contacts.getById(aContact).error().code, ErrorCode::NotFound);
        auto list = core().contacts.list();
        QVERIFY(list.ok());
        QVERIFY(list->isEmpty());
        auto found = core().contacts.search(QStringLiteral("Alice"));
        QVERIFY(found.ok());
        QVERIFY(found->isEmpty());

        // Every soft-delete table hides rows the same way.
        for (const QString &table : scoping::softDeleteTables()) {
            const QUuid id = m_a.ids.value(table);
            auto marked =
                db().exec(QStringLiteral("UPDATE main.%1 SET deleted_at = ? WHERE id = ?").arg(table),
                          {toStoredTime(nowUtc()), idText(id)});
            QVERIFY2(marked.ok(), qPrintable(errorText(marked)));
            QVERIFY2(scalar(db(), QStringLiteral("SELECT count(*) FROM %1 WHERE id = ?").arg(table),
                            {idText(id)}) == 0,
                     qPrintable(table));
            QVERIFY2(scalar(db(), QStringLiteral("SELECT count(*) FROM main.%1 WHERE id = ?").arg(table),
                            {idText(id)}) == 1,
                     qPrintable(table));
        }
    }
};

QTEST_GUILESS_MAIN(TestScoping)
#include "test_scoping.moc"
