// The fieldbook executable. Sub-commands run on a QCoreApplication; the GUI (a later issue) will start here
// instead when no sub-command is given, and will need a QApplication created before any argument parsing.
#include "cli.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fieldbook"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FIELDBOOK_VERSION));
    // The core logs each handler run and subscription; on a terminal only warnings matter. QT_LOGGING_RULES
    // still overrides this for debugging.
    QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false"));

    QTextStream out(stdout);
    QTextStream err(stderr);
    return fb::cli::run(QCoreApplication::arguments(), out, err);
}
