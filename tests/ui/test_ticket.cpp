#include "closeout/closeoutwizard.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "ticket/ticketpage.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace fb;
using fb::ui::TicketPage;

namespace {

Ticket createTicket(Core &core, const test::CoreFixture::Customer &customer, int daysFromNow = 0)
{
    TicketCreate data;
    data.contactId = customer.contact.id;
    data.addressId = customer.address.id;
    data.scheduledAt = nowUtc().addDays(daysFromNow);
    data.scheduledDurationMinutes = 90;
    auto ticket = core.tickets.create(data);
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

/// Closes `ticketId` through the core's two-step close-out, with `notes`.
void complete(Core &core, const QUuid &ticketId, const QString &notes)
{
    if (auto step1 = core.tickets.initiateCloseOut(ticketId, 60, notes); !step1)
        qFatal("cannot initiate the close-out: %s", qPrintable(step1.error().toString()));
    if (auto step2 = core.tickets.finalizeCloseOut(ticketId, {}, NextServiceAction::NoFollowup); !step2)
        qFatal("cannot finalize the close-out: %s", qPrintable(step2.error().toString()));
}

void setAttribute(Core &core, const QUuid &contactId, const QString &key, const QJsonValue &value)
{
    if (auto set = core.attributes.setAttribute({contactId, key, value, {}}); !set)
        qFatal("cannot set an attribute: %s", qPrintable(set.error().toString()));
}

/// Every cell of `model`, one line per row, columns separated by " | ".
QStringList rowsOf(const QAbstractItemModel *model)
{
    QStringList rows;
    for (int row = 0; row < model->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(); ++column)
            cells.append(model->index(row, column).data().toString());
        rows.append(cells.join(QStringLiteral(" | ")));
    }
    return rows;
}

/// The visible text of every label under `widget`, in layout order.
QString labelTexts(QWidget *widget)
{
    QStringList texts;
    const auto labels = widget->findChildren<QLabel *>();
    for (QLabel *label : labels) {
        if (label->isVisibleTo(widget) && !label->text().isEmpty())
            texts.append(label->text());
    }
    return texts.join(QLatin1Char('\n'));
}

int topOf(QWidget *widget, QWidget *page)
{
    return widget->mapTo(page, QPoint(0, 0)).y();
}

/// The close-out wizard once it is shown (waitForTopLevel's template drops qWaitFor's [[nodiscard]] result,
/// which -Werror refuses).
ui::CloseOutWizard *openedWizard()
{
    ui::CloseOutWizard *wizard = nullptr;
    if (!QTest::qWaitFor([&] {
            return (wizard = test::visibleTopLevel<ui::CloseOutWizard>(QStringLiteral("closeOutWizard")));
        }))
        return nullptr;
    return wizard;
}

void chooseService(QComboBox *combo, const Service &service)
{
    const int index = combo->findData(QVariant::fromValue(service.id));
    QVERIFY2(index >= 0, qPrintable(service.name + QStringLiteral(" is not offered")));
    combo->setFocus();
    combo->setCurrentIndex(index);
}

} // namespace

class TestTicketPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void briefingComesFirstWithAttributesAndTheLastVisit();
    void briefingFallsBackToTheLatestNote();
    void emptyBriefingSaysSo();
    void showsTheJobsDetails();
    void clockInAndOutWithTheMouse();
    void clockInAndOutWithTheKeyboard();
    void lineItemsOfEachPricingType();
    void moneyInTheGermanLocale();
    void badFlexiblePriceAddsNothing_data();
    void badFlexiblePriceAddsNothing();
    void addNote();
    void copyAddressToTheClipboard();
    void closedTicketIsReadOnly_data();
    void closedTicketIsReadOnly();
    void becomesReadOnlyWhenCancelledElsewhere();
    void historyListsTheChanges();
    void closeOutOpensTheWizard();
    void backButtonAndEscape();

