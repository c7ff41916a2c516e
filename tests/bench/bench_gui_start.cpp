// bench_gui_start: the window's cold start and its quit, run by hand in a Release build (not a test).
//
//   start_100k_ms       a new process to the main window's first paint, on a file of 100,000 demo contacts
//   start_demo_ms       the same on the 30-contact demo (same run, runs interleaved)
//   start_100k_vs_demo  their ratio (medians)
//   quit_ms             the main window closed (as its close button does) to the process gone, sync idle
//
// Each start is a new process: this executable again, in its child mode, which starts the window exactly as
// `fieldbook` does (app/: process.h's names and keychain end, the theme, GuiApp::open, QApplication::exec),
// offscreen, without a session bus (so without a keychain, as on a headless machine) and with a HOME of its
// own. The child reports on stdout the CLOCK_MONOTONIC time of the main window's first paint (the schedule,
// the page it opens on, is loaded by then; the hidden Customers page's first page is read ahead on the read
// thread and may still be on its way: both row counts are reported) and, once sync is idle (the worker has
// read the number of pending changes and ended its first extraction pass; no server is configured), the time
// it closes the window. The parent takes the time before it spawns the child and when it has reaped it.
// "Cold": the OS page cache is dropped before every start when this process may (root:
// /proc/sys/vm/drop_caches); otherwise the figures are warm-cache and the output says so.
//
// The two files are made once, through core's services by the demo's generator (as `fieldbook demo`), and
// kept in a folder in the temporary directory between runs (--cache DIR), one per day: the demo lays its
// schedule around the day it was made.
#include "common/theme.h"
#include "core.h"
#include "demodata.h"
#include "gui.h"
#include "process.h"
#include "shell/mainwindow.h"
#include "syncservice.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QDate>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

using namespace fb;

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_gui_start: %s\n", qPrintable(what));
    std::exit(1);
}

qint64 monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

qint64 cpuNs(const rusage &usage)
{
    return (qint64(usage.ru_utime.tv_sec) + usage.ru_stime.tv_sec) * 1000000000 +
           (qint64(usage.ru_utime.tv_usec) + usage.ru_stime.tv_usec) * 1000;
}

qint64 ownCpuNs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return cpuNs(usage);
}

// ---- the child: the app's window, with a paint watch and a close once sync is idle
// --------------------------

/// Notes the main window's first paint after show.
class PaintWatch final : public QObject
{
public:
    explicit PaintWatch(QWidget *window) : m_window(window) { window->installEventFilter(this); }
    bool painted() const { return m_paintedAt > 0; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && m_paintedAt == 0) {
            m_paintedAt = monotonicNs();
            const qint64 cpu = ownCpuNs();
            std::printf("painted %lld cpu %lld schedule_rows %d contact_rows %d\n", (long long)m_paintedAt,
                        (long long)cpu, rows("scheduleView"), rows("contactsView"));
            std::fflush(stdout);
        }
        return false;
    }

private:
    int rows(const char *view) const
    {
        auto *found = m_window->findChild<QAbstractItemView *>(QString::fromLatin1(view));
        return found && found->model() ? found->model()->rowCount() : -1;
    }

    QWidget *m_window;
    qint64 m_paintedAt = 0;
};

int runChild(const QString &path, bool quitAtPaint)
{
    // As main.cpp and app::runGui do for `fieldbook --db FILE`.
    int argc = 1;
    char name[] = "fieldbook";
    char *argv[] = {name, nullptr};
    QApplication::setDesktopFileName(QStringLiteral("org.fieldbook.Fieldbook"));
    QApplication app(argc, argv);
    app::describeApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Fieldbook"));
    int exitCode = 0;
    {
        ui::applyTheme(app, ui::systemColorScheme());
        app::GuiApp gui;
        QString error;
        if (!gui.open(path, false, error) || !gui.mainWindow())
            die(QStringLiteral("the window did not open on %1: %2").arg(path, error));
        PaintWatch watch(gui.mainWindow());
        // Sync idle: the worker reported the pending changes and its first extraction pass ended.
        QTimer poll;
        QElapsedTimer waited;
        waited.start();
        QObject::connect(&poll, &QTimer::timeout, &app, [&] {
            const sync::SyncService *sync = gui.syncService();
            // With a server: its first cycle ended too (succeeded, or failed and waits for its retry).
            const bool idle =
                sync && sync->pendingCount() >= 0 && sync->pendingExtractions() >= 0 &&
                !sync->isCycleRunning() &&
                (!sync->isPushConfigured() || sync->lastSuccess().isValid() || !sync->lastError().isEmpty());
            if (!watch.painted() || (!idle && !quitAtPaint && waited.elapsed() < 30000))
                return;
            poll.stop();
            std::printf("closing %lld cpu %lld idle %d\n", (long long)monotonicNs(), (long long)ownCpuNs(),
                        int(idle));
            std::fflush(stdout);
            gui.mainWindow()->close(); // the last window: the event loop ends, as when a user closes it
        });
        poll.start(20);
        exitCode = QApplication::exec();
    }
    return app::finish(exitCode);
}

