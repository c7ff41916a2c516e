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

struct ScreenshotOptions
{
    QString source; ///< --db; empty: fresh demo data
    QDir outDir;
    QStringList schemes; ///< "light", "dark": the first is the one the screens follow in
};

/// Parsing ends with the options, or with the exit code to stop with (help shown, or a usage error printed).
int parseScreenshots(const QStringList &arguments, QTextStream &out, QTextStream &err,
                     std::optional<ScreenshotOptions> &options)
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
    options =
        ScreenshotOptions{parser.isSet(db) ? parser.value(db) : QString(), QDir(parser.value(outDir)),
                          themeName.isEmpty() ? QStringList{QStringLiteral("light"), QStringLiteral("dark")}
                                              : QStringList{themeName}};
    return 0;
}

/// Copies `source` to `copy` as a consistent snapshot; the error text when it cannot.
QString copyDatabase(const QString &source, const QString &copy)
{
    // VACUUM INTO copies a consistent snapshot, WAL included, without touching the source. It runs on a plain
    // connection: a Fieldbook connection's per-user views shadow the tables VACUUM recreates.
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
    return failure;
}

/// Opens the copy of --db, or fresh data at `copy`; prints the error and returns nullptr when it cannot.
std::unique_ptr<Core> openCopy(const ScreenshotOptions &options, const QString &copy, LlmClient &llm,
                               QTextStream &err)
{
    if (!options.source.isEmpty()) {
        if (!QFileInfo::exists(options.source)) {
            err << "fieldbook screenshots: " << options.source << " does not exist" << Qt::endl;
            return nullptr;
        }
        if (const QString failure = copyDatabase(options.source, copy); !failure.isEmpty()) {
            err << "fieldbook screenshots: cannot copy " << options.source << ": " << failure << Qt::endl;
            return nullptr;
        }
    }
    auto opened = Core::open(copy, QStringLiteral("fieldbook-screenshots"), &llm);
    if (!opened) {
        err << "fieldbook screenshots: " << opened.error().toString() << Qt::endl;
        return nullptr;
    }
    return std::move(opened).value();
}

/// Selects the profile to show: the demo profile when there is one (generate() finds it, or creates it on
/// fresh data), else the first. Prints the error and returns false when there is none.
bool selectProfile(Core &core, bool freshData, QTextStream &err)
{
    core.tickets.setExtractionQueue(nullptr);
    DemoDataGenerator generator(core, QDate::currentDate());
    auto demo = freshData ? generator.generate(DemoDataGenerator::kDefaultContacts)
                          : Result<DemoSummary>(Error::notFound(QStringLiteral("demo")));
    core.tickets.setExtractionQueue(&core.extractionQueue);
    QUuid userId = demo ? demo->userId : QUuid();
    if (userId.isNull()) {
        auto users = core.users.list();
        if (!users || users->isEmpty()) {
            err << "fieldbook screenshots: the database has no technician profile" << Qt::endl;
            return false;
        }
        userId = users->first().id;
        for (const User &user : *users) {
            if (user.email == DemoDataGenerator::profileEmail())
                userId = user.id;
        }
    }
    if (const Status selected = core.setCurrentUser(userId); !selected) {
        err << "fieldbook screenshots: " << selected.error().toString() << Qt::endl;
        return false;
    }
    return true;
}

/// Grabs widgets to PNG files in one folder and remembers which were written.
class Camera final
{
public:
    Camera(const QDir &dir, QTextStream &err) : m_dir(dir), m_err(err) {}

    void save(QWidget *widget, const QString &name)
    {
        settle();
        const QString file = m_dir.filePath(name + QStringLiteral(".png"));
        if (widget->grab().save(file))
            m_written << file;
        else
            m_err << "fieldbook screenshots: cannot write " << file << Qt::endl;
    }

    /// Saves the visible top-level window named `objectName` (a dialog just opened) and closes it.
    void saveDialog(const QString &objectName, const QString &name)
    {
        settle();
        for (QWidget *top : QApplication::topLevelWidgets()) {
            if (top->isVisible() && top->objectName() == objectName) {
                save(top, name);
                top->close();
            }
        }
    }

    const QStringList &written() const { return m_written; }

private:
    QDir m_dir;
    QTextStream &m_err;
    QStringList m_written;
};

void shootSchedule(ui::MainWindow &window, Camera &camera, const QString &suffix)
{
    window.showSection(ui::MainWindow::Schedule);
    camera.save(&window, QStringLiteral("schedule-day") + suffix);
    if (auto *week = window.schedulePage()->findChild<QAbstractButton *>(QStringLiteral("weekViewButton"))) {
        week->click();
        camera.save(&window, QStringLiteral("schedule-week") + suffix);
        if (auto *day = window.schedulePage()->findChild<QAbstractButton *>(QStringLiteral("dayViewButton")))
            day->click();
    }
}

void shootSections(ui::MainWindow &window, Camera &camera)
{
    const QList<std::pair<ui::MainWindow::Section, QString>> sections{
        {ui::MainWindow::Contacts, QStringLiteral("customers")},
        {ui::MainWindow::Catalog, QStringLiteral("catalog")},
        {ui::MainWindow::Invoices, QStringLiteral("invoices")},
        {ui::MainWindow::ReachOuts, QStringLiteral("reach-outs")},
        {ui::MainWindow::History, QStringLiteral("history")},
        {ui::MainWindow::Sync, QStringLiteral("sync")}};
    for (const auto &[section, name] : sections) {
        window.showSection(section);
        camera.save(&window, name);
    }
}

