#include "support/fixedclock.h"
#include "support/testsupport.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    QList<qint64> counts;
    for (const char *table : {"invoices", "audit_log", "sync_outbox", "domain_events"})
        counts.append(scalar(f, QStringLiteral("SELECT count(*) FROM main.%1").arg(QLatin1String(table))));
    return counts;
}

QList<QJsonObject> events(test::CoreFixture &f, const QString &type, const QUuid &invoiceId)
{
    auto query = f->db().exec(QStringLiteral("SELECT payload FROM domain_events WHERE event_type = ? AND "
                                             "json_extract(payload, '$.invoice_id') = ? ORDER BY rowid"),
                              {type, idText(invoiceId)});
    if (!query)
        qFatal("cannot read events");
    QList<QJsonObject> payloads;
    while (query->next())
        payloads.append(QJsonDocument::fromJson(query->value(0).toString().toUtf8()).object());
    return payloads;
}

QString statusOf(const Result<Invoice> &invoice)
{
    return invoice ? toString(invoice->status) : QStringLiteral("error: ") + invoice.error().toString();
}

template <typename T> QString invalidStateMismatch(const Result<T> &result)
{
    if (result.ok())
        return QStringLiteral("succeeded");
    if (result.error().code != ErrorCode::InvalidState)
        return QStringLiteral("failed with %1").arg(result.error().toString());
    return {};
}

struct Job
{
    test::CoreFixture::Customer customer;
    Ticket ticket;
};

