// Screens follow changes committed by another connection of the same file (the sync worker's thread today,
// the pull tomorrow, a `fieldbook` command run from a terminal): the row updates within one second, with no
// restart, and the technician's selection and scroll position stay where they were.
#include "common/uicontext.h"
#include "contacts/contactspage.h"
#include "schedule/schedulemodel.h"
#include "schedule/schedulepage.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"

#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <optional>

using namespace fb;
using fb::test::UiFixture;

namespace {

const QDate kToday(2030, 6, 12);

/// What the sync worker does: its own Core (its own SQLite connection) on the same file, acting as the same
/// technician.
std::unique_ptr<Core> otherConnection(UiFixture &f)
{
    auto other = f.reopen();
    if (auto set = other->setCurrentUser(f.alice()); !set)
        qFatal("%s", qPrintable(set.error().toString()));
    return other;
}

QString scheduleCell(QTableView *view, const QUuid &id, int column)
{
    for (int row = 0; row < view->model()->rowCount(); ++row)
        if (view->model()->index(row, 0).data(ui::ScheduleModel::TicketIdRole).toUuid() == id)
            return view->model()->index(row, column).data().toString();
    return {};
}

QUuid selectedTicket(QTableView *view)
{
    return view->currentIndex().siblingAtColumn(0).data(ui::ScheduleModel::TicketIdRole).toUuid();
}

} // namespace

class TestLiveUpdates final : public QObject
{
    Q_OBJECT

    std::optional<test::FixedClock> m_clock;

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom)); }
    void init() { m_clock.emplace(QDateTime(kToday, QTime(12, 0))); }
    void cleanup() { m_clock.reset(); }

    void aJobMovedElsewhereUpdatesTheScheduleAndKeepsTheSelection()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        QList<Ticket> tickets;
        for (int hour = 8; hour <= 16; ++hour) {
            TicketCreate data{customer.contact.id, customer.address.id,
                              QDateTime(kToday, QTime(hour, 0)).toUTC(), 60, std::nullopt};
            auto ticket = f->tickets.create(data);
            VERIFY_OK(ticket);
            tickets << *ticket;
        }
        ui::SchedulePage page(f.context());
        FIND_CHILD(view, QTableView, &page, "scheduleView");
        page.resize(900, 260); // a few rows visible: the list scrolls
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        view->setCurrentIndex(view->model()->index(6, 0)); // the 14:00 job
        view->scrollTo(view->currentIndex(), QAbstractItemView::PositionAtTop);
        const QUuid selected = selectedTicket(view);
        QCOMPARE(selected, tickets.at(6).id);
        const int scrolled = view->verticalScrollBar()->value();
        QVERIFY(scrolled > 0);

        // Another connection lengthens the selected job and cancels the last one.
        auto other = otherConnection(f);
        TicketUpdate longer;
        longer.scheduledDurationMinutes = 90;
        VERIFY_OK(other->tickets.update(selected, longer));
        VERIFY_OK(other->tickets.cancel(tickets.last().id));

        QTRY_COMPARE_WITH_TIMEOUT(scheduleCell(view, selected, ui::ScheduleModel::DurationColumn),
                                  QStringLiteral("1 h 30 min"), 1000);
        QTRY_COMPARE_WITH_TIMEOUT(scheduleCell(view, tickets.last().id, ui::ScheduleModel::StatusColumn),
                                  QStringLiteral("Cancelled"), 1000);
        QCOMPARE(selectedTicket(view), selected);
        QCOMPARE(view->verticalScrollBar()->value(), scrolled);
    }

    void aCustomerAddedElsewhereAppearsAndTheSelectionStays()
    {
        UiFixture f;
        const auto first = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto second = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");
        page.showContact(second.contact.id);
        QCOMPARE(page.currentContactId(), second.contact.id);
        const int rowsBefore = list->model()->rowCount();

        auto other = otherConnection(f);
        auto added = other->contacts.create(
            {QStringLiteral("Aaron Abbott"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(added);

        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), rowsBefore + 1, 1000);
        QCOMPARE(page.currentContactId(), second.contact.id);
        Q_UNUSED(first);
    }

    void aNoteAddedElsewhereShowsInTheOpenCustomerAndTheListStays()
    {
        UiFixture f;
        const auto first = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto second = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");
        FIND_CHILD(tabs, QTabWidget, &page, "contactTabs");
        page.showContact(second.contact.id);
        const int notesTab = tabs->indexOf(page.findChild<QWidget *>(QStringLiteral("notesTab")));
        QVERIFY(notesTab >= 0);
        QCOMPARE(tabs->tabText(notesTab), QStringLiteral("&Notes (0)"));

        // A note is nothing the list shows: the customer's page follows; the list, its selection and its rows
        // stay as they are (not one redrawn or measured again).
        QSignalSpy rowsChanged(list->model(), &QAbstractItemModel::dataChanged);
        auto other = otherConnection(f);
        VERIFY_OK(other->notes.create({second.contact.id, {}, QStringLiteral("Gate code 4411")}));
        QTRY_COMPARE_WITH_TIMEOUT(tabs->tabText(notesTab), QStringLiteral("&Notes (1)"), 1000);
        QCOMPARE(page.currentContactId(), second.contact.id);
        QCOMPARE(list->model()->rowCount(), 2);
        QCOMPARE(rowsChanged.count(), 0);
        Q_UNUSED(first);
    }

    void aCustomerAddedElsewhereDuringASearchIsListedOnceItIsCleared()
    {
        UiFixture f;
        f.addCustomer(QStringLiteral("Margaret Hill"));
        f.addCustomer(QStringLiteral("Tomas Ruiz"));
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        QTest::keyClicks(search, QStringLiteral("Tomas"));
        QTRY_COMPARE(list->model()->rowCount(), 1);

        // Added while the search shows one customer: the newest customers, once the search is cleared,
        // include it (the list as kept is shown at once, then as read again).
        auto other = otherConnection(f);
        VERIFY_OK(other->contacts.create(
            {QStringLiteral("Aaron Abbott"), std::nullopt, std::nullopt, std::nullopt}));
        QTest::qWait(2 * ui::UiContext::kOtherConnectionsPollMs);
        QCOMPARE(list->model()->rowCount(), 1);
        search->clear();
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, 1000);
    }
};

QTEST_MAIN(TestLiveUpdates)
#include "test_live_updates.moc"
