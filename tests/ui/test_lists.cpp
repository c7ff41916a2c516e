// InvoicesPage and ReachOutsPage: what the services create shows up with the right status, total and date,
// and the lists follow changes.

#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "invoices/invoicespage.h"
#include "reachouts/reachoutspage.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "util/timeutil.h"

#include <QCheckBox>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::UiFixture;

namespace {

QStringList column(QAbstractItemModel *model, int column)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data().toString();
    return texts;
}

ScheduledMessage schedule(UiFixture &f, const QUuid &contactId, const QDateTime &when)
{
    ScheduledMessageCreate data;
    data.contactId = contactId;
    data.templateName = QStringLiteral("service_reminder");
    data.scheduledFor = when;
    auto message = f->messages.schedule(data);
    if (!message)
        qFatal("cannot schedule: %s", qPrintable(message.error().toString()));
    return *message;
}

} // namespace

class TestLists final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void invoicesWithStatusAndTotal()
    {
        enum
        {
            Number,
            Customer,
            Date,
            Total,
            Status
        };
        const test::FixedClock clock(QDateTime(QDate(2030, 5, 4), QTime(8, 15))); // local time
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        // A job with a fixed $120.00 and 12 metres of gutter at $4.50: $174.00.
        TicketCreate ticketData;
        ticketData.contactId = margaret.contact.id;
        ticketData.addressId = margaret.address.id;
        ticketData.scheduledAt = QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc());
        auto ticket = f->tickets.create(ticketData);
        VERIFY_OK(ticket);
        LineItemCreate fixed;
        fixed.serviceId = catalog.fixed.id;
        VERIFY_OK(f->tickets.addLineItem(ticket->id, fixed));
        LineItemCreate gutters;
        gutters.serviceId = catalog.perUnit.id;
        gutters.quantity = 12;
        VERIFY_OK(f->tickets.addLineItem(ticket->id, gutters));
        auto fromTicket = f->invoices.createFromTicket(ticket->id);
        VERIFY_OK(fromTicket);
        auto standalone = f->invoices.createStandalone(tomas.contact.id, Money::fromCents(4250));
        VERIFY_OK(standalone);
        VERIFY_OK(f->invoices.send(standalone->id));

        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        QAbstractItemModel *model = view->model();
        // Newest first.
        QTRY_COMPARE(column(model, Customer),
                     (QStringList{QStringLiteral("Tomas Ruiz"), QStringLiteral("Margaret Hill")}));
        QCOMPARE(column(model, Total), (QStringList{QStringLiteral("$42.50"), QStringLiteral("$174.00")}));
        QCOMPARE(column(model, Status), (QStringList{QStringLiteral("Sent"), QStringLiteral("Draft")}));
        QCOMPARE(model->index(0, Status).data(ui::kBadgeColorRole).value<QColor>(),
                 ui::badgeColor(InvoiceStatus::Sent));
        QCOMPARE(model->index(1, Status).data(ui::kBadgeColorRole).value<QColor>(),
                 ui::badgeColor(InvoiceStatus::Draft));
        QCOMPARE(model->index(1, Date).data().toString(), QStringLiteral("5/4/30"));
        const QString number = model->index(1, Number).data().toString();
        // A number to read aloud: initials, the year, the device's letter and its sequence (issue 15, item
        // 8).
        static const QRegularExpression readable(QStringLiteral("^[A-Z]{1,2}-2030-[A-Z]\\d{3}$"));
        QVERIFY2(readable.match(number).hasMatch(), qPrintable(number));
        QVERIFY(number != model->index(0, Number).data().toString());

        // Paid elsewhere in the app: the list follows.
        VERIFY_OK(f->invoices.markPaid(standalone->id));
        QTRY_COMPARE(model->index(0, Status).data().toString(), QStringLiteral("Paid"));

        // Enter opens the invoice's job.
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QSignalSpy open(&f.context(), &ui::UiContext::openTicketRequested);
        view->setFocus();
        view->setCurrentIndex(model->index(1, Number));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toUuid(), ticket->id);
    }

    void reachOutsWithStatusAndOverdue()
    {
        enum
        {
            When,
            Customer,
            Message,
            Status
        };
        // Now is Saturday 4 May 2030, 8:15 in the morning where the test runs; the messages at local times.
        const test::FixedClock clock(QDateTime(QDate(2030, 5, 4), QTime(8, 15)));
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        const ScheduledMessage overdue =
            schedule(f, margaret.contact.id, QDateTime(QDate(2030, 5, 1), QTime(8, 15)));
        const ScheduledMessage upcoming =
            schedule(f, tomas.contact.id, QDateTime(QDate(2030, 6, 13), QTime(14, 0)));
        const ScheduledMessage sent =
            schedule(f, tomas.contact.id, QDateTime(QDate(2030, 4, 4), QTime(9, 0)));
        const ScheduledMessage cancelled =
            schedule(f, margaret.contact.id, QDateTime(QDate(2030, 5, 14), QTime(9, 0)));
        VERIFY_OK(f->messages.markSent(sent.id));
        VERIFY_OK(f->messages.cancel(cancelled.id));

        ui::ReachOutsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(view, QTableView, &page, "reachOutsView");
        FIND_CHILD(pendingOnly, QCheckBox, &page, "pendingOnlyCheck");
        QAbstractItemModel *model = view->model();

        // Pending first, soonest first; then the rest, latest first.
        QTRY_COMPARE(column(model, Customer),
                     (QStringList{QStringLiteral("Margaret Hill"), QStringLiteral("Tomas Ruiz"),
                                  QStringLiteral("Margaret Hill"), QStringLiteral("Tomas Ruiz")}));
        QCOMPARE(column(model, Status), (QStringList{QStringLiteral("Pending"), QStringLiteral("Pending"),
                                                     QStringLiteral("Cancelled"), QStringLiteral("Sent")}));
        QCOMPARE(model->index(0, Message).data().toString(), QStringLiteral("Service reminder"));
        // Local time, and the overdue one says so and stands out.
        QCOMPARE(model->index(0, When).data().toString(), QStringLiteral("Wed 1 May, 8:15 AM (overdue)"));
        QCOMPARE(model->index(1, When).data().toString(), QStringLiteral("Thu 13 Jun, 2:00 PM"));
        QVERIFY(model->index(0, Customer).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model->index(1, Customer).data(Qt::BackgroundRole).isValid());
        // A sent one in the past is not overdue.
        QVERIFY(!model->index(3, Customer).data(Qt::BackgroundRole).isValid());
        QCOMPARE(model->index(3, Status).data(ui::kBadgeColorRole).value<QColor>(),
                 ui::badgeColor(MessageStatus::Sent));

        QTest::mouseClick(pendingOnly, Qt::LeftButton);
        QTRY_COMPARE(column(model, Status),
                     (QStringList{QStringLiteral("Pending"), QStringLiteral("Pending")}));

        // Sent elsewhere in the app: the list follows.
        VERIFY_OK(f->messages.markSent(overdue.id));
        QTRY_COMPARE(column(model, Customer), QStringList{QStringLiteral("Tomas Ruiz")});
        QVERIFY(!model->index(0, When).data(Qt::BackgroundRole).isValid());
    }

    void emptyListsSaySo()
    {
        UiFixture f;
        ui::InvoicesPage invoices(f.context());
        ui::ReachOutsPage reachOuts(f.context());
        invoices.show(); // a hidden list is read when it is shown
        reachOuts.show();
        FIND_CHILD(invoicesView, QTableView, &invoices, "invoicesView");
        FIND_CHILD(reachOutsView, QTableView, &reachOuts, "reachOutsView");
        FIND_CHILD(invoicesSummary, QLabel, &invoices, "invoicesSummary");
        FIND_CHILD(reachOutsSummary, QLabel, &reachOuts, "reachOutsSummary");
        QCOMPARE(invoicesView->model()->rowCount(), 0);
        QCOMPARE(reachOutsView->model()->rowCount(), 0);
        QTRY_VERIFY2(invoicesSummary->text().startsWith(QStringLiteral("No invoices yet")),
                     qPrintable(invoicesSummary->text()));
        QTRY_VERIFY2(reachOutsSummary->text().startsWith(QStringLiteral("No reach-outs")),
                     qPrintable(reachOutsSummary->text()));

        const auto customer = f.addCustomer();
        VERIFY_OK(f->invoices.createStandalone(customer.contact.id, Money::fromCents(9999)));
        schedule(f, customer.contact.id, nowUtc().addDays(5));
        QTRY_COMPARE(invoicesView->model()->rowCount(), 1);
        QCOMPARE(invoicesView->model()->index(0, 3).data().toString(), QStringLiteral("$99.99"));
        QTRY_COMPARE(reachOutsView->model()->rowCount(), 1);
        // The totals line takes over from the empty-list text.
        FIND_CHILD(invoicesTotal, QLabel, &invoices, "invoicesTotalLabel");
        QCOMPARE(invoicesTotal->text(), QStringLiteral("1 invoice: $99.99 in total, $99.99 unpaid."));
        QVERIFY(invoicesSummary->text().isEmpty());
        QCOMPARE(reachOutsSummary->text(), QStringLiteral("1 pending."));
    }
};

QTEST_MAIN(TestLists)
#include "test_lists.moc"
