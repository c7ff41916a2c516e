// AuditLogger and computeChanges (seed 3.1): entry formats, history order, per-user activity, the append-only
// guarantees of the database, and that a mutation, its audit entry and its sync record commit together.
#include "audit/auditchanges.h"
#include "db/transaction.h"
#include "support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlRecord>
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

QJsonObject storedRow(Database &db, const QString &table, const QUuid &id)
{
    auto query = db.exec(QStringLiteral("SELECT * FROM main.%1 WHERE id = ?").arg(table), {idText(id)});
    if (!query || !query->next())
        return {};
    return rowToJson(rowFromQuery(*query));
}

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestAudit final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createEntryHoldsTheFullRow()
    {
        test::CoreFixture f;
        auto contact = f->contacts.create({QStringLiteral("Ruth Baker"), QStringLiteral("ruth@example.com"),
                                           std::nullopt, QStringLiteral("side door")});
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));

        auto history = f->audit().entityHistory(QStringLiteral("contact"), contact->id);
        QVERIFY2(history.ok(), qPrintable(errorText(history)));
        QCOMPARE(history->size(), 1);
        const AuditEntry &entry = history->first();
        QCOMPARE(entry.action, AuditAction::Create);
        QCOMPARE(entry.userId, f.alice());
        QCOMPARE(entry.entityId, contact->id);
        QCOMPARE(entry.changes.keys(), QStringList{QStringLiteral("created")});
        const QJsonObject created = entry.changes.value(QStringLiteral("created")).toObject();
        QCOMPARE(created, storedRow(f->db(), QStringLiteral("contacts"), contact->id));
        QCOMPARE(created.value(QStringLiteral("name")).toString(), QStringLiteral("Ruth Baker"));
        QVERIFY(created.value(QStringLiteral("phone")).isNull());
        QVERIFY(created.contains(QStringLiteral("updated_at")));
        QVERIFY(entry.createdAt.isValid());
    }

    // A 'create' entry is stored without the row's columns that repeat the entry's own (issue 16: the file's
    // size), and reads back exactly as the whole row an older build stored: through AuditLogger (History) and
    // through audit_changes() (the other readers), byte for byte.
    void leanCreateEntryReadsAsTheFullForm()
    {
        test::CoreFixture f;
        auto contact = f->contacts.create({QStringLiteral("Ruth Baker"), QStringLiteral("ruth@example.com"),
                                           QStringLiteral("555-0101"), std::nullopt});
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
        const QJsonObject row = storedRow(f->db(), QStringLiteral("contacts"), contact->id);
        const QString fullText = QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("created"), row}}).toJson(QJsonDocument::Compact));

        auto stored = f->db().exec(
            QStringLiteral(
                "SELECT changes, audit_changes(changes, entity_id, user_id, created_at), created_at "
                "FROM main.audit_log WHERE entity_id = ?"),
            {idText(contact->id)});
        QVERIFY2(stored.ok(), qPrintable(errorText(stored)));
        QVERIFY(stored->next());
        const QString storedText = stored->value(0).toString();
        const QString entryTime = stored->value(2).toString();
        QVERIFY2(!storedText.contains(idText(contact->id)) && !storedText.contains(idText(f.alice())),
                 qPrintable(storedText));
        QVERIFY2(storedText.size() < fullText.size() - 100, qPrintable(storedText));
        QCOMPARE(stored->value(1).toString(), fullText);

        // The same entry as an older build (or the server, through the pull) stored it: whole.
        const QUuid twin = newId();
        auto inserted = f->db().exec(
            QStringLiteral("INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, changes, "
                           "created_at) VALUES (?, ?, 'contact', ?, 'create', ?, ?)"),
            {idText(twin), idText(f.alice()), idText(contact->id), fullText, entryTime});
        QVERIFY2(inserted.ok(), qPrintable(errorText(inserted)));
        auto read = f->db().exec(
            QStringLiteral(
                "SELECT audit_changes(changes, entity_id, user_id, created_at) FROM main.audit_log "
                "WHERE id = ?"),
            {idText(twin)});
        QVERIFY(read.ok() && read->next());
        QCOMPARE(read->value(0).toString(), fullText);

        auto history = f->audit().entityHistory(QStringLiteral("contact"), contact->id);
        QVERIFY2(history.ok(), qPrintable(errorText(history)));
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->at(0).changes, (QJsonObject{{QStringLiteral("created"), row}}));
        QCOMPARE(history->at(1).changes, history->at(0).changes);
        auto activity = f->audit().userActivity(f.alice(), 2);
        QVERIFY2(activity.ok(), qPrintable(errorText(activity)));
        QCOMPARE(activity->size(), 2);
        QCOMPARE(activity->at(0).changes, activity->at(1).changes);
        QCOMPARE(activity->at(0).changes.value(QStringLiteral("created")).toObject(), row);
    }

    // What is left out is only what equals the entry's own columns, and comes back as it was.
    void leanEncodingLeavesOutOnlyWhatRepeats()
    {
        const QString entity = idText(newId());
        const QString user = idText(newId());
        const QString at = QStringLiteral("2026-03-14T09:26:53.589Z");
        const auto roundTrip = [&](const QJsonObject &changes) {
            return audit::fullChanges(audit::storedChanges(changes, entity, user, at), entity, user, at);
        };
        // A row made a millisecond before its entry: created_at stays, updated_at (equal to it) goes.
        const QJsonObject early{{QStringLiteral("id"), entity},
                                {QStringLiteral("user_id"), user},
                                {QStringLiteral("name"), QStringLiteral("Ruth")},
                                {QStringLiteral("created_at"), QStringLiteral("2026-03-14T09:26:53.588Z")},
                                {QStringLiteral("updated_at"), QStringLiteral("2026-03-14T09:26:53.588Z")}};
        const QJsonObject earlyCreate{{QStringLiteral("created"), early}};
        const QJsonObject earlyStored = audit::storedChanges(earlyCreate, entity, user, at);
        QCOMPARE(earlyStored.value(QStringLiteral("created")).toObject().keys(),
                 (QStringList{QStringLiteral("created_at"), QStringLiteral("name")}));
        QCOMPARE(roundTrip(earlyCreate), earlyCreate);
        // A profile (no user_id column, users) and a row with an updated_at of its own keep what differs.
        const QJsonObject profile{
            {QStringLiteral("created"), QJsonObject{{QStringLiteral("id"), entity},
                                                    {QStringLiteral("email"), QStringLiteral("a@b.example")},
                                                    {QStringLiteral("created_at"), at}}}};
        QCOMPARE(roundTrip(profile), profile);
        QVERIFY(!roundTrip(profile)
                     .value(QStringLiteral("created"))
                     .toObject()
                     .contains(QStringLiteral("user_id")));
        const QJsonObject edited{
            {QStringLiteral("created"),
             QJsonObject{{QStringLiteral("id"), entity},
                         {QStringLiteral("user_id"), user},
                         {QStringLiteral("created_at"), at},
                         {QStringLiteral("updated_at"), QStringLiteral("2027-01-01T00:00:00.000Z")},
                         {QStringLiteral("notes"), QJsonValue()}}}};
        QCOMPARE(roundTrip(edited), edited);
        // Another row's id or user (never written so, but not to be confused) stays in the row.
        const QJsonObject other{
            {QStringLiteral("created"), QJsonObject{{QStringLiteral("id"), idText(newId())},
                                                    {QStringLiteral("user_id"), idText(newId())}}}};
        QCOMPARE(audit::storedChanges(other, entity, user, at), other);
        // Updates and deletes are stored as they are.
        const QJsonObject update{
            {QStringLiteral("name"), QJsonObject{{QStringLiteral("old"), QStringLiteral("a")},
                                                 {QStringLiteral("new"), QStringLiteral("b")}}}};
        QCOMPARE(audit::storedChanges(update, entity, user, at), update);
        const QJsonObject removed{{QStringLiteral("deleted"), early}};
        QCOMPARE(audit::storedChanges(removed, entity, user, at), removed);
    }

    void updateEntryHoldsOnlyChangedFields()
    {
        test::CoreFixture f;
        auto contact = f->contacts.create({QStringLiteral("Ruth Baker"), QStringLiteral("ruth@example.com"),
                                           QStringLiteral("555-0101"), std::nullopt});
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
        ContactUpdate update;
        update.name = QStringLiteral("Ruth Baker-Lee");
        update.phone = QStringLiteral("555-0199");
        update.email = QStringLiteral("ruth@example.com"); // unchanged: must not appear
        auto updated = f->contacts.update(contact->id, update);
        QVERIFY2(updated.ok(), qPrintable(errorText(updated)));

        auto history = f->audit().entityHistory(QStringLiteral("contact"), contact->id);
        QVERIFY2(history.ok(), qPrintable(errorText(history)));
        QCOMPARE(history->size(), 2);
        const AuditEntry &entry = history->first();
        QCOMPARE(entry.action, AuditAction::Update);
        QCOMPARE(entry.changes, json(R"({"name": {"old": "Ruth Baker", "new": "Ruth Baker-Lee"},
                                         "phone": {"old": "555-0101", "new": "555-0199"}})"));

        // An update that changes nothing but updated_at is not an audited change.
        ContactUpdate same;
        same.name = QStringLiteral("Ruth Baker-Lee");
        QVERIFY(f->contacts.update(contact->id, same).ok());
        auto after = f->audit().entityHistory(QStringLiteral("contact"), contact->id);
        QVERIFY(after.ok());
        QCOMPARE(after->size(), 2);
    }

    void deleteEntryHoldsTheRowAsItWas()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const QJsonObject before = storedRow(f->db(), QStringLiteral("contacts"), customer.contact.id);
        QVERIFY2(f->contacts.remove(customer.contact.id).ok(), "remove failed");

        auto history = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        QVERIFY(history.ok());
        QCOMPARE(history->size(), 2);
        QCOMPARE(history->first().action, AuditAction::Delete);
        QCOMPARE(history->first().changes, (QJsonObject{{QStringLiteral("deleted"), before}}));
        QVERIFY(history->first()
                    .changes.value(QStringLiteral("deleted"))
                    .toObject()
                    .value(QStringLiteral("deleted_at"))
                    .isNull());
        QCOMPARE(history->last().action, AuditAction::Create);

        // Hard delete of a table without soft delete is audited the same way.
        const QJsonObject address = storedRow(f->db(), QStringLiteral("addresses"), customer.address.id);
        QVERIFY(!address.isEmpty());
        auto removed = f->addresses.remove(customer.address.id);
        QVERIFY2(removed.ok(), qPrintable(errorText(removed)));
        auto addressHistory = f->audit().entityHistory(QStringLiteral("address"), customer.address.id);
        QVERIFY(addressHistory.ok());
        QCOMPARE(addressHistory->first().action, AuditAction::Delete);
        QCOMPARE(addressHistory->first().changes, (QJsonObject{{QStringLiteral("deleted"), address}}));
    }

    void computeChanges_data()
    {
        QTest::addColumn<QJsonObject>("oldState");
        QTest::addColumn<QJsonObject>("newState");
        QTest::addColumn<QJsonObject>("expected");

        QTest::newRow("same") << json(R"({"a": 1, "b": "x", "c": null})")
                              << json(R"({"a": 1, "b": "x", "c": null})") << QJsonObject();
        QTest::newRow("both empty") << QJsonObject() << QJsonObject() << QJsonObject();
        QTest::newRow("changed value") << json(R"({"a": 1, "b": "x"})") << json(R"({"a": 2, "b": "x"})")
                                       << json(R"({"a": {"old": 1, "new": 2}})");
        QTest::newRow("added key") << json(R"({"a": 1})") << json(R"({"a": 1, "b": "x"})")
                                   << json(R"({"b": {"old": null, "new": "x"}})");
        QTest::newRow("removed key") << json(R"({"a": 1, "b": "x"})") << json(R"({"a": 1})")
                                     << json(R"({"b": {"old": "x", "new": null}})");
        QTest::newRow("null to value")
            << json(R"({"a": null})") << json(R"({"a": "x"})") << json(R"({"a": {"old": null, "new": "x"}})");
        QTest::newRow("value to null")
            << json(R"({"a": 0})") << json(R"({"a": null})") << json(R"({"a": {"old": 0, "new": null}})");
        QTest::newRow("missing equals null") << json(R"({"a": null})") << QJsonObject() << QJsonObject();
        QTest::newRow("type differs")
            << json(R"({"a": "1"})") << json(R"({"a": 1})") << json(R"({"a": {"old": "1", "new": 1}})");
        QTest::newRow("nested changed")
            << json(R"({"n": {"dog": "Rex", "age": 3}})") << json(R"({"n": {"dog": "Rex", "age": 4}})")
            << json(R"({"n": {"old": {"dog": "Rex", "age": 3},
                                                          "new": {"dog": "Rex", "age": 4}}})");
        QTest::newRow("nested same") << json(R"({"n": {"dog": "Rex"}, "l": [1, 2]})")
                                     << json(R"({"n": {"dog": "Rex"}, "l": [1, 2]})") << QJsonObject();
        QTest::newRow("array changed") << json(R"({"l": [1, 2]})") << json(R"({"l": [2, 1]})")
                                       << json(R"({"l": {"old": [1, 2], "new": [2, 1]}})");
        QTest::newRow("updated_at excluded")
            << json(R"({"a": 1, "updated_at": "2026-01-01T00:00:00.000Z"})")
            << json(R"({"a": 1, "updated_at": "2026-01-02T00:00:00.000Z"})") << QJsonObject();
        QTest::newRow("updated_at excluded, other field kept")
            << json(R"({"a": 1, "updated_at": "2026-01-01T00:00:00.000Z"})")
            << json(R"({"a": 2, "updated_at": "2026-01-02T00:00:00.000Z"})")
            << json(R"({"a": {"old": 1, "new": 2}})");
    }

    void computeChanges()
    {
        QFETCH(QJsonObject, oldState);
        QFETCH(QJsonObject, newState);
        QFETCH(QJsonObject, expected);
        QCOMPARE(fb::computeChanges(oldState, newState), expected);
    }

    void computeChangesWithCustomExclusions()
    {
        const QJsonObject before = json(R"({"a": 1, "b": 1, "updated_at": "x"})");
        const QJsonObject after = json(R"({"a": 2, "b": 2, "updated_at": "y"})");
        // An explicit set replaces the default: updated_at is compared again, "a" is skipped.
        QCOMPARE(fb::computeChanges(before, after, {QStringLiteral("a")}),
                 json(R"({"b": {"old": 1, "new": 2}, "updated_at": {"old": "x", "new": "y"}})"));
    }

    void historyIsNewestFirstAndStableWithinOneMillisecond()
    {
        test::CoreFixture f;
        auto contact =
            f->contacts.create({QStringLiteral("Name 0"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
        // A tight loop: many of these updates share a millisecond, so only the write order can order them.
        constexpr int kUpdates = 30;
        for (int i = 1; i <= kUpdates; ++i) {
            ContactUpdate update;
            update.name = QStringLiteral("Name %1").arg(i);
            auto updated = f->contacts.update(contact->id, update);
            QVERIFY2(updated.ok(), qPrintable(errorText(updated)));
        }
        auto history = f->audit().entityHistory(QStringLiteral("contact"), contact->id);
        QVERIFY2(history.ok(), qPrintable(errorText(history)));
        QCOMPARE(history->size(), kUpdates + 1);
        for (int i = 0; i < kUpdates; ++i) {
            const AuditEntry &entry = history->at(i);
            QCOMPARE(entry.action, AuditAction::Update);
            const QJsonObject name = entry.changes.value(QStringLiteral("name")).toObject();
            QCOMPARE(name.value(QStringLiteral("new")).toString(),
                     QStringLiteral("Name %1").arg(kUpdates - i));
            QCOMPARE(name.value(QStringLiteral("old")).toString(),
                     QStringLiteral("Name %1").arg(kUpdates - i - 1));
            QVERIFY(entry.createdAt >= history->at(i + 1).createdAt);
        }
        QCOMPARE(history->last().action, AuditAction::Create);

        // Another entity's entries never leak into this history.
        auto other = f->contacts.create({QStringLiteral("Other"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY(other.ok());
        auto again = f->audit().entityHistory(QStringLiteral("contact"), contact->id);
        QVERIFY(again.ok());
        QCOMPARE(again->size(), kUpdates + 1);
    }

    void entriesOfTheSameMillisecondKeepTheirWriteOrder()
    {
        // Entries stamped with one identical time, written in a known order: only the write order can sort
        // them.
        test::CoreFixture f;
        const QUuid entity = newId();
        const QString stamp = toStoredTime(nowUtc());
        constexpr int kEntries = 12;
        QList<QUuid> written;
        for (int i = 0; i < kEntries; ++i) {
            const QUuid id = newId();
            auto inserted = f->db().exec(
                QStringLiteral("INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, changes, "
                               "created_at) VALUES (?, ?, 'contact', ?, 'update', ?, ?)"),
                {idText(id), idText(f.alice()), idText(entity), QStringLiteral("{\"n\": %1}").arg(i), stamp});
            QVERIFY2(inserted.ok(), qPrintable(errorText(inserted)));
            written.prepend(id);
        }
        auto history = f->audit().entityHistory(QStringLiteral("contact"), entity);
        QVERIFY2(history.ok(), qPrintable(errorText(history)));
        QList<QUuid> read;
        for (const AuditEntry &entry : std::as_const(*history))
            read.append(entry.id);
        QCOMPARE(read, written);

        auto activity = f->audit().userActivity(f.alice(), 5);
        QVERIFY(activity.ok());
        read.clear();
        for (const AuditEntry &entry : std::as_const(*activity))
            read.append(entry.id);
        QCOMPARE(read, written.mid(0, 5));
    }

    void userActivityIsPerUserAndLimited()
    {
        test::CoreFixture f;
        QList<QUuid> aliceContacts;
        for (int i = 0; i < 5; ++i) {
            auto contact = f->contacts.create(
                {QStringLiteral("Alice's %1").arg(i), std::nullopt, std::nullopt, std::nullopt});
            QVERIFY2(contact.ok(), qPrintable(errorText(contact)));
            aliceContacts.append(contact->id);
        }
        const QUuid bob = f.addUser(QStringLiteral("Bob Bell"), QStringLiteral("bob@example.com"));
        QVERIFY(f->setCurrentUser(bob).ok());
        auto bobContact =
            f->contacts.create({QStringLiteral("Bob's"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY2(bobContact.ok(), qPrintable(errorText(bobContact)));

        auto limited = f->audit().userActivity(f.alice(), 3);
        QVERIFY2(limited.ok(), qPrintable(errorText(limited)));
        QCOMPARE(limited->size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(limited->at(i).userId, f.alice());
            QCOMPARE(limited->at(i).entityId, aliceContacts.at(4 - i)); // newest first
        }

        auto all = f->audit().userActivity(f.alice());
        QVERIFY(all.ok());
        // Alice's profile and her five contacts; Bob's work is not hers.
        QCOMPARE(all->size(), 6);
        for (const AuditEntry &entry : std::as_const(*all))
            QCOMPARE(entry.userId, f.alice());
        QCOMPARE(all->last().entityType, QStringLiteral("user"));

        auto bobs = f->audit().userActivity(bob);
        QVERIFY(bobs.ok());
        QCOMPARE(bobs->size(), 2); // his profile, his contact
        QCOMPARE(bobs->first().entityId, bobContact->id);
        QCOMPARE(bobs->first().userId, bob);
    }

    void rawUpdateOrDeleteOfTheLogIsRejected()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        Database &db = f->db();
        const qint64 entries = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
        QVERIFY(entries > 0);
        auto before = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        QVERIFY(before.ok());

        auto updated =
            db.exec(QStringLiteral("UPDATE audit_log SET changes = '{}', user_id = ?"), {idText(newId())});
        QVERIFY(!updated.ok());
        QVERIFY2(updated.error().message.contains(QStringLiteral("append-only")),
                 qPrintable(errorText(updated)));
        auto deleted = db.exec(QStringLiteral("DELETE FROM audit_log"));
        QVERIFY(!deleted.ok());
        QVERIFY2(deleted.error().message.contains(QStringLiteral("append-only")),
                 qPrintable(errorText(deleted)));
        auto deletedOne = db.exec(QStringLiteral("DELETE FROM main.audit_log WHERE entity_id = ?"),
                                  {idText(customer.contact.id)});
        QVERIFY(!deletedOne.ok());

        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log")), entries);
        auto after = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        QVERIFY(after.ok());
        QCOMPARE(after->size(), before->size());
        QCOMPARE(after->first().changes, before->first().changes);
        QCOMPARE(after->first().userId, before->first().userId);
    }

    void entryInAnotherUsersNameIsRejected()
    {
        test::CoreFixture f;
        const QUuid bob = f.addUser(QStringLiteral("Bob Bell"), QStringLiteral("bob@example.com"));
        Database &db = f->db();
        const qint64 entries = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
        const qint64 outbox = scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox"));
        auto forged =
            db.exec(QStringLiteral("INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, "
                                   "changes, created_at) VALUES (?, ?, 'contact', ?, 'delete', '{}', ?)"),
                    {idText(newId()), idText(bob), idText(newId()), toStoredTime(nowUtc())});
        QVERIFY(!forged.ok());
        QCOMPARE(forged.error().code, ErrorCode::Forbidden);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log")), entries);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox")), outbox);

        // In one's own name the same insert is accepted: the refusal is about the user, not the statement.
        auto own =
            db.exec(QStringLiteral("INSERT INTO audit_log (id, user_id, entity_type, entity_id, action, "
                                   "changes, created_at) VALUES (?, ?, 'contact', ?, 'delete', '{}', ?)"),
                    {idText(newId()), idText(f.alice()), idText(newId()), toStoredTime(nowUtc())});
        QVERIFY2(own.ok(), qPrintable(errorText(own)));
    }

    void mutationAndAuditCommitTogether_data()
    {
        QTest::addColumn<QString>("failingTable");
        QTest::newRow("audit entry cannot be written") << QStringLiteral("audit_log");
        QTest::newRow("sync record cannot be written") << QStringLiteral("sync_outbox");
    }

    void mutationAndAuditCommitTogether()
    {
        QFETCH(QString, failingTable);
        test::CoreFixture f;
        Database &db = f->db();
        const qint64 contacts = scalar(db, QStringLiteral("SELECT count(*) FROM main.contacts"));
        const qint64 entries = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
        const qint64 outbox = scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox"));
        const qint64 events = scalar(db, QStringLiteral("SELECT count(*) FROM domain_events"));

        // The row is written first; a failure later in the same mutation must take it back.
        auto trigger = db.execScript(QStringLiteral("CREATE TEMP TRIGGER fail_write BEFORE INSERT ON main.%1 "
                                                    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;")
                                         .arg(failingTable));
        QVERIFY2(trigger.ok(), qPrintable(errorText(trigger)));
        auto contact =
            f->contacts.create({QStringLiteral("Lost Cause"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY(!contact.ok());
        QVERIFY2(contact.error().message.contains(QStringLiteral("disk on fire")),
                 qPrintable(errorText(contact)));
        QCOMPARE(db.transactionDepth(), 0);

        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.contacts")), contacts);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log")), entries);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox")), outbox);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM domain_events")), events);

        // Once the cause is gone the same mutation goes through with all three records.
        QVERIFY(db.execScript(QStringLiteral("DROP TRIGGER temp.fail_write")).ok());
        auto retried =
            f->contacts.create({QStringLiteral("Lost Cause"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY2(retried.ok(), qPrintable(errorText(retried)));
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.contacts")), contacts + 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log")), entries + 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox")), outbox + 1);
    }

    void failingInsertLeavesNothing()
    {
        test::CoreFixture f;
        Database &db = f->db();
        const qint64 entries = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
        const qint64 outbox = scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox"));
        // A ticket for an address that does not exist: validated by the service, so nothing reaches the
        // store.
        auto customer = f.addCustomer();
        const qint64 entriesWithCustomer = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
        QCOMPARE(entriesWithCustomer, entries + 2);
        TicketCreate ticket{customer.contact.id, newId(), nowUtc(), 60, std::nullopt};
        auto created = f->tickets.create(ticket);
        QVERIFY(!created.ok());
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM main.tickets")), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log")), entriesWithCustomer);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox")), outbox + 2);

        // Straight to the store: the database refuses the row (a CHECK), and no audit entry is left behind.
        Row bad = customer.contact.toRow();
        bad.insert(QStringLiteral("id"), idText(newId()));
        bad.insert(QStringLiteral("name"), QString());
        {
            Transaction tx(db);
            QVERIFY(tx.began().ok());
            QVERIFY(!f->store().insert(QStringLiteral("contacts"), bad).ok());
        }
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log")), entriesWithCustomer);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox")), outbox + 2);
    }

    void everyEntryHasExactlyOneSyncRecord()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        ContactUpdate update;
        update.phone = QStringLiteral("555-0123");
        QVERIFY(f->contacts.update(customer.contact.id, update).ok());
        auto ticket =
            f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 30, std::nullopt});
        QVERIFY2(ticket.ok(), qPrintable(errorText(ticket)));
        QVERIFY(f->tickets.clockIn(ticket->id).ok());
        auto other =
            f->contacts.create({QStringLiteral("Gone Soon"), std::nullopt, std::nullopt, std::nullopt});
        QVERIFY(other.ok());
        QVERIFY(f->contacts.remove(other->id).ok());

        Database &db = f->db();
        const qint64 entries = scalar(db, QStringLiteral("SELECT count(*) FROM audit_log"));
        QVERIFY(entries >= 8);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM sync_outbox")), entries);
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM audit_log a WHERE (SELECT count(*) FROM "
                                           "sync_outbox o WHERE o.audit_id = a.id) != 1")),
                 0);
        // The outbox row describes the same change as its entry.
        QCOMPARE(scalar(db, QStringLiteral(
                                "SELECT count(*) FROM audit_log a JOIN sync_outbox o ON o.audit_id = a.id "
                                "WHERE o.user_id = a.user_id AND o.entity_type = a.entity_type AND "
                                "o.entity_id = a.entity_id")),
                 entries);
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "test_audit.moc"
