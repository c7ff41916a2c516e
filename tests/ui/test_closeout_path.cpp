// Issue 15, item 1: a technician's close-out path through the real main window, with the keyboard only, in at
// most 15 actions. Every key event but typed text counts one (a chord such as Ctrl+I is one); typed text
// (QTest::keyClicks) counts nothing. From the window as it opens to the finished wizard: open the next job,
// clock in, add a catalog service with a quantity, clock out, close out with notes, add a detail by hand
// (offline: no model configured), book the next visit on a chosen weekday and time, draft the invoice,
// finish.
#include "closeout/closeoutwizard.h"
#include "schedule/schedulepage.h"
#include "shell/mainwindow.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "ticket/ticketpage.h"

#include <QApplication>
#include <QStackedWidget>
#include <QtTest>

using namespace fb;
using namespace fb::test;

namespace {

/// The keyboard as a user has it: each key goes to whatever has the focus now, and is counted.
class Keyboard
{
public:
    /// One action: a key or a chord, to the focused widget.
    void press(Qt::Key key, Qt::KeyboardModifiers modifiers, const QString &what)
    {
        QWidget *target = QApplication::focusWidget();
        if (!target) {
            m_missing = what;
            return;
        }
        m_actions.append(QStringLiteral("%1 (in %2)").arg(what, describe(target)));
        QTest::keyClick(target, key, modifiers);
    }
    /// Typed text: not an action.
    void type(const QString &text)
    {
        if (QWidget *target = QApplication::focusWidget())
            QTest::keyClicks(target, text);
        else
            m_missing = text;
    }
    const QStringList &actions() const { return m_actions; }
    /// A key that found nothing focused, or empty.
    QString missing() const { return m_missing; }

private:
    static QString describe(QWidget *widget)
    {
        // The named widget, or the first named ancestor (a combo's line edit, a spin box's editor).
        for (QWidget *w = widget; w; w = w->parentWidget())
            if (!w->objectName().isEmpty() && !w->objectName().startsWith(QLatin1String("qt_")))
                return w->objectName();
        return QString::fromLatin1(widget->metaObject()->className());
    }

