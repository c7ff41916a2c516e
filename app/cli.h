#pragma once

#include <QStringList>

class QTextStream;

namespace fb::cli {

/// Exit codes of the command line.
enum ExitCode : int
{
    Success = 0,
    Failure = 1, ///< the command ran and found or hit a problem (integrity problems, a database error)
    Usage = 2,   ///< bad arguments: unknown command or option, a missing or malformed value
};

/// Runs `fieldbook <command> [options]` with `arguments` as QCoreApplication::arguments() gives them (the
/// program first). Output goes to `out`, errors to `err`, one line each. Returns the process exit code.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

/// The embedded default database: fieldbook.db in the user's data directory
/// (QStandardPaths::AppDataLocation).
QString defaultDatabasePath();
/// The demo database `fieldbook --demo` opens, beside the default one.
QString demoDatabasePath();

} // namespace fb::cli
