#include "common/badgedelegate.h"
#include "common/badges.h"
#include "common/uicontext.h"
#include "schedule/schedulemodel.h"
#include "schedule/schedulepage.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDateEdit>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTimeEdit>

#include <QToolButton>
#include <optional>

using namespace fb;
using fb::test::UiFixture;

namespace {

/// Tickets are booked at fixed local hours of days counted from today, so the tests do not depend on the time
/// they run at.
const QTime kTen(10, 0);

/// "Today" in every test: a Wednesday, the clock stopped at noon local time (init()), so no test straddles a
/// midnight or depends on the weekday it runs on.
const QDate kToday(2030, 6, 12);

QDateTime localAt(const QDate &day, const QTime &time)
{
    return QDateTime(day, time);
}

Ticket book(UiFixture &f, const UiFixture::Customer &customer, const QDate &day, const QTime &time = kTen,
            int minutes = 60)
{
    TicketCreate data;
    data.contactId = customer.contact.id;
    data.addressId = customer.address.id;
    data.scheduledAt = localAt(day, time).toUTC();
    data.scheduledDurationMinutes = minutes;
    auto ticket = f->tickets.create(data);
    if (!ticket)
        qFatal("cannot book a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

Contact addContact(UiFixture &f, const QString &name, const QString &email)
{
    auto contact = f->contacts.create({name, email, std::nullopt, std::nullopt});
    if (!contact)
        qFatal("cannot create a contact: %s", qPrintable(contact.error().toString()));
    return *contact;
}

Address addAddress(UiFixture &f, const QUuid &contactId, const QString &street)
{
    AddressCreate data;
    data.contactId = contactId;
    data.street = street;
    data.city = QStringLiteral("Springfield");
    data.state = QStringLiteral("IL");
    data.zip = QStringLiteral("62704");
    auto address = f->addresses.create(data);
    if (!address)
        qFatal("cannot create an address: %s", qPrintable(address.error().toString()));
    return *address;
}

/// Like test::waitForTopLevel (whose ignored [[nodiscard]] qWaitFor result is an error under -Werror), and
/// also waits until the window is the active one, so keys typed into it reach its focused field.
/// (QWindow::isActive() is already true for a dialog whose transient parent is active, so
/// qWaitForWindowActive() does not wait.)
template <typename T> T *waitForWindow(const QString &objectName)
{
    T *found = nullptr;
    if (!QTest::qWaitFor(
            [&] {
                found = test::visibleTopLevel<T>(objectName);
                return found && QApplication::activeWindow() == found;
            },
            5000))
        return nullptr;
    return found;
}

/// The row of `view` whose text starts with `text`.
QModelIndex rowStartingWith(QAbstractItemView *view, const QString &text)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        if (index.data().toString().startsWith(text))
            return index;
    }
    return {};
}

/// The rows of the view that show tickets, as their ids in order.
QList<QUuid> shownTickets(QTableView *view)
{
    QList<QUuid> ids;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QUuid id = view->model()->index(row, 0).data(ui::ScheduleModel::TicketIdRole).toUuid();
        if (!id.isNull())
            ids << id;
    }
    return ids;
}

int rowOf(QTableView *view, const QUuid &id)
{
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        if (view->model()->index(row, 0).data(ui::ScheduleModel::TicketIdRole).toUuid() == id)
            return row;
    }
    return -1;
}

QString cell(QTableView *view, const QUuid &id, ui::ScheduleModel::Column column)
{
    return view->model()->index(rowOf(view, id), column).data().toString();
}

QUuid currentTicket(QTableView *view)
{
    return view->currentIndex().data(ui::ScheduleModel::TicketIdRole).toUuid();
}

QDate weekStart(const QDate &day)
{
    const int firstDay = int(QLocale().firstDayOfWeek());
    return day.addDays(-((day.dayOfWeek() - firstDay + 7) % 7));
}

} // namespace

class TestSchedule : public QObject
{
    Q_OBJECT

    std::optional<test::FixedClock> m_clock;

private:
    /// Shows the page as a window of the size the app targets and gives the list the keyboard focus.
    static bool showWithFocus(ui::SchedulePage &page, QTableView *view)
    {
        page.resize(1366, 700);
        page.show();
        page.activateWindow();
        if (!QTest::qWaitForWindowActive(&page))
            return false;
        view->setFocus();
        return view->hasFocus();
    }