private:
    void open(const QUuid &ticketId);
    Core &core() { return f->core(); }

    std::unique_ptr<test::UiFixture> f;
    std::unique_ptr<TicketPage> page;
};

void TestTicketPage::initTestCase()
{
    // Money, dates and times are compared with literal text: one locale, whatever the machine's.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestTicketPage::init()
{
    f = std::make_unique<test::UiFixture>();
    page = std::make_unique<TicketPage>(f->context());
    page->resize(1366, 768);
}

void TestTicketPage::cleanup()
{
    test::takeErrorMessages();
    page.reset();
    f.reset();
}

void TestTicketPage::open(const QUuid &ticketId)
{
    page->showTicket(ticketId);
    page->show();
    page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(page.get()));
    QCOMPARE(page->ticketId(), ticketId);
    // The screen's models are checked on every change they make while the test drives the page.
    for (const char *name : {"lineItemsView", "notesView", "historyView"}) {
        auto *view = page->findChild<QAbstractItemView *>(QLatin1String(name));
        QVERIFY2(view, name);
        new QAbstractItemModelTester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     page.get());
    }
}

void TestTicketPage::briefingComesFirstWithAttributesAndTheLastVisit()
{
    const auto customer = f->addCustomer();
    const Ticket older = createTicket(core(), customer, -60);
    complete(core(), older.id, QStringLiteral("First visit, all fine."));
    const Ticket last = createTicket(core(), customer, -30);
    complete(core(), last.id, QStringLiteral("Biscuit hides under the porch; keep the side gate shut."));
    setAttribute(core(), customer.contact.id, QStringLiteral("gate_code"), QStringLiteral("4521#"));
    setAttribute(core(), customer.contact.id, QStringLiteral("pet"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("dog")},
                             {QStringLiteral("name"), QStringLiteral("Biscuit")}});
    setAttribute(core(), customer.contact.id, QStringLiteral("ladder_needed"), true);
    const Ticket today = createTicket(core(), customer);

    open(today.id);
    FIND_CHILD(briefing, QWidget, page.get(), "briefing");
    const QString text = labelTexts(briefing);
    QVERIFY2(text.contains(QStringLiteral("Gate code:")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("4521#")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Pet:")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("name: Biscuit, type: dog")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Ladder needed:")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Biscuit hides under the porch; keep the side gate shut.")),
             qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("First visit")), qPrintable(text)); // only the last visit
    QVERIFY2(!text.contains(QStringLiteral("Nothing noted yet")), qPrintable(text));

    // Before every part of the job itself.
    const int briefingTop = topOf(briefing, page.get());
    for (const char *name :
         {"addressLabel", "clockInButton", "serviceCombo", "lineItemsView", "noteEdit", "historyView"}) {
        auto *widget = page->findChild<QWidget *>(QLatin1String(name));
        QVERIFY2(widget, name);
        QVERIFY2(topOf(widget, page.get()) > briefingTop, name);
    }
}

