// The first start's "Sign in to your office server" (issue 14, item 5), through the app's own composition
// (app/gui.cpp) against the real PostgreSQL: on a file with no profile, the technician signs in with the
// keyboard, the restore runs off the GUI thread with its progress in the window, and the main window opens
// on the restored profile with its jobs on the schedule and sync going on with the server it signed in to.
// A wrong password is said next to the password field and writes nothing to the file; an interrupted restore
// is offered to go on at the next start, and does.
#include "core.h"
#include "gui.h"
#include "pgconnection.h"
#include "pusher.h"
#include "schedule/schedulemodel.h"
#include "support/fixedclock.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/uitestsupport.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace fb;
using namespace fb::test;

namespace {

constexpr int kRestoreMs = 60'000;
const QDate kToday(2030, 6, 12); // a Wednesday

QDateTime local(int hour)
{
    return QDateTime(kToday, QTime(hour, 0)).toUTC();
}

/// The technician's login URL as a person types it: no password in it.
QString typedUrl(const PgTestDatabase &server, const PgTestDatabase::Technician &tech)
{
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(tech.login, PgTestServer::instance().host())
        .arg(PgTestServer::instance().port())
        .arg(server.name());
}

/// Alice's laptop as it was before it died: customers and today's jobs, all pushed to the server.
struct OldLaptop
{
    CoreFixture laptop;
    QList<Ticket> jobs;
};

void fillAndPush(OldLaptop &old, const PgTestDatabase::Technician &tech)
{
    const auto rosa = old.laptop.addCustomer(QStringLiteral("Rosa Diaz"));
    const auto omar = old.laptop.addCustomer(QStringLiteral("Omar Little"));
    for (const auto &[customer, hour] :
         {std::pair{rosa, 9}, {omar, 11}, {rosa, 14}, {omar, 16}, {rosa, 17}}) {
        auto ticket = old.laptop->tickets.create(
            {customer.contact.id, customer.address.id, local(hour), 60, std::nullopt});
        if (!ticket)
            qFatal("cannot book: %s", qPrintable(ticket.error().toString()));
        old.jobs.append(*ticket);
    }
    auto connection = sync::PgConnection::connect(tech.url);
    if (!connection)
        qFatal("cannot connect: %s", qPrintable(connection.error().toString()));
    auto pushed = sync::Pusher(old.laptop->db(), old.laptop.alice()).pushAll(**connection);
    if (!pushed || pushed->remaining != 0)
        qFatal("the old laptop's push failed");
}

QWidget *topLevel(const char *name)
{
    return waitForTopLevel<QWidget>(QLatin1String(name), 10'000);
}

/// The ids of the jobs on the main window's schedule.
QSet<QUuid> scheduled(QWidget *window)
{
    QSet<QUuid> ids;
    auto *view = window->findChild<QTableView *>(QStringLiteral("scheduleView"));
    if (!view)
        return ids;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        ids.insert(view->model()->index(row, 0).data(ui::ScheduleModel::TicketIdRole).toUuid());
    return ids;
}

qint64 count(const QString &path, const QString &sql)
{
    auto core = must(Core::open(path, uniqueConnectionName()), "opening the new file");
    auto query = must(core->db().exec(sql), "counting");
    return query.next() ? query.value(0).toLongLong() : -1;
}

} // namespace

class TestSignIn : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;
    std::optional<FixedClock> m_clock;

    /// From the first start's window to the sign-in window, by its mnemonic; the URL field has the focus.
    static QWidget *openSignIn()
    {
        QWidget *firstRun = topLevel("firstRunDialog");
        if (!firstRun || !QTest::qWaitForWindowActive(firstRun))
            return nullptr;
        QTest::keyClick(firstRun, Qt::Key_S, Qt::AltModifier); // "&Sign in to your office server…"
        QWidget *signIn = topLevel("signInWindow");
        if (signIn && !QTest::qWaitForWindowActive(signIn))
            return nullptr;
        return signIn;
    }

