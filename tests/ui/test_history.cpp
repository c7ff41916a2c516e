// HistoryWidget and HistoryPage: an entity's history says who changed what and when, old -> new, in words and
// money a person reads; the recent activity is the technician's own, newest first; a deleted customer comes
// back with Restore, and the restore is in the history too.

#include "common/feedback.h"
#include "core/services/pulledchange.h"
#include "history/historymodel.h"
#include "history/historypage.h"
#include "history/historywidget.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "ticket/tickethistorymodel.h"
#include "ticket/ticketpage.h"
#include "util/timeutil.h"

#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::UiFixture;
using Column = fb::ui::HistoryModel::Column;

namespace {

QString cell(QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

QStringList column(QAbstractItemModel *model, int column)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts << cell(model, row, column);
    return texts;
}

int rowWith(QAbstractItemModel *model, int column, const QString &text)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (cell(model, row, column) == text)
            return row;
    return -1;
}

} // namespace

class TestHistory final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void contactHistoryShowsWhoWhenAndOldToNew()
    {
        const test::FixedClock clock(QDateTime(QDate(2030, 5, 4), QTime(8, 15))); // local time
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        ContactUpdate rename;
        rename.name = QStringLiteral("Margaret Jones");
        rename.phone = QStringLiteral("555-0199");
        VERIFY_OK(f->contacts.update(customer.contact.id, rename));
        const auto entries = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        VERIFY_OK(entries);

        ui::HistoryWidget widget(f.context());
        widget.showEntity(QStringLiteral("contact"), customer.contact.id);
        FIND_CHILD(table, QTableView, &widget, "historyTable");
        QAbstractItemModel *model = table->model();
        QCOMPARE(model->rowCount(), 2);

        // Newest first: the rename, then the creation.
        QCOMPARE(column(model, Column::ActionColumn),
                 (QStringList{QStringLiteral("Changed"), QStringLiteral("Created")}));
        QCOMPARE(column(model, Column::WhoColumn),
                 (QStringList{QStringLiteral("Alice Able"), QStringLiteral("Alice Able")}));
        QCOMPARE(cell(model, 0, Column::WhenColumn), QStringLiteral("Sat 4 May, 8:15 AM"));
        QCOMPARE(cell(model, 1, Column::WhenColumn), QStringLiteral("Sat 4 May, 8:15 AM"));
        // Named as it is now.
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Customer Margaret Jones"));
        const QString changes = cell(model, 0, Column::ChangesColumn);
        QVERIFY2(changes.contains(QStringLiteral("Name: Margaret Hill \u2192 Margaret Jones")),
                 qPrintable(changes));
        QVERIFY2(changes.contains(QStringLiteral("Phone: 555-0100 \u2192 555-0199")), qPrintable(changes));
        QVERIFY2(!changes.contains(QStringLiteral("Updated")), qPrintable(changes));
        const QString created = cell(model, 1, Column::ChangesColumn);
        QVERIFY2(created.contains(QStringLiteral("Name: Margaret Hill")), qPrintable(created));
        QVERIFY2(created.contains(QStringLiteral("Email: margaret@example.com")), qPrintable(created));
        // Ids and bookkeeping are not shown.
        QVERIFY2(!created.contains(QStringLiteral("User id")) &&
                     !created.contains(idText(customer.contact.id)),
                 qPrintable(created));

        // A later change shows up by itself (core announces it).
        rename.name = QStringLiteral("Maggie Jones");
        rename.phone.reset();
        VERIFY_OK(f->contacts.update(customer.contact.id, rename));
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(cell(model, 0, Column::ChangesColumn),
                 QStringLiteral("Name: Margaret Jones \u2192 Maggie Jones"));
    }

    void moneyAndTimesReadAsSuch()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        ServiceUpdate price;
        price.defaultPrice = Money::fromCents(13550);
        VERIFY_OK(f->catalog.updateService(catalog.fixed.id, price));

        ui::HistoryWidget widget(f.context());
        widget.showEntity(QStringLiteral("service"), catalog.fixed.id);
        FIND_CHILD(table, QTableView, &widget, "historyTable");
        QAbstractItemModel *model = table->model();
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Service Window cleaning"));
        QCOMPARE(cell(model, 0, Column::ChangesColumn),
                 QStringLiteral("Default price: $120.00 \u2192 $135.50"));
        QVERIFY2(cell(model, 1, Column::ChangesColumn).contains(QStringLiteral("Default price: $120.00")),
                 qPrintable(cell(model, 1, Column::ChangesColumn)));
        QVERIFY2(cell(model, 1, Column::ChangesColumn).contains(QStringLiteral("Pricing type: Fixed")),
                 qPrintable(cell(model, 1, Column::ChangesColumn)));

        // A job and its line item: named by date and customer, times local, prices as money.
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const QDateTime at(QDate(2030, 5, 4), QTime(9, 0)); // local time, wherever the test runs
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id, at, 60, std::nullopt});
        VERIFY_OK(ticket);
        LineItemCreate gutters;
        gutters.serviceId = catalog.perUnit.id;
        gutters.quantity = 12;
        auto item = f->tickets.addLineItem(ticket->id, gutters);
        VERIFY_OK(item);
        TicketUpdate later;
        later.scheduledAt = at.addSecs(3600);
        VERIFY_OK(f->tickets.update(ticket->id, later));

        widget.showEntity(QStringLiteral("line_item"), item->id);
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Line item Gutter clearing"));
        // A line item reads as on the ticket's own history: added, as a line of an invoice.
        QCOMPARE(cell(model, 0, Column::ActionColumn), QStringLiteral("Added"));
        QCOMPARE(cell(model, 0, Column::ChangesColumn),
                 QStringLiteral("Gutter clearing, 12 \u00d7 $4.50 = $54.00"));

        widget.showEntity(QStringLiteral("ticket"), ticket->id);
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Job on Sat 4 May for Margaret Hill"));
        QCOMPARE(cell(model, 0, Column::ChangesColumn),
                 QStringLiteral("Scheduled at: Sat 4 May, 9:00 AM \u2192 Sat 4 May, 10:00 AM"));
    }

    void theOfficesMoveSaysWhoMovedIt()
    {
        // A move the pull brought: "Moved by the office (dana)", from when to when, with the office's name.
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const QDateTime at(QDate(2030, 5, 7), QTime(10, 0)); // Tue, local time
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id, at, 60, std::nullopt});
        VERIFY_OK(ticket);
        VERIFY_OK(test::pullMove(f.core(), ticket->id, at, QDateTime(QDate(2030, 5, 8), QTime(14, 0)),
                                 QDateTime(QDate(2030, 5, 6), QTime(8, 0))));

        ui::HistoryWidget widget(f.context());
        widget.showEntity(QStringLiteral("ticket"), ticket->id);
        FIND_CHILD(table, QTableView, &widget, "historyTable");
        QAbstractItemModel *model = table->model();
        int moved = -1;
        for (int row = 0; row < model->rowCount(); ++row)
            if (cell(model, row, Column::ActionColumn).startsWith(QStringLiteral("Moved")))
                moved = row;
        QVERIFY(moved >= 0);
        QCOMPARE(cell(model, moved, Column::ActionColumn), QStringLiteral("Moved by the office (dana)"));
        QCOMPARE(cell(model, moved, Column::WhoColumn), QStringLiteral("Dana Smith"));
        QCOMPARE(cell(model, moved, Column::ChangesColumn),
                 QStringLiteral("Scheduled at: Tue 7 May, 10:00 AM \u2192 Wed 8 May, 2:00 PM"));
    }

    void ticketAndHistoryScreenSayTheSame()
    {
        // The same audit entries of a job and its line items, read on the ticket's history and on the History
        // screen: the same time, action and changes for each (the subject is each screen's own: "Job" on the
        // job itself).
        test::FixedClock clock(QDateTime(QDate(2030, 5, 4), QTime(8, 15)));
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const QDateTime at(QDate(2030, 5, 4), QTime(9, 0));
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id, at, 60, std::nullopt});
        VERIFY_OK(ticket);
        clock.advanceMs(60'000);
        TicketUpdate later;
        later.scheduledAt = at.addSecs(3600);
        later.scheduledDurationMinutes = 90;
        VERIFY_OK(f->tickets.update(ticket->id, later));
        clock.advanceMs(60'000);
        VERIFY_OK(f->tickets.clockIn(ticket->id));
        clock.advanceMs(60'000);
        LineItemCreate gutters;
        gutters.serviceId = catalog.perUnit.id;
        gutters.quantity = 12;
        auto kept = f->tickets.addLineItem(ticket->id, gutters);
        VERIFY_OK(kept);
        clock.advanceMs(60'000);
        LineItemCreate window;
        window.serviceId = catalog.fixed.id;
        auto removed = f->tickets.addLineItem(ticket->id, window);
        VERIFY_OK(removed);
        ui::TicketPage page(f.context());
        page.showTicket(ticket->id); // the page learns the line items it shows, the removed one too
        clock.advanceMs(60'000);
        VERIFY_OK(f->tickets.removeLineItem(removed->id));
        page.reload();

        FIND_CHILD(ticketTable, QTableView, &page, "historyView");
        using TicketColumn = ui::TicketHistoryModel::Column;
        QStringList onTicket;
        for (int row = 0; row < ticketTable->model()->rowCount(); ++row)
            onTicket << QStringList{cell(ticketTable->model(), row, TicketColumn::WhenColumn),
                                    cell(ticketTable->model(), row, TicketColumn::ActionColumn),
                                    cell(ticketTable->model(), row, TicketColumn::ChangesColumn)}
                            .join(QStringLiteral(" | "));

        QStringList onHistory;
        ui::HistoryWidget widget(f.context());
        FIND_CHILD(table, QTableView, &widget, "historyTable");
        const QList<QPair<QString, QUuid>> entities{{QStringLiteral("ticket"), ticket->id},
                                                    {QStringLiteral("line_item"), kept->id},
                                                    {QStringLiteral("line_item"), removed->id}};
        for (const auto &[type, id] : entities) {
            widget.showEntity(type, id);
            for (int row = 0; row < table->model()->rowCount(); ++row)
                onHistory << QStringList{cell(table->model(), row, Column::WhenColumn),
                                         cell(table->model(), row, Column::ActionColumn),
                                         cell(table->model(), row, Column::ChangesColumn)}
                                 .join(QStringLiteral(" | "));
        }
        // The job created, clocked in and rescheduled; two line items added, one of them removed.
        QCOMPARE(onTicket.size(), 6);
        std::sort(onTicket.begin(), onTicket.end());
        std::sort(onHistory.begin(), onHistory.end());
        QCOMPARE(onTicket, onHistory);
        // What both say, in words.
        QVERIFY2(onTicket.contains(
                     QStringLiteral("Sat 4 May, 8:17 AM | Changed | Clock in: \u2014 \u2192 Sat 4 May, "
                                    "8:17 AM; Status: Scheduled \u2192 In progress")),
                 qPrintable(onTicket.join(QLatin1Char('\n'))));
        QVERIFY2(onTicket.contains(
                     QStringLiteral("Sat 4 May, 8:16 AM | Changed | Scheduled at: Sat 4 May, 9:00 AM \u2192 "
                                    "Sat 4 May, 10:00 AM; Planned duration: 60 min \u2192 90 min")),
                 qPrintable(onTicket.join(QLatin1Char('\n'))));
        QVERIFY2(onTicket.contains(QStringLiteral(
                     "Sat 4 May, 8:20 AM | Removed | Window cleaning, 1 \u00d7 $120.00 = $120.00")),
                 qPrintable(onTicket.join(QLatin1Char('\n'))));
    }

    void recentActivityIsMineNewestFirst()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        // Another technician on the same laptop.
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        f.addCustomer(QStringLiteral("Bob's customer"));
        VERIFY_OK(f->setCurrentUser(f.alice()));
        ContactUpdate rename;
        rename.name = QStringLiteral("Margaret Jones");
        VERIFY_OK(f->contacts.update(margaret.contact.id, rename));

        ui::HistoryPage page(f.context());
        page.show(); // the recent activity is read when the page is first shown
        FIND_CHILD(table, QTableView, &page, "historyTable");
        QAbstractItemModel *model = table->model();
        QVERIFY(model->rowCount() >= 3);
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Customer Margaret Jones"));
        QCOMPARE(cell(model, 0, Column::ActionColumn), QStringLiteral("Changed"));
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(cell(model, row, Column::WhoColumn), QStringLiteral("Alice Able"));
            QVERIFY2(!cell(model, row, Column::SubjectColumn).contains(QStringLiteral("Bob")),
                     qPrintable(cell(model, row, Column::SubjectColumn)));
            if (row > 0)
                QVERIFY(model->index(row - 1, 0).data(ui::HistoryModel::TimeRole).toDateTime() >=
                        model->index(row, 0).data(ui::HistoryModel::TimeRole).toDateTime());
        }
        // Her creation of the customer and its address are there, below the rename.
        QVERIFY(rowWith(model, Column::SubjectColumn, QStringLiteral("Customer Margaret Jones")) == 0);
        QVERIFY2(column(model, Column::SubjectColumn)
                     .contains(QStringLiteral("Address 12 Elm Street, Springfield for Margaret Jones")),
                 qPrintable(column(model, Column::SubjectColumn).join(QStringLiteral(" | "))));

        // Bob sees his own only.
        VERIFY_OK(f->setCurrentUser(bob));
        page.reload();
        QVERIFY(model->rowCount() > 0);
        QVERIFY(column(model, Column::WhoColumn).filter(QStringLiteral("Alice")).isEmpty());
        QVERIFY(column(model, Column::SubjectColumn).contains(QStringLiteral("Customer Bob's customer")));
    }

    void recentActivityLeavesOutTheModelsBookkeeping()
    {
        UiFixture f; // no model configured: a close-out's notes wait in the extraction queue
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        TicketCreate booking{margaret.contact.id, margaret.address.id, nowUtc().addSecs(3600), 60,
                             std::nullopt};
        auto ticket = f->tickets.create(booking);
        VERIFY_OK(ticket);
        VERIFY_OK(f->tickets.initiateCloseOut(ticket->id, 45, QStringLiteral("Dog named Biscuit.")));
        // The queue's own rows are in the audit trail (they sync), but they are not the technician's changes.
        QVERIFY(test::scalar(f, QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE entity_type = "
                                               "'extraction_request'")) > 0);

        ui::HistoryPage page(f.context());
        page.show(); // the recent activity is read when the page is first shown
        FIND_CHILD(table, QTableView, &page, "historyTable");
        QAbstractItemModel *model = table->model();
        const QStringList subjects = column(model, Column::SubjectColumn);
        QVERIFY2(subjects.filter(QStringLiteral("Extraction"), Qt::CaseInsensitive).isEmpty(),
                 qPrintable(subjects.join(QStringLiteral(" | "))));
        const QStringList changes = column(model, Column::ChangesColumn);
        QVERIFY2(changes.filter(QStringLiteral("Locked until"), Qt::CaseInsensitive).isEmpty(),
                 qPrintable(changes.join(QStringLiteral(" | "))));
        // The notes themselves are there, as the note they became.
        QVERIFY2(!subjects.filter(QStringLiteral("Note"), Qt::CaseInsensitive).isEmpty(),
                 qPrintable(subjects.join(QStringLiteral(" | "))));
    }

    void restoreBringsADeletedCustomerBack()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        VERIFY_OK(f->contacts.remove(customer.contact.id));

        ui::HistoryPage page(f.context());
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(table, QTableView, &page, "historyTable");
        FIND_CHILD(restore, QPushButton, &page, "restoreButton");
        FIND_CHILD(hint, QLabel, &page, "restoreHint");
        QAbstractItemModel *model = table->model();
        QCOMPARE(cell(model, 0, Column::ActionColumn), QStringLiteral("Deleted"));
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Customer Margaret Hill"));

        // Only a deletion can be restored.
        table->setFocus();
        table->setCurrentIndex(
            model->index(rowWith(model, Column::ActionColumn, QStringLiteral("Created")), 0));
        QVERIFY(!restore->isEnabled());
        QTest::keyClick(table, Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(table->currentIndex().row(), 0);
        QVERIFY(restore->isEnabled());
        QVERIFY2(hint->text().contains(QStringLiteral("can be restored")), qPrintable(hint->text()));

        // Alt+R, the button's mnemonic (a mnemonic animates the click: it lands a moment later).
        QTest::keyClick(table, Qt::Key_R, Qt::AltModifier);
        QTRY_VERIFY(f->contacts.getById(customer.contact.id).ok());
        QVERIFY(test::takeErrorMessages().isEmpty());
        auto back = f->contacts.getById(customer.contact.id);
        VERIFY_OK(back);
        QCOMPARE(back->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(f->contacts.list()->size(), 1);

        // The restore is in the history, newest first, and the deletion cannot be restored twice.
        QCOMPARE(cell(model, 0, Column::ActionColumn), QStringLiteral("Restored"));
        QCOMPARE(cell(model, 0, Column::SubjectColumn), QStringLiteral("Customer Margaret Hill"));
        QCOMPARE(cell(model, 0, Column::WhoColumn), QStringLiteral("Alice Able"));
        QCOMPARE(cell(model, 1, Column::ActionColumn), QStringLiteral("Deleted"));
        QCOMPARE(table->currentIndex().row(), 1);
        QVERIFY(!restore->isEnabled());
        ui::HistoryWidget contactHistory(f.context());
        contactHistory.showEntity(QStringLiteral("contact"), customer.contact.id);
        FIND_CHILD(contactTable, QTableView, &contactHistory, "historyTable");
        QCOMPARE(
            column(contactTable->model(), Column::ActionColumn),
            (QStringList{QStringLiteral("Restored"), QStringLiteral("Deleted"), QStringLiteral("Created")}));
    }

    void removedAddressCannotBeRestored()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        VERIFY_OK(f->addresses.remove(customer.address.id));
        ui::HistoryPage page(f.context());
        page.show(); // the recent activity is read when the page is first shown
        FIND_CHILD(table, QTableView, &page, "historyTable");
        FIND_CHILD(restore, QPushButton, &page, "restoreButton");
        FIND_CHILD(hint, QLabel, &page, "restoreHint");
        QAbstractItemModel *model = table->model();
        QCOMPARE(cell(model, 0, Column::ActionColumn), QStringLiteral("Deleted"));
        table->setCurrentIndex(model->index(0, 0));
        QVERIFY(!restore->isEnabled());
        QVERIFY2(hint->text().contains(QStringLiteral("removed for good")), qPrintable(hint->text()));
    }
};

QTEST_MAIN(TestHistory)
#include "test_history.moc"
