// The main window (issue 5 part 1): navigation, the global search, the ticket screen opened from anywhere,
// the sync status bar, About, and the first start.
#include "catalog/catalogpage.h"
#include "contacts/contactspage.h"
#include "history/historypage.h"
#include "invoices/invoicespage.h"
#include "reachouts/reachoutspage.h"
#include "schedule/schedulepage.h"
#include "shell/firstrundialog.h"
#include "shell/mainwindow.h"
#include "shell/searchdialog.h"
#include "support/uitestsupport.h"
#include "syncapi/appsettings.h"
#include "syncpanel/syncpanel.h"
#include "syncservice.h"
#include "syncsettingsbackend.h"
#include "ticket/ticketpage.h"

#include <QAbstractButton>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTcpServer>
#include <QtTest>

using namespace fb;
using namespace fb::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortcutsAndNavigationSwitchSections()
    {
        UiFixture f;
        // The settings dialog's wing, as app hands it in (ui links core only).
        AppSettings settings;
        sync::SyncSettingsBackend settingsBackend(nullptr);
        ui::MainWindow window(f.context(), nullptr, &settings, &settingsBackend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        FIND_CHILD(pages, QStackedWidget, &window, "pages");
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.schedulePage()));

        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.contactsPage()));
        QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.reachOutsPage()));
        QTest::keyClick(&window, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.historyPage()));
        QTest::keyClick(&window, Qt::Key_7, Qt::ControlModifier);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.syncPanel()));
        QTest::keyClick(&window, Qt::Key_Comma, Qt::ControlModifier);
        QVERIFY(waitForTopLevel<QDialog>(QStringLiteral("settingsDialog")));
        visibleTopLevel<QDialog>(QStringLiteral("settingsDialog"))->close();

        FIND_CHILD(nav, QListWidget, &window, "navigation");
        const QRect catalogRow = nav->visualItemRect(nav->item(2));
        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, catalogRow.center());
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.catalogPage()));
    }

    void ctrlNBooksATicketFromAnySection()
    {
        UiFixture f;
        f.addCustomer();
        ui::MainWindow window(f.context(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showSection(ui::MainWindow::Catalog);
        QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
        QWidget *dialog = waitForTopLevel<QWidget>(QStringLiteral("newTicketDialog"));
        QVERIFY(dialog);
        FIND_CHILD(pages, QStackedWidget, &window, "pages");
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.schedulePage()));
        dialog->close();
    }

    void menusShowTheShortcuts()
    {
        UiFixture f;
        ui::MainWindow window(f.context(), nullptr);
        FIND_CHILD(newTicket, QAction, &window, "newTicketAction");
        QCOMPARE(newTicket->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
        QVERIFY2(newTicket->toolTip().contains(
                     QKeySequence(Qt::CTRL | Qt::Key_N).toString(QKeySequence::NativeText)),
                 qPrintable(newTicket->toolTip()));
        FIND_CHILD(search, QAction, &window, "searchAction");
        QCOMPARE(search->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_K));
    }

    void searchFindsACustomerByStreetAndOpensThem()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Beatrice Quill"));
        f.addCustomer(QStringLiteral("Someone Else"));
        ui::MainWindow window(f.context(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&f.context(), &ui::UiContext::openContactRequested);

        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        ui::SearchDialog *dialog = window.searchDialog();
        QVERIFY(dialog->isVisible());
        FIND_CHILD(edit, QLineEdit, dialog, "searchEdit");
        FIND_CHILD(results, QListWidget, dialog, "searchResults");
        // Searches answer from the read thread: the results follow within moments.
        QTest::keyClicks(edit, QStringLiteral("quil"));
        QTRY_COMPARE(results->count(), 1);
        QVERIFY(results->item(0)->text().startsWith(QStringLiteral("Beatrice Quill")));

        // Addresses are searched too: the customer's street finds them.
        edit->clear();
        QTest::keyClicks(edit, customer.address.street.left(8));
        QTRY_VERIFY2(results->count() >= 1, qPrintable(customer.address.street));
        bool listed = false;
        for (int i = 0; i < results->count(); ++i)
            listed = listed || results->item(i)->data(Qt::UserRole).toUuid() == customer.contact.id;
        QVERIFY(listed);

        // Enter typed before the results came opens the first of them as they come.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("quil"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toUuid(), customer.contact.id);
        QVERIFY(!dialog->isVisible());
        FIND_CHILD(pages, QStackedWidget, &window, "pages");
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.contactsPage()));
    }

    // Searches answer from the read thread while typing goes on: what the list shows is always the answer to
    // what the field holds, never to a few letters less arriving late, and the last answer is what was typed.
    void searchShowsOnlyTheResultsOfWhatIsTyped()
    {
        UiFixture f;
        for (const QString &name : {QStringLiteral("Beatrice Quill"), QStringLiteral("Bea Quinn"),
                                    QStringLiteral("Quentin Blake"), QStringLiteral("Someone Else")})
            f.addCustomer(name);
        ui::MainWindow window(f.context(), nullptr);
        window.openSearch();
        ui::SearchDialog *dialog = window.searchDialog();
        FIND_CHILD(edit, QLineEdit, dialog, "searchEdit");
        FIND_CHILD(results, QListWidget, dialog, "searchResults");
        QStringList mismatches;
        QStringList answered;
        connect(dialog, &ui::SearchDialog::resultsShown, this, [&](const QString &query) {
            answered << query;
            if (query != edit->text().trimmed())
                mismatches << QStringLiteral("%1 shown while %2 was typed").arg(query, edit->text());
        });
        for (const QString &typed : {QStringLiteral("quin"), QStringLiteral("q"), QStringLiteral("beat")}) {
            edit->clear();
            for (const QChar c : typed) {
                QTest::keyClick(edit, c.toLatin1());
                QCoreApplication::processEvents(); // an answer may come between two keystrokes, or not
            }
        }
        QTRY_COMPARE(answered.isEmpty() ? QString() : answered.last(), QStringLiteral("beat"));
        QVERIFY(test::drainReads(f.context()));
        QCOMPARE(answered.last(), QStringLiteral("beat"));
        QCOMPARE(mismatches, QStringList());
        QCOMPARE(results->count(), 1);
        QVERIFY(results->item(0)->text().startsWith(QStringLiteral("Beatrice Quill")));
    }

    void searchSaysWhenNothingMatches()
    {
        UiFixture f;
        f.addCustomer(QStringLiteral("Beatrice Quill"));
        ui::MainWindow window(f.context(), nullptr);
        window.openSearch();
        FIND_CHILD(edit, QLineEdit, window.searchDialog(), "searchEdit");
        FIND_CHILD(hint, QLabel, window.searchDialog(), "searchHint");
        QTest::keyClicks(edit, QStringLiteral("zzzq"));
        QTRY_VERIFY2(hint->text().contains(QStringLiteral("No customer matches")), qPrintable(hint->text()));
    }

    void aTicketOpensFromAnywhereAndBackReturns()
    {
        UiFixture f;
        const auto customer = f.addCustomer();
        TicketCreate data;
        data.contactId = customer.contact.id;
        data.addressId = customer.address.id;
        data.scheduledAt = QDateTime::currentDateTimeUtc();
        auto ticket = f->tickets.create(data);
        VERIFY_OK(ticket);
        ui::MainWindow window(f.context(), nullptr);
        window.show();
        window.showSection(ui::MainWindow::Contacts);
        FIND_CHILD(pages, QStackedWidget, &window, "pages");

        Q_EMIT f.context().openTicketRequested(ticket->id);
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.ticketPage()));
        Q_EMIT window.ticketPage()->backRequested();
        QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.contactsPage()));
    }

    void withoutAServerTheStatusBarSaysSyncIsNotSetUp()
    {
        UiFixture f;
        ui::MainWindow window(f.context(), nullptr);
        FIND_CHILD(online, QLabel, &window, "syncOnline");
        FIND_CHILD(syncNow, QAbstractButton, &window, "syncNowButton");
        QCOMPARE(online->text(), QStringLiteral("Sync not set up"));
        QVERIFY(!syncNow->isEnabled());
    }

    void anUnreachableServerShowsOfflineAndWhatWaits()
    {
        UiFixture f;
        f.addCustomer(); // a contact and an address: changes waiting to be sent
        // A port that was free a moment ago: nothing listens there, the connection is refused at once.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        sync::SyncSettings settings;
        settings.databasePath = f.path();
        settings.userId = f.alice();
        settings.serverUrl = QStringLiteral("postgresql://tech@127.0.0.1:%1/fieldbook").arg(port);
        settings.connectTimeoutSeconds = 2;
        sync::SyncService service(settings);
        ui::MainWindow window(f.context(), &service);
        FIND_CHILD(online, QLabel, &window, "syncOnline");
        FIND_CHILD(pending, QLabel, &window, "syncPending");
        FIND_CHILD(lastSuccess, QLabel, &window, "syncLastSuccess");
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(online->text(), QStringLiteral("Offline"));
        QVERIFY2(pending->text().contains(QStringLiteral("changes to send")), qPrintable(pending->text()));
        QCOMPARE(lastSuccess->text(), QStringLiteral("Never synced"));
        // The reason is one hover away, and it never quotes the URL.
        QVERIFY(!online->toolTip().isEmpty());
        QVERIFY2(!online->toolTip().contains(QStringLiteral("tech@")), qPrintable(online->toolTip()));
    }

    void aboutShowsTheVersion()
    {
        UiFixture f;
        ui::MainWindow window(f.context(), nullptr);
        window.show();
        window.showAbout();
        auto *about = waitForTopLevel<QMessageBox>(QStringLiteral("aboutDialog"));
        QVERIFY(about);
        QVERIFY2(about->text().contains(QStringLiteral(FIELDBOOK_VERSION)), qPrintable(about->text()));
        about->close();
    }

    void firstStartCreatesTheProfileAndNamesWhatIsMissing()
    {
        UiFixture f;
        ui::FirstRunDialog dialog(f.core());
        dialog.show();
        QSignalSpy chosen(&dialog, &ui::FirstRunDialog::profileChosen);
        FIND_CHILD(name, QLineEdit, &dialog, "profileNameEdit");
        FIND_CHILD(email, QLineEdit, &dialog, "profileEmailEdit");
        FIND_CHILD(create, QAbstractButton, &dialog, "createProfileButton");
        FIND_CHILD(error, QLabel, &dialog, "profileError");

        QTest::keyClicks(name, QStringLiteral("Sam Rivera"));
        QTest::mouseClick(create, Qt::LeftButton);
        QCOMPARE(chosen.count(), 0);
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("email")), qPrintable(error->text()));

        QTest::keyClicks(email, QStringLiteral("sam@example.com"));
        QTest::mouseClick(create, Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        auto user = f->users.getById(chosen.at(0).at(0).toUuid());
        VERIFY_OK(user);
        QCOMPARE(user->name, QStringLiteral("Sam Rivera"));
        QCOMPARE(user->email, QStringLiteral("sam@example.com"));
    }

    void firstStartOffersTheProfilesAlreadyThere()
    {
        UiFixture f;
        const QUuid bob = f.addUser(QStringLiteral("Bob"), QStringLiteral("bob@example.com"));
        ui::FirstRunDialog dialog(f.core());
        dialog.show();
        QSignalSpy chosen(&dialog, &ui::FirstRunDialog::profileChosen);
        FIND_CHILD(profiles, QListWidget, &dialog, "profilesList");
        QCOMPARE(profiles->count(), 2);
        int bobRow = -1;
        for (int i = 0; i < profiles->count(); ++i) {
            if (profiles->item(i)->data(Qt::UserRole).toUuid() == bob)
                bobRow = i;
        }
        QVERIFY(bobRow >= 0);
        profiles->setCurrentRow(bobRow);
        FIND_CHILD(pick, QAbstractButton, &dialog, "pickProfileButton");
        QTest::mouseClick(pick, Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.at(0).at(0).toUuid(), bob);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
