// The fieldbook executable: the window when no command is given (`fieldbook [--db FILE [--create] |
// --demo]`), else the command line. Commands run on a QCoreApplication (no display needed); the window and
// `screenshots` need a QApplication, which must exist before anything else touches Qt.
#include "cli.h"
#include "gui.h"
#include "keychain.h"
#include "screenshots.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>
#include <cstdlib>
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

void describeApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("fieldbook"));
    // QSettings needs an organization: settings live in ~/.config/fieldbook/fieldbook.conf.
    QCoreApplication::setOrganizationName(QStringLiteral("fieldbook"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FIELDBOOK_VERSION));
    // The core logs each handler run and subscription; on a terminal only warnings matter. QT_LOGGING_RULES
    // still overrides this for debugging.
    QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false"));
}

/// Ends the keychain thread before Qt goes. One stuck in a D-Bus handshake also holds Qt's D-Bus thread,
/// which Qt waits for without a bound as the process exits: then leave at once (the databases are closed by
/// now).
int finish(int exitCode)
{
    if (!fb::sync::keychain::shutdown(std::chrono::seconds(2))) {
        std::fflush(nullptr);
        std::_Exit(exitCode);
    }
    return exitCode;
}

} // namespace

int main(int argc, char *argv[])
{
    const QString command = commandOf(argc, argv);
    if (command.isEmpty()) {
        QApplication::setDesktopFileName(QStringLiteral("org.fieldbook.Fieldbook"));
        QApplication app(argc, argv);
        describeApplication();
        QApplication::setApplicationDisplayName(QStringLiteral("Fieldbook"));
        return finish(fb::app::runGui(QCoreApplication::arguments()));
    }
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (command == QLatin1String("screenshots")) {
        // Renders offscreen: it needs no display, and must not flash windows on one.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        describeApplication();
        const int exitCode = fb::app::runScreenshots(QCoreApplication::arguments(), out, err);
        out.flush();
        err.flush();
        return finish(exitCode);
    }
    QCoreApplication app(argc, argv);
    describeApplication();
    const int exitCode = fb::cli::run(QCoreApplication::arguments(), out, err);
    out.flush();
    err.flush();
    return finish(exitCode);
}