void TestTicketPage::briefingFallsBackToTheLatestNote()
{
    const auto customer = f->addCustomer();
    VERIFY_OK(core().notes.create({customer.contact.id, {}, QStringLiteral("Prefers morning visits.")}));
    const Ticket today = createTicket(core(), customer);
    VERIFY_OK(core().notes.create({customer.contact.id, today.id, QStringLiteral("Written on this job.")}));

    open(today.id);
    FIND_CHILD(briefing, QWidget, page.get(), "briefing");
    const QString text = labelTexts(briefing);
    QVERIFY2(text.contains(QStringLiteral("Latest note")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Prefers morning visits.")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("Written on this job.")), qPrintable(text));
}

void TestTicketPage::emptyBriefingSaysSo()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(briefing, QWidget, page.get(), "briefing");
    QVERIFY2(labelTexts(briefing).contains(QStringLiteral("Nothing noted yet for this customer")),
             qPrintable(labelTexts(briefing)));

    // A confirmed attribute arriving later (another screen's write) replaces the empty state.
    setAttribute(core(), customer.contact.id, QStringLiteral("gate_code"), QStringLiteral("1234"));
    // New labels in a visible form are shown from the event loop (QLayout schedules it).
    QTRY_VERIFY(labelTexts(briefing).contains(QStringLiteral("Gate code:")));
    QVERIFY(!labelTexts(briefing).contains(QStringLiteral("Nothing noted yet")));
}

void TestTicketPage::showsTheJobsDetails()
{
    const auto customer = f->addCustomer(QStringLiteral("Margaret Hill"));
    TicketCreate booking;
    booking.contactId = customer.contact.id;
    booking.addressId = customer.address.id;
    booking.scheduledAt = QDateTime(QDate(2030, 5, 4), QTime(9, 30)); // local time, wherever the test runs
    booking.scheduledDurationMinutes = 90;
    auto today = core().tickets.create(booking);
    VERIFY_OK(today);
    open(today->id);
    FIND_CHILD(name, QLabel, page.get(), "customerNameLabel");
    FIND_CHILD(address, QLabel, page.get(), "addressLabel");
    FIND_CHILD(scheduled, QLabel, page.get(), "scheduledLabel");
    FIND_CHILD(badge, QLabel, page.get(), "statusBadge");
    QCOMPARE(name->text(), QStringLiteral("Margaret Hill"));
    QCOMPARE(address->text(), customer.address.oneLine());
    QVERIFY2(scheduled->text().startsWith(QStringLiteral("Sat 4 May, 9:30 AM")),
             qPrintable(scheduled->text()));
    QCOMPARE(badge->text(), QStringLiteral("Scheduled"));
}

void TestTicketPage::clockInAndOutWithTheMouse()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(clockIn, QPushButton, page.get(), "clockInButton");
    FIND_CHILD(clockOut, QPushButton, page.get(), "clockOutButton");
    FIND_CHILD(elapsed, QLabel, page.get(), "elapsedLabel");
    FIND_CHILD(badge, QLabel, page.get(), "statusBadge");
    QVERIFY(
        clockIn->toolTip().contains(QKeySequence(Qt::CTRL | Qt::Key_I).toString(QKeySequence::NativeText)));
    QVERIFY(
        clockOut->toolTip().contains(QKeySequence(Qt::CTRL | Qt::Key_O).toString(QKeySequence::NativeText)));
    QVERIFY(clockIn->isEnabled());
    QVERIFY(!clockOut->isEnabled());
    QCOMPARE(elapsed->text(), QStringLiteral("0:00:00"));

    QTest::mouseClick(clockIn, Qt::LeftButton);
    auto in = core().tickets.getById(today.id);
    VERIFY_OK(in);
    QVERIFY(in->clockInAt.isValid());
    QVERIFY(in->status == TicketStatus::InProgress);
    QCOMPARE(badge->text(), QStringLiteral("In progress"));
    QVERIFY(!clockIn->isEnabled());
    QVERIFY(clockOut->isEnabled());

    // The timer runs: the label moves on by itself.
    const QString first = elapsed->text();
    QVERIFY(QTest::qWaitFor([&] { return elapsed->text() != first; }, 5000));
    QVERIFY2(elapsed->text().startsWith(QStringLiteral("0:00:0")), qPrintable(elapsed->text()));

    QTest::mouseClick(clockOut, Qt::LeftButton);
    auto out = core().tickets.getById(today.id);
    VERIFY_OK(out);
    QVERIFY(out->clockOutAt.isValid());
    QVERIFY(out->clockOutAt >= out->clockInAt);
    QVERIFY(!clockOut->isEnabled());
    // Stopped at the stored clock-out, not at "now": 1 h 2 min 3 s between the two stored times.
    VERIFY_OK(core().db().exec(
        QStringLiteral("UPDATE main.tickets SET clock_in_at = ?, clock_out_at = ? WHERE id = ?"),
        {QStringLiteral("2030-05-04T09:00:00.000Z"), QStringLiteral("2030-05-04T10:02:03.999Z"),
         idText(today.id)}));
    QTRY_COMPARE(elapsed->text(), QStringLiteral("1:02:03"));
}

