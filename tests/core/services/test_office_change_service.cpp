// Others' changes to the technician's jobs (issue 14, item 6): what the office moved, booked or cancelled
// since the technician last opened the job, as the pull leaves it in the local file (entries with origin
// set).
#include "core/services/pulledchange.h"
#include "support/fixedclock.h"
#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

#include <optional>

using namespace fb;
using fb::test::scalar;

namespace {

QDateTime at(int day, int hour, int minute = 0)
{
    return QDateTime(QDate(2030, 3, day), QTime(hour, minute), QTimeZone::utc());
}

Ticket createTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer, const QDateTime &when)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, when, 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

/// The unseen changes of the jobs scheduled on March 1..14.
QHash<QUuid, OfficeChange> unseenInTwoWeeks(test::CoreFixture &f)
{
    auto unseen = f->officeChanges.unseen(at(1, 0), at(15, 0));
    if (!unseen)
        qFatal("unseen: %s", qPrintable(unseen.error().toString()));
    return *unseen;
}

/// A ticket row as the pull inserts one the office booked.
QVariantMap bookedRow(const QUuid &id, const QUuid &user, const test::CoreFixture::Customer &customer,
                      const QDateTime &when)
{
    return {{QStringLiteral("id"), idText(id)},
            {QStringLiteral("user_id"), idText(user)},
            {QStringLiteral("contact_id"), idText(customer.contact.id)},
            {QStringLiteral("address_id"), idText(customer.address.id)},
            {QStringLiteral("status"), QStringLiteral("scheduled")},
            {QStringLiteral("scheduled_at"), toStoredTime(when)},
            {QStringLiteral("scheduled_duration_minutes"), 45},
            {QStringLiteral("created_at"), toStoredTime(when.addDays(-1))},
            {QStringLiteral("updated_at"), toStoredTime(when.addDays(-1))}};
}

} // namespace

class TestOfficeChangeService final : public QObject
{
    Q_OBJECT

    std::optional<test::FixedClock> m_clock;

private Q_SLOTS:
    void init() { m_clock.emplace(at(1, 7)); }
    void cleanup() { m_clock.reset(); }

