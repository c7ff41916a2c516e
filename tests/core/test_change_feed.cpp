// ChangeFeed: core announces every committed change (entity type, id, kind) once, after the commit, whether
// this connection or another one (the sync worker's, another process's) made it; a rolled-back change is
// never announced. Screens rely on it to show what changed without a restart.
#include "db/transaction.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QSignalSpy>
#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

ChangeSet changesAt(const QSignalSpy &spy, int index)
{
    return spy.at(index).at(0).value<ChangeSet>();
}

bool has(const ChangeSet &changes, const QString &type, const QUuid &id, EntityChange::Kind kind)
{
    for (const EntityChange &change : changes.entities)
        if (change.entityType == type && change.id == id && change.kind == kind)
            return true;
    return false;
}

} // namespace

class TestChangeFeed final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aWriteIsAnnouncedBeforeTheCallReturns()
    {
        CoreFixture f;
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        auto contact =
            f->contacts.create({QStringLiteral("Ruth Okafor"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(contact);
        QCOMPARE(spy.count(), 1);
        const ChangeSet changes = changesAt(spy, 0);
        QVERIFY(!changes.fromOtherConnection);
        QVERIFY(has(changes, QStringLiteral("contact"), contact->id, EntityChange::Kind::Created));
        QVERIFY(changes.touches({"contact"}));
        QVERIFY(!changes.touches({"ticket", "invoice"}));

        ContactUpdate phone;
        phone.phone = QStringLiteral("(815) 555-0186");
        VERIFY_OK(f->contacts.update(contact->id, phone));
        QCOMPARE(spy.count(), 2);
        QVERIFY(has(changesAt(spy, 1), QStringLiteral("contact"), contact->id, EntityChange::Kind::Updated));
        QCOMPARE(changesAt(spy, 1).entities.size(), 1); // only the new entry, not the create again

        VERIFY_OK(f->contacts.remove(contact->id));
        QCOMPARE(spy.count(), 3);
        QVERIFY(has(changesAt(spy, 2), QStringLiteral("contact"), contact->id, EntityChange::Kind::Deleted));
    }

    void aTransactionIsAnnouncedOnceAtItsCommit()
    {
        CoreFixture f;
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        QUuid first;
        QUuid second;
        {
            Transaction tx(f->db());
            VERIFY_OK(tx.began());
            auto a =
                f->contacts.create({QStringLiteral("Ana Duarte"), std::nullopt, std::nullopt, std::nullopt});
            auto b =
                f->contacts.create({QStringLiteral("Ben Ito"), std::nullopt, std::nullopt, std::nullopt});
            VERIFY_OK(a);
            VERIFY_OK(b);
            first = a->id;
            second = b->id;
            QCOMPARE(spy.count(), 0); // nothing is announced before the commit
            VERIFY_OK(tx.commit());
        }
        QCOMPARE(spy.count(), 1);
        QVERIFY(has(changesAt(spy, 0), QStringLiteral("contact"), first, EntityChange::Kind::Created));
        QVERIFY(has(changesAt(spy, 0), QStringLiteral("contact"), second, EntityChange::Kind::Created));
    }

    void aRolledBackChangeIsNeverAnnounced()
    {
        CoreFixture f;
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        QUuid rolledBack;
        {
            Transaction tx(f->db());
            VERIFY_OK(tx.began());
            auto contact =
                f->contacts.create({QStringLiteral("Never Saved"), std::nullopt, std::nullopt, std::nullopt});
            VERIFY_OK(contact);
            rolledBack = contact->id;
        } // no commit: rolled back
        QCOMPARE(spy.count(), 0);
        auto kept = f->contacts.create({QStringLiteral("Kept"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(kept);
        QCOMPARE(spy.count(), 1);
        QVERIFY(!changesAt(spy, 0).touches(QStringLiteral("contact"), rolledBack));
        QVERIFY(changesAt(spy, 0).touches(QStringLiteral("contact"), kept->id));
    }

    void aHugeCommitIsAnnouncedAsIncompleteNotRowByRow()
    {
        CoreFixture f;
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        {
            Transaction tx(f->db());
            VERIFY_OK(tx.began());
            for (int i = 0; i <= ChangeFeed::kMaxListed; ++i)
                VERIFY_OK(f->contacts.create(
                    {QStringLiteral("Customer %1").arg(i), std::nullopt, std::nullopt, std::nullopt}));
            VERIFY_OK(tx.commit());
        }
        QCOMPARE(spy.count(), 1);
        const ChangeSet changes = changesAt(spy, 0);
        QVERIFY(changes.incomplete);
        QVERIFY(changes.entities.size() <= ChangeFeed::kMaxListed);
        QVERIFY(changes.touches({"invoice"})); // a screen reads again whatever it shows

        // The next commit is listed alone, exactly.
        auto next = f->contacts.create({QStringLiteral("After"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(next);
        QCOMPARE(spy.count(), 2);
        QVERIFY(!changesAt(spy, 1).incomplete);
        QCOMPARE(changesAt(spy, 1).entities.size(), 1);
        QVERIFY(changesAt(spy, 1).touches(QStringLiteral("contact"), next->id));
    }

    void aRowWrittenWithoutAuditIsStillAnnouncedByType()
    {
        CoreFixture f;
        auto customer = f.addCustomer();
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        VERIFY_OK(f->db().exec(QStringLiteral("UPDATE main.contacts SET phone = '555' WHERE id = ?"),
                               {idText(customer.contact.id)}));
        QCOMPARE(spy.count(), 1);
        QVERIFY(changesAt(spy, 0).touches({"contact"}));
        QVERIFY(!changesAt(spy, 0).touches({"ticket"}));
    }

    void aTableWithoutAuditIsNamed()
    {
        CoreFixture f;
        auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime::currentDateTimeUtc(), std::nullopt, std::nullopt});
        VERIFY_OK(ticket);
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        VERIFY_OK(f->drafts.save(ticket->id,
                                 QJsonObject{{QStringLiteral("notes"), QStringLiteral("gate code 4411")}}));
        QCOMPARE(spy.count(), 1);
        QVERIFY(changesAt(spy, 0).touchesAny({QStringLiteral("closeout_drafts")}));
        QVERIFY(changesAt(spy, 0).entities.isEmpty());
    }

    void anotherConnectionsCommitIsAnnouncedWithinAnInterval()
    {
        CoreFixture f;
        auto other = f.reopen(); // as the sync worker's thread or a `fieldbook` command would
        VERIFY_OK(other->setCurrentUser(f.alice()));
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        f->changes().watchOtherConnections(50);

        QTest::qWait(150);
        QCOMPARE(spy.count(), 0); // nothing committed: nothing announced

        auto contact = other->contacts.create(
            {QStringLiteral("From The Worker"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(contact);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 1000);
        const ChangeSet changes = changesAt(spy, 0);
        QVERIFY(changes.fromOtherConnection);
        QVERIFY(has(changes, QStringLiteral("contact"), contact->id, EntityChange::Kind::Created));

        QTest::qWait(150);
        QCOMPARE(spy.count(), 1); // announced once
    }

    void anotherConnectionsBookkeepingIsNotAnnouncedButItsDraftIs()
    {
        CoreFixture f;
        auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime::currentDateTimeUtc(), std::nullopt, std::nullopt});
        VERIFY_OK(ticket);
        auto other = f.reopen();
        VERIFY_OK(other->setCurrentUser(f.alice()));
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);

        // What the sync worker does after each push: bookkeeping no screen shows. Nothing is announced, so no
        // screen reads again (and loses its place) for it.
        VERIFY_OK(other->db().exec(
            QStringLiteral(
                "INSERT OR REPLACE INTO main.sync_state (user_id, key, value) VALUES (?, 'last_push', 'x')"),
            {idText(f.alice())}));
        f->changes().checkOtherConnections();
        QCOMPARE(spy.count(), 0);

        // A draft saved by another connection is named, and only it.
        VERIFY_OK(
            other->drafts.save(ticket->id, QJsonObject{{QStringLiteral("notes"), QStringLiteral("ladder")}}));
        f->changes().checkOtherConnections();
        QCOMPARE(spy.count(), 1);
        QVERIFY(changesAt(spy, 0).fromOtherConnection);
        QCOMPARE(changesAt(spy, 0).tables, QSet<QString>{QStringLiteral("closeout_drafts")});
        QVERIFY(changesAt(spy, 0).entities.isEmpty());
    }

    void theOtherConnectionsChangeIsAnnouncedOnceEvenWhenThisOneCommitsFirst()
    {
        CoreFixture f;
        auto other = f.reopen();
        VERIFY_OK(other->setCurrentUser(f.alice()));
        QSignalSpy spy(&f->changes(), &ChangeFeed::changed);
        auto theirs =
            other->contacts.create({QStringLiteral("Theirs"), std::nullopt, std::nullopt, std::nullopt});
        auto mine = f->contacts.create({QStringLiteral("Mine"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(theirs);
        VERIFY_OK(mine);
        f->changes().checkOtherConnections();
        int theirsSeen = 0;
        for (int i = 0; i < spy.count(); ++i)
            theirsSeen += changesAt(spy, i).touches(QStringLiteral("contact"), theirs->id) ? 1 : 0;
        QCOMPARE(theirsSeen, 1);
    }
};

QTEST_GUILESS_MAIN(TestChangeFeed)
#include "test_change_feed.moc"
