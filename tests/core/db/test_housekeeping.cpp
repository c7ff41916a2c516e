// The housekeeping (issue 16): what nothing will read again is pruned, and nothing else. Acknowledged outbox
// rows and delivered events go; pending and set-aside changes, undelivered and failed events stay; the audit
// trail stays whole, History reads it as before, and `fieldbook check` still proves every change was recorded
// for sync (and still finds one that was lost).
#include "db/housekeeping.h"
#include "db/integritycheck.h"
#include "support/testsupport.h"
#include "syncapi/outbox.h"
#include "util/timeutil.h"

#include <QFileInfo>
#include <QTest>

using namespace fb;

namespace {

QList<qint64> outboxSeqs(test::CoreFixture &f)
{
    auto query = f->db().exec(QStringLiteral("SELECT seq FROM sync_outbox ORDER BY seq"));
    QList<qint64> seqs;
    while (query && query->next())
        seqs.append(query->value(0).toLongLong());
    return seqs;
}

QString text(test::CoreFixture &f, const QString &sql, const QVariantList &values)
{
    auto query = f->db().exec(sql, values);
    return query && query->next() ? query->value(0).toString() : QString();
}

QStringList problems(test::CoreFixture &f)
{
    auto report = checkIntegrity(f.path());
    if (!report)
        return {QStringLiteral("check failed: ") + report.error().toString()};
    return report->problems;
}

Contact contact(test::CoreFixture &f, const QString &name)
{
    auto created = f->contacts.create({name, std::nullopt, std::nullopt, std::nullopt});
    if (!created)
        qFatal("creating a contact: %s", qPrintable(created.error().toString()));
    return *created;
}

const QString kLead = QString::fromLatin1(LeadCreatedEvent::kType);

} // namespace