void TestTicketPage::clockInAndOutWithTheKeyboard()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    const auto stored = [&] {
        auto ticket = core().tickets.getById(today.id);
        return ticket ? *ticket : Ticket();
    };
    // A button's shortcut animates the click: the write follows shortly.
    QTest::keyClick(page.get(), Qt::Key_I, Qt::ControlModifier);
    QTRY_VERIFY(stored().clockInAt.isValid());
    QTest::keyClick(page.get(), Qt::Key_O, Qt::ControlModifier);
    QTRY_VERIFY(stored().clockOutAt.isValid());
}

void TestTicketPage::lineItemsOfEachPricingType()
{
    const auto catalog = f->addCatalog();
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(combo, QComboBox, page.get(), "serviceCombo");
    FIND_CHILD(quantity, QSpinBox, page.get(), "quantitySpin");
    FIND_CHILD(price, QLineEdit, page.get(), "priceEdit");
    FIND_CHILD(add, QPushButton, page.get(), "addLineItemButton");
    FIND_CHILD(view, QTableView, page.get(), "lineItemsView");
    FIND_CHILD(total, QLabel, page.get(), "totalLabel");
    QCOMPARE(combo->count(), 3);

    // Fixed: the catalog's price, nothing to type.
    chooseService(combo, catalog.fixed);
    QVERIFY(!quantity->isEnabled());
    QVERIFY(!price->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);

    // Per unit: quantity x unit price.
    chooseService(combo, catalog.perUnit);
    QVERIFY(quantity->isEnabled());
    QVERIFY(!price->isEnabled());
    QTest::keyClick(quantity, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(quantity, QStringLiteral("3"));
    QCOMPARE(quantity->value(), 3);
    QTest::mouseClick(add, Qt::LeftButton);

    // Flexible: the typed price.
    chooseService(combo, catalog.flexible);
    QVERIFY(!quantity->isEnabled());
    QVERIFY(price->isEnabled());
    QTest::keyClicks(price, QStringLiteral("85.50"));
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(test::takeErrorMessages().isEmpty());
    QVERIFY(price->text().isEmpty());

    auto items = core().tickets.lineItems(today.id);
    VERIFY_OK(items);
    QCOMPARE(items->size(), 3);
    QCOMPARE(items->at(0).serviceId, catalog.fixed.id);
    QCOMPARE(items->at(0).totalPrice.cents(), 12000);
    QCOMPARE(items->at(1).serviceId, catalog.perUnit.id);
    QCOMPARE(items->at(1).quantity, 3);
    QCOMPARE(items->at(1).totalPrice.cents(), 3 * 450);
    QCOMPARE(items->at(2).serviceId, catalog.flexible.id);
    QCOMPARE(items->at(2).unitPrice->cents(), 8550);
    QCOMPARE(items->at(2).totalPrice.cents(), 8550);

    auto details = core().tickets.getWithDetails(today.id);
    VERIFY_OK(details);
    QCOMPARE(details->total.cents(), 12000 + 1350 + 8550);
    QCOMPARE(total->text(), QStringLiteral("Total: $219.00"));
    const QStringList rows = rowsOf(view->model());
    QCOMPARE(rows.size(), 3);
    QVERIFY2(rows.at(1).contains(QStringLiteral("Gutter clearing | 3 | $4.50 | $13.50")),
             qPrintable(rows.join(QLatin1Char('\n'))));

    // Del on the table removes the selected line item.
    const QRect second = view->visualRect(view->model()->index(1, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, second.center());
    QTest::keyClick(view, Qt::Key_Delete);
    items = core().tickets.lineItems(today.id);
    VERIFY_OK(items);
    QCOMPARE(items->size(), 2);
    QVERIFY(std::none_of(items->cbegin(), items->cend(),
                         [&](const LineItem &item) { return item.serviceId == catalog.perUnit.id; }));
    QCOMPARE(view->model()->rowCount(), 2);
    QCOMPARE(total->text(), QStringLiteral("Total: $205.50"));
}

void TestTicketPage::moneyInTheGermanLocale()
{
    // A German technician: amounts shown with a decimal comma, a typed "85,50" is 85.50.
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const auto restore =
        qScopeGuard([] { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); });
    const auto catalog = f->addCatalog();
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(combo, QComboBox, page.get(), "serviceCombo");
    FIND_CHILD(price, QLineEdit, page.get(), "priceEdit");
    FIND_CHILD(add, QPushButton, page.get(), "addLineItemButton");
    FIND_CHILD(view, QTableView, page.get(), "lineItemsView");
    FIND_CHILD(total, QLabel, page.get(), "totalLabel");
    chooseService(combo, catalog.perUnit);
    QTest::mouseClick(add, Qt::LeftButton);
    chooseService(combo, catalog.flexible);
    QTest::keyClicks(price, QStringLiteral("1234,50"));
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(test::takeErrorMessages(), QStringList());
    auto items = core().tickets.lineItems(today.id);
    VERIFY_OK(items);
    QCOMPARE(items->size(), 2);
    QCOMPARE(items->at(1).totalPrice.cents(), 123450);
    QCOMPARE(total->text(), QStringLiteral("Total: 1.239,00\u00a0\u20ac"));
    QVERIFY2(rowsOf(view->model()).at(0).contains(QStringLiteral("4,50\u00a0\u20ac")),
             qPrintable(rowsOf(view->model()).join(QLatin1Char('\n'))));
}

void TestTicketPage::badFlexiblePriceAddsNothing_data()
{
    QTest::addColumn<QString>("typed");
    QTest::newRow("letters") << QStringLiteral("eighty");
    QTest::newRow("three decimals") << QStringLiteral("85.505");
    QTest::newRow("empty") << QString();
    QTest::newRow("negative") << QStringLiteral("-5");
}

void TestTicketPage::badFlexiblePriceAddsNothing()
{
    QFETCH(QString, typed);
    const auto catalog = f->addCatalog();
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(combo, QComboBox, page.get(), "serviceCombo");
    FIND_CHILD(price, QLineEdit, page.get(), "priceEdit");
    FIND_CHILD(add, QPushButton, page.get(), "addLineItemButton");
    FIND_CHILD(view, QTableView, page.get(), "lineItemsView");

    chooseService(combo, catalog.flexible);
    QTest::keyClicks(price, typed);
    QTest::mouseClick(add, Qt::LeftButton);
    // Said under the quick-add, next to the price, in words; no message box, and the price has the keyboard.
    QCOMPARE(test::takeErrorMessages(), QStringList());
    FIND_CHILD(error, QLabel, page.get(), "quickAddError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith(QStringLiteral("Price")), qPrintable(error->text()));
    QCOMPARE(QApplication::focusWidget(), price);
    auto items = core().tickets.lineItems(today.id);
    VERIFY_OK(items);
    QVERIFY(items->isEmpty());
    QCOMPARE(view->model()->rowCount(), 0);
    QCOMPARE(price->text(), typed); // kept, to correct
}

void TestTicketPage::addNote()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(edit, QLineEdit, page.get(), "noteEdit");
    FIND_CHILD(add, QPushButton, page.get(), "addNoteButton");
    FIND_CHILD(view, QListView, page.get(), "notesView");
    QVERIFY(!add->isEnabled()); // nothing typed yet

    QTest::keyClicks(edit, QStringLiteral("Side gate sticks, lift it."));
    QVERIFY(add->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(edit->text().isEmpty());
    QTest::keyClicks(edit, QStringLiteral("Paid the neighbour's gutter too?"));
    QTest::keyClick(edit, Qt::Key_Return);

    auto notes = core().notes.listForTicket(today.id);
    VERIFY_OK(notes);
    QCOMPARE(notes->size(), 2);
    QStringList contents;
    for (const Note &note : *notes) {
        contents.append(note.content);
        QCOMPARE(note.contactId, customer.contact.id);
    }
    QVERIFY(contents.contains(QStringLiteral("Side gate sticks, lift it.")));
    QVERIFY(contents.contains(QStringLiteral("Paid the neighbour's gutter too?")));
    const QString shown = rowsOf(view->model()).join(QLatin1Char('\n'));
    QVERIFY2(shown.contains(QStringLiteral("Side gate sticks, lift it.")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("Paid the neighbour's gutter too?")), qPrintable(shown));
}

void TestTicketPage::copyAddressToTheClipboard()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    QGuiApplication::clipboard()->clear();
    FIND_CHILD(copy, QPushButton, page.get(), "copyAddressButton");
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), customer.address.oneLine());
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("12 Elm Street, Springfield, IL 62701"));
    QCOMPARE(copy->text(), QStringLiteral("Copied"));
}

