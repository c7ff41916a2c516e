// Issue 5's "done when", end to end through the main window and without a network: from the week, open a job,
// clock in and out, add a service, close it out with a reviewed attribute and a follow-up. Each screen has
// its own suite; this one checks that they hand over to each other as a technician moves through the day.
#include "schedule/schedulepage.h"
#include "shell/mainwindow.h"
#include "support/uitestsupport.h"
#include "ticket/ticketpage.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTimeZone>
#include <QWizard>
#include <QtTest>

using namespace fb;
using namespace fb::test;

class TestWorkday : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aJobFromTheWeekToTheFollowUpOffline()
    {
        UiFixture f; // no LLM client: the van has no connection
        const auto catalog = f.addCatalog();
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        TicketCreate booking;
        booking.contactId = customer.contact.id;
        booking.addressId = customer.address.id;
        booking.scheduledAt = QDateTime(QDate::currentDate(), QTime(10, 0)).toUTC();
        booking.scheduledDurationMinutes = 60;
        auto ticket = f->tickets.create(booking);
        VERIFY_OK(ticket);

        ui::MainWindow window(f.context(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        FIND_CHILD(pages, QStackedWidget, &window, "pages");

        // The week, with today's job selected; Enter opens it.
        FIND_CHILD(week, QAbstractButton, window.schedulePage(), "weekViewButton");
        QTest::mouseClick(week, Qt::LeftButton);
        FIND_CHILD(view, QTableView, window.schedulePage(), "scheduleView");
        QTRY_COMPARE(window.schedulePage()->selectedTicketId(), ticket->id);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.ticketPage()));
        QCOMPARE(window.ticketPage()->ticketId(), ticket->id);

        // Clock in and out.
        clockInAndOut(window.ticketPage());
        auto clocked = f->tickets.getById(ticket->id);
        VERIFY_OK(clocked);
        QVERIFY(clocked->clockInAt.isValid());
        QVERIFY(clocked->clockOutAt.isValid());

        // A service from the catalog.
        FIND_CHILD(services, QComboBox, window.ticketPage(), "serviceCombo");
        const int fixed = services->findData(catalog.fixed.id);
        QVERIFY(fixed >= 0);
        services->setCurrentIndex(fixed);
        FIND_CHILD(add, QAbstractButton, window.ticketPage(), "addLineItemButton");
        QTest::mouseClick(add, Qt::LeftButton);
        QTRY_COMPARE(f->tickets.lineItems(ticket->id)->size(), 1);

        // The close-out: notes, the model unreachable so one detail is added by hand, a reach-out in 6
        // months.
        FIND_CHILD(closeOut, QAbstractButton, window.ticketPage(), "closeOutButton");
        QTest::mouseClick(closeOut, Qt::LeftButton);
        auto *wizard = window.ticketPage()->findChild<QWizard *>(QStringLiteral("closeOutWizard"));
        QVERIFY(wizard);
        QTRY_VERIFY(wizard->isVisible());
        FIND_CHILD(notes, QPlainTextEdit, wizard, "notesEdit");
        QTest::keyClicks(notes, QStringLiteral("Side gate sticks; the code is 4821."));
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        FIND_CHILD(status, QLabel, wizard, "extractionStatus");
        QTRY_VERIFY(status->isVisible());
        QVERIFY2(status->text().contains(QStringLiteral("queued"), Qt::CaseInsensitive),
                 qPrintable(status->text()));
        FIND_CHILD(key, QLineEdit, wizard, "newAttributeKey");
        FIND_CHILD(value, QLineEdit, wizard, "newAttributeValue");
        QTest::keyClicks(key, QStringLiteral("gate_code"));
        QTest::keyClicks(value, QStringLiteral("4821"));
        QTest::keyClick(value, Qt::Key_Return);
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        FIND_CHILD(reachOut, QRadioButton, wizard, "reachOutRadio");
        FIND_CHILD(months, QSpinBox, wizard, "reachOutMonthsSpin");
        QTest::mouseClick(reachOut, Qt::LeftButton);
        months->setValue(6);
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), 3);
        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);

        // The job is done, the detail is on the customer, the reach-out waits, the notes wait for the model,
        // and the ticket screen says the job can no longer change.
        QTRY_VERIFY(f->tickets.getById(ticket->id)->status == TicketStatus::Completed);
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(attributes);
        QCOMPARE(attributes->size(), 1);
        QCOMPARE(attributes->first().key, QStringLiteral("gate_code"));
        QCOMPARE(attributes->first().value, QJsonValue(QStringLiteral("4821")));
        auto pending = f->messages.listPending();
        VERIFY_OK(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().contactId, customer.contact.id);
        // Six calendar months after the close-out, on the same UTC day of the month (or the month's last
        // day).
        const QDateTime closedAt = f->tickets.getById(ticket->id)->closedAt.toUTC();
        QVERIFY(closedAt.isValid());
        QCOMPARE(pending->first().scheduledFor,
                 QDateTime(closedAt.date().addMonths(6), closedAt.time(), QTimeZone::utc()));
        auto queued = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(queued);
        QCOMPARE(queued->size(), 1);
        FIND_CHILD(banner, QWidget, window.ticketPage(), "readOnlyBanner");
        QTRY_VERIFY(banner->isVisible());
    }

private:
    static void clockInAndOut(ui::TicketPage *page)
    {
        auto *in = page->findChild<QAbstractButton *>(QStringLiteral("clockInButton"));
        auto *out = page->findChild<QAbstractButton *>(QStringLiteral("clockOutButton"));
        QVERIFY(in && out);
        QTest::mouseClick(in, Qt::LeftButton);
        QTRY_VERIFY(out->isEnabled());
        QTest::mouseClick(out, Qt::LeftButton);
        QTRY_VERIFY(!out->isEnabled());
    }
};

QTEST_MAIN(TestWorkday)
#include "test_workday.moc"