    /// Types `text` into the focused widget, then `key`.
    static void typeInFocus(const QString &text, Qt::Key key)
    {
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused);
        QTest::keyClicks(focused, text);
        QTest::keyClick(focused, key);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        // No keychain here: the password serves the session from memory, which is what runs and is tested.
        qputenv("FIELDBOOK_NO_KEYCHAIN", "1");
        qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1");
        qputenv("FIELDBOOK_SYNC_PULL_PAGE", "2"); // several pages per table: the progress moves
        qunsetenv("FIELDBOOK_SERVER_URL");
        QCoreApplication::setOrganizationName(QStringLiteral("FieldbookTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_signin"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
    void init()
    {
        QSettings().clear();
        m_clock.emplace(QDateTime(kToday, QTime(8, 0)));
    }
    void cleanup() { m_clock.reset(); }

    void signingInRestoresTheJobsAndSyncGoesOn();
    void aWrongPasswordIsSaidNextToItAndWritesNothing();
    void anInterruptedRestoreGoesOnAtTheNextStart();
    void aServerThatCannotBeReachedIsOfferedAgain();
};

void TestSignIn::signingInRestoresTheJobsAndSyncGoesOn()
{
    PgTestDatabase server;
    OldLaptop old;
    const auto tech = server.addTechnician(old.laptop.alice(), QStringLiteral("alice@example.com"),
                                           QStringLiteral("Alice Able"));
    fillAndPush(old, tech);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new-laptop.db"));
    app::GuiApp gui;
    QString error;
    QVERIFY2(gui.open(path, false, error), qPrintable(error));
    QWidget *signIn = openSignIn();
    QVERIFY(signIn);
    FIND_CHILD(url, QLineEdit, signIn, "signInUrlEdit");
    FIND_CHILD(password, QLineEdit, signIn, "signInPasswordEdit");
    FIND_CHILD(status, QLabel, signIn, "signInStatus");
    FIND_CHILD(bar, QProgressBar, signIn, "signInProgress");
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QStringList seen; // what the window said at each step of the progress
    connect(bar, &QProgressBar::valueChanged, this, [&seen, status] { seen.append(status->text()); });

    QCOMPARE(QApplication::focusWidget(), url);
    typeInFocus(typedUrl(server, tech), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), password);
    typeInFocus(tech.password, Qt::Key_Return);

    QWidget *window = waitForTopLevel<QWidget>(QStringLiteral("mainWindow"), kRestoreMs);
    QVERIFY2(window, qPrintable(seen.join(QLatin1Char('\n'))));
    // The progress named what it restored, in the window's words, page by page out of the server's count.
    QVERIFY2(seen.contains(QStringLiteral("Restoring jobs: 2 of 5")),
             qPrintable(seen.join(QLatin1Char('\n'))));
    QVERIFY2(seen.contains(QStringLiteral("Restoring jobs: 5 of 5")),
             qPrintable(seen.join(QLatin1Char('\n'))));
    QVERIFY(seen.contains(QStringLiteral("Restoring customers: 2 of 2")));

    QSet<QUuid> expected;
    for (const Ticket &job : old.jobs)
        expected.insert(job.id);
    QTRY_COMPARE(scheduled(window), expected);
    // The restored history is not news: no job is marked as changed elsewhere.
    auto *view = window->findChild<QTableView *>(QStringLiteral("scheduleView"));
    for (int row = 0; row < view->model()->rowCount(); ++row)
        QCOMPARE(view->model()->index(row, ui::ScheduleModel::ChangesColumn).data().toString(), QString());
    QVERIFY(view->isColumnHidden(ui::ScheduleModel::ChangesColumn));
    // Sync goes on with the server signed in to: the URL saved (without the password), the window online.
    FIND_CHILD(online, QLabel, window, "syncOnline");
    QTRY_COMPARE_WITH_TIMEOUT(online->text(), QStringLiteral("Online"), 15'000);
    QCOMPARE(QSettings().value(QStringLiteral("sync/serverUrl")).toString(), typedUrl(server, tech));
    QSettings().sync();
    QFile settingsFile(QSettings().fileName());
    QVERIFY(settingsFile.open(QIODevice::ReadOnly));
    QVERIFY(!settingsFile.readAll().contains(tech.password.toUtf8()));
}

void TestSignIn::aWrongPasswordIsSaidNextToItAndWritesNothing()
{
    PgTestDatabase server;
    OldLaptop old;
    const auto tech = server.addTechnician(old.laptop.alice(), QStringLiteral("alice@example.com"),
                                           QStringLiteral("Alice Able"));
    fillAndPush(old, tech);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new-laptop.db"));
    app::GuiApp gui;
    QString error;
    QVERIFY2(gui.open(path, false, error), qPrintable(error));
    QWidget *signIn = openSignIn();
    QVERIFY(signIn);
    FIND_CHILD(password, QLineEdit, signIn, "signInPasswordEdit");
    FIND_CHILD(passwordError, QLabel, signIn, "signInPasswordError");
    FIND_CHILD(urlError, QLabel, signIn, "signInUrlError");
    typeInFocus(typedUrl(server, tech), Qt::Key_Return); // Return in the URL field moves on
    typeInFocus(QStringLiteral("not-the-password"), Qt::Key_Return);

    QTRY_VERIFY_WITH_TIMEOUT(passwordError->isVisible(), 15'000);
    QCOMPARE(passwordError->text(), QStringLiteral("The server refused the login: check the password."));
    QVERIFY(!urlError->isVisible());
    QCOMPARE(QApplication::focusWidget(), password);
    QCOMPARE(password->selectedText(), QStringLiteral("not-the-password")); // typed over at once
    // Nothing in the file but what any new file holds: no profile, no restore state, no history; no server
    // saved in the settings.
    QCOMPARE(count(path, QStringLiteral("SELECT count(*) FROM main.users")), 0);
    QCOMPARE(count(path, QStringLiteral("SELECT count(*) FROM main.sync_state")), 0);
    QCOMPARE(count(path, QStringLiteral("SELECT count(*) FROM main.audit_log")), 0);
    QVERIFY(!QSettings().contains(QStringLiteral("sync/serverUrl")));

    // The retry with the right password restores.
    typeInFocus(tech.password, Qt::Key_Return);
    QWidget *window = waitForTopLevel<QWidget>(QStringLiteral("mainWindow"), kRestoreMs);
    QVERIFY(window);
    QTRY_COMPARE(scheduled(window).size(), old.jobs.size());
}

void TestSignIn::anInterruptedRestoreGoesOnAtTheNextStart()
{
    PgTestDatabase server;
    OldLaptop old;
    const auto tech = server.addTechnician(old.laptop.alice(), QStringLiteral("alice@example.com"),
                                           QStringLiteral("Alice Able"));
    fillAndPush(old, tech);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new-laptop.db"));
    {
        app::GuiApp gui;
        QString error;
        QVERIFY2(gui.open(path, false, error), qPrintable(error));
        QWidget *signIn = openSignIn();
        QVERIFY(signIn);
        FIND_CHILD(bar, QProgressBar, signIn, "signInProgress");
        FIND_CHILD(cancel, QPushButton, signIn, "signInCancelButton");
        // The office's server stalls on the jobs (a lock held): the restore waits there in a statement,
        // with the customers already in the file.
        auto office = sync::PgConnection::connect(server.adminUrl());
        QVERIFY(office);
        QVERIFY((*office)->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY((*office)->exec(QStringLiteral("LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE")).ok());
        FIND_CHILD(status, QLabel, signIn, "signInStatus");
        typeInFocus(typedUrl(server, tech), Qt::Key_Tab);
        typeInFocus(tech.password, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Restoring addresses: 2 of 2"), kRestoreMs);
        QVERIFY(bar->isVisible());
        QVERIFY(cancel->isVisible());
        QTest::qWait(300); // into the statement that waits for the lock
        // Quitting does not wait for the server: the statement is cut off, the restore thread ends.
        QVERIFY(!visibleTopLevel<QWidget>(QStringLiteral("mainWindow")));
        QElapsedTimer quitting;
        quitting.start();
        gui.open(path, false, error); // reopening closes everything first, as quitting does
        QVERIFY2(quitting.elapsed() < 2000, qPrintable(QString::number(quitting.elapsed())));
        // Offered to go on at once: the file holds part of Alice's history, not a profile to work as.
        QWidget *again = topLevel("signInWindow");
        QVERIFY(again);
        QVERIFY(!visibleTopLevel<QWidget>(QStringLiteral("firstRunDialog")));
        QVERIFY(!visibleTopLevel<QWidget>(QStringLiteral("mainWindow")));
        QVERIFY((*office)->exec(QStringLiteral("ROLLBACK")).ok());
    }
    QVERIFY(count(path, QStringLiteral("SELECT count(*) FROM main.sync_state WHERE key = 'restore_step' "
                                       "AND value <> 'done'")) == 1);

    app::GuiApp gui;
    QString error;
    QVERIFY2(gui.open(path, false, error), qPrintable(error));
    QWidget *signIn = topLevel("signInWindow");
    QVERIFY(signIn);
    QVERIFY(QTest::qWaitForWindowActive(signIn));
    FIND_CHILD(url, QLineEdit, signIn, "signInUrlEdit");
    FIND_CHILD(back, QPushButton, signIn, "signInBackButton");
    FIND_CHILD(button, QPushButton, signIn, "signInButton");
    QCOMPARE(url->text(), typedUrl(server, tech)); // saved when the server accepted the login
    QVERIFY(!back->isVisible());                   // the file is Alice's now: no other first start
    QCOMPARE(button->text(), QStringLiteral("&Continue"));
    // Without a keychain, only the password is left to type.
    typeInFocus(tech.password, Qt::Key_Return);
    QWidget *window = waitForTopLevel<QWidget>(QStringLiteral("mainWindow"), kRestoreMs);
    QVERIFY(window);
    QSet<QUuid> expected;
    for (const Ticket &job : old.jobs)
        expected.insert(job.id);
    QTRY_COMPARE(scheduled(window), expected);
    QCOMPARE(count(path, QStringLiteral("SELECT count(*) FROM main.tickets")), old.jobs.size());
}

void TestSignIn::aServerThatCannotBeReachedIsOfferedAgain()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new-laptop.db"));
    app::GuiApp gui;
    QString error;
    QVERIFY2(gui.open(path, false, error), qPrintable(error));
    QWidget *signIn = openSignIn();
    QVERIFY(signIn);
    FIND_CHILD(problem, QLabel, signIn, "signInError");
    FIND_CHILD(passwordError, QLabel, signIn, "signInPasswordError");
    FIND_CHILD(button, QPushButton, signIn, "signInButton");
    // Nothing listens on port 1: the network's problem, not the password's, and a retry is offered.
    typeInFocus(QStringLiteral("postgresql://sam@127.0.0.1:1/fieldbook"), Qt::Key_Tab);
    typeInFocus(QStringLiteral("secret"), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), 15'000);
    QVERIFY2(problem->text().startsWith(QStringLiteral("Cannot connect to the server")),
             qPrintable(problem->text()));
    QVERIFY(problem->text().endsWith(QStringLiteral("Check the network, then try again.")));
    QVERIFY(!problem->text().contains(QStringLiteral("secret")));
    QVERIFY(!passwordError->isVisible());
    QCOMPARE(button->text(), QStringLiteral("&Try again"));
    QVERIFY(button->isEnabled());
    QCOMPARE(count(path, QStringLiteral("SELECT count(*) FROM main.users")), 0);
}

QTEST_MAIN(TestSignIn)
#include "test_signin.moc"