// ---- the parent: the files, the runs, the figures
// ----------------------------------------------------------

void makeFile(const QString &path, int contacts)
{
    if (QFileInfo::exists(path))
        return;
    std::fprintf(stderr, "making %s with %d demo contacts (once; kept for later runs)...\n", qPrintable(path),
                 contacts);
    QElapsedTimer timer;
    timer.start();
    const QString building = path + QStringLiteral(".building");
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(building + suffix);
    {
        auto core = Core::open(building, QStringLiteral("bench-demo"));
        if (!core)
            die(core.error().toString());
        // As `fieldbook demo`: a disposable fill, no fsync per commit, no close-out notes queued for the
        // model.
        if (auto fast = (*core)->db().execScript(QStringLiteral("PRAGMA synchronous = NORMAL")); !fast)
            die(fast.error().toString());
        (*core)->tickets.setExtractionQueue(nullptr);
        DemoDataGenerator generator(**core, QDate::currentDate());
        auto summary = generator.generate(contacts);
        if (!summary)
            die(summary.error().toString());
        if (auto done = (*core)->db().execScript(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")); !done)
            die(done.error().toString());
    }
    if (!QFile::rename(building, path))
        die(QStringLiteral("cannot rename %1").arg(building));
    QFile::remove(building + QStringLiteral("-wal"));
    QFile::remove(building + QStringLiteral("-shm"));
    std::fprintf(stderr, "  made in %.0f s, %.0f MB\n", double(timer.elapsed()) / 1000,
                 double(QFileInfo(path).size()) / 1e6);
}

bool dropPageCache()
{
    ::sync();
    FILE *file = std::fopen("/proc/sys/vm/drop_caches", "w");
    if (!file)
        return false;
    const bool ok = std::fputs("3\n", file) >= 0;
    return std::fclose(file) == 0 && ok;
}

struct Run
{
    double startMs = 0;
    double startCpuMs = 0;
    double quitMs = 0;
    double quitCpuMs = 0;
    int scheduleRows = -1;
    int contactRows = -1;
    bool idle = false;
};

/// One start and quit of the window on `path` in a new process.
/// What the child's environment keeps of this one's: a server URL for sync (FIELDBOOK_SERVER_URL), the
/// session bus (the keychain is asked through it).
struct ChildOptions
{
    QString serverUrl;
    bool keepSessionBus = false;
    bool quitAtPaint = false; ///< close the window at its first paint, sync not idle (its start still runs)
};

Run runOnce(const QString &self, const QString &path, const QString &home, const ChildOptions &options)
{
    const QByteArray selfPath = QFile::encodeName(self);
    const QByteArray filePath = QFile::encodeName(path);
    std::vector<std::string> env;
    // The child's own HOME and XDG folders (no settings of yours, no remembered profile), no session bus,
    // display or Fieldbook setting.
    const auto dropped = [&options](const std::string &entry) {
        if (options.keepSessionBus && entry.rfind("DBUS_SESSION_BUS_ADDRESS=", 0) == 0)
            return false;
        for (const char *prefix : {"HOME=", "XDG_", "DBUS_SESSION_BUS_ADDRESS=", "DISPLAY=",
                                   "WAYLAND_DISPLAY=", "QT_QPA_PLATFORM=", "FIELDBOOK_"})
            if (entry.rfind(prefix, 0) == 0)
                return true;
        return false;
    };
    for (char **e = environ; *e; ++e)
        if (!dropped(*e))
            env.emplace_back(*e);
    const QByteArray homeBytes = QFile::encodeName(home);
    env.push_back("HOME=" + homeBytes.toStdString());
    env.push_back("XDG_CONFIG_HOME=" + homeBytes.toStdString() + "/.config");
    env.push_back("XDG_DATA_HOME=" + homeBytes.toStdString() + "/.local/share");
    env.push_back("XDG_RUNTIME_DIR=" + homeBytes.toStdString() + "/run");
    env.push_back("QT_QPA_PLATFORM=offscreen");
    if (!options.serverUrl.isEmpty())
        env.push_back("FIELDBOOK_SERVER_URL=" + options.serverUrl.toStdString());
    std::vector<char *> envp;
    for (std::string &entry : env)
        envp.push_back(entry.data());
    envp.push_back(nullptr);
    char child[] = "--child";
    char quitEarly[] = "--quit-at-paint";
    char *argv[] = {const_cast<char *>(selfPath.constData()), child, const_cast<char *>(filePath.constData()),
                    options.quitAtPaint ? quitEarly : nullptr, nullptr};

    int out[2];
    if (pipe(out) != 0)
        die(QStringLiteral("pipe: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    // The child's warnings (the offscreen platform's, Qt's) go to a file, shown when the child failed.
    const QByteArray errorLog = QFile::encodeName(home + QStringLiteral("/child-stderr.txt"));
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errorLog.constData(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const qint64 spawnedAt = monotonicNs();
    pid_t pid = 0;
    if (const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv, envp.data()); failed != 0)
        die(QStringLiteral("cannot start %1: %2").arg(self, QString::fromLocal8Bit(std::strerror(failed))));
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);

    Run run;
    qint64 paintedAt = 0, closingAt = 0, closingCpu = 0;
    FILE *lines = fdopen(out[0], "r");
    char line[512];
    while (std::fgets(line, sizeof line, lines)) {
        long long at = 0, cpu = 0;
        int a = 0, b = 0;
        if (std::sscanf(line, "painted %lld cpu %lld schedule_rows %d contact_rows %d", &at, &cpu, &a, &b) ==
            4) {
            paintedAt = at;
            run.startCpuMs = double(cpu) / 1e6;
            run.scheduleRows = a;
            run.contactRows = b;
        } else if (std::sscanf(line, "closing %lld cpu %lld idle %d", &at, &cpu, &a) == 3) {
            closingAt = at;
            closingCpu = cpu;
            run.idle = a != 0;
        }
    }
    std::fclose(lines);
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    const qint64 goneAt = monotonicNs();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || paintedAt == 0 || closingAt == 0) {
        QFile log(QFile::decodeName(errorLog));
        if (log.open(QIODevice::ReadOnly))
            std::fprintf(stderr, "%s", log.readAll().constData());
        die(QStringLiteral("the window's process on %1 failed (status %2)").arg(path).arg(status));
    }
    run.startMs = double(paintedAt - spawnedAt) / 1e6;
    run.quitMs = double(goneAt - closingAt) / 1e6;
    run.quitCpuMs = double(cpuNs(usage) - closingCpu) / 1e6;
    return run;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

QString list(const std::vector<double> &values)
{
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'f', 0);
    return parts.join(QLatin1Char(' '));
}

void figure(const char *name, double value, const char *unit, const char *op, double goal, int decimals)
{
    const bool met = std::string(op) == "<=" ? value <= goal : value >= goal;
    std::printf("FIGURE %s %.*f %s goal %s %g %s\n", name, decimals, value, unit, op, goal,
                met ? "met" : "missed");
}

int runParent(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The window's cold start (100,000 contacts and the 30-contact demo) and its quit, offscreen."));
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Starts of each file (5)."),
                                        QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption contactsOption(QStringLiteral("contacts"),
                                            QStringLiteral("Contacts of the large file (100000)."),
                                            QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption cacheOption(
        QStringLiteral("cache"), QStringLiteral("Where the files are kept between runs."),
        QStringLiteral("DIR"), QDir::temp().filePath(QStringLiteral("fieldbook-bench-gui-start")));
    const QCommandLineOption warmOption(QStringLiteral("warm"),
                                        QStringLiteral("Do not drop the page cache before each start."));
    const QCommandLineOption serverOption(
        QStringLiteral("server-url"),
        QStringLiteral(
            "Sync configured with this server (no password in it; e.g. one that does not answer)."),
        QStringLiteral("URL"));
    const QCommandLineOption busOption(
        QStringLiteral("session-bus"),
        QStringLiteral("Keep DBUS_SESSION_BUS_ADDRESS: the keychain is asked."));
    const QCommandLineOption quitAtPaintOption(
        QStringLiteral("quit-at-paint"),
        QStringLiteral(
            "Close the window at its first paint, while sync still starts (quit_ms is then not the "
            "idle quit)."));
    parser.addOptions(
        {runsOption, contactsOption, cacheOption, warmOption, serverOption, busOption, quitAtPaintOption});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int contacts = std::clamp(parser.value(contactsOption).toInt(), 1, DemoDataGenerator::kMaxContacts);

    const QString cache = parser.value(cacheOption);
    QDir().mkpath(cache);
    const QString day = QDate::currentDate().toString(Qt::ISODate);
    const QString large = QDir(cache).filePath(QStringLiteral("contacts-%1-%2.db").arg(contacts).arg(day));
    const QString demo = QDir(cache).filePath(
        QStringLiteral("contacts-%1-%2.db").arg(DemoDataGenerator::kDefaultContacts).arg(day));
    makeFile(demo, DemoDataGenerator::kDefaultContacts);
    makeFile(large, contacts);

    const QString self = QCoreApplication::applicationFilePath();
    const ChildOptions childOptions{parser.value(serverOption), parser.isSet(busOption),
                                    parser.isSet(quitAtPaintOption)};
    bool cold = !parser.isSet(warmOption);
    std::vector<double> startLarge, startDemo, cpuLarge, cpuDemo, quit, quitCpu;
    for (int i = 0; i < runs * 2 + 2; ++i) {
        // The first start of each file only warms what is not the file (the binary, Qt's libraries, fonts)
        // when the cache is not dropped: not counted either way.
        const bool isLarge = i % 2 == 0;
        const QString path = isLarge ? large : demo;
        QDir home(QDir(cache).filePath(QStringLiteral("home")));
        home.removeRecursively();
        QDir().mkpath(home.filePath(QStringLiteral("run")));
        QFile::setPermissions(home.filePath(QStringLiteral("run")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        if (cold && !dropPageCache()) {
            std::fprintf(stderr, "cannot drop the page cache (not root?): the figures are warm-cache\n");
            cold = false;
        }
        const Run run = runOnce(self, path, home.absolutePath(), childOptions);
        std::printf(
            "%s %-6s start %7.1f ms (cpu %6.1f)  quit %6.1f ms (cpu %5.1f)  schedule rows %d, contact "
            "rows %d%s\n",
            i < 2 ? "warm-up" : "run    ", isLarge ? "100k" : "demo", run.startMs, run.startCpuMs, run.quitMs,
            run.quitCpuMs, run.scheduleRows, run.contactRows,
            run.idle                   ? ""
            : childOptions.quitAtPaint ? ", sync still starting"
                                       : ", sync NOT idle after 30 s");
        std::fflush(stdout);
        if (i < 2)
            continue;
        (isLarge ? startLarge : startDemo).push_back(run.startMs);
        (isLarge ? cpuLarge : cpuDemo).push_back(run.startCpuMs);
        quit.push_back(run.quitMs);
        quitCpu.push_back(run.quitCpuMs);
    }
    std::printf(
        "%s; %d runs each; medians. start 100k: %s ms (cpu median %.0f); demo: %s ms (cpu median %.0f); "
        "quit: %s ms (cpu median %.0f)\n",
        cold ? "cold: page cache dropped before each start" : "WARM cache", runs,
        qPrintable(list(startLarge)), median(cpuLarge), qPrintable(list(startDemo)), median(cpuDemo),
        qPrintable(list(quit)), median(quitCpu));
    const double large100k = median(startLarge);
    const double small = median(startDemo);
    figure("start_100k_ms", large100k, "ms", "<=", 400, 0);
    figure("start_demo_ms", small, "ms", "<=", 400, 0);
    figure("start_100k_vs_demo", large100k / small, "ratio", "<=", 1.5, 2);
    figure("quit_ms", median(quit), "ms", "<=", 300, 0);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc >= 3 && std::strcmp(argv[1], "--child") == 0)
        return runChild(QString::fromLocal8Bit(argv[2]),
                        argc == 4 && std::strcmp(argv[3], "--quit-at-paint") == 0);
    return runParent(argc, argv);
}