/// A ticket with 3 x 19.99 (per unit) + 0.01 (flexible) = 59.98, and a removed 500.00 item that must not
/// count.
Job pricedJob(test::CoreFixture &f)
{
    ServiceCreate panes;
    panes.name = QStringLiteral("Window pane");
    panes.pricingType = PricingType::PerUnit;
    panes.unitPrice = Money::fromCents(1999);
    ServiceCreate repair;
    repair.name = QStringLiteral("Repair");
    repair.pricingType = PricingType::Flexible;
    const Service perUnit = *f->catalog.createService(panes);
    const Service flexible = *f->catalog.createService(repair);

    Job job{f.addCustomer(), {}};
    auto ticket =
        f->tickets.create({job.customer.contact.id, job.customer.address.id,
                           QDateTime(QDate(2030, 3, 4), QTime(9, 0), QTimeZone::utc()), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    job.ticket = *ticket;
    LineItemCreate three;
    three.serviceId = perUnit.id;
    three.quantity = 3;
    LineItemCreate penny;
    penny.serviceId = flexible.id;
    penny.unitPrice = Money::fromCents(1);
    LineItemCreate removed;
    removed.serviceId = flexible.id;
    removed.unitPrice = Money::fromCents(50000);
    if (!f->tickets.addLineItem(job.ticket.id, three) || !f->tickets.addLineItem(job.ticket.id, penny))
        qFatal("cannot add line items");
    auto gone = f->tickets.addLineItem(job.ticket.id, removed);
    if (!gone || !f->tickets.removeLineItem(gone->id))
        qFatal("cannot add and remove a line item");
    return job;
}

} // namespace

class TestInvoiceService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Issue 15, item 8: numbers people can read aloud, per technician and year, unique across devices.
    void invoicesGetReadableNumbersInSequence()
    {
        const test::FixedClock clock(QDateTime(QDate(2030, 6, 15), QTime(12, 0), QTimeZone::utc()));
        test::CoreFixture f; // Alice Able
        const auto customer = f.addCustomer();
        QStringList numbers;
        for (int i = 0; i < 3; ++i) {
            auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000 + i));
            VERIFY_OK(invoice);
            QVERIFY(invoice->number);
            numbers << *invoice->number;
            QCOMPARE(f->invoices.getById(invoice->id)->number, invoice->number); // stored, not derived
        }
        static const QRegularExpression readable(QStringLiteral("^AA-2030-([A-Z])(\\d{3})$"));
        const auto first = readable.match(numbers.at(0));
        QVERIFY2(first.hasMatch(), qPrintable(numbers.at(0)));
        const QString letter = first.captured(1);
        QCOMPARE(letter,
                 QStringLiteral("A")); // this device made Alice's profile (restored ones claim others)
        QCOMPARE(numbers,
                 (QStringList{QString(QStringLiteral("AA-2030-") + letter + QStringLiteral("001")),
                              QString(QStringLiteral("AA-2030-") + letter + QStringLiteral("002")),
                              QString(QStringLiteral("AA-2030-") + letter + QStringLiteral("003"))}));

        // A removed invoice's number is never given again.
        VERIFY_OK(
            f->db().exec(QStringLiteral("UPDATE main.invoices SET deleted_at = updated_at WHERE number = ?"),
                         {numbers.at(2)}));
        auto fourth = f->invoices.createStandalone(customer.contact.id, Money::fromCents(5000));
        VERIFY_OK(fourth);
        QCOMPARE(*fourth->number, QString(QStringLiteral("AA-2030-") + letter + QStringLiteral("004")));

        // A new year starts again at 001, on the same letter.
        const test::FixedClock nextYear(QDateTime(QDate(2031, 6, 15), QTime(12, 0), QTimeZone::utc()));
        auto next = f->invoices.createStandalone(customer.contact.id, Money::fromCents(5000));
        VERIFY_OK(next);
        QCOMPARE(*next->number, QString(QStringLiteral("AA-2031-") + letter + QStringLiteral("001")));
    }

    // A device numbers with a letter no other device's invoice in the file uses, so numbers given offline on
    // two devices never collide once synced.
    void aDeviceNeverNumbersWithAnotherDevicesLetter()
    {
        const test::FixedClock clock(QDateTime(QDate(2030, 6, 15), QTime(12, 0), QTimeZone::utc()));
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        // Invoices pulled from other devices of Alice's, with every letter but K.
        for (const QChar letter : InvoiceService::kDeviceLetters) {
            if (letter == QLatin1Char('K'))
                continue;
            Invoice pulled;
            pulled.id = newId();
            pulled.userId = f.alice();
            pulled.contactId = customer.contact.id;
            pulled.totalAmount = Money::fromCents(100);
            pulled.createdAt = pulled.updatedAt = nowUtc();
            pulled.number = QString(QStringLiteral("AA-2030-") + letter + QStringLiteral("007"));
            VERIFY_OK(f->store().insert(QStringLiteral("invoices"), pulled.toRow()));
        }
        auto mine = f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000));
        VERIFY_OK(mine);
        QCOMPARE(*mine->number, QStringLiteral("AA-2030-K001"));
        // The letter is kept: later invoices carry it, whatever arrives meanwhile.
        auto again = f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000));
        VERIFY_OK(again);
        QCOMPARE(*again->number, QStringLiteral("AA-2030-K002"));
    }

    void initialsOfATechniciansName()
    {
        QCOMPARE(InvoiceService::initials(QStringLiteral("Sam Kowalski")), QStringLiteral("SK"));
        QCOMPARE(InvoiceService::initials(QStringLiteral("  mary ann de la cruz ")), QStringLiteral("MC"));
        QCOMPARE(InvoiceService::initials(QStringLiteral("Sam")), QStringLiteral("S"));
        QCOMPARE(InvoiceService::initials(QStringLiteral("Émile Zola")), QStringLiteral("ÉZ"));
        QCOMPARE(InvoiceService::initials(QStringLiteral("42")), QStringLiteral("T"));
    }

    void createFromTicketSumsLineItemsExactly()
    {
        test::CoreFixture f;
        const Job job = pricedJob(f);
        auto invoice = f->invoices.createFromTicket(job.ticket.id);
        VERIFY_OK(invoice);
        QCOMPARE(invoice->totalAmount, Money::fromCents(5998));
        QCOMPARE(invoice->totalAmount.toDecimalString(), QStringLiteral("59.98"));
        QCOMPARE(toString(invoice->status), toString(InvoiceStatus::Draft));
        QCOMPARE(invoice->contactId, job.customer.contact.id);
        QCOMPARE(invoice->ticketId, job.ticket.id);
        QVERIFY(!invoice->sentAt.isValid());
        QVERIFY(!invoice->paidAt.isValid());

        auto stored = f->invoices.getById(invoice->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->totalAmount, Money::fromCents(5998));
        QCOMPARE(scalar(f, QStringLiteral("SELECT total_amount FROM main.invoices WHERE id = ?"),
                        {idText(invoice->id)}),
                 5998);
        QCOMPARE(f->tickets.getWithDetails(job.ticket.id)->total, invoice->totalAmount);

        const auto created = events(f, QStringLiteral("InvoiceCreatedEvent"), invoice->id);
        QCOMPARE(created.size(), 1);
        const QJsonValue cents = created.first().value(QStringLiteral("total_amount_cents"));
        QVERIFY(cents.isDouble());
        QCOMPARE(cents.toInteger(), 5998);
        QCOMPARE(created.first().value(QStringLiteral("ticket_id")).toString(), idText(job.ticket.id));
        QCOMPARE(created.first().value(QStringLiteral("contact_id")).toString(),
                 idText(job.customer.contact.id));

        auto history = f->audit().entityHistory(QStringLiteral("invoice"), invoice->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);
    }

    void ticketWithoutLineItemsInvoicesZero()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime::currentDateTimeUtc(), std::nullopt, std::nullopt});
        VERIFY_OK(ticket);
        auto invoice = f->invoices.createFromTicket(ticket->id);
        VERIFY_OK(invoice);
        QCOMPARE(invoice->totalAmount, Money());
    }

    void secondLiveInvoiceForATicketIsRefused()
    {
        test::CoreFixture f;
        const Job job = pricedJob(f);
        auto first = f->invoices.createFromTicket(job.ticket.id);
        VERIFY_OK(first);

        auto before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.createFromTicket(job.ticket.id)), QString());
        QCOMPARE(writes(f), before);

        // Still refused once sent or paid: those are live invoices too.
        VERIFY_OK(f->invoices.send(first->id));
        QCOMPARE(invalidStateMismatch(f->invoices.createFromTicket(job.ticket.id)), QString());
        VERIFY_OK(f->invoices.markPaid(first->id));
        before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.createFromTicket(job.ticket.id)), QString());
        QCOMPARE(writes(f), before);
        auto forContact = f->invoices.listForContact(job.customer.contact.id);
        VERIFY_OK(forContact);
        QCOMPARE(forContact->size(), 1);
    }

    void voidingAllowsANewInvoice()
    {
        test::CoreFixture f;
        const Job job = pricedJob(f);
        auto first = f->invoices.createFromTicket(job.ticket.id);
        VERIFY_OK(first);
        VERIFY_OK(f->invoices.voidInvoice(first->id, QStringLiteral("Billed twice")));
        auto second = f->invoices.createFromTicket(job.ticket.id);
        VERIFY_OK(second);
        QVERIFY(second->id != first->id);
        QCOMPARE(second->totalAmount, Money::fromCents(5998));
        QCOMPARE(statusOf(f->invoices.getById(first->id)), QStringLiteral("void"));
    }

    void cancelledTicketIsRefused()
    {
        test::CoreFixture f;
        const Job job = pricedJob(f);
        VERIFY_OK(f->tickets.cancel(job.ticket.id));
        const auto before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.createFromTicket(job.ticket.id)), QString());
        QCOMPARE(writes(f), before);
    }

    void completedTicketIsInvoiced()
    {
        test::CoreFixture f;
        const Job job = pricedJob(f);
        VERIFY_OK(f->tickets.finalizeCloseOut(job.ticket.id, {}, NextServiceAction::NoFollowup));
        auto invoice = f->invoices.createFromTicket(job.ticket.id);
        VERIFY_OK(invoice);
        QCOMPARE(invoice->totalAmount, Money::fromCents(5998));
    }

    void unknownTicketIsRefused()
    {
        test::CoreFixture f;
        const auto before = writes(f);
        auto invoice = f->invoices.createFromTicket(QUuid::createUuid());
        QVERIFY(!invoice);
        QCOMPARE(invoice.error().field, QStringLiteral("ticket_id"));
        QCOMPARE(writes(f), before);
    }

    void standalone()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(12550));
        VERIFY_OK(invoice);
        QVERIFY(invoice->ticketId.isNull());
        QCOMPARE(invoice->contactId, customer.contact.id);
        QCOMPARE(invoice->totalAmount, Money::fromCents(12550));
        QCOMPARE(toString(invoice->status), toString(InvoiceStatus::Draft));
        auto stored = f->invoices.getById(invoice->id);
        VERIFY_OK(stored);
        QVERIFY(stored->ticketId.isNull());
        QCOMPARE(stored->totalAmount, Money::fromCents(12550));
        const auto created = events(f, QStringLiteral("InvoiceCreatedEvent"), invoice->id);
        QCOMPARE(created.size(), 1);
        QCOMPARE(created.first().value(QStringLiteral("total_amount_cents")).toInteger(), 12550);
        QVERIFY(created.first().value(QStringLiteral("ticket_id")).isNull());

        auto largest = f->invoices.createStandalone(customer.contact.id, Money::fromCents(Money::kMaxCents));
        VERIFY_OK(largest);
        QCOMPARE(f->invoices.getById(largest->id)->totalAmount, Money::fromCents(Money::kMaxCents));
    }

    void standaloneValidation_data()
    {
        QTest::addColumn<QString>("contact");
        QTest::addColumn<qint64>("cents");
        QTest::addColumn<QString>("field");
        QTest::newRow("negative amount")
            << QStringLiteral("live") << qint64(-1) << QStringLiteral("total_amount");
        QTest::newRow("amount over 99,999,999.99")
            << QStringLiteral("live") << qint64(Money::kMaxCents + 1) << QStringLiteral("total_amount");
        QTest::newRow("unknown contact")
            << QStringLiteral("unknown") << qint64(100) << QStringLiteral("contact_id");
        QTest::newRow("deleted contact")
            << QStringLiteral("deleted") << qint64(100) << QStringLiteral("contact_id");
        QTest::newRow("no contact") << QStringLiteral("none") << qint64(100) << QStringLiteral("contact_id");
    }

    void standaloneValidation()
    {
        QFETCH(QString, contact);
        QFETCH(qint64, cents);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto live = f.addCustomer();
        const auto deleted = f.addCustomer(QStringLiteral("Gone Away"));
        VERIFY_OK(f->contacts.remove(deleted.contact.id));
        const QUuid contactId = contact == QStringLiteral("live")      ? live.contact.id
                                : contact == QStringLiteral("deleted") ? deleted.contact.id
                                : contact == QStringLiteral("unknown") ? QUuid::createUuid()
                                                                       : QUuid();
        const auto before = writes(f);
        auto invoice = f->invoices.createStandalone(contactId, Money::fromCents(cents));
        QVERIFY(!invoice);
        QCOMPARE(invoice.error().code, ErrorCode::Validation);
        QCOMPARE(invoice.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void draftSentPaid()
    {
        test::CoreFixture f;
        const Job job = pricedJob(f);
        auto invoice = f->invoices.createFromTicket(job.ticket.id);
        VERIFY_OK(invoice);

        const QDateTime beforeSend = nowUtc();
        auto sent = f->invoices.send(invoice->id);
        VERIFY_OK(sent);
        QCOMPARE(toString(sent->status), toString(InvoiceStatus::Sent));
        QVERIFY(sent->sentAt.isValid());
        QVERIFY(sent->sentAt >= beforeSend && sent->sentAt <= nowUtc());
        QVERIFY(!sent->paidAt.isValid());
        QCOMPARE(sent->totalAmount, Money::fromCents(5998));
        const auto sentEvents = events(f, QStringLiteral("InvoiceSentEvent"), invoice->id);
        QCOMPARE(sentEvents.size(), 1);
        QCOMPARE(sentEvents.first().value(QStringLiteral("contact_id")).toString(),
                 idText(job.customer.contact.id));

        auto paid = f->invoices.markPaid(invoice->id);
        VERIFY_OK(paid);
        QCOMPARE(toString(paid->status), toString(InvoiceStatus::Paid));
        QCOMPARE(paid->sentAt, sent->sentAt);
        QVERIFY(paid->paidAt.isValid());
        QVERIFY(paid->paidAt >= paid->sentAt);
        const auto paidEvents = events(f, QStringLiteral("InvoicePaidEvent"), invoice->id);
        QCOMPARE(paidEvents.size(), 1);
        const QJsonValue amount = paidEvents.first().value(QStringLiteral("amount_paid_cents"));
        QVERIFY(amount.isDouble());
        QCOMPARE(amount.toInteger(), 5998);

        auto history = f->audit().entityHistory(QStringLiteral("invoice"), invoice->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 3);
        QCOMPARE(
            history->first().changes.value(QStringLiteral("status")).toObject().value(QStringLiteral("new")),
            QJsonValue(QStringLiteral("paid")));
    }

    void illegalTransitionsAreRefused()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto create = [&] {
            return *f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000));
        };

        const Invoice draft = create();
        auto before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.markPaid(draft.id)), QString()); // paid before sent
        QCOMPARE(writes(f), before);
        QCOMPARE(statusOf(f->invoices.getById(draft.id)), QStringLiteral("draft"));
        QVERIFY(!f->invoices.getById(draft.id)->paidAt.isValid());

        const Invoice sentTwice = create();
        VERIFY_OK(f->invoices.send(sentTwice.id));
        const QDateTime firstSent = f->invoices.getById(sentTwice.id)->sentAt;
        before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.send(sentTwice.id)), QString());
        QCOMPARE(writes(f), before);
        QCOMPARE(f->invoices.getById(sentTwice.id)->sentAt, firstSent);
        QCOMPARE(events(f, QStringLiteral("InvoiceSentEvent"), sentTwice.id).size(), 1);

        const Invoice paid = create();
        VERIFY_OK(f->invoices.send(paid.id));
        VERIFY_OK(f->invoices.markPaid(paid.id));
        before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.voidInvoice(paid.id, QStringLiteral("Billed twice"))),
                 QString());
        QCOMPARE(invalidStateMismatch(f->invoices.markPaid(paid.id)), QString());
        QCOMPARE(invalidStateMismatch(f->invoices.send(paid.id)), QString());
        QCOMPARE(writes(f), before);
        QCOMPARE(statusOf(f->invoices.getById(paid.id)), QStringLiteral("paid"));

        const Invoice voided = create();
        VERIFY_OK(f->invoices.voidInvoice(voided.id, QStringLiteral("Billed twice")));
        before = writes(f);
        QCOMPARE(invalidStateMismatch(f->invoices.send(voided.id)), QString());
        QCOMPARE(invalidStateMismatch(f->invoices.markPaid(voided.id)), QString());
        QCOMPARE(invalidStateMismatch(f->invoices.voidInvoice(voided.id, QStringLiteral("Billed twice"))),
                 QString());
        QCOMPARE(writes(f), before);

        auto missing = f->invoices.send(QUuid::createUuid());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void voidFromDraftAndFromSent()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto draft = f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000));
        auto sent = f->invoices.createStandalone(customer.contact.id, Money::fromCents(2000));
        VERIFY_OK(draft);
        VERIFY_OK(sent);
        VERIFY_OK(f->invoices.send(sent->id));

        auto voidedDraft = f->invoices.voidInvoice(draft->id, QStringLiteral("Billed twice"));
        VERIFY_OK(voidedDraft);
        QCOMPARE(toString(voidedDraft->status), toString(InvoiceStatus::Void));
        auto voidedSent = f->invoices.voidInvoice(sent->id, QStringLiteral("Billed twice"));
        VERIFY_OK(voidedSent);
        QCOMPARE(toString(voidedSent->status), toString(InvoiceStatus::Void));
        QVERIFY(voidedSent->sentAt.isValid());
        QVERIFY(!voidedSent->paidAt.isValid());
        QCOMPARE(statusOf(f->invoices.getById(sent->id)), QStringLiteral("void"));
        auto history = f->audit().entityHistory(QStringLiteral("invoice"), sent->id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Update);
        QCOMPARE(
            history->first().changes.value(QStringLiteral("status")).toObject().value(QStringLiteral("new")),
            QJsonValue(QStringLiteral("void")));
    }

    void voidNeedsAReason_data()
    {
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QString();
        QTest::newRow("blank") << QStringLiteral("  \t ");
        QTest::newRow("too long") << QString(InvoiceService::kMaxVoidReasonLength + 1, QLatin1Char('x'));
    }

    void voidNeedsAReason()
    {
        QFETCH(QString, reason);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000));
        VERIFY_OK(invoice);
        const auto before = writes(f);
        auto refused = f->invoices.voidInvoice(invoice->id, reason);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Validation);
        QCOMPARE(refused.error().field, QStringLiteral("reason"));
        QCOMPARE(writes(f), before);
        QCOMPARE(statusOf(f->invoices.getById(invoice->id)), QStringLiteral("draft"));
    }

    void voidKeepsItsReasonInTheAuditEntry()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(1000));
        VERIFY_OK(invoice);
        VERIFY_OK(f->invoices.send(invoice->id));
        auto unset = f->invoices.voidReason(invoice->id);
        VERIFY_OK(unset);
        QCOMPARE(*unset, QString());

        const auto before = writes(f);
        VERIFY_OK(f->invoices.voidInvoice(invoice->id, QStringLiteral("  Customer paid cash on the day ")));
        // One audit entry (and its sync record) holds both the status change and the reason.
        const auto after = writes(f);
        QCOMPARE(after.at(1), before.at(1) + 1);
        QCOMPARE(after.at(2), before.at(2) + 1);
        auto history = f->audit().entityHistory(QStringLiteral("invoice"), invoice->id);
        VERIFY_OK(history);
        const QJsonObject changes = history->first().changes;
        QCOMPARE(changes.value(QStringLiteral("status")).toObject().value(QStringLiteral("new")).toString(),
                 QStringLiteral("void"));
        const QJsonObject reason = changes.value(QStringLiteral("void_reason")).toObject();
        QVERIFY(reason.value(QStringLiteral("old")).isNull());
        QCOMPARE(reason.value(QStringLiteral("new")).toString(),
                 QStringLiteral("Customer paid cash on the day"));
        auto read = f->invoices.voidReason(invoice->id);
        VERIFY_OK(read);
        QCOMPARE(*read, QStringLiteral("Customer paid cash on the day"));
        QCOMPARE(f->invoices.voidReason(QUuid::createUuid()).error().code, ErrorCode::NotFound);
    }

    void uninvoicedTicketsAreCompletedOnesWithoutALiveInvoice()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto ticket = [&](int day) {
            auto created = f->tickets.create({customer.contact.id, customer.address.id,
                                              QDateTime(QDate(2030, 3, day), QTime(9, 0), QTimeZone::utc()),
                                              60, std::nullopt});
            if (!created)
                qFatal("cannot create a ticket");
            return created->id;
        };
        const auto complete = [&](const QUuid &id) {
            if (!f->tickets.finalizeCloseOut(id, {}, NextServiceAction::NoFollowup))
                qFatal("cannot complete a ticket");
        };
        const QUuid open = ticket(1);
        const QUuid billed = ticket(2);
        const QUuid voided = ticket(3);
        const QUuid unbilled = ticket(4);
        const QUuid cancelled = ticket(5);
        complete(billed);
        complete(voided);
        complete(unbilled);
        VERIFY_OK(f->tickets.cancel(cancelled));
        VERIFY_OK(f->invoices.createFromTicket(billed));
        auto wrong = f->invoices.createFromTicket(voided);
        VERIFY_OK(wrong);
        VERIFY_OK(f->invoices.voidInvoice(wrong->id, QStringLiteral("Wrong amount")));

        auto left = f->invoices.uninvoicedTickets();
        VERIFY_OK(left);
        QList<QUuid> ids;
        for (const Ticket &t : *left)
            ids.append(t.id);
        // Most recently closed first; the open and the cancelled ones are not billable.
        QCOMPARE(ids, (QList<QUuid>{unbilled, voided}));
        Q_UNUSED(open);

        VERIFY_OK(f->invoices.createFromTicket(unbilled));
        QCOMPARE(f->invoices.uninvoicedTickets()->size(), 1);
    }

    void listByStatus()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto other = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        const auto create = [&](const test::CoreFixture::Customer &c, qint64 cents) {
            return f->invoices.createStandalone(c.contact.id, Money::fromCents(cents))->id;
        };
        const QUuid draft = create(customer, 100);
        const QUuid sent = create(customer, 200);
        const QUuid paid = create(other, 300);
        const QUuid voided = create(other, 400);
        const QUuid draft2 = create(other, 500);
        VERIFY_OK(f->invoices.send(sent));
        VERIFY_OK(f->invoices.send(paid));
        VERIFY_OK(f->invoices.markPaid(paid));
        VERIFY_OK(f->invoices.voidInvoice(voided, QStringLiteral("Billed twice")));

        const auto ids = [](const Result<QList<Invoice>> &invoices) {
            QList<QUuid> result;
            for (const Invoice &invoice : *invoices)
                result.append(invoice.id);
            return result;
        };
        QCOMPARE(ids(f->invoices.list(InvoiceStatus::Draft)), (QList<QUuid>{draft2, draft}));
        QCOMPARE(ids(f->invoices.list(InvoiceStatus::Sent)), QList<QUuid>{sent});
        QCOMPARE(ids(f->invoices.list(InvoiceStatus::Paid)), QList<QUuid>{paid});
        QCOMPARE(ids(f->invoices.list(InvoiceStatus::Void)), QList<QUuid>{voided});
        QCOMPARE(ids(f->invoices.list()), (QList<QUuid>{draft2, voided, paid, sent, draft}));
        QCOMPARE(ids(f->invoices.listForContact(customer.contact.id)), (QList<QUuid>{sent, draft}));

        // Another technician's invoices never show.
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        QVERIFY(f->invoices.list()->isEmpty());
        QVERIFY(f->invoices.list(InvoiceStatus::Draft)->isEmpty());
        auto foreign = f->invoices.getById(draft);
        QVERIFY(!foreign);
        QCOMPARE(foreign.error().code, ErrorCode::NotFound);
        QVERIFY(!f->invoices.send(draft));
        VERIFY_OK(f->setCurrentUser(f.alice()));
        QCOMPARE(statusOf(f->invoices.getById(draft)), QStringLiteral("draft"));
    }
};

QTEST_GUILESS_MAIN(TestInvoiceService)
#include "test_invoice_service.moc"
