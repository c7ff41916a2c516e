// The office's changes in the window (issue 14, item 6): pulled on another connection as the pull does (a row
// written with plain SQL, an audit entry with origin 'server'), they reach the screens without a restart. A
// job the office moved, booked or cancelled is marked on the schedule until it is opened; a job cancelled
// while the technician has it open says so plainly and loses nothing.
#include "closeout/closeoutwizard.h"
#include "common/uicontext.h"
#include "core/services/pulledchange.h"
#include "schedule/schedulemodel.h"
#include "schedule/schedulepage.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "ticket/ticketpage.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <optional>

using namespace fb;
using fb::test::UiFixture;

namespace {

const QDate kToday(2030, 6, 12); // a Wednesday

QDateTime local(const QDate &day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute)).toUTC();
}

/// The sync worker's connection: its own Core on the same file, as the same technician.
std::unique_ptr<Core> otherConnection(UiFixture &f)
{
    auto other = f.reopen();
    if (auto set = other->setCurrentUser(f.alice()); !set)
        qFatal("%s", qPrintable(set.error().toString()));
    return other;
}

/// The schedule's cell of `column` on the row of ticket `id`; "(no row)" when it is not shown.
QString cell(QTableView *view, const QUuid &id, int column)
{
    for (int row = 0; row < view->model()->rowCount(); ++row)
        if (view->model()->index(row, 0).data(ui::ScheduleModel::TicketIdRole).toUuid() == id)
            return view->model()->index(row, column).data().toString();
    return QStringLiteral("(no row)");
}

QString mark(QTableView *view, const QUuid &id)
{
    return cell(view, id, ui::ScheduleModel::ChangesColumn);
}

Ticket book(UiFixture &f, const test::CoreFixture::Customer &customer, const QDateTime &when)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, when, 60, std::nullopt});
    if (!ticket)
        qFatal("cannot book: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

} // namespace

class TestOfficeChanges final : public QObject
{
    Q_OBJECT

