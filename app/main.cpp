// The fieldbook executable: the window when no command is given (`fieldbook [--db FILE [--create] |
// --demo]`), else the command line. Commands run on a QCoreApplication (no display needed); the window and
// `screenshots` need a QApplication, which must exist before anything else touches Qt.
#include "cli.h"
#include "gui.h"
#include "process.h"
#include "screenshots.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <memory>

namespace {

/// The command word, or the first argument the window does not take (the command line reports it), or empty
/// when the window should open. The window takes --db FILE, --create, --demo and Qt's own options.
QString commandOf(int argc, char *argv[])
{
    static const QStringList qtOptionsWithValue = {
        QStringLiteral("-platform"),        QStringLiteral("-style"),        QStringLiteral("-stylesheet"),
        QStringLiteral("-qwindowgeometry"), QStringLiteral("-qwindowtitle"), QStringLiteral("-display")};
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg == QLatin1String("--db") || qtOptionsWithValue.contains(arg)) {
            ++i;
            continue;
        }
        if (arg.startsWith(QLatin1String("--db=")) || arg == QLatin1String("--demo") ||
            arg == QLatin1String("--create") || arg == QLatin1String("-reverse"))
            continue;
        return arg;
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    const QString command = commandOf(argc, argv);
    if (command.isEmpty()) {
        QApplication::setDesktopFileName(QStringLiteral("org.fieldbook.Fieldbook"));
        QApplication app(argc, argv);
        fb::app::describeApplication();
        QApplication::setApplicationDisplayName(QStringLiteral("Fieldbook"));
        return fb::app::finish(fb::app::runGui(QCoreApplication::arguments()));
    }
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (command == QLatin1String("screenshots")) {
        // Renders offscreen: it needs no display, and must not flash windows on one. The offscreen screen is
        // a 1366x768 laptop's (Qt's default is 800x600): windows are sized from its available geometry, at
        // QT_SCALE_FACTOR=2 from its 683x384 logical pixels, as on such a laptop.
        QTemporaryDir screenDir;
        if (const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
            platform.isEmpty() || platform == "offscreen") {
            QFile screen(screenDir.filePath(QStringLiteral("screen.json")));
            if (screenDir.isValid() && screen.open(QIODevice::WriteOnly) &&
                screen.write(
                    R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, )"
                    R"("logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})") > 0) {
                screen.close();
                qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + QFile::encodeName(screen.fileName()));
            } else {
                qputenv("QT_QPA_PLATFORM", "offscreen");
            }
        }
        QApplication app(argc, argv);
        fb::app::describeApplication();
        const int exitCode = fb::app::runScreenshots(QCoreApplication::arguments(), out, err);
        out.flush();
        err.flush();
        return fb::app::finish(exitCode);
    }
    QCoreApplication app(argc, argv);
    fb::app::describeApplication();
    const int exitCode = fb::cli::run(QCoreApplication::arguments(), out, err);
    out.flush();
    err.flush();
    return fb::app::finish(exitCode);
}