void shootDialogs(ui::MainWindow &window, Camera &camera)
{
    window.openSettings();
    camera.saveDialog(QStringLiteral("settingsDialog"), QStringLiteral("settings"));

    window.showSection(ui::MainWindow::Schedule);
    window.openSearch();
    window.searchDialog()
        ->findChild<QLineEdit *>(QStringLiteral("searchEdit"))
        ->setText(QStringLiteral("oak"));
    camera.save(window.searchDialog(), QStringLiteral("search"));
    window.searchDialog()->hide();

    window.schedulePage()->newTicket();
    camera.saveDialog(QStringLiteral("newTicketDialog"), QStringLiteral("new-ticket"));
}

/// A job of today (the first still open), else the nearest one.
std::optional<Ticket> openTicketAroundToday(Core &core)
{
    const QDateTime dayStart = QDateTime(QDate::currentDate(), QTime(0, 0)).toUTC();
    auto tickets = core.tickets.listRange(dayStart.addDays(-7), dayStart.addDays(8));
    std::optional<Ticket> open;
    if (tickets) {
        for (const Ticket &ticket : *tickets) {
            if (!ticket.isClosed() && (!open || ticket.scheduledAt >= dayStart))
                open = ticket;
            if (open && open->scheduledAt >= dayStart)
                break;
        }
    }
    return open;
}

/// The ticket screen and every page of its close-out.
void shootTicket(Core &core, ui::UiContext &context, ui::MainWindow &window, const Ticket &open,
                 Camera &camera)
{
    if (open.status == TicketStatus::Scheduled)
        (void)core.tickets.clockIn(open.id);
    window.openTicket(open.id);
    camera.save(&window, QStringLiteral("ticket"));

    ui::CloseOutWizard wizard(context, open.id, &window);
    wizard.resize(ui::sizeWithinScreen(&wizard, QSize(900, 640)));
    wizard.show();
    if (auto *notes = wizard.findChild<QPlainTextEdit *>(QStringLiteral("notesEdit"))) {
        notes->setPlainText(QStringLiteral(
            "Cleaned all windows front and back. Biscuit the dog was in the yard again, gate code "
            "4512. Needed the 24 ft extension ladder for the back. She prefers Tuesday mornings."));
    }
    const QStringList pages = {QStringLiteral("closeout-1-notes"), QStringLiteral("closeout-2-review"),
                               QStringLiteral("closeout-3-next-service"),
                               QStringLiteral("closeout-4-summary")};
    for (int i = 0; i < pages.size(); ++i) {
        camera.save(&wizard, pages[i]);
        if (i + 1 < pages.size()) {
            wizard.next();
            // Extraction answers through the event loop.
            pause(50);
        }
    }
    wizard.hide();
}

/// Every screen in one colour scheme; the screens beyond the schedule only in the first scheme (one dark
/// example is enough for the look).
void shootScheme(Core &core, const QString &scheme, bool allScreens, Camera &camera, QTextStream &err)
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    ui::applyTheme(*app, scheme == QLatin1String("dark") ? ui::ColorScheme::Dark : ui::ColorScheme::Light);
    // Light is the default look: its files carry no suffix.
    const QString suffix = scheme == QLatin1String("light") ? QString() : QStringLiteral("-dark");
    ui::UiContext context(core);
    AppSettings settings;
    sync::SyncSettingsBackend settingsBackend(nullptr); // the settings dialog, without a running sync
    ui::MainWindow window(context, nullptr, &settings, &settingsBackend);
    // The whole screen, as a technician runs it on a laptop: 1366x768 (main.cpp), at 200% 683x384 logical
    // pixels.
    window.setWindowState(Qt::WindowFullScreen);
    window.show();
    shootSchedule(window, camera, suffix);
    if (!allScreens)
        return;
    shootSections(window, camera);
    shootDialogs(window, camera);
    if (const auto open = openTicketAroundToday(core))
        shootTicket(core, context, window, *open, camera);
    else
        err << "fieldbook screenshots: no open ticket around today: the ticket and close-out screens are "
               "not rendered"
            << Qt::endl;
    ui::FirstRunDialog firstRun(core);
    firstRun.show();
    camera.save(&firstRun, QStringLiteral("first-run"));
}

} // namespace

int runScreenshots(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    std::optional<ScreenshotOptions> options;
    if (const int stop = parseScreenshots(arguments, out, err, options); !options)
        return stop;
    if (!QDir().mkpath(options->outDir.absolutePath())) {
        err << "fieldbook screenshots: cannot create " << options->outDir.absolutePath() << Qt::endl;
        return 1;
    }
    // Screenshots show no one's secrets: the settings page must not read the keychain.
    qputenv("FIELDBOOK_NO_KEYCHAIN", "1");
    QTemporaryDir work;
    SampleLlmClient llm;
    const auto core = openCopy(*options, work.filePath(QStringLiteral("screenshots.db")), llm, err);
    if (!core || !selectProfile(*core, options->source.isEmpty(), err))
        return 1;
    Camera camera(options->outDir, err);
    for (const QString &scheme : options->schemes)
        shootScheme(*core, scheme, scheme == options->schemes.first(), camera, err);
    for (const QString &file : camera.written())
        out << file << Qt::endl;
    return camera.written().isEmpty() ? 1 : 0;
}

} // namespace fb::app