    void aMoveByTheOfficeIsMarkedUntilTheJobIsOpened()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        // The technician's own booking is no news.
        QVERIFY(unseenInTwoWeeks(f).isEmpty());

        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 10), at(4, 14), at(1, 9, 5)));
        auto unseen = unseenInTwoWeeks(f);
        QCOMPARE(unseen.size(), 1);
        const OfficeChange change = unseen.value(ticket.id);
        QCOMPARE(change.movedFrom, at(3, 10));
        QCOMPARE(change.movedTo, at(4, 14));
        QVERIFY(!change.booked && !change.cancelled && !change.deleted);
        QCOMPARE(change.at, at(1, 9, 5));
        QCOMPARE(change.author.name, QStringLiteral("Dana Smith"));
        QVERIFY(change.author.isDispatcher);
        QVERIFY(!change.author.isTechnician);
        // Only the shown days: a range without the job has nothing.
        auto elsewhere = f->officeChanges.unseen(at(10, 0), at(11, 0));
        VERIFY_OK(elsewhere);
        QVERIFY(elsewhere->isEmpty());

        // Opened: seen, and it stays seen after a restart.
        VERIFY_OK(f->officeChanges.markSeen(ticket.id));
        QVERIFY(unseenInTwoWeeks(f).isEmpty());
        auto reopened = f.reopen();
        VERIFY_OK(reopened->setCurrentUser(f.alice()));
        auto afterRestart = reopened->officeChanges.unseenFor(ticket.id);
        VERIFY_OK(afterRestart);
        QVERIFY(!afterRestart->has_value());

        // The next move is marked again, from where the technician last saw it.
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(4, 14), at(5, 8), at(1, 11)));
        auto again = f->officeChanges.unseenFor(ticket.id);
        VERIFY_OK(again);
        QVERIFY(again->has_value());
        QCOMPARE((*again)->movedFrom, at(4, 14));
        QCOMPARE((*again)->movedTo, at(5, 8));
        // UI state only: marking seen writes no audit entry and nothing to push.
        const qint64 audit = scalar(f, QStringLiteral("SELECT count(*) FROM main.audit_log"));
        const qint64 outbox = scalar(f, QStringLiteral("SELECT count(*) FROM main.sync_outbox"));
        VERIFY_OK(f->officeChanges.markSeen(ticket.id));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.audit_log")), audit);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.sync_outbox")), outbox);
    }

    void severalMovesShowWhereTheJobWasAndIsAndAMoveBackIsNoNews()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 10), at(4, 14), at(1, 9)));
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(4, 14), at(6, 9), at(1, 10)));
        OfficeChange change = unseenInTwoWeeks(f).value(ticket.id);
        QCOMPARE(change.movedFrom, at(3, 10));
        QCOMPARE(change.movedTo, at(6, 9));

        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(6, 9), at(3, 10), at(1, 11)));
        QVERIFY(unseenInTwoWeeks(f).isEmpty());
    }

    void onlyWhenWhereAndWhetherCount()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        // The office corrects the job's notes: not a change to the technician's day.
        VERIFY_OK(test::pullTicketChange(
            f.core(), ticket.id, QStringLiteral("update"),
            {{QStringLiteral("notes"), QStringLiteral("Side gate")}},
            {{QStringLiteral("notes"), QJsonObject{{QStringLiteral("old"), QJsonValue::Null},
                                                   {QStringLiteral("new"), QStringLiteral("Side gate")}}}},
            at(1, 9)));
        QVERIFY(unseenInTwoWeeks(f).isEmpty());

        // Its planned length is.
        VERIFY_OK(
            test::pullTicketChange(f.core(), ticket.id, QStringLiteral("update"),
                                   {{QStringLiteral("scheduled_duration_minutes"), 90}},
                                   {{QStringLiteral("scheduled_duration_minutes"),
                                     QJsonObject{{QStringLiteral("old"), 60}, {QStringLiteral("new"), 90}}}},
                                   at(1, 10)));
        const OfficeChange change = unseenInTwoWeeks(f).value(ticket.id);
        QVERIFY(change.durationChanged);
        QCOMPARE(change.durationFrom, std::optional<int>(60));
        QCOMPARE(change.durationTo, std::optional<int>(90));
        QVERIFY(!change.movedTo.isValid());
    }

    void theTechniciansOwnChangesAreNeverMarked()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        TicketUpdate move;
        move.scheduledAt = at(4, 14);
        VERIFY_OK(f->tickets.update(ticket.id, move));
        VERIFY_OK(f->tickets.cancel(ticket.id));
        QVERIFY(unseenInTwoWeeks(f).isEmpty());
        auto cancellation = f->officeChanges.cancellation(ticket.id);
        VERIFY_OK(cancellation);
        QVERIFY(!cancellation->has_value());
    }

    void bookedAndCancelledAndDeletedByTheOffice()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const QUuid booked = newId();
        const QVariantMap row = bookedRow(booked, f.alice(), customer, at(5, 9));
        QJsonObject created;
        for (auto it = row.cbegin(); it != row.cend(); ++it)
            created.insert(it.key(), QJsonValue::fromVariant(it.value()));
        VERIFY_OK(test::pullTicketChange(f.core(), booked, QStringLiteral("create"), row,
                                         {{QStringLiteral("created"), created}}, at(1, 8)));
        const Ticket cancelled = createTicket(f, customer, at(6, 9));
        VERIFY_OK(test::pullCancel(f.core(), cancelled.id, QStringLiteral("scheduled"), at(1, 9)));
        const Ticket deleted = createTicket(f, customer, at(7, 9));
        VERIFY_OK(test::pullTicketChange(
            f.core(), deleted.id, QStringLiteral("update"),
            {{QStringLiteral("deleted_at"), toStoredTime(at(1, 10))}},
            {{QStringLiteral("deleted_at"), QJsonObject{{QStringLiteral("old"), QJsonValue::Null},
                                                        {QStringLiteral("new"), toStoredTime(at(1, 10))}}}},
            at(1, 10)));

        const auto unseen = unseenInTwoWeeks(f);
        QCOMPARE(unseen.size(), 3);
        QVERIFY(unseen.value(booked).booked);
        QCOMPARE(unseen.value(booked).scheduledAt, at(5, 9));
        QVERIFY(unseen.value(cancelled.id).cancelled);
        // A deleted job no longer shows in the services' lists: the change says where it was and for whom.
        const OfficeChange gone = unseen.value(deleted.id);
        QVERIFY(gone.deleted);
        QCOMPARE(gone.scheduledAt, at(7, 9));
        QCOMPARE(gone.contactId, customer.contact.id);

        auto why = f->officeChanges.cancellation(cancelled.id);
        VERIFY_OK(why);
        QVERIFY(why->has_value());
        QCOMPARE((*why)->at, at(1, 9));
        QCOMPARE((*why)->author.name, QStringLiteral("Dana Smith"));
        QVERIFY(!(*why)->deleted);
        auto goneWhy = f->officeChanges.cancellation(deleted.id);
        VERIFY_OK(goneWhy);
        QVERIFY(goneWhy->has_value());
        QVERIFY((*goneWhy)->deleted);
        auto notCancelled = f->officeChanges.cancellation(booked);
        VERIFY_OK(notCancelled);
        QVERIFY(!notCancelled->has_value());
    }

    /// "Since last opened" is the order entries arrived in, not the office's clock: a change the pull brings
    /// after the job was opened is news even when the office made it earlier.
    void aChangePulledAfterOpeningIsNewsWhateverItsTime()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        m_clock->set(at(1, 12));
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 10), at(3, 11), at(1, 8)));
        VERIFY_OK(f->officeChanges.markSeen(ticket.id));
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 11), at(4, 14), at(1, 11, 55)));
        const OfficeChange change = unseenInTwoWeeks(f).value(ticket.id);
        QCOMPARE(change.movedFrom, at(3, 11));
        QCOMPARE(change.movedTo, at(4, 14));
    }

    /// A restore downloads years of others' entries: none of it is news on the new laptop.
    void historyMarkedSeenIsNoNews()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 10), at(4, 14), at(1, 8)));
        VERIFY_OK(f->officeChanges.markAllSeen());
        QVERIFY(unseenInTwoWeeks(f).isEmpty());
        VERIFY_OK(test::pullCancel(f.core(), ticket.id, QStringLiteral("scheduled"), at(1, 9)));
        QVERIFY(unseenInTwoWeeks(f).value(ticket.id).cancelled);
    }

    void theTechniciansOtherDeviceIsNamedAsSuch()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        const test::ServerAuthor self{f.alice(), QStringLiteral("Alice"), QStringLiteral("technician"),
                                      QStringLiteral("alice")};
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 10), at(4, 14), at(1, 8), self));
        const OfficeChange change = unseenInTwoWeeks(f).value(ticket.id);
        QVERIFY(change.author.isTechnician);
        QVERIFY(!change.author.isDispatcher);
    }

    /// The work is the technician's: a job the office cancelled while they were clocked in still stops its
    /// clock (a job they cancelled themselves refuses it: test_ticket_service).
    void theClockStopsOnAJobTheOfficeCancelledMeanwhile()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(1, 8));
        m_clock->set(at(1, 8));
        VERIFY_OK(f->tickets.clockIn(ticket.id));
        VERIFY_OK(test::pullCancel(f.core(), ticket.id, QStringLiteral("in_progress"), at(1, 7, 30)));
        m_clock->set(at(1, 8, 45));
        auto out = f->tickets.clockOut(ticket.id);
        VERIFY_OK(out);
        QCOMPARE(out->clockOutAt, at(1, 8, 45));
        QCOMPARE(out->actualDurationMinutes, std::optional<int>(45));
        QCOMPARE(toString(out->status), QStringLiteral("cancelled"));
        // Still a cancelled job: nothing else changes on it.
        QVERIFY(!f->tickets.clockIn(ticket.id));
    }

    /// The schedule's question is answered through the partial index, or not at all: it never scans the
    /// trail.
    void theQueryStaysOnTheIndex()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer, at(3, 10));
        VERIFY_OK(test::pullMove(f.core(), ticket.id, at(3, 10), at(4, 14), at(1, 8)));
        VERIFY_OK(f->db().exec(QStringLiteral("DROP INDEX main.idx_audit_log_others_tickets")));
        auto unseen = f->officeChanges.unseen(at(1, 0), at(15, 0));
        QVERIFY(!unseen.ok());
        QVERIFY2(unseen.error().message.contains(QStringLiteral("no such index")),
                 qPrintable(unseen.error().toString()));
    }
};

QTEST_MAIN(TestOfficeChangeService)
#include "test_office_change_service.moc"