    QStringList m_actions;
    QString m_missing;
};

Ticket book(UiFixture &f, const CoreFixture::Customer &customer, const QDateTime &at, int minutes)
{
    TicketCreate booking;
    booking.contactId = customer.contact.id;
    booking.addressId = customer.address.id;
    booking.scheduledAt = at.toUTC();
    booking.scheduledDurationMinutes = minutes;
    auto ticket = f->tickets.create(booking);
    if (!ticket)
        qFatal("cannot book: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

} // namespace

class TestCloseOutPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theCloseOutInFifteenActions()
    {
        // Wednesday 8 May 2030, 10:00 here, whatever the machine's zone: the day and "now" are the test's.
        const QDate today(2030, 5, 8);
        QCOMPARE(today.dayOfWeek(), 3);
        FixedClock clock(QDateTime(today, QTime(10, 0), Qt::LocalTime));

        UiFixture f; // no model configured: the details go in by hand
        const auto catalog = f.addCatalog();
        const auto early = f.addCustomer(QStringLiteral("Early Bird"));
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto later = f.addCustomer(QStringLiteral("Late Riser"));
        // The day: a job at 8 already closed out, the next one at 11, another at 14.
        const Ticket done = book(f, early, QDateTime(today, QTime(8, 0), Qt::LocalTime), 60);
        VERIFY_OK(f->tickets.initiateCloseOut(done.id, 60, std::nullopt));
        VERIFY_OK(f->tickets.finalizeCloseOut(done.id, {}, NextServiceAction::NoFollowup));
        const Ticket job = book(f, customer, QDateTime(today, QTime(11, 0), Qt::LocalTime), 90);
        book(f, later, QDateTime(today, QTime(14, 0), Qt::LocalTime), 60);

        ui::MainWindow window(f.context(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        FIND_CHILD(pages, QStackedWidget, &window, "pages");
        Keyboard keys;

        // 1. The window opens on today's next job: Enter opens it.
        keys.press(Qt::Key_Return, {}, QStringLiteral("Enter: open the job"));
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.ticketPage()));
        QCOMPARE(window.ticketPage()->ticketId(), job.id);

        // 2. Clock in.
        keys.press(Qt::Key_I, Qt::ControlModifier, QStringLiteral("Ctrl+I: clock in"));
        // A button's shortcut clicks it the way a click looks (animated): a moment later.
        QTRY_VERIFY(f->tickets.getById(job.id)->clockInAt.isValid());

        // 3-4. The quick-add has the keyboard: the service by part of its name, Tab, the quantity, Enter.
        keys.type(QStringLiteral("gutter"));
        keys.press(Qt::Key_Tab, {}, QStringLiteral("Tab: to the quantity"));
        keys.type(QStringLiteral("12"));
        keys.press(Qt::Key_Return, {}, QStringLiteral("Enter: add the line item"));
        QCOMPARE(f->tickets.lineItems(job.id)->size(), 1);

        // 5. Clock out, 75 minutes later.
        clock.advanceMs(75 * 60 * 1000);
        keys.press(Qt::Key_O, Qt::ControlModifier, QStringLiteral("Ctrl+O: clock out"));
        QTRY_VERIFY(f->tickets.getById(job.id)->clockOutAt.isValid());

        // 6. Close out: the wizard opens on the notes.
        keys.press(Qt::Key_Return, Qt::ControlModifier, QStringLiteral("Ctrl+Enter: close out"));
        ui::CloseOutWizard *wizard = nullptr;
        QTRY_VERIFY((wizard = window.ticketPage()->findChild<ui::CloseOutWizard *>(
                         QStringLiteral("closeOutWizard"))) != nullptr);
        QVERIFY(QTest::qWaitForWindowActive(wizard));
        QCOMPARE(wizard->currentId(), int(ui::CloseOutWizard::NotesPage));

        // 7. The notes, then Ctrl+Enter: on to the details.
        keys.type(QStringLiteral("Cleared the gutters front and back. Side gate sticks."));
        keys.press(Qt::Key_Return, Qt::ControlModifier, QStringLiteral("Ctrl+Enter: next (details)"));
        QCOMPARE(wizard->currentId(), int(ui::CloseOutWizard::ReviewPage));

        // 8-10. A detail by hand, named in words; Enter adds it, Enter on the empty field goes on.
        keys.type(QStringLiteral("Gate code"));
        keys.press(Qt::Key_Tab, {}, QStringLiteral("Tab: to the value"));
        keys.type(QStringLiteral("4821"));
        keys.press(Qt::Key_Return, {}, QStringLiteral("Enter: add the detail"));
        keys.press(Qt::Key_Return, {}, QStringLiteral("Enter: next (next visit)"));
        QCOMPARE(wizard->currentId(), int(ui::CloseOutWizard::NextServicePage));

        // 11. The next visit typed as said; the invoice is drafted by default (billable work on the job).
        keys.type(QStringLiteral("tue 9"));
        keys.press(Qt::Key_Return, {}, QStringLiteral("Enter: next (summary)"));
        QCOMPARE(wizard->currentId(), int(ui::CloseOutWizard::SummaryPage));

        // 12. Finish.
        QPointer<ui::CloseOutWizard> open(wizard);
        keys.press(Qt::Key_Return, {}, QStringLiteral("Enter: finish"));
        QTRY_VERIFY(open.isNull());

        QVERIFY2(keys.missing().isEmpty(),
                 qPrintable(QStringLiteral("nothing had the focus for ") + keys.missing()));
        QVERIFY(test::takeErrorMessages().isEmpty());
        for (int i = 0; i < keys.actions().size(); ++i)
            qInfo("%2d. %s", i + 1, qPrintable(keys.actions().at(i)));
        QVERIFY2(keys.actions().size() <= 15, qPrintable(keys.actions().join(QLatin1Char('\n'))));

        // What the technician sees afterwards: the job completed ...
        auto closed = f->tickets.getById(job.id);
        VERIFY_OK(closed);
        QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));
        QCOMPARE(closed->actualDurationMinutes, std::optional<int>(75));
        // ... with the service at its quantity and total ...
        auto items = f->tickets.lineItems(job.id);
        VERIFY_OK(items);
        QCOMPARE(items->size(), 1);
        QCOMPARE(items->first().serviceId, catalog.perUnit.id);
        QCOMPARE(items->first().quantity, 12);
        QCOMPARE(items->first().totalPrice.cents(), 12 * 450);
        // ... the detail on the customer under the extraction's key ...
        auto attributes = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(attributes);
        QCOMPARE(attributes->size(), 1);
        QCOMPARE(attributes->first().key, QStringLiteral("gate_code"));
        QCOMPARE(attributes->first().value, QJsonValue(QStringLiteral("4821")));
        // ... the next visit on Tuesday at 9:00 local time ...
        auto tickets = f->tickets.listForContact(customer.contact.id);
        VERIFY_OK(tickets);
        QCOMPARE(tickets->size(), 2);
        const Ticket &next = tickets->at(0).id == job.id ? tickets->at(1) : tickets->at(0);
        QCOMPARE(toString(next.status), toString(TicketStatus::Scheduled));
        QCOMPARE(next.scheduledAt.toLocalTime(), QDateTime(QDate(2030, 5, 14), QTime(9, 0), Qt::LocalTime));
        QCOMPARE(next.scheduledAt.toLocalTime().date().dayOfWeek(), 2);
        // ... the invoice drafted for the job ...
        auto invoices = f->invoices.listForContact(customer.contact.id);
        VERIFY_OK(invoices);
        QCOMPARE(invoices->size(), 1);
        QCOMPARE(invoices->first().ticketId, job.id);
        QCOMPARE(toString(invoices->first().status), toString(InvoiceStatus::Draft));
        QCOMPARE(invoices->first().totalAmount.cents(), 12 * 450);
        // ... and the notes kept, waiting once for the model.
        auto pending = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().ticketId, job.id);
    }
};

QTEST_MAIN(TestCloseOutPath)
#include "test_closeout_path.moc"
