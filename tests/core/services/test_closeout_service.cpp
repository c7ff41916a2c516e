#include "core/services/pulledchange.h"
#include "db/integritycheck.h"
#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

const QString kNotes = QStringLiteral("Dog Rex in the yard. Gate code 4821.");

/// A ticket in progress with one line item (120.00), its close-out started (duration and notes saved) and a
/// draft of the wizard kept for it.
struct Job
{
    test::CoreFixture::Customer customer;
    Ticket ticket;
};

/// `clockIn` false: the technician never clocked in (the close-out is started all the same).
Job startedJob(test::CoreFixture &f, bool clockIn = true)
{
    Job job;
    job.customer = f.addCustomer();
    ServiceCreate service;
    service.name = QStringLiteral("Gutter cleaning");
    service.pricingType = PricingType::Fixed;
    service.defaultPrice = Money::fromCents(12000);
    auto created = f->catalog.createService(service);
    auto ticket =
        f->tickets.create({job.customer.contact.id, job.customer.address.id,
                           QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc()), 90, std::nullopt});
    if (!created || !ticket)
        qFatal("cannot book the job");
    LineItemCreate item;
    item.serviceId = created->id;
    if (!f->tickets.addLineItem(ticket->id, item) || (clockIn && !f->tickets.clockIn(ticket->id)))
        qFatal("cannot start the job");
    auto started = f->closeOuts.start({ticket->id, 75, kNotes});
    if (!started)
        qFatal("cannot start the close-out: %s", qPrintable(started.error().toString()));
    if (!f->drafts.save(ticket->id, QJsonObject{{QStringLiteral("notes"), kNotes}}))
        qFatal("cannot save a draft");
    job.ticket = started->ticket;
    return job;
}

/// Everything a close-out may write, counted.
QMap<QString, qint64> footprint(test::CoreFixture &f)
{
    QMap<QString, qint64> counts;
    for (const char *table :
         {"main.tickets", "main.invoices", "main.attributes", "main.scheduled_messages", "audit_log",
          "sync_outbox", "domain_events", "event_deliveries", "main.closeout_drafts"})
        counts.insert(QString::fromLatin1(table),
                      scalar(f, QStringLiteral("SELECT count(*) FROM %1").arg(QString::fromLatin1(table))));
    return counts;
}

qint64 auditCount(test::CoreFixture &f, const QString &entityType)
{
    return scalar(f, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = ?"), {entityType});
}

CloseOutFinish everything(const Job &job, NextServiceAction action)
{
    CloseOutFinish request;
    request.ticketId = job.ticket.id;
    request.confirmedAttributes = {{QStringLiteral("dog_name"), QStringLiteral("Rex")},
                                   {QStringLiteral("gate_code"), QStringLiteral("4821")}};
    request.nextService = action;
    request.nextVisit = nowUtc().addDays(90);
    request.reachOutMonths = 6;
    request.createInvoice = true;
    return request;
}

} // namespace

