#pragma once

// The real `fieldbook` executable run as a user runs it, for the command-line and crash tests
// (FIELDBOOK_BINARY is set for them by tests/CMakeLists.txt): one clean environment for all of them, so a
// variable on the machine running the tests (a crash point, a page size, libpq's password sources, the
// language) never changes a result.

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace fb::test {

struct FieldbookRun
{
    QProcess::ExitStatus status = QProcess::NormalExit; ///< CrashExit when it was killed (a crash point)
    int exitCode = -1;                                  ///< the exit code, or the signal that killed it
    QString out;
    QString err;
    QString all() const { return out + err; }
    bool succeeded() const { return status == QProcess::NormalExit && exitCode == 0; }
};

/// Runs fieldbook with `arguments`, `extra` added to the environment and `input` on standard input (none: an
/// empty one). Cleared unless `extra` sets them: the sync test hooks, PGPASSWORD and PGSERVICE (PGPASSFILE
/// points nowhere), so only what a test gives counts; libpq's messages are in English (they are matched as
/// text).
inline FieldbookRun fieldbook(const QStringList &arguments, const QMap<QString, QString> &extra = {},
                              const std::optional<QByteArray> &input = std::nullopt)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"FIELDBOOK_SYNC_CRASH_AT", "FIELDBOOK_SYNC_BATCH_SIZE",
                             "FIELDBOOK_SYNC_PULL_PAGE", "PGPASSWORD", "PGSERVICE", "LC_ALL", "LANGUAGE"})
        environment.remove(QString::fromLatin1(name));
    environment.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/nonexistent/fieldbook-test-pgpass"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("LC_MESSAGES"), QStringLiteral("C.UTF-8"));
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        environment.insert(it.key(), it.value());
    QProcess process;
    process.setProcessEnvironment(environment);
    if (!input)
        process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(FIELDBOOK_BINARY), arguments);
    if (input && process.waitForStarted()) {
        process.write(*input);
        process.closeWriteChannel();
    }
    if (!process.waitForStarted() || !process.waitForFinished(300000))
        qFatal("fieldbook %s did not finish", qPrintable(arguments.value(0)));
    return {process.exitStatus(), process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

/// The same with `input` on standard input and nothing added to the environment.
inline FieldbookRun fieldbook(const QStringList &arguments, const QByteArray &input)
{
    return fieldbook(arguments, {}, input);
}

} // namespace fb::test