class TestHousekeeping final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prunesOnlyAcknowledgedOutboxRows()
    {
        test::CoreFixture f;
        for (int i = 0; i < 6; ++i)
            contact(f, QStringLiteral("Customer %1").arg(i));
        const QList<qint64> seqs = outboxSeqs(f);
        QCOMPARE(seqs.size(), 7); // the profile's entry, then the customers'
        const qint64 audit = test::scalar(f, QStringLiteral("SELECT count(*) FROM audit_log"));
        // The server acknowledged the first four; the fifth was set aside; the last two are pending.
        VERIFY_OK(outbox::acknowledge(f->db(), f.alice(), seqs.mid(0, 4), toStoredTime(nowUtc())));
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = "
                                        "'refused' WHERE seq = ?"),
                         {toStoredTime(nowUtc()), seqs.at(4)}));

        auto pruned = housekeeping::pruneAll(f->db());
        VERIFY_OK(pruned);
        QCOMPARE(pruned->outboxRows, 4);
        QVERIFY(pruned->done);
        QCOMPARE(outboxSeqs(f), seqs.mid(4));
        QCOMPARE(
            test::scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE pushed_at IS NULL AND "
                                           "quarantined_at IS NULL")),
            2);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT rows FROM sync_outbox_pruned WHERE user_id = ?"),
                              {idText(f.alice())}),
                 4);
        // The trail is whole, and the file checks clean.
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")), audit);
        QCOMPARE(problems(f), QStringList());

        // Nothing more to prune: a second pass changes nothing.
        auto again = housekeeping::pruneAll(f->db());
        VERIFY_OK(again);
        QCOMPARE(again->outboxRows, 0);
        QCOMPARE(outboxSeqs(f), seqs.mid(4));
    }

    void aChangeAcknowledgedAfterBeingSetAsideIsPrunedLikeTheOthers()
    {
        test::CoreFixture f;
        contact(f, QStringLiteral("Dana Smith"));
        const QList<qint64> seqs = outboxSeqs(f);
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = "
                                        "'refused'"),
                         {toStoredTime(nowUtc())}));
        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(outboxSeqs(f), seqs); // set aside: kept (pushed_at is not set while a change is set aside)
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET pushed_at = ?"), {toStoredTime(nowUtc())}));
        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(outboxSeqs(f), seqs); // even marked: a change set aside is never pruned
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = NULL, quarantine_reason = "
                                        "NULL")));
        VERIFY_OK(outbox::acknowledge(f->db(), f.alice(), seqs, toStoredTime(nowUtc())));
        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(outboxSeqs(f), QList<qint64>());
        QCOMPARE(problems(f), QStringList());
    }

    void historyReadsTheWholeTrailAfterPruning()
    {
        test::CoreFixture f;
        const Contact dana = contact(f, QStringLiteral("Dana Smith"));
        ContactUpdate update;
        update.phone = QStringLiteral("(815) 555-0186");
        VERIFY_OK(f->contacts.update(dana.id, update));
        auto before = f->audit().entityHistory(QStringLiteral("contact"), dana.id);
        VERIFY_OK(before);
        QCOMPARE(before->size(), 2);
        VERIFY_OK(outbox::acknowledge(f->db(), f.alice(), outboxSeqs(f), toStoredTime(nowUtc())));
        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")), 0);

        auto after = f->audit().entityHistory(QStringLiteral("contact"), dana.id);
        VERIFY_OK(after);
        QCOMPARE(after->size(), before->size());
        for (qsizetype i = 0; i < after->size(); ++i) {
            QCOMPARE(after->at(i).id, before->at(i).id);
            QCOMPARE(after->at(i).changes, before->at(i).changes);
        }
        auto activity = f->audit().userActivity(f.alice(), 10);
        VERIFY_OK(activity);
        QCOMPARE(activity->size(), 3); // the profile, the contact, its update
    }

    void checkStillFindsALostChange()
    {
        test::CoreFixture f;
        for (int i = 0; i < 4; ++i)
            contact(f, QStringLiteral("Customer %1").arg(i));
        const QList<qint64> seqs = outboxSeqs(f);
        QCOMPARE(seqs.size(), 5); // the profile's entry, then the customers'
        // The second customer's change is still pending when the others were acknowledged and pruned.
        VERIFY_OK(outbox::acknowledge(f->db(), f.alice(), {seqs.at(0), seqs.at(1), seqs.at(3)},
                                      toStoredTime(nowUtc())));
        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(outboxSeqs(f), (QList<qint64>{seqs.at(2), seqs.at(4)}));
        QCOMPARE(problems(f), QStringList());

        // A pending change after the last pruned one is lost: named, as before pruning.
        const QString last =
            text(f, QStringLiteral("SELECT audit_id FROM sync_outbox WHERE seq = ?"), {seqs.at(4)});
        VERIFY_OK(f->db().exec(QStringLiteral("DELETE FROM sync_outbox WHERE seq = ?"), {seqs.at(4)}));
        QStringList found = problems(f);
        QCOMPARE(found.size(), 1);
        QVERIFY2(
            found.first().startsWith(QStringLiteral("unsynced: audit entry %1 (create contact ").arg(last)) &&
                found.first().endsWith(QStringLiteral(") has no sync_outbox row")),
            qPrintable(found.first()));

        // A pending change among the pruned ones is lost: the count no longer adds up.
        VERIFY_OK(f->db().exec(QStringLiteral("DELETE FROM sync_outbox WHERE seq = ?"), {seqs.at(2)}));
        found = problems(f);
        QCOMPARE(found.size(), 2);
        QVERIFY2(
            found.contains(QStringLiteral("unsynced: 4 audit entries of user %1 have no sync_outbox row, "
                                          "but only 3 were pruned after the server acknowledged them: 1 "
                                          "change(s) were lost before they were pushed")
                               .arg(idText(f.alice()))),
            qPrintable(found.join(QLatin1Char('\n'))));
    }

    // The window's "N changes waiting" is read from a number the outbox's triggers keep (migration 016), not
    // counted at every start: it must move exactly as the rows that wait do, per technician, and a file from
    // before that migration starts with the right number.
    void theNumberOfChangesWaitingIsKeptAsTheOutboxChanges()
    {
        test::CoreFixture f;
        const auto kept = [&f](const QUuid &user) {
            return test::scalar(f,
                                QStringLiteral("SELECT coalesce(max(pending), 0) FROM sync_outbox_pending "
                                               "WHERE user_id = ?"),
                                {idText(user)});
        };
        const auto waiting = [&f](const QUuid &user) {
            return test::scalar(f,
                                QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND "
                                               "pushed_at IS NULL AND quarantined_at IS NULL"),
                                {idText(user)});
        };
        for (int i = 0; i < 6; ++i)
            contact(f, QStringLiteral("Customer %1").arg(i));
        const QList<qint64> seqs = outboxSeqs(f);
        QCOMPARE(kept(f.alice()), 7); // the profile's entry, then the customers'

        // Acknowledged, set aside, put back: each moves the number once.
        VERIFY_OK(outbox::acknowledge(f->db(), f.alice(), seqs.mid(0, 3), toStoredTime(nowUtc())));
        QCOMPARE(kept(f.alice()), 4);
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = ?, quarantine_reason = "
                                        "'refused' WHERE seq IN (?, ?)"),
                         {toStoredTime(nowUtc()), seqs.at(3), seqs.at(4)}));
        QCOMPARE(kept(f.alice()), 2);
        VERIFY_OK(f->db().exec(
            QStringLiteral("UPDATE sync_outbox SET quarantine_reason = 'refused again' WHERE seq = ?"),
            {seqs.at(3)}));
        QCOMPARE(kept(f.alice()), 2); // still set aside
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE sync_outbox SET quarantined_at = NULL, quarantine_reason = "
                                        "NULL WHERE seq = ?"),
                         {seqs.at(3)}));
        QCOMPARE(kept(f.alice()), 3);

        // Another technician on the same laptop has a number of their own.
        auto bob = f->users.create({QStringLiteral("Bob Baker"), QStringLiteral("bob@example.com"), {}});
        VERIFY_OK(bob);
        QCOMPARE(kept(f.alice()), 3);
        const qint64 bobsProfile = kept(bob->id); // the profile's own entry, as for Alice
        QCOMPARE(bobsProfile, waiting(bob->id));
        VERIFY_OK(f->setCurrentUser(bob->id));
        contact(f, QStringLiteral("Bob's customer"));
        QCOMPARE(kept(bob->id), bobsProfile + 1);
        QCOMPARE(kept(f.alice()), 3);

        // Pruning takes only acknowledged rows: the numbers stay, and they are what the rows say.
        VERIFY_OK(housekeeping::pruneAll(f->db()));
        QCOMPARE(kept(f.alice()), waiting(f.alice()));
        QCOMPARE(kept(f.alice()), 3);
        QCOMPARE(kept(bob->id), waiting(bob->id));
        QCOMPARE(problems(f), QStringList());

        // A number that went wrong is reported by `fieldbook check`.
        VERIFY_OK(f->db().exec(QStringLiteral("UPDATE sync_outbox_pending SET pending = 9 WHERE user_id = ?"),
                               {idText(bob->id)}));
        QCOMPARE(problems(f), QStringList{QStringLiteral("pending count: %1 change(s) of user %2 wait to be "
                                                         "pushed, but the number kept for the window says 9")
                                              .arg(bobsProfile + 1)
                                              .arg(idText(bob->id))});

        // A file from before migration 016 (no kept numbers) gets them counted when it is opened.
        VERIFY_OK(f->db().exec(QStringLiteral("DROP TRIGGER sync_outbox_pending_insert")));
        VERIFY_OK(f->db().exec(QStringLiteral("DROP TRIGGER sync_outbox_pending_update")));
        VERIFY_OK(f->db().exec(QStringLiteral("DROP TRIGGER sync_outbox_pending_delete")));
        VERIFY_OK(f->db().exec(QStringLiteral("DROP TABLE sync_outbox_pending")));
        VERIFY_OK(f->db().exec(QStringLiteral("PRAGMA user_version = 15")));
        auto reopened = f.reopen();
        QCOMPARE(reopened->db().schemaVersion(), Database::latestSchemaVersion());
        auto numbers = reopened->db().exec(
            QStringLiteral("SELECT user_id, pending FROM sync_outbox_pending ORDER BY pending DESC"));
        VERIFY_OK(numbers);
        QVERIFY(numbers->next());
        QCOMPARE(numbers->value(0).toString(), idText(f.alice()));
        QCOMPARE(numbers->value(1).toLongLong(), 3);
        QVERIFY(numbers->next());
        QCOMPARE(numbers->value(0).toString(), idText(bob->id));
        QCOMPARE(numbers->value(1).toLongLong(), bobsProfile + 1);
        QVERIFY(!numbers->next());
    }

    void prunesOnlyDeliveredEvents()
    {
        test::CoreFixture f;
        bool failing = true;
        f->bus().subscribe(kLead, QStringLiteral("flaky"), [&failing](const DomainEvent &) -> Status {
            if (failing)
                return Error::invalidState(QStringLiteral("the model is away"));
            return {};
        });
        int calls = 0;
        f->bus().subscribe(kLead, QStringLiteral("steady"), [&calls](const DomainEvent &) -> Status {
            ++calls;
            return {};
        });
        // A contact's event has no subscriber: stored as delivered. The lead's waits for "flaky".
        contact(f, QStringLiteral("Dana Smith"));
        auto event = newEvent<LeadCreatedEvent>(f->db());
        event.leadId = newId();
        event.rawNotes = QStringLiteral("furnace");
        VERIFY_OK(f->bus().publish(event));
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM domain_events WHERE dispatched = 1")),
                 1);

        auto pruned = housekeeping::pruneAll(f->db());
        VERIFY_OK(pruned);
        QCOMPARE(pruned->events, 1);
        // The undelivered event stays, with both its records (the steady handler's done, the failure).
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM domain_events")), 1);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM event_deliveries")), 2);
        auto failed = f->bus().failedDeliveries();
        VERIFY_OK(failed);
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().eventId, event.eventId);

        // Once the retry succeeds (the steady handler does not run again), the event and its records go.
        failing = false;
        QCOMPARE(f->bus().retryFailed(), 0);
        QCOMPARE(calls, 1);
        pruned = housekeeping::pruneAll(f->db());
        VERIFY_OK(pruned);
        QCOMPARE(pruned->events, 1);
        QCOMPARE(pruned->deliveries, 2);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM domain_events")), 0);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM event_deliveries")), 0);
        QCOMPARE(problems(f), QStringList());
    }

    void stepsAreBoundedAndANewFileShrinks()
    {
        test::CoreFixture f;
        QCOMPARE(test::scalar(f, QStringLiteral("PRAGMA auto_vacuum")), 2); // incremental, for a new file
        for (int i = 0; i < 300; ++i)
            contact(f, QStringLiteral("Customer %1 with a name long enough to take room").arg(i));
        VERIFY_OK(outbox::acknowledge(f->db(), f.alice(), outboxSeqs(f), toStoredTime(nowUtc())));
        const qint64 pagesBefore = test::scalar(f, QStringLiteral("PRAGMA page_count"));

        auto step = housekeeping::pruneStep(f->db(), 100);
        VERIFY_OK(step);
        QCOMPARE(step->outboxRows, 100);
        QCOMPARE(step->events, 100);
        QVERIFY(!step->done);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")),
                 201); // the profile's too

        auto rest = housekeeping::pruneAll(f->db(), QDeadlineTimer::Forever, 100);
        VERIFY_OK(rest);
        QVERIFY(rest->done);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")), 0);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM domain_events")), 0);
        QCOMPARE(test::scalar(f, QStringLiteral("PRAGMA freelist_count")), 0);
        QVERIFY2(test::scalar(f, QStringLiteral("PRAGMA page_count")) < pagesBefore,
                 qPrintable(QStringLiteral("%1 pages before, %2 after")
                                .arg(pagesBefore)
                                .arg(test::scalar(f, QStringLiteral("PRAGMA page_count")))));
        QCOMPARE(problems(f), QStringList());
    }

    void theSearchIndexIsCompactedOnceADayAndStillFindsEveryone()
    {
        test::CoreFixture f;
        QList<Contact> customers;
        for (int i = 0; i < 300; ++i) // a commit each: a segment of the index each, merged level by level
            customers.append(
                contact(f, QStringLiteral("Customer %1 Quarry").arg(i, 3, 10, QLatin1Char('0'))));
        for (int i = 0; i < 300; i += 3) {
            ContactUpdate rename;
            rename.name = QStringLiteral("Renamed %1 Orchard").arg(i, 3, 10, QLatin1Char('0'));
            VERIFY_OK(f->contacts.update(customers.at(i).id, rename));
        }
        const qint64 blocksBefore =
            test::scalar(f, QStringLiteral("SELECT count(*) FROM contact_search_data"));

        bool merged = false;
        for (int steps = 0; steps < 1000; ++steps) {
            auto step = housekeeping::pruneStep(f->db());
            VERIFY_OK(step);
            merged = merged || step->searchIndexMerged;
            if (step->done)
                break;
        }
        QVERIFY(merged);
        const qint64 blocksAfter =
            test::scalar(f, QStringLiteral("SELECT count(*) FROM contact_search_data"));
        QVERIFY2(blocksAfter < blocksBefore,
                 qPrintable(QStringLiteral("%1 blocks before, %2 after").arg(blocksBefore).arg(blocksAfter)));
        VERIFY_OK(f->db().exec(QStringLiteral(
            "INSERT INTO contact_search (contact_search, rank) VALUES ('integrity-check', 0)")));
        // Every customer is found by the name they have, none by the name they had.
        auto quarry = f->contacts.search(QStringLiteral("Quarry"), 500);
        VERIFY_OK(quarry);
        QCOMPARE(quarry->size(), 200);
        auto orchard = f->contacts.search(QStringLiteral("Orchard"), 500);
        VERIFY_OK(orchard);
        QCOMPARE(orchard->size(), 100);
        auto one = f->contacts.search(QStringLiteral("Customer 004 Q"));
        VERIFY_OK(one);
        QCOMPARE(one->size(), 1);
        QCOMPARE(one->first().id, customers.at(4).id);
        QVERIFY(!text(f, QStringLiteral("SELECT value FROM sync_state WHERE user_id = '' AND key = ?"),
                      {QStringLiteral("search_index_compacted_at")})
                     .isEmpty());

        // Not again the same day: a later pass only prunes.
        contact(f, QStringLiteral("Customer 300 Quarry"));
        auto again = housekeeping::pruneStep(f->db());
        VERIFY_OK(again);
        QVERIFY(!again->searchIndexMerged);
        QVERIFY(again->done);
    }
};

QTEST_GUILESS_MAIN(TestHousekeeping)
#include "test_housekeeping.moc"
