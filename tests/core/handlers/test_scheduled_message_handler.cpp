// ScheduledMessageHandler (seed 3.4.1): a close-out with "reach out in N months" leaves exactly one pending
// service reminder, N calendar months after the close-out; other choices leave none; retries never duplicate.
#include "db/transaction.h"
#include "support/testsupport.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

#include <stdexcept>

using namespace fb;

namespace {

template <typename R> QString errorText(const R &result)
{
    return result.ok() ? QString() : result.error().toString();
}

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs).toUTC();
}

TicketCompletedEvent completed(test::CoreFixture &f, const QUuid &contactId, const QString &action,
                               std::optional<int> months, const QDateTime &at = nowUtc())
{
    auto event = newEvent<TicketCompletedEvent>(f->db());
    event.occurredAt = at;
    event.ticketId = newId();
    event.contactId = contactId;
    event.nextServiceAction = action;
    event.reachOutMonths = months;
    return event;
}

Ticket newTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

} // namespace

class TestScheduledMessageHandler final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void schedulesCalendarMonthsAfterTheCloseOut_data()
    {
        QTest::addColumn<QDateTime>("closedAt");
        QTest::addColumn<int>("months");
        QTest::addColumn<QDateTime>("expected");
        QTest::newRow("Jan 31 + 1 -> Feb 28")
            << utc("2026-01-31T10:00:00.000Z") << 1 << utc("2026-02-28T10:00:00.000Z");
        QTest::newRow("leap year: Jan 31 + 1 -> Feb 29")
            << utc("2028-01-31T10:00:00.000Z") << 1 << utc("2028-02-29T10:00:00.000Z");
        QTest::newRow("12 months is next year, not 360 days")
            << utc("2026-01-31T10:00:00.000Z") << 12 << utc("2027-01-31T10:00:00.000Z");
        QTest::newRow("Aug 31 + 1 -> Sep 30")
            << utc("2026-08-31T07:15:00.000Z") << 1 << utc("2026-09-30T07:15:00.000Z");
        QTest::newRow("across the year end")
            << utc("2026-12-31T08:00:00.000Z") << 2 << utc("2027-02-28T08:00:00.000Z");
        QTest::newRow("time of day and ms kept")
            << utc("2026-03-15T23:30:00.250Z") << 6 << utc("2026-09-15T23:30:00.250Z");
        QTest::newRow("last ms of a UTC day")
            << utc("2026-01-31T23:59:59.999Z") << 1 << utc("2026-02-28T23:59:59.999Z");
        QTest::newRow("60 months from a leap day")
            << utc("2024-02-29T12:00:00.000Z") << 60 << utc("2029-02-28T12:00:00.000Z");
        QTest::newRow("given in another zone")
            << QDateTime(QDate(2026, 1, 31), QTime(3, 0), QTimeZone(-8 * 3600)) << 1
            << utc("2026-02-28T11:00:00.000Z");
    }

    void schedulesCalendarMonthsAfterTheCloseOut()
    {
        QFETCH(QDateTime, closedAt);
        QFETCH(int, months);
        QFETCH(QDateTime, expected);
        test::CoreFixture f;
        auto customer = f.addCustomer();
        auto handled = f->scheduledMessageHandler.handleTicketCompleted(
            completed(f, customer.contact.id, QStringLiteral("reach_out"), months, closedAt));
        QVERIFY2(handled.ok(), qPrintable(errorText(handled)));

        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY2(messages.ok(), qPrintable(errorText(messages)));
        QCOMPARE(messages->size(), 1);
        const ScheduledMessage &message = messages->first();
        QCOMPARE(message.scheduledFor, expected);
        QCOMPARE(toStoredTime(message.scheduledFor), toStoredTime(expected));
        QCOMPARE(message.templateName, std::optional<QString>(QStringLiteral("service_reminder")));
        QVERIFY(!message.customContent.has_value());
        QCOMPARE(toString(message.status), QStringLiteral("pending"));
        QCOMPARE(message.contactId, customer.contact.id);
        QCOMPARE(message.userId, f.alice());
    }

    void noMessageWithoutAReachOut_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("months"); // -1: not given
        QTest::newRow("no_followup") << QStringLiteral("no_followup") << -1;
        QTest::newRow("no_followup with months") << QStringLiteral("no_followup") << 3;
        QTest::newRow("schedule_now") << QStringLiteral("schedule_now") << -1;
        QTest::newRow("schedule_now with months") << QStringLiteral("schedule_now") << 3;
        QTest::newRow("reach_out without months") << QStringLiteral("reach_out") << -1;
        QTest::newRow("reach_out with 0 months") << QStringLiteral("reach_out") << 0;
    }

    void noMessageWithoutAReachOut()
    {
        QFETCH(QString, action);
        QFETCH(int, months);
        test::CoreFixture f;
        auto customer = f.addCustomer();
        auto handled = f->scheduledMessageHandler.handleTicketCompleted(completed(
            f, customer.contact.id, action, months < 0 ? std::nullopt : std::optional<int>(months)));
        QVERIFY2(handled.ok(), qPrintable(errorText(handled)));
        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QVERIFY(messages->isEmpty());
        auto pending = f->messages.listPending();
        QVERIFY(pending.ok());
        QVERIFY(pending->isEmpty());
    }

    void closeOutWithReachOutSchedulesTheReminder()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        auto closed = f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction::ReachOut, 6);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));
        QVERIFY(closed->closedAt.isValid());

        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
        const QDateTime expected(closed->closedAt.date().addMonths(6), closed->closedAt.time(),
                                 QTimeZone::utc());
        QCOMPARE(messages->first().scheduledFor, expected);
        QCOMPARE(messages->first().templateName, std::optional<QString>(QStringLiteral("service_reminder")));
        QCOMPARE(toString(messages->first().status), QStringLiteral("pending"));
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QVERIFY(failed->isEmpty());
    }

    void closeOutWithoutReachOutSchedulesNothing_data()
    {
        QTest::addColumn<int>("action");
        QTest::newRow("no_followup") << int(NextServiceAction::NoFollowup);
        QTest::newRow("schedule_now") << int(NextServiceAction::ScheduleNow);
    }

    void closeOutWithoutReachOutSchedulesNothing()
    {
        QFETCH(int, action);
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        // Months given with another choice are ignored, not turned into a reminder.
        auto closed = f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction(action), 3);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));
        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QVERIFY(messages->isEmpty());
    }

    void retryAfterItsOwnFailureSchedulesOnce()
    {
        test::CoreFixture f;
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        // The handler's insert fails (the disk is full, say): the close-out still completes.
        QVERIFY(f->db()
                    .execScript(QStringLiteral(
                        "CREATE TEMP TRIGGER no_messages BEFORE INSERT ON main.scheduled_messages "
                        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"))
                    .ok());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                               "handler ScheduledMessageHandler failed.*disk is full")));
        auto closed =
            f->tickets.finalizeCloseOut(ticket.id, {{QStringLiteral("gate_code"), QStringLiteral("4321")}},
                                        NextServiceAction::ReachOut, 3);
        QVERIFY2(closed.ok(), qPrintable(errorText(closed)));
        QCOMPARE(toString(closed->status), QStringLiteral("completed"));
        auto messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QVERIFY(messages->isEmpty());
        auto failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->first().handler, QString::fromLatin1(ScheduledMessageHandler::kName));
        QVERIFY(failed->first().lastError.contains(QStringLiteral("disk is full")));

        QVERIFY(f->db().execScript(QStringLiteral("DROP TRIGGER temp.no_messages")).ok());
        QCOMPARE(f->bus().retryFailed(), 0);
        QCOMPARE(f->bus().retryFailed(), 0);
        messages = f->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
        // Scheduled from the close-out, not from the retry.
        const QDateTime expected(closed->closedAt.date().addMonths(3), closed->closedAt.time(),
                                 QTimeZone::utc());
        QCOMPARE(messages->first().scheduledFor, expected);
        failed = f->bus().failedDeliveries();
        QVERIFY(failed.ok());
        QVERIFY(failed->isEmpty());
        // The attribute saved by the handler that had succeeded is still one row with one audit entry.
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        QVERIFY(attributes.ok());
        QCOMPARE(attributes->size(), 1);
        auto history = f->audit().entityHistory(QStringLiteral("attribute"), attributes->first().id);
        QVERIFY(history.ok());
        QCOMPARE(history->size(), 1);
    }

    void retryAfterAnotherHandlersFailureDoesNotDuplicate()
    {
        test::CoreFixture f;
        bool healthy = false;
        f->bus().subscribe<TicketCompletedEvent>(QStringLiteral("Flaky"), [&healthy](
                                                                              const TicketCompletedEvent &) {
            return healthy ? Status() : Status(Error{ErrorCode::Unavailable, {}, QStringLiteral("offline")});
        });
        auto customer = f.addCustomer();
        const Ticket ticket = newTicket(f, customer);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("handler Flaky failed.*offline")));
        QVERIFY(f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction::ReachOut, 12).ok());
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("handler Flaky failed.*offline")));
        QCOMPARE(f->bus().retryFailed(), 1);
        healthy = true;
        QCOMPARE(f->bus().retryFailed(), 0);

        // A restart delivers nothing twice either.
        auto restarted = f.reopen();
        QVERIFY(restarted->setCurrentUser(f.alice()).ok());
        auto messages = restarted->messages.listForContact(customer.contact.id);
        QVERIFY(messages.ok());
        QCOMPARE(messages->size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestScheduledMessageHandler)
#include "test_scheduled_message_handler.moc"
