#include "screenshots.h"

#include "catalog/catalogpage.h"
#include "closeout/closeoutwizard.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contacts/contactspage.h"
#include "core.h"
#include "demodata.h"
#include "schedule/schedulepage.h"
#include "shell/firstrundialog.h"
#include "shell/mainwindow.h"
#include "shell/searchdialog.h"
#include "syncapi/appsettings.h"
#include "syncsettingsbackend.h"
#include "ticket/ticketpage.h"
#include "util/timeutil.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

namespace fb::app {

namespace {

/// The review page needs a proposal to show: this client answers every extraction at once with the attributes
/// a technician's notes typically yield. It exists only for the screenshots, on a copy of the data.
class SampleLlmClient final : public LlmClient
{
public:
    void send(const LlmRequest &, Callback done) override
    {
        LlmResponse response;
        response.text = QStringLiteral(
            R"({"dog_name": "Biscuit", "gate_code": "4512", "ladder_needed": "24 ft extension", )"
            R"("preferred_day": "Tuesday morning"})");
        response.stopReason = QStringLiteral("end_turn");
        response.requestId = QStringLiteral("req_screenshot");
        done(response);
    }
};

/// Runs the event loop for `ms` (an extraction answers through it).
void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void settle()
{
    // Layouts, queued signals and deferred deletes run before a grab.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents();
}

} // namespace

int runScreenshots(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    const QCommandLineOption db(
        QStringLiteral("db"),
        QStringLiteral("The database to show (a copy is used; default: fresh demo data)"),
        QStringLiteral("FILE"));
    const QCommandLineOption outDir(QStringLiteral("out"), QStringLiteral("Where the PNG files go (created)"),
                                    QStringLiteral("DIR"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("light or dark (default: both)"),
                                   QStringLiteral("THEME"));
    parser.addOptions({db, outDir, theme});
    parser.addHelpOption();
    // arguments: the program, "screenshots" and the options.
    QStringList rest = arguments;
    rest.removeOne(QStringLiteral("screenshots"));
    if (!parser.parse(rest)) {
        err << "fieldbook screenshots: " << parser.errorText() << Qt::endl;
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (!parser.isSet(outDir)) {
        err << "fieldbook screenshots: --out DIR is required" << Qt::endl;
        return 2;
    }
    const QString themeName = parser.value(theme);
    if (!themeName.isEmpty() && themeName != QLatin1String("light") && themeName != QLatin1String("dark")) {
        err << "fieldbook screenshots: --theme must be light or dark, not '" << themeName << "'" << Qt::endl;
        return 2;
    }
    const QDir dir(parser.value(outDir));
    if (!QDir().mkpath(dir.absolutePath())) {
        err << "fieldbook screenshots: cannot create " << dir.absolutePath() << Qt::endl;
        return 1;
    }

    // Screenshots show no one's secrets: the settings page must not read the keychain.
    qputenv("FIELDBOOK_NO_KEYCHAIN", "1");
    QTemporaryDir work;
    const QString copy = work.filePath(QStringLiteral("screenshots.db"));
    SampleLlmClient llm;
    std::unique_ptr<Core> core;
    {
        if (parser.isSet(db)) {
            const QString source = parser.value(db);
            if (!QFileInfo::exists(source)) {
                err << "fieldbook screenshots: " << source << " does not exist" << Qt::endl;
                return 1;
            }
            // VACUUM INTO copies a consistent snapshot, WAL included, without touching the source. It runs on
            // a plain connection: a Fieldbook connection's per-user views shadow the tables VACUUM recreates.
            QString failure;
            {
                QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                             QStringLiteral("fieldbook-screenshots-source"));
                raw.setDatabaseName(source);
                raw.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
                if (!raw.open()) {
                    failure = raw.lastError().text();
                } else {
                    QSqlQuery vacuum(raw);
                    if (!vacuum.prepare(QStringLiteral("VACUUM INTO ?"))) {
                        failure = vacuum.lastError().text();
                    } else {
                        vacuum.addBindValue(copy);
                        if (!vacuum.exec())
                            failure = vacuum.lastError().text();
                    }
                }
                raw.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("fieldbook-screenshots-source"));
            if (!failure.isEmpty()) {
                err << "fieldbook screenshots: cannot copy " << source << ": " << failure << Qt::endl;
                return 1;
            }
        }
        auto opened = Core::open(copy, QStringLiteral("fieldbook-screenshots"), &llm);
        if (!opened) {
            err << "fieldbook screenshots: " << opened.error().toString() << Qt::endl;
            return 1;
        }
        core = std::move(opened).value();
    }

    // The demo profile when there is one (generate() finds it, or creates it on fresh data).
    core->tickets.setExtractionQueue(nullptr);
    DemoDataGenerator generator(*core, QDate::currentDate());
    auto demo = parser.isSet(db) ? Result<DemoSummary>(Error::notFound(QStringLiteral("demo")))
                                 : generator.generate(DemoDataGenerator::kDefaultContacts);
    core->tickets.setExtractionQueue(&core->extractionQueue);
    QUuid userId = demo ? demo->userId : QUuid();
    if (userId.isNull()) {
        auto users = core->users.list();
        if (!users || users->isEmpty()) {
            err << "fieldbook screenshots: the database has no technician profile" << Qt::endl;
            return 1;
        }
        userId = users->first().id;
        for (const User &user : *users) {
            if (user.email == DemoDataGenerator::profileEmail())
                userId = user.id;
        }
    }
    if (const Status selected = core->setCurrentUser(userId); !selected) {
        err << "fieldbook screenshots: " << selected.error().toString() << Qt::endl;
        return 1;
    }

    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    QStringList written;
    auto save = [&](QWidget *widget, const QString &name) {
        settle();
        const QString file = dir.filePath(name + QStringLiteral(".png"));
        if (widget->grab().save(file))
            written << file;
        else
            err << "fieldbook screenshots: cannot write " << file << Qt::endl;
    };

    const QStringList schemes = themeName.isEmpty()
                                    ? QStringList{QStringLiteral("light"), QStringLiteral("dark")}
                                    : QStringList{themeName};
    for (const QString &scheme : schemes) {
        ui::applyTheme(*app,
                       scheme == QLatin1String("dark") ? ui::ColorScheme::Dark : ui::ColorScheme::Light);
        // Light is the default look: its files carry no suffix.
        const QString suffix = scheme == QLatin1String("light") ? QString() : QStringLiteral("-dark");
        ui::UiContext context(*core);
        AppSettings settings;
        sync::SyncSettingsBackend settingsBackend(nullptr); // the settings dialog, without a running sync
        ui::MainWindow window(context, nullptr, &settings, &settingsBackend);
        window.resize(1366, 768);
        window.show();
        window.showSection(ui::MainWindow::Schedule);
        save(&window, QStringLiteral("schedule-day") + suffix);
        if (auto *week =
                window.schedulePage()->findChild<QAbstractButton *>(QStringLiteral("weekViewButton"))) {
            week->click();
            save(&window, QStringLiteral("schedule-week") + suffix);
            if (auto *day =
                    window.schedulePage()->findChild<QAbstractButton *>(QStringLiteral("dayViewButton")))
                day->click();
        }
        if (scheme != schemes.first())
            continue; // one dark example is enough for the look; the screens follow in light
        window.showSection(ui::MainWindow::Contacts);
        save(&window, QStringLiteral("customers"));
        window.showSection(ui::MainWindow::Catalog);
        save(&window, QStringLiteral("catalog"));
        window.showSection(ui::MainWindow::Invoices);
        save(&window, QStringLiteral("invoices"));
        window.showSection(ui::MainWindow::ReachOuts);
        save(&window, QStringLiteral("reach-outs"));
        window.showSection(ui::MainWindow::History);
        save(&window, QStringLiteral("history"));
        window.showSection(ui::MainWindow::Sync);
        save(&window, QStringLiteral("sync"));
        window.openSettings();
        settle();
        for (QWidget *top : QApplication::topLevelWidgets()) {
            if (top->isVisible() && top->objectName() == QLatin1String("settingsDialog")) {
                save(top, QStringLiteral("settings"));
                top->close();
            }
        }

        window.showSection(ui::MainWindow::Schedule);
        window.openSearch();
        window.searchDialog()
            ->findChild<QLineEdit *>(QStringLiteral("searchEdit"))
            ->setText(QStringLiteral("oak"));
        save(window.searchDialog(), QStringLiteral("search"));
        window.searchDialog()->hide();

        window.schedulePage()->newTicket();
        settle();
        for (QWidget *top : QApplication::topLevelWidgets()) {
            if (top->isVisible() && top->objectName() == QLatin1String("newTicketDialog")) {
                save(top, QStringLiteral("new-ticket"));
                top->close();
            }
        }

        // A job of today (the first still open), else the nearest one: the ticket screen and its close-out.
        const QDateTime dayStart = QDateTime(QDate::currentDate(), QTime(0, 0)).toUTC();
        auto tickets = core->tickets.listRange(dayStart.addDays(-7), dayStart.addDays(8));
        std::optional<Ticket> open;
        if (tickets) {
            for (const Ticket &ticket : *tickets) {
                if (!ticket.isClosed() && (!open || ticket.scheduledAt >= dayStart))
                    open = ticket;
                if (open && open->scheduledAt >= dayStart)
                    break;
            }
        }
        if (!open) {
            err << "fieldbook screenshots: no open ticket around today: the ticket and close-out screens are "
                   "not rendered"
                << Qt::endl;
        } else {
            if (open->status == TicketStatus::Scheduled)
                (void)core->tickets.clockIn(open->id);
            window.openTicket(open->id);
            save(&window, QStringLiteral("ticket"));

            ui::CloseOutWizard wizard(context, open->id, &window);
            wizard.resize(900, 640);
            wizard.show();
            if (auto *notes = wizard.findChild<QPlainTextEdit *>(QStringLiteral("notesEdit"))) {
                notes->setPlainText(QStringLiteral(
                    "Cleaned all windows front and back. Biscuit the dog was in the yard again, gate code "
                    "4512. Needed the 24 ft extension ladder for the back. She prefers Tuesday mornings."));
            }
            const QStringList pages = {
                QStringLiteral("closeout-1-notes"), QStringLiteral("closeout-2-review"),
                QStringLiteral("closeout-3-next-service"), QStringLiteral("closeout-4-summary")};
            for (int i = 0; i < pages.size(); ++i) {
                save(&wizard, pages[i]);
                if (i + 1 < pages.size()) {
                    wizard.next();
                    // Extraction answers through the event loop.
                    pause(50);
                }
            }
            wizard.hide();
        }

        ui::FirstRunDialog firstRun(*core);
        firstRun.show();
        save(&firstRun, QStringLiteral("first-run"));
    }

    for (const QString &file : written)
        out << file << Qt::endl;
    return written.isEmpty() ? 1 : 0;
}

} // namespace fb::app