void TestTicketPage::closedTicketIsReadOnly_data()
{
    QTest::addColumn<bool>("cancel");
    QTest::addColumn<QString>("why");
    QTest::newRow("completed") << false << QStringLiteral("This job was completed on ");
    QTest::newRow("cancelled") << true << QStringLiteral("This job was cancelled on ");
}

void TestTicketPage::closedTicketIsReadOnly()
{
    QFETCH(bool, cancel);
    QFETCH(QString, why);
    f->addCatalog();
    const auto customer = f->addCustomer();
    const Ticket ticket = createTicket(core(), customer);
    if (cancel)
        VERIFY_OK(core().tickets.cancel(ticket.id));
    else
        complete(core(), ticket.id, QStringLiteral("All done."));

    open(ticket.id);
    FIND_CHILD(banner, QLabel, page.get(), "readOnlyBanner");
    QVERIFY(banner->isVisible());
    QVERIFY2(banner->text().startsWith(why), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QStringLiteral("it can no longer be changed")),
             qPrintable(banner->text()));
    for (const char *name :
         {"clockInButton", "clockOutButton", "addLineItemButton", "removeLineItemButton", "addNoteButton",
          "closeOutButton", "serviceCombo", "quantitySpin", "priceEdit"}) {
        auto *widget = page->findChild<QWidget *>(QLatin1String(name));
        QVERIFY2(widget, name);
        QVERIFY2(!widget->isEnabled(), name);
    }
    FIND_CHILD(noteEdit, QLineEdit, page.get(), "noteEdit");
    QVERIFY(noteEdit->isReadOnly());

    // The shortcuts do nothing either.
    QTest::keyClick(page.get(), Qt::Key_I, Qt::ControlModifier);
    auto stored = core().tickets.getById(ticket.id);
    VERIFY_OK(stored);
    QVERIFY(!stored->clockInAt.isValid());
    QVERIFY(test::takeErrorMessages().isEmpty());

    // Still readable: the copy button works.
    FIND_CHILD(copy, QPushButton, page.get(), "copyAddressButton");
    QVERIFY(copy->isEnabled());
}

