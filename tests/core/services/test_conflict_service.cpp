// The technician's side of the merge conflicts (issue 14, item 4): what the sync layer wrote to
// sync_conflicts, read back for the Sync screen, newest first, values as JSON in the local convention.
#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;

namespace {

QDateTime at(int hour, int minute = 0)
{
    return QDateTime(QDate(2030, 3, 2), QTime(hour, minute), QTimeZone::utc());
}

/// A conflict row as the push's acknowledgement writes it.
void addConflict(test::CoreFixture &f, const QUuid &user, const QString &field, const QVariant &base,
                 const QVariant &theirs, const QVariant &mine, const QString &outcome,
                 const QDateTime &detected, const QString &entityType = QStringLiteral("ticket"),
                 const QUuid &entityId = {})
{
    auto added = f->db().exec(
        QStringLiteral(
            "INSERT INTO main.sync_conflicts (id, user_id, entity_type, entity_id, field, base, theirs, "
            "mine, outcome, audit_id, detected_at, theirs_author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {idText(newId()), idText(user), entityType, idText(entityId.isNull() ? newId() : entityId), field,
         base, theirs, mine, outcome, idText(newId()), toStoredTime(detected), QStringLiteral("Dana Smith")});
    if (!added)
        qFatal("cannot add a conflict: %s", qPrintable(added.error().toString()));
}

} // namespace

class TestConflictService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsTheTechniciansConflictsNewestFirst()
    {
        test::CoreFixture f;
        const QUuid bob = f.addUser(QStringLiteral("Bob"), QStringLiteral("bob@example.com"));
        const QUuid job = newId();
        addConflict(
            f, f.alice(), QStringLiteral("scheduled_at"), QStringLiteral("\"2030-03-03T10:00:00.000Z\""),
            QStringLiteral("\"2030-03-04T14:00:00.000Z\""), QStringLiteral("\"2030-03-03T11:00:00.000Z\""),
            QStringLiteral("theirs"), at(9), QStringLiteral("ticket"), job);
        addConflict(f, f.alice(), QStringLiteral("total_price"), QStringLiteral("12000"),
                    QStringLiteral("9900"), QStringLiteral("15600"), QStringLiteral("mine"), at(11),
                    QStringLiteral("line_item"));
        addConflict(f, f.alice(), QStringLiteral("notes"), QVariant(), QStringLiteral("null"),
                    QStringLiteral("\"Side gate\""), QStringLiteral("deleted"), at(10));
        addConflict(f, bob, QStringLiteral("notes"), QVariant(), QStringLiteral("\"x\""),
                    QStringLiteral("\"y\""), QStringLiteral("theirs"), at(12));

        auto conflicts = f->conflicts.list();
        VERIFY_OK(conflicts);
        QCOMPARE(conflicts->size(), 3); // Bob's is not Alice's business
        QCOMPARE(conflicts->at(0).field, QStringLiteral("total_price"));
        QCOMPARE(conflicts->at(0).outcome, SyncConflict::Outcome::Mine);
        QCOMPARE(conflicts->at(0).theirs, QJsonValue(9900));
        QCOMPARE(conflicts->at(0).mine, QJsonValue(15600));
        QCOMPARE(conflicts->at(0).entityType, QStringLiteral("line_item"));
        QCOMPARE(conflicts->at(1).outcome, SyncConflict::Outcome::Deleted);
        QVERIFY(conflicts->at(1).base.isNull());
        QVERIFY(conflicts->at(1).theirs.isNull());
        QCOMPARE(conflicts->at(1).mine, QJsonValue(QStringLiteral("Side gate")));
        const SyncConflict &time = conflicts->at(2);
        QCOMPARE(time.entityId, job);
        QCOMPARE(time.outcome, SyncConflict::Outcome::Theirs);
        QCOMPARE(time.theirs, QJsonValue(QStringLiteral("2030-03-04T14:00:00.000Z")));
        QCOMPARE(time.base, QJsonValue(QStringLiteral("2030-03-03T10:00:00.000Z")));
        QCOMPARE(time.theirsAuthor, QStringLiteral("Dana Smith"));
        QCOMPARE(time.detectedAt, at(9));

        auto newest = f->conflicts.list(1);
        VERIFY_OK(newest);
        QCOMPARE(newest->size(), 1);
        QCOMPARE(newest->first().field, QStringLiteral("total_price"));
    }

    void outcomesByName()
    {
        QCOMPARE(ConflictService::parseOutcome(QStringLiteral("theirs")), SyncConflict::Outcome::Theirs);
        QCOMPARE(ConflictService::parseOutcome(QStringLiteral("mine")), SyncConflict::Outcome::Mine);
        QCOMPARE(ConflictService::parseOutcome(QStringLiteral("deleted")), SyncConflict::Outcome::Deleted);
        QCOMPARE(ConflictService::parseOutcome(QStringLiteral("kept")), SyncConflict::Outcome::Kept);
        QCOMPARE(ConflictService::parseOutcome(QStringLiteral("merged")), SyncConflict::Outcome::Unknown);
    }
};

QTEST_MAIN(TestConflictService)
#include "test_conflict_service.moc"