    /// What the window manager does when a dialog closes (the offscreen platform does not): the window under
    /// it becomes active again, and its focus widget gets the focus.
    static void reactivate(QWidget &window)
    {
        window.activateWindow();
        QTRY_COMPARE(QApplication::activeWindow(), &window);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // 24-hour times and day-first dates, so the keys typed into the time fields mean the same everywhere.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    void init() { m_clock.emplace(QDateTime(kToday, QTime(12, 0))); }

    void cleanup()
    {
        m_clock.reset();
        QCOMPARE(test::takeErrorMessages(), QStringList());
    }

    void todayIsSelectedAndShowsItsTickets()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const QDate today = kToday;
        const Ticket ticket = book(f, customer, today);
        book(f, customer, today.addDays(1)); // tomorrow: not in today's view
        const auto catalog = f.addCatalog();
        LineItemCreate item;
        item.serviceId = catalog.fixed.id;
        VERIFY_OK(f->tickets.addLineItem(ticket.id, item));

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(dateLabel, QLabel, &page, "dateLabel");
        FIND_CHILD(dayButton, QToolButton, &page, "dayViewButton");
        QVERIFY(showWithFocus(page, view));

        QCOMPARE(page.currentDate(), today);
        QVERIFY(dayButton->isChecked());
        QCOMPARE(dateLabel->text(), QStringLiteral("Today, Wednesday, 12 June 2030"));
        QCOMPARE(shownTickets(view), QList<QUuid>{ticket.id});
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::TimeColumn), QStringLiteral("10:00 – 11:00"));
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::CustomerColumn), customer.contact.name);
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::AddressColumn), customer.address.oneLine());
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::ServicesColumn), QStringLiteral("Window cleaning"));
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::DurationColumn), QStringLiteral("1 h"));
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::StatusColumn),
                 ui::statusLabel(TicketStatus::Scheduled));
        // The first ticket of the day is selected, ready for Enter.
        QCOMPARE(page.selectedTicketId(), ticket.id);

        // Booked elsewhere (another screen) while the schedule is open: it appears by itself (core announces
        // the commit).
        const Ticket later = book(f, customer, today, QTime(15, 30), 45);
        QCOMPARE(shownTickets(view), (QList<QUuid>{ticket.id, later.id}));
        QCOMPARE(cell(view, later.id, ui::ScheduleModel::DurationColumn), QStringLiteral("45 min"));
        QCOMPARE(page.selectedTicketId(), ticket.id); // a reload keeps the selection
    }

    void keysMoveTheDate()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const QDate today = kToday;
        const Ticket tomorrows = book(f, customer, today.addDays(1));
        const Ticket nextWeeks = book(f, customer, today.addDays(7));

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(dateLabel, QLabel, &page, "dateLabel");
        FIND_CHILD(emptyLabel, QLabel, &page, "emptyLabel");
        QVERIFY(showWithFocus(page, view));
        QVERIFY(shownTickets(view).isEmpty());
        QVERIFY(emptyLabel->isVisible());

        QTest::keyClick(view, Qt::Key_Right);
        QCOMPARE(page.currentDate(), today.addDays(1));
        QCOMPARE(dateLabel->text(), QStringLiteral("Thursday, 13 June 2030"));
        QCOMPARE(shownTickets(view), QList<QUuid>{tomorrows.id});
        QVERIFY(!emptyLabel->isVisible());

        QTest::keyClick(view, Qt::Key_Left);
        QCOMPARE(page.currentDate(), today);
        QTest::keyClick(view, Qt::Key_PageDown);
        QCOMPARE(page.currentDate(), today.addDays(7));
        QCOMPARE(shownTickets(view), QList<QUuid>{nextWeeks.id});
        QTest::keyClick(view, Qt::Key_PageUp);
        QTest::keyClick(view, Qt::Key_PageUp);
        QCOMPARE(page.currentDate(), today.addDays(-7));
        QTest::keyClick(view, Qt::Key_T);
        QCOMPARE(page.currentDate(), today);
        QCOMPARE(dateLabel->text(), QStringLiteral("Today, Wednesday, 12 June 2030"));

        // The buttons do the same, and their tooltips name the keys.
        FIND_CHILD(next, QToolButton, &page, "nextButton");
        FIND_CHILD(todayButton, QToolButton, &page, "todayButton");
        QVERIFY2(next->toolTip().contains(QKeySequence(Qt::Key_Right).toString(QKeySequence::NativeText)),
                 qPrintable(next->toolTip()));
        QVERIFY2(todayButton->toolTip().endsWith(QStringLiteral("(T)")), qPrintable(todayButton->toolTip()));
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(page.currentDate(), today.addDays(1));
        QTest::mouseClick(todayButton, Qt::LeftButton);
        QCOMPARE(page.currentDate(), today);
    }

    void weekViewGroupsByDayAndArrowsSkipTheHeadings()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const QDate first = weekStart(kToday);
        const Ticket tuesday = book(f, customer, first.addDays(1));
        const Ticket thursday = book(f, customer, first.addDays(3), QTime(8, 0));
        const Ticket thursdayLater = book(f, customer, first.addDays(3), QTime(13, 0));
        book(f, customer, first.addDays(7)); // the next week

        ui::SchedulePage page(f.context());
        page.setDate(first.addDays(1));
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(weekButton, QToolButton, &page, "weekViewButton");
        FIND_CHILD(next, QToolButton, &page, "nextButton");
        QVERIFY(showWithFocus(page, view));

        QTest::mouseClick(weekButton, Qt::LeftButton);
        QCOMPARE(page.viewMode(), ui::SchedulePage::ViewMode::Week);
        QCOMPARE(shownTickets(view), (QList<QUuid>{tuesday.id, thursday.id, thursdayLater.id}));
        // A heading for each of the seven days, empty ones too.
        int headings = 0;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            headings += view->model()->index(row, 0).data(ui::ScheduleModel::IsDayRole).toBool() ? 1 : 0;
        QCOMPARE(headings, 7);
        const auto heading = [&](const Ticket &firstOfDay) {
            return view->model()->index(rowOf(view, firstOfDay.id) - 1, 0).data().toString();
        };
        QVERIFY2(heading(tuesday).endsWith(QStringLiteral("1 ticket")), qPrintable(heading(tuesday)));
        QVERIFY2(heading(thursday).endsWith(QStringLiteral("2 tickets")), qPrintable(heading(thursday)));
        QVERIFY2(next->toolTip().contains(QKeySequence(Qt::Key_PageDown).toString(QKeySequence::NativeText)),
                 qPrintable(next->toolTip()));

        // Down goes from ticket to ticket over the headings of Wednesday and Thursday; the day follows.
        QCOMPARE(currentTicket(view), tuesday.id);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(currentTicket(view), thursday.id);
        QCOMPARE(page.currentDate(), first.addDays(3));
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(currentTicket(view), thursdayLater.id);
        QTest::keyClick(view, Qt::Key_Up);
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(currentTicket(view), tuesday.id);

        QSignalSpy opened(&f.context(), &ui::UiContext::openTicketRequested);
        QTest::keyClick(view, Qt::Key_Down);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toUuid(), thursday.id);

        // PgDn in the week view: the next week.
        QTest::keyClick(view, Qt::Key_PageDown);
        QCOMPARE(shownTickets(view).size(), 1);
    }

    void enterAndDoubleClickOpenTheSelectedTicket()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const QDate today = kToday;
        const Ticket morning = book(f, customer, today);
        const Ticket afternoon = book(f, customer, today, QTime(14, 0));

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        QVERIFY(showWithFocus(page, view));
        QSignalSpy opened(&f.context(), &ui::UiContext::openTicketRequested);

        // Today opens on the job to do next: at noon the 10:00 one is over, the 14:00 one is next.
        QCOMPARE(page.selectedTicketId(), afternoon.id);
        QTest::keyClick(view, Qt::Key_Up);
        QCOMPARE(page.selectedTicketId(), morning.id);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.takeFirst().at(0).toUuid(), morning.id);
        QTest::keyClick(view, Qt::Key_Down);
        QTest::keyClick(view, Qt::Key_Enter, Qt::KeypadModifier);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.takeFirst().at(0).toUuid(), afternoon.id);

        const QRect rect = view->visualRect(view->model()->index(rowOf(view, afternoon.id), 1));
        // A real double click starts with a press (QTest's sends only the double-click event).
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.takeFirst().at(0).toUuid(), afternoon.id);
    }

    void createTicketThroughTheDialog()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Address cottage = addAddress(f, margaret.contact.id, QStringLiteral("4 Mill Lane"));
        addContact(f, QStringLiteral("Peter Stone"), QStringLiteral("peter@example.com"));
        const auto catalog = f.addCatalog();
        const QDate tomorrow = kToday.addDays(1);

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(newButton, QToolButton, &page, "newTicketButton");
        QVERIFY(showWithFocus(page, view));
        QVERIFY2(
            newButton->toolTip().contains(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)),
            qPrintable(newButton->toolTip()));
        QTest::keyClick(view, Qt::Key_Right); // the new ticket goes on the day shown
        QTest::keyClick(view, Qt::Key_N, Qt::ControlModifier);

        auto *dialog = waitForWindow<QDialog>(QStringLiteral("newTicketDialog"));
        QVERIFY(dialog);
        FIND_CHILD(search, QLineEdit, dialog, "contactSearch");
        FIND_CHILD(results, QListView, dialog, "contactResults");
        FIND_CHILD(address, QComboBox, dialog, "addressCombo");
        FIND_CHILD(dateEdit, QDateEdit, dialog, "dateEdit");
        FIND_CHILD(timeEdit, QTimeEdit, dialog, "timeEdit");
        FIND_CHILD(duration, QSpinBox, dialog, "durationSpin");
        FIND_CHILD(services, QListView, dialog, "servicesList");
        FIND_CHILD(create, QPushButton, dialog, "createButton");
        QCOMPARE(dateEdit->date(), tomorrow);
        QCOMPARE(timeEdit->time().minute(), 0); // the next full hour
        QVERIFY(!create->isEnabled());          // no customer yet

        // The flexible service is not offered: it needs a typed price.
        QCOMPARE(services->model()->rowCount(), 2);

        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("Marg"));
        // The picker's search answers from the read thread: the matches follow within moments.
        QTRY_COMPARE(results->model()->rowCount(), 1);
        const QModelIndex found = results->model()->index(0, 0);
        QVERIFY(found.data().toString().startsWith(margaret.contact.name));
        QTest::mouseClick(results->viewport(), Qt::LeftButton, {}, results->visualRect(found).center());
        QCOMPARE(address->count(), 2);
        QVERIFY(create->isEnabled());

        address->setFocus();
        QTest::keyClick(address, Qt::Key_Down);
        QCOMPARE(address->currentData().toUuid(), cottage.id);

        timeEdit->setFocus(Qt::TabFocusReason); // selects the hours, as tabbing into it does
        QTest::keyClicks(timeEdit, QStringLiteral("14"));
        QTest::keyClicks(timeEdit, QStringLiteral("30"));
        QCOMPARE(timeEdit->time(), QTime(14, 30));
        duration->setFocus();
        QTest::keyClick(duration, Qt::Key_Up); // 15-minute steps from the hour proposed
        QTest::keyClick(duration, Qt::Key_Up);
        QCOMPARE(duration->value(), 90);

        services->setFocus();
        const QModelIndex windows = rowStartingWith(services, catalog.fixed.name);
        QVERIFY(windows.isValid());
        services->setCurrentIndex(windows);
        QTest::keyClick(services, Qt::Key_Space);
        QCOMPARE(windows.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));

        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_VERIFY(!dialog->isVisible());

        auto booked =
            f->tickets.listRange(tomorrow.startOfDay().toUTC(), tomorrow.addDays(1).startOfDay().toUTC());
        VERIFY_OK(booked);
        QCOMPARE(booked->size(), 1);
        const Ticket ticket = booked->first();
        QCOMPARE(ticket.contactId, margaret.contact.id);
        QCOMPARE(ticket.addressId, cottage.id);
        QCOMPARE(ticket.scheduledAt, localAt(tomorrow, QTime(14, 30)).toUTC());
        QCOMPARE(ticket.scheduledDurationMinutes, std::optional<int>(90));
        auto items = f->tickets.lineItems(ticket.id);
        VERIFY_OK(items);
        QCOMPARE(items->size(), 1);
        QCOMPARE(items->first().serviceId, catalog.fixed.id);

        // Shown and selected, the list has the focus back.
        QCOMPARE(page.currentDate(), tomorrow);
        QCOMPARE(page.selectedTicketId(), ticket.id);
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::AddressColumn), cottage.oneLine());
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::ServicesColumn), catalog.fixed.name);
        reactivate(page);
        QVERIFY(view->hasFocus()); // the page gave the focus back to the list
    }

    void aRefusedTicketKeepsTheDialogOpen()
    {
        UiFixture f;
        const auto margaret = f.addCustomer();
        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        QVERIFY(showWithFocus(page, view));
        page.newTicket();
        auto *dialog = waitForWindow<QDialog>(QStringLiteral("newTicketDialog"));
        QVERIFY(dialog);
        FIND_CHILD(search, QLineEdit, dialog, "contactSearch");
        FIND_CHILD(results, QListView, dialog, "contactResults");
        FIND_CHILD(create, QPushButton, dialog, "createButton");
        QTest::keyClicks(search, QStringLiteral("Hill"));
        // Down from the search field moves into the results (typed before they came: as they come).
        QTest::keyClick(search, Qt::Key_Down);
        QTRY_VERIFY(results->hasFocus());
        QVERIFY(create->isEnabled());

        // The customer is deleted meanwhile (e.g. by another screen): the core refuses, nothing is written.
        VERIFY_OK(f->contacts.remove(margaret.contact.id));
        QTest::mouseClick(create, Qt::LeftButton);
        // Said at the customer, in words, not in a message box.
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(error, QLabel, dialog, "customerPickerError");
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().startsWith(QStringLiteral("Customer")), qPrintable(error->text()));
        QVERIFY(dialog->isVisible());
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM main.tickets")), 0);
        dialog->reject();
    }

    void aServiceThatFailsLeavesTheTicketBooked()
    {
        UiFixture f;
        const auto margaret = f.addCustomer();
        const auto catalog = f.addCatalog();
        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        QVERIFY(showWithFocus(page, view));
        page.newTicket();
        auto *dialog = waitForWindow<QDialog>(QStringLiteral("newTicketDialog"));
        QVERIFY(dialog);
        FIND_CHILD(search, QLineEdit, dialog, "contactSearch");
        FIND_CHILD(results, QListView, dialog, "contactResults");
        FIND_CHILD(services, QListView, dialog, "servicesList");
        FIND_CHILD(create, QPushButton, dialog, "createButton");
        QTest::keyClicks(search, QStringLiteral("Hill"));
        QTest::keyClick(search, Qt::Key_Down);
        QTRY_VERIFY(results->hasFocus());
        services->setFocus();
        services->setCurrentIndex(rowStartingWith(services, catalog.fixed.name));
        QTest::keyClick(services, Qt::Key_Space);

        // The service leaves the catalog while the dialog is open: the ticket is created, the line item not.
        VERIFY_OK(f->catalog.deleteService(catalog.fixed.id));
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_VERIFY(!dialog->isVisible());
        const QStringList errors = test::takeErrorMessages();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("ticket was created")), qPrintable(errors.first()));
        QVERIFY2(errors.first().contains(catalog.fixed.name), qPrintable(errors.first()));
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM main.tickets")), 1);
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM main.line_items")), 0);
        QCOMPARE(shownTickets(view).size(), 1);
        QCOMPARE(page.selectedTicketId(), shownTickets(view).first());
    }

    void rescheduleMovesTheTicket()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const QDate today = kToday;
        const Ticket ticket = book(f, customer, today);

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(rescheduleButton, QToolButton, &page, "rescheduleButton");
        QVERIFY(showWithFocus(page, view));
        QVERIFY2(rescheduleButton->toolTip().contains(
                     QKeySequence(Qt::CTRL | Qt::Key_R).toString(QKeySequence::NativeText)),
                 qPrintable(rescheduleButton->toolTip()));
        QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier);
        auto *dialog = waitForWindow<QDialog>(QStringLiteral("rescheduleDialog"));
        QVERIFY(dialog);
        FIND_CHILD(dateEdit, QDateEdit, dialog, "dateEdit");
        FIND_CHILD(timeEdit, QTimeEdit, dialog, "timeEdit");
        FIND_CHILD(duration, QSpinBox, dialog, "durationSpin");
        FIND_CHILD(ok, QPushButton, dialog, "rescheduleOkButton");
        QCOMPARE(dateEdit->date(), today);
        QCOMPARE(timeEdit->time(), kTen);

        const QDate later = today.addDays(2);
        dateEdit->setDate(later);
        timeEdit->setFocus(Qt::TabFocusReason);
        QTest::keyClicks(timeEdit, QStringLiteral("1615"));
        QCOMPARE(timeEdit->time(), QTime(16, 15));
        duration->setFocus();
        QTest::keyClick(duration, Qt::Key_Down);
        QCOMPARE(duration->value(), 45);
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!dialog->isVisible());

        auto moved = f->tickets.getById(ticket.id);
        VERIFY_OK(moved);
        QCOMPARE(moved->scheduledAt, localAt(later, QTime(16, 15)).toUTC());
        QCOMPARE(moved->scheduledDurationMinutes, std::optional<int>(45));
        // The schedule follows the ticket to its new day.
        QCOMPARE(page.currentDate(), later);
        QCOMPARE(page.selectedTicketId(), ticket.id);
        QCOMPARE(cell(view, ticket.id, ui::ScheduleModel::TimeColumn), QStringLiteral("16:15 – 17:00"));
    }

    void contextMenuOffersTheTicketActions()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const QDate today = kToday;
        book(f, customer, today);
        const Ticket afternoon = book(f, customer, today, QTime(14, 0));

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(menu, QMenu, &page, "scheduleContextMenu");
        QVERIFY(showWithFocus(page, view));

        // A right click on the afternoon job: it is selected first, then the menu pops up over it.
        const QPoint at = view->visualRect(view->model()->index(rowOf(view, afternoon.id), 1)).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
        QApplication::sendEvent(view->viewport(), &event);
        QTRY_VERIFY(menu->isVisible());
        QCOMPARE(page.selectedTicketId(), afternoon.id);
        QStringList entries;
        for (QAction *action : menu->actions()) {
            if (!action->isSeparator())
                entries << action->text() + QLatin1Char('|') + action->shortcut().toString();
        }
        QCOMPARE(entries,
                 (QStringList{QStringLiteral("Open ticket|Return"), QStringLiteral("Reschedule…|Ctrl+R"),
                              QStringLiteral("Cancel ticket…|Del"), QStringLiteral("New ticket…|Ctrl+N")}));

        QAction *reschedule = menu->actions().at(1);
        QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(reschedule).center());
        auto *dialog = waitForWindow<QDialog>(QStringLiteral("rescheduleDialog"));
        QVERIFY(dialog);
        FIND_CHILD(timeEdit, QTimeEdit, dialog, "timeEdit");
        QCOMPARE(timeEdit->time(), QTime(14, 0)); // the ticket right-clicked
        dialog->reject();
    }

    void cancelMarksTheTicketCancelled()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = book(f, customer, kToday);

        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        FIND_CHILD(cancelButton, QToolButton, &page, "cancelTicketButton");
        FIND_CHILD(rescheduleButton, QToolButton, &page, "rescheduleButton");
        QVERIFY(showWithFocus(page, view));
        QVERIFY2(cancelButton->toolTip().contains(
                     QKeySequence(QKeySequence::Delete).toString(QKeySequence::NativeText)),
                 qPrintable(cancelButton->toolTip()));

        // Del asks first; "Keep ticket" changes nothing.
        QTest::keyClick(view, Qt::Key_Delete);
        auto *box = waitForWindow<QMessageBox>(QStringLiteral("cancelConfirmation"));
        QVERIFY(box);
        FIND_CHILD(keep, QPushButton, box, "keepTicketButton");
        QTest::mouseClick(keep, Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("cancelConfirmation")));
        QVERIFY(f->tickets.getById(ticket.id)->status == TicketStatus::Scheduled);

        reactivate(page);
        QVERIFY(view->hasFocus());
        QTest::keyClick(view, Qt::Key_Delete);
        box = waitForWindow<QMessageBox>(QStringLiteral("cancelConfirmation"));
        QVERIFY(box);
        FIND_CHILD(confirm, QPushButton, box, "confirmCancelButton");
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_VERIFY(f->tickets.getById(ticket.id)->status == TicketStatus::Cancelled);

        // Still in the schedule, with the cancelled badge; nothing more can be done to it.
        QCOMPARE(shownTickets(view), QList<QUuid>{ticket.id});
        const QModelIndex status =
            view->model()->index(rowOf(view, ticket.id), ui::ScheduleModel::StatusColumn);
        QCOMPARE(status.data().toString(), ui::statusLabel(TicketStatus::Cancelled));
        QCOMPARE(status.data(ui::kBadgeColorRole).value<QColor>(), ui::badgeColor(TicketStatus::Cancelled));
        QCOMPARE(page.selectedTicketId(), ticket.id);
        QVERIFY(!rescheduleButton->isEnabled());
        QVERIFY(!cancelButton->isEnabled());
        reactivate(page);
        QVERIFY(view->hasFocus()); // so the keys below do reach the page's shortcuts
        QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier);
        QTest::keyClick(view, Qt::Key_Delete);
        QVERIFY(!test::visibleTopLevel<QDialog>(QStringLiteral("rescheduleDialog")));
        QVERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("cancelConfirmation")));
    }
};

QTEST_MAIN(TestSchedule)
#include "test_schedule.moc"
