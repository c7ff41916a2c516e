#include "process.h"

#include "keychain.h"
#include "syncservice.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace fb::app {

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

int finish(int exitCode)
{
    // A sync thread that did not stop in time (SyncService::threadLeftRunning) is not waited for either: the
    // databases are closed or consistent (SQLite rolls back what was not committed).
    if (!fb::sync::keychain::shutdown(std::chrono::seconds(2)) ||
        fb::sync::SyncService::threadLeftRunning()) {
        std::fflush(nullptr);
        std::_Exit(exitCode);
    }
    return exitCode;
}

} // namespace fb::app