class TestCloseOutService final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aRefusedInvoiceLeavesEverythingAsItWas_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<bool>("byTrigger");
        QTest::newRow("next visit, the job already invoiced") << int(NextServiceAction::ScheduleNow) << false;
        QTest::newRow("reach-out, the job already invoiced") << int(NextServiceAction::ReachOut) << false;
        QTest::newRow("next visit, the database refuses") << int(NextServiceAction::ScheduleNow) << true;
        QTest::newRow("reach-out, the database refuses") << int(NextServiceAction::ReachOut) << true;
    }

    void aRefusedInvoiceLeavesEverythingAsItWas()
    {
        QFETCH(int, action);
        QFETCH(bool, byTrigger);
        test::CoreFixture f;
        const Job job = startedJob(f);
        if (byTrigger) {
            VERIFY_OK(f->db().exec(
                QStringLiteral("CREATE TEMP TRIGGER refuse_invoices BEFORE INSERT ON main.invoices "
                               "BEGIN SELECT RAISE(ABORT, 'invoices are refused by the test'); END")));
        } else {
            // Another window drafted the invoice meanwhile: one live invoice per ticket.
            VERIFY_OK(f->invoices.createFromTicket(job.ticket.id));
        }
        const auto before = footprint(f);

        auto finished = f->closeOuts.finish(everything(job, NextServiceAction(action)));
        QVERIFY(!finished);
        QVERIFY2(finished.error().message.startsWith(QStringLiteral("the invoice could not be drafted: ")),
                 qPrintable(finished.error().message));
        QVERIFY2(finished.error().message.contains(byTrigger ? QStringLiteral("refused by the test")
                                                             : QStringLiteral("already has an invoice")),
                 qPrintable(finished.error().message));

        // The ticket is open, and nothing of the close-out was written: no details, no next visit, no
        // reach-out, no audit entry or sync record, no event; the draft is still there.
        auto ticket = f->tickets.getById(job.ticket.id);
        VERIFY_OK(ticket);
        QCOMPARE(toString(ticket->status), toString(TicketStatus::InProgress));
        QVERIFY(!ticket->closedAt.isValid());
        QCOMPARE(footprint(f), before);
        QVERIFY(f->attributes.getAttributes(job.customer.contact.id)->isEmpty());
        QCOMPARE(f->tickets.listForContact(job.customer.contact.id)->size(), 1);
        QVERIFY(f->messages.listForContact(job.customer.contact.id)->isEmpty());
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(draft->has_value());

        // Nothing half-done to trip over: without the invoice, the same close-out goes through.
        CloseOutFinish again = everything(job, NextServiceAction(action));
        again.createInvoice = false;
        VERIFY_OK(f->closeOuts.finish(again));
        QCOMPARE(toString(f->tickets.getById(job.ticket.id)->status), toString(TicketStatus::Completed));
        QCOMPARE(f->attributes.getAttributes(job.customer.contact.id)->size(), 2);
    }

    void finishWritesEverythingOnce_data()
    {
        QTest::addColumn<int>("action");
        QTest::newRow("next visit") << int(NextServiceAction::ScheduleNow);
        QTest::newRow("reach-out") << int(NextServiceAction::ReachOut);
    }

    void finishWritesEverythingOnce()
    {
        QFETCH(int, action);
        test::CoreFixture f;
        const Job job = startedJob(f);
        const auto before = footprint(f);
        const qint64 ticketAudits = auditCount(f, QStringLiteral("ticket"));
        const CloseOutFinish request = everything(job, NextServiceAction(action));

        auto finished = f->closeOuts.finish(request);
        VERIFY_OK(finished);
        QCOMPARE(toString(finished->ticket.status), toString(TicketStatus::Completed));
        auto ticket = f->tickets.getById(job.ticket.id);
        QCOMPARE(toString(ticket->status), toString(TicketStatus::Completed));
        QVERIFY(ticket->closedAt.isValid());

        // The details, linked to the close-out's note.
        auto attributes = f->attributes.getAttributes(job.customer.contact.id);
        VERIFY_OK(attributes);
        QCOMPARE(attributes->size(), 2);
        auto notes = f->notes.listForTicket(job.ticket.id);
        VERIFY_OK(notes);
        QCOMPARE(notes->size(), 1);
        for (const Attribute &attribute : std::as_const(*attributes)) {
            QCOMPARE(attribute.value, request.confirmedAttributes.value(attribute.key));
            QCOMPARE(attribute.sourceNoteId, notes->first().id);
        }

        // The next visit or the reach-out, never both.
        auto tickets = f->tickets.listForContact(job.customer.contact.id);
        auto messages = f->messages.listForContact(job.customer.contact.id);
        VERIFY_OK(tickets);
        VERIFY_OK(messages);
        if (NextServiceAction(action) == NextServiceAction::ScheduleNow) {
            QCOMPARE(tickets->size(), 2);
            auto next = f->tickets.getById(finished->followUpTicketId);
            VERIFY_OK(next);
            QCOMPARE(toString(next->status), toString(TicketStatus::Scheduled));
            QCOMPARE(next->scheduledAt, fromStoredTime(toStoredTime(request.nextVisit)));
            QCOMPARE(next->addressId, job.customer.address.id);
            QCOMPARE(next->scheduledDurationMinutes, std::optional<int>(90));
            QVERIFY(messages->isEmpty());
        } else {
            QVERIFY(finished->followUpTicketId.isNull());
            QCOMPARE(tickets->size(), 1);
            QCOMPARE(messages->size(), 1);
            QCOMPARE(messages->first().scheduledFor.date(), addCalendarMonths(ticket->closedAt, 6).date());
        }

        // The draft invoice for the line item, and no draft of the wizard left.
        auto invoice = f->invoices.getById(finished->invoiceId);
        VERIFY_OK(invoice);
        QCOMPARE(toString(invoice->status), toString(InvoiceStatus::Draft));
        QCOMPARE(invoice->totalAmount.cents(), 12000);
        QCOMPARE(invoice->ticketId, job.ticket.id);
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(!draft->has_value());

        // One audit entry per change, each with its sync record: the close, the next visit when booked, the
        // invoice, two details, the reach-out when asked.
        const bool visit = NextServiceAction(action) == NextServiceAction::ScheduleNow;
        QCOMPARE(auditCount(f, QStringLiteral("ticket")), ticketAudits + (visit ? 2 : 1));
        QCOMPARE(auditCount(f, QStringLiteral("invoice")), 1);
        QCOMPARE(auditCount(f, QStringLiteral("attribute")), 2);
        QCOMPARE(auditCount(f, QStringLiteral("scheduled_message")), visit ? 0 : 1);
        const auto after = footprint(f);
        const qint64 added =
            after.value(QStringLiteral("audit_log")) - before.value(QStringLiteral("audit_log"));
        QCOMPARE(added, 5);
        QCOMPARE(after.value(QStringLiteral("sync_outbox")) - before.value(QStringLiteral("sync_outbox")),
                 added);
        // The handlers ran after the commit, each once.
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM event_deliveries WHERE status = 'done'")), 2);
    }

    /// Issue 14: the office cancelled the job while the technician was on site, clocked in. The close-out
    /// goes through whole and the job is completed again.
    void aJobTheOfficeCancelledOnSiteIsClosedOutAndCompleted()
    {
        test::CoreFixture f;
        const Job job = startedJob(f);
        const QDateTime office = QDateTime(QDate(2030, 5, 4), QTime(9, 45), QTimeZone::utc());
        VERIFY_OK(test::pullCancel(f.core(), job.ticket.id, QStringLiteral("in_progress"), office));
        QCOMPARE(toString(f->tickets.getById(job.ticket.id)->status), toString(TicketStatus::Cancelled));

        // The technician went back to step 1 after the cancellation arrived, then finished.
        const QString more = kNotes + QStringLiteral(" Left before the back garden: office cancelled.");
        auto started = f->closeOuts.start({job.ticket.id, 50, more});
        VERIFY_OK(started);
        QCOMPARE(started->ticket.notes, std::optional<QString>(more));
        auto finished = f->closeOuts.finish(everything(job, NextServiceAction::ReachOut));
        VERIFY_OK(finished);
        QCOMPARE(toString(finished->ticket.status), toString(TicketStatus::Completed));
        auto ticket = f->tickets.getById(job.ticket.id);
        VERIFY_OK(ticket);
        QCOMPARE(toString(ticket->status), toString(TicketStatus::Completed));
        QVERIFY(ticket->closedAt.isValid());
        QCOMPARE(ticket->actualDurationMinutes, std::optional<int>(50));

        // All of it: the invoice for the line item, the details, the reach-out, no draft left.
        auto invoice = f->invoices.getById(finished->invoiceId);
        VERIFY_OK(invoice);
        QCOMPARE(invoice->totalAmount.cents(), 12000);
        QCOMPARE(f->attributes.getAttributes(job.customer.contact.id)->size(), 2);
        QCOMPARE(f->messages.listForContact(job.customer.contact.id)->size(), 1);
        QVERIFY(!f->drafts.load(job.ticket.id)->has_value());

        // Written here, cancelled -> completed, each entry with its sync record; the file passes the check.
        // The last entry of the job's trail (in the order written: the office's clock may be ahead).
        auto last = f->db().exec(
            QStringLiteral("SELECT origin IS NULL, json_extract(changes, '$.status.old'), "
                           "json_extract(changes, '$.status.new') FROM main.audit_log WHERE entity_type = "
                           "'ticket' AND entity_id = ? ORDER BY rowid DESC LIMIT 1"),
            {idText(job.ticket.id)});
        VERIFY_OK(last);
        QVERIFY(last->next());
        QVERIFY(last->value(0).toBool());
        QCOMPARE(last->value(1).toString(), QStringLiteral("cancelled"));
        QCOMPARE(last->value(2).toString(), QStringLiteral("completed"));
        QCOMPARE(
            scalar(f, QStringLiteral("SELECT count(*) FROM main.audit_log a WHERE a.origin IS NULL AND NOT "
                                     "EXISTS (SELECT 1 FROM main.sync_outbox o WHERE o.audit_id = a.id)")),
            0);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM event_deliveries WHERE status = 'done'")), 2);
        auto check = checkIntegrity(f.path());
        VERIFY_OK(check);
        QVERIFY2(check->ok(), qPrintable(check->problems.join(QLatin1Char('\n'))));
    }

    void aCancelledJobWithNoWorkOnSiteIsStillRefused_data()
    {
        QTest::addColumn<bool>("byTheOffice");
        QTest::newRow("cancelled here, clocked in") << false;
        QTest::newRow("cancelled at the office before clock-in") << true;
    }

    void aCancelledJobWithNoWorkOnSiteIsStillRefused()
    {
        QFETCH(bool, byTheOffice);
        test::CoreFixture f;
        const Job job = startedJob(f, !byTheOffice);
        if (byTheOffice)
            VERIFY_OK(test::pullCancel(f.core(), job.ticket.id, QStringLiteral("scheduled"),
                                       QDateTime(QDate(2030, 5, 3), QTime(17, 0), QTimeZone::utc())));
        else
            VERIFY_OK(f->tickets.cancel(job.ticket.id));
        const auto before = footprint(f);

        auto finished = f->closeOuts.finish(everything(job, NextServiceAction::ReachOut));
        QVERIFY(!finished);
        QCOMPARE(finished.error().code, ErrorCode::InvalidState);
        QCOMPARE(finished.error().message,
                 QStringLiteral("this ticket was cancelled: it cannot be closed out"));
        auto started = f->closeOuts.start({job.ticket.id, 50, kNotes});
        QVERIFY(!started);
        QCOMPARE(started.error().code, ErrorCode::InvalidState);
        QCOMPARE(footprint(f), before);
        QCOMPARE(toString(f->tickets.getById(job.ticket.id)->status), toString(TicketStatus::Cancelled));
        QVERIFY(f->drafts.load(job.ticket.id)->has_value());
    }

    void finishingTwiceIsRefusedInWords()
    {
        test::CoreFixture f;
        const Job job = startedJob(f);
        VERIFY_OK(f->closeOuts.finish(everything(job, NextServiceAction::ReachOut)));
        const auto before = footprint(f);

        CloseOutFinish again = everything(job, NextServiceAction::ReachOut);
        again.createInvoice = false;
        auto second = f->closeOuts.finish(again);
        QVERIFY(!second);
        QCOMPARE(second.error().code, ErrorCode::InvalidState);
        QCOMPARE(
            second.error().message,
            QStringLiteral("this ticket is closed out already: finishing it again would change nothing"));
        QCOMPARE(footprint(f), before);
        QCOMPARE(f->messages.listForContact(job.customer.contact.id)->size(), 1);
    }

    void aNextVisitInThePastIsRefusedBeforeAnythingIsWritten()
    {
        test::CoreFixture f;
        const Job job = startedJob(f);
        const auto before = footprint(f);
        CloseOutFinish request = everything(job, NextServiceAction::ScheduleNow);
        request.nextVisit = nowUtc().addSecs(-60);
        auto finished = f->closeOuts.finish(request);
        QVERIFY(!finished);
        QCOMPARE(finished.error().toString(),
                 QStringLiteral("next_visit: is in the past: choose a time after now"));
        QCOMPARE(footprint(f), before);
        QCOMPARE(toString(f->tickets.getById(job.ticket.id)->status), toString(TicketStatus::InProgress));
    }

    void startSaysTheExtractionIsQueuedWithoutAClient()
    {
        test::CoreFixture f; // no model configured
        const auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc()), 60,
                                         std::nullopt});
        VERIFY_OK(ticket);
        auto started = f->closeOuts.start({ticket->id, 45, kNotes});
        VERIFY_OK(started);
        QCOMPARE(int(started->extraction.state), int(ExtractionOutcome::State::Queued));
        QCOMPARE(started->ticket.actualDurationMinutes, std::optional<int>(45));
        QCOMPARE(started->ticket.notes, std::optional<QString>(kNotes));
        QCOMPARE(toString(started->ticket.status), toString(TicketStatus::Scheduled));
    }
};

QTEST_GUILESS_MAIN(TestCloseOutService)
#include "test_closeout_service.moc"