void TestTicketPage::becomesReadOnlyWhenCancelledElsewhere()
{
    const auto customer = f->addCustomer();
    const Ticket ticket = createTicket(core(), customer);
    open(ticket.id);
    FIND_CHILD(banner, QLabel, page.get(), "readOnlyBanner");
    FIND_CHILD(clockIn, QPushButton, page.get(), "clockInButton");
    QVERIFY(!banner->isVisible());
    QVERIFY(clockIn->isEnabled());

    VERIFY_OK(core().tickets.cancel(ticket.id));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(QStringLiteral("cancelled")));
    QVERIFY(!clockIn->isEnabled());
}

void TestTicketPage::historyListsTheChanges()
{
    // Every entry at a known local time: booked at 8:15, clocked in at 8:20, an item added at 8:21 and
    // removed at 8:22.
    test::FixedClock clock(QDateTime(QDate(2030, 5, 4), QTime(8, 15)));
    const auto catalog = f->addCatalog();
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(history, QTableView, page.get(), "historyView");
    FIND_CHILD(clockIn, QPushButton, page.get(), "clockInButton");
    QCOMPARE(history->model()->rowCount(), 1); // created

    clock.advanceMs(5 * 60'000);
    QTest::mouseClick(clockIn, Qt::LeftButton);
    auto stored = core().tickets.getById(today.id);
    VERIFY_OK(stored);
    QStringList rows = rowsOf(history->model());
    QCOMPARE(rows.size(), 2);
    // Newest first, humanised: when (local), what, the action, old -> new.
    QCOMPARE(rows.first(),
             QStringLiteral("Sat 4 May, 8:20 AM | Job | Changed | Clock in: — → Sat 4 May, 8:20 AM; "
                            "Status: Scheduled → In progress"));
    QVERIFY2(rows.last().contains(QStringLiteral("Job | Created | Scheduled for ")), qPrintable(rows.last()));

    // Line items' entries are part of the ticket's history, removed ones included.
    FIND_CHILD(combo, QComboBox, page.get(), "serviceCombo");
    FIND_CHILD(add, QPushButton, page.get(), "addLineItemButton");
    FIND_CHILD(remove, QPushButton, page.get(), "removeLineItemButton");
    FIND_CHILD(view, QTableView, page.get(), "lineItemsView");
    chooseService(combo, catalog.fixed);
    clock.advanceMs(60'000);
    QTest::mouseClick(add, Qt::LeftButton);
    view->selectRow(0);
    clock.advanceMs(60'000);
    QTest::mouseClick(remove, Qt::LeftButton);
    rows = rowsOf(history->model());
    QCOMPARE(rows.size(), 4);
    const QString line = QStringLiteral("Window cleaning, 1 × $120.00 = $120.00");
    QVERIFY2(rows.at(0).contains(QStringLiteral("Sat 4 May, 8:22 AM | Window cleaning | Removed | ") + line),
             qPrintable(rows.join(QLatin1Char('\n'))));
    QVERIFY2(rows.at(1).contains(QStringLiteral("Window cleaning | Added | ") + line),
             qPrintable(rows.join(QLatin1Char('\n'))));
}

void TestTicketPage::closeOutOpensTheWizard()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    FIND_CHILD(closeOut, QPushButton, page.get(), "closeOutButton");
    QVERIFY(closeOut->toolTip().contains(
        QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));

    QTest::mouseClick(closeOut, Qt::LeftButton);
    QPointer<ui::CloseOutWizard> wizard = openedWizard();
    QVERIFY(wizard);
    QVERIFY(wizard->testAttribute(Qt::WA_DeleteOnClose));
    QVERIFY(wizard->isModal()); // open(): window-modal, no nested event loop
    wizard->reject();
    QTRY_VERIFY(wizard.isNull());

    // Ctrl+Return opens it too.
    // (The offscreen platform gives the activation back to no one when the wizard closes; a desktop does.)
    page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(page.get()));
    QTest::keyClick(page.get(), Qt::Key_Return, Qt::ControlModifier);
    wizard = openedWizard();
    QVERIFY(wizard);
    wizard->reject();
    QTRY_VERIFY(wizard.isNull());
}

void TestTicketPage::backButtonAndEscape()
{
    const auto customer = f->addCustomer();
    const Ticket today = createTicket(core(), customer);
    open(today.id);
    QSignalSpy back(page.get(), &TicketPage::backRequested);
    FIND_CHILD(backButton, QPushButton, page.get(), "backButton");
    QTest::mouseClick(backButton, Qt::LeftButton);
    QCOMPARE(back.count(), 1);
    QTest::keyClick(page.get(), Qt::Key_Escape);
    QTRY_COMPARE(back.count(), 2); // a button's shortcut animates the click: clicked() follows shortly
}

QTEST_MAIN(TestTicketPage)
#include "test_ticket.moc"