    std::optional<test::FixedClock> m_clock;

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom)); }
    void init() { m_clock.emplace(QDateTime(kToday, QTime(8, 0))); }
    void cleanup() { m_clock.reset(); }

    void theScheduleMarksTheOfficesChangesUntilTheJobIsOpened()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket moved = book(f, customer, local(kToday, 10));
        const Ticket cancelled = book(f, customer, local(kToday, 15));
        const Ticket deleted = book(f, customer, local(kToday.addDays(2), 9));
        const Ticket untouched = book(f, customer, local(kToday.addDays(1), 9));
        const Ticket later = book(f, customer, local(kToday, 13));
        ui::SchedulePage page(f.context());
        page.setViewMode(ui::SchedulePage::ViewMode::Week);
        page.resize(1300, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        QCOMPARE(mark(view, moved.id), QString()); // the technician's own bookings are no news
        // No news, no column: the address keeps its room.
        QVERIFY(view->isColumnHidden(ui::ScheduleModel::ChangesColumn));

        auto sync = otherConnection(f);
        VERIFY_OK(test::pullMove(*sync, moved.id, local(kToday, 10), local(kToday.addDays(1), 14),
                                 local(kToday, 7, 55)));
        VERIFY_OK(
            test::pullMove(*sync, later.id, local(kToday, 13), local(kToday, 16, 30), local(kToday, 7, 55)));
        VERIFY_OK(test::pullCancel(*sync, cancelled.id, QStringLiteral("scheduled"), local(kToday, 7, 56)));
        VERIFY_OK(test::pullTicketChange(*sync, deleted.id, QStringLiteral("delete"),
                                         {{QStringLiteral("deleted_at"), toStoredTime(local(kToday, 7, 57))}},
                                         {{QStringLiteral("deleted"), QJsonObject{}}}, local(kToday, 7, 57)));

        QTRY_COMPARE_WITH_TIMEOUT(mark(view, moved.id),
                                  QStringLiteral("moved by the office: Wed 10:00 → Thu 14:00"), 1000);
        QVERIFY(!view->isColumnHidden(ui::ScheduleModel::ChangesColumn));
        QCOMPARE(cell(view, moved.id, ui::ScheduleModel::TimeColumn), QStringLiteral("14:00 – 15:00"));
        QCOMPARE(mark(view, later.id), QStringLiteral("moved by the office: 13:00 → 16:30")); // the same day
        QCOMPARE(mark(view, cancelled.id), QStringLiteral("cancelled by the office"));
        QCOMPARE(cell(view, cancelled.id, ui::ScheduleModel::StatusColumn), QStringLiteral("Cancelled"));
        // Deleted at the office: still shown, marked, until opened.
        QCOMPARE(mark(view, deleted.id), QStringLiteral("cancelled by the office"));
        QCOMPARE(cell(view, deleted.id, ui::ScheduleModel::StatusColumn), QStringLiteral("Deleted"));
        QCOMPARE(mark(view, untouched.id), QString());
        // The mark says who and when in its tooltip.
        for (int r = 0; r < view->model()->rowCount(); ++r) {
            const QModelIndex index = view->model()->index(r, ui::ScheduleModel::ChangesColumn);
            if (index.siblingAtColumn(0).data(ui::ScheduleModel::TicketIdRole).toUuid() == moved.id)
                QCOMPARE(
                    index.data(Qt::ToolTipRole).toString(),
                    QStringLiteral("moved by the office: Wed 10:00 → Thu 14:00\nDana Smith at the office, "
                                   "Wed 12 Jun, 07:55. Open the job to clear this mark."));
        }

        // The office books a new job: marked too.
        const QUuid booked = newId();
        QVariantMap row{{QStringLiteral("id"), idText(booked)},
                        {QStringLiteral("user_id"), idText(f.alice())},
                        {QStringLiteral("contact_id"), idText(customer.contact.id)},
                        {QStringLiteral("address_id"), idText(customer.address.id)},
                        {QStringLiteral("status"), QStringLiteral("scheduled")},
                        {QStringLiteral("scheduled_at"), toStoredTime(local(kToday.addDays(1), 16))},
                        {QStringLiteral("created_at"), toStoredTime(local(kToday, 7, 58))},
                        {QStringLiteral("updated_at"), toStoredTime(local(kToday, 7, 58))}};
        VERIFY_OK(test::pullTicketChange(*sync, booked, QStringLiteral("create"), row,
                                         {{QStringLiteral("created"), QJsonObject::fromVariantMap(row)}},
                                         local(kToday, 7, 58)));
        QTRY_COMPARE_WITH_TIMEOUT(mark(view, booked), QStringLiteral("booked by the office"), 1000);

        // Opening a job (the ticket view) clears its mark; the others stay.
        ui::TicketPage ticketPage(f.context());
        ticketPage.showTicket(moved.id);
        QTRY_COMPARE_WITH_TIMEOUT(mark(view, moved.id), QString(), 1000);
        QCOMPARE(mark(view, cancelled.id), QStringLiteral("cancelled by the office"));
        ticketPage.showTicket(deleted.id);
        QTRY_COMPARE_WITH_TIMEOUT(cell(view, deleted.id, ui::ScheduleModel::CustomerColumn),
                                  QStringLiteral("(no row)"), 1000);
        FIND_CHILD(loadError, QLabel, &ticketPage, "loadErrorLabel");
        QVERIFY2(
            loadError->text().startsWith(QStringLiteral("The office deleted this job at 07:57 (Dana Smith "
                                                        "at the office).")),
            qPrintable(loadError->text()));

        // Opened means seen for good: a restart does not bring the mark back.
        ui::UiContext again(*sync);
        ui::SchedulePage restarted(again);
        restarted.setViewMode(ui::SchedulePage::ViewMode::Week);
        FIND_CHILD(restartedView, QTableView, &restarted, "scheduleView");
        QCOMPARE(mark(restartedView, moved.id), QString());
        QCOMPARE(mark(restartedView, booked), QStringLiteral("booked by the office"));
    }

    void aJobCancelledWhileOpenSaysSoAndLosesNothing()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Ticket ticket = book(f, customer, local(kToday, 9));
        LineItemCreate item;
        item.serviceId = catalog.fixed.id;
        VERIFY_OK(f->tickets.addLineItem(ticket.id, item));
        m_clock->set(local(kToday, 9, 2));
        VERIFY_OK(f->tickets.clockIn(ticket.id));

        ui::TicketPage page(f.context());
        page.resize(1100, 760);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.showTicket(ticket.id);
        FIND_CHILD(noteEdit, QLineEdit, &page, "noteEdit");
        FIND_CHILD(banner, QLabel, &page, "readOnlyBanner");
        FIND_CHILD(clockOut, QPushButton, &page, "clockOutButton");
        FIND_CHILD(customerName, QLabel, &page, "customerNameLabel");
        QVERIFY(banner->isHidden());
        QTest::keyClicks(noteEdit, QStringLiteral("Gate code 4821, dog in the yard"));
        // The close-out wizard is open, with notes typed in it.
        page.closeOut();
        QPointer<ui::CloseOutWizard> wizard = page.findChild<ui::CloseOutWizard *>();
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        FIND_CHILD(wizardNotes, QPlainTextEdit, wizard.data(), "notesEdit");
        wizardNotes->setPlainText(QStringLiteral("Replaced the washer; the tap still drips a little."));

        // The office cancels the job at 14:03; the pull brings it at 14:05.
        m_clock->set(local(kToday, 14, 5));
        auto sync = otherConnection(f);
        VERIFY_OK(test::pullCancel(*sync, ticket.id, QStringLiteral("in_progress"), local(kToday, 14, 3)));

        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 1000);
        QCOMPARE(banner->text(),
                 QStringLiteral("The office cancelled this job at 14:03 (Dana Smith at the office). "
                                "Your clock times, line items and notes are kept and will be sent."));
        // The work on site goes on: notes, line items and the close-out stay open
        // (TicketService::workMayContinue).
        FIND_CHILD(closeOutButton, QPushButton, &page, "closeOutButton");
        FIND_CHILD(addNote, QPushButton, &page, "addNoteButton");
        QTRY_VERIFY(closeOutButton->isEnabled());
        QVERIFY(addNote->isEnabled());
        // Nothing is lost: the view stays on the job, what was typed stays, the wizard keeps its draft.
        QCOMPARE(page.ticketId(), ticket.id);
        QCOMPARE(customerName->text(), QStringLiteral("Rosa Diaz"));
        QCOMPARE(noteEdit->text(), QStringLiteral("Gate code 4821, dog in the yard"));
        QVERIFY(wizard && wizard->isVisible());
        QCOMPARE(wizardNotes->toPlainText(),
                 QStringLiteral("Replaced the washer; the tap still drips a little."));
        wizard->reject();
        QTRY_VERIFY(!wizard);
        auto draft = f->drafts.load(ticket.id);
        VERIFY_OK(draft);
        QVERIFY(draft->has_value());
        QCOMPARE((*draft)->value(QStringLiteral("notes")).toString(),
                 QStringLiteral("Replaced the washer; the tap still drips a little."));
        QCOMPARE(noteEdit->text(), QStringLiteral("Gate code 4821, dog in the yard"));

        // The clock keeps running until the technician stops it.
        QVERIFY(clockOut->isEnabled());
        m_clock->set(local(kToday, 14, 32));
        clockOut->click();
        auto stored = f->tickets.getById(ticket.id);
        VERIFY_OK(stored);
        QCOMPARE(stored->clockOutAt, local(kToday, 14, 32));
        QCOMPARE(stored->actualDurationMinutes, std::optional<int>(330));
        QCOMPARE(toString(stored->status), QStringLiteral("cancelled"));
        QTRY_VERIFY(!clockOut->isEnabled());
        auto items = f->tickets.lineItems(ticket.id);
        VERIFY_OK(items);
        QCOMPARE(items->size(), 1);
        QVERIFY(test::takeErrorMessages().isEmpty());
    }

    void aJobTheTechnicianCancelledKeepsTheUsualBanner()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = book(f, customer, local(kToday, 9));
        VERIFY_OK(f->tickets.cancel(ticket.id));
        ui::TicketPage page(f.context());
        page.showTicket(ticket.id);
        FIND_CHILD(banner, QLabel, &page, "readOnlyBanner");
        QVERIFY2(banner->text().startsWith(QStringLiteral("This job was cancelled on")),
                 qPrintable(banner->text()));
    }
};

QTEST_MAIN(TestOfficeChanges)
#include "test_office_changes.moc"
