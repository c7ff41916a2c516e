#include "cli.h"

#include "core.h"
#include "databasefolder.h"
#include "db/integritycheck.h"
#include "demodata.h"
#include "keychain.h"
#include "llm/llmclientfactory.h"
#include "llm/llmkeystore.h"
#include "models/validation.h"
#include "passwordinput.h"
#include "pgconnection.h"
#include "puller.h"
#include "pusher.h"
#include "restorer.h"
#include "serveradmin.h"
#include "serverurl.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDate>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>
#include <QUrl>

#include <optional>

namespace fb::cli {

namespace {

struct Command
{
    QString name;
    QString summary;
};

const QList<Command> &commands()
{
    static const QList<Command> list{
        {QStringLiteral("demo"),
         QStringLiteral(
             "Fill a database file with realistic demo data (--db FILE [--create] [--contacts N])")},
        {QStringLiteral("check"),
         QStringLiteral("Check a database file's integrity; exit 1 on any problem (--db FILE)")},
        {QStringLiteral("sync"),
         QStringLiteral("Push a database's pending changes to the central server, then pull the server's "
                        "(--db FILE --server URL)")},
        {QStringLiteral("restore"),
         QStringLiteral("Download a technician's whole history into a new file (--db NEWFILE --server URL)")},
        {QStringLiteral("server-init"),
         QStringLiteral("Create or upgrade the central schema (--server ADMIN_URL)")},
        {QStringLiteral("server-add-technician"),
         QStringLiteral("Create a technician, its login role and binding on the server (the password from a "
                        "prompt, stdin or --password-file)")},
        {QStringLiteral("server-add-dispatcher"),
         QStringLiteral("Create a dispatcher, who reads and writes every technician's rows, with its login "
                        "role and binding (the password as for server-add-technician)")},
        {QStringLiteral("extract"),
         QStringLiteral("Extract customer attributes from notes with the configured model ([--notes TEXT] "
                        "[--timeout SECONDS])")},
        {QStringLiteral("screenshots"),
         QStringLiteral("Render every screen to PNG files ([--db FILE] --out DIR [--theme light|dark])")},
    };
    return list;
}

QString optionLine(const QString &names, const QString &description)
{
    return QStringLiteral("  %1  %2\n").arg(names, -22).arg(description);
}

QString mainHelp()
{
    QString text = QStringLiteral("Usage: fieldbook [--db FILE | --demo]   (the window)\n"
                                  "       fieldbook <command> [options]\n\n"
                                  "Fieldbook, the offline-first app for field-service technicians.\n\n"
                                  "Commands:\n");
    for (const Command &command : commands())
        text += QStringLiteral("  %1  %2\n").arg(command.name, -22).arg(command.summary);
    text += QStringLiteral("\nOptions:\n");
    text += optionLine(QStringLiteral("-h, --help"), QStringLiteral("Show this help"));
    text += optionLine(QStringLiteral("-v, --version"), QStringLiteral("Show the version"));
    text += optionLine(QStringLiteral("--db FILE"),
                       QStringLiteral("Open FILE in the window instead of the default database (%1)")
                           .arg(defaultDatabasePath()));
    text += optionLine(QStringLiteral("--create"),
                       QStringLiteral("Make the folder of --db FILE when it does not exist (without it, a "
                                      "missing folder is an error)"));
    text += optionLine(QStringLiteral("--demo"), QStringLiteral("Open the demo database in the window (%1), "
                                                                "filling it with demo data on first start")
                                                     .arg(demoDatabasePath()));
    text += QStringLiteral("\nRun 'fieldbook <command> --help' for the options of a command.\n");
    return text;
}

QString commandHelp(const QString &command, const QString &summary, const QList<QCommandLineOption> &options)
{
    QString text = QStringLiteral("Usage: fieldbook %1 [options]\n\n%2\n\nOptions:\n").arg(command, summary);
    for (const QCommandLineOption &option : options) {
        QStringList names;
        for (const QString &name : option.names())
            names.append(name.size() == 1 ? QStringLiteral("-") + name : QStringLiteral("--") + name);
        QString shown = names.join(QStringLiteral(", "));
        if (!option.valueName().isEmpty())
            shown += QLatin1Char(' ') + option.valueName();
        text += optionLine(shown, option.description());
    }
    return text;
}

/// Parses a sub-command's arguments; prints the error (naming the option) and returns false on bad ones.
bool parseCommand(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                  QTextStream &err)
{
    if (!parser.parse(arguments)) {
        err << "fieldbook " << command << ": " << parser.errorText() << Qt::endl;
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "fieldbook " << command << ": unexpected argument '" << parser.positionalArguments().first()
            << "'" << Qt::endl;
        return false;
    }
    return true;
}

QCommandLineOption helpOption()
{
    return QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")},
                              QStringLiteral("Show this help"));
}

QCommandLineOption dbOption(const QString &description)
{
    return QCommandLineOption(QStringLiteral("db"), description, QStringLiteral("FILE"));
}

/// `--create` for the commands that create a database file (demo; the window has its own in gui.cpp).
QCommandLineOption createOption()
{
    return QCommandLineOption(QStringLiteral("create"),
                              QStringLiteral("Make the folder of FILE when it does not exist"));
}

/// Parsing a command's arguments ends with the options to run with, or with the exit code to stop with (the
/// help was shown, or a usage error printed).
template <typename Options> struct Parsed
{
    std::optional<Options> options;
    int exitCode = Success;

    static Parsed run(Options parsed) { return {std::move(parsed), Success}; }
    static Parsed stop(int code) { return {std::nullopt, code}; }
};

struct DemoOptions
{
    QString path;
    bool createFolder = false;
    int contacts = DemoDataGenerator::kDefaultContacts;
};

Parsed<DemoOptions> parseDemo(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("demo");
    const QCommandLineOption db =
        dbOption(QStringLiteral("The database file (created when missing; its folder must exist)"));
    const QCommandLineOption create = createOption();
    const QCommandLineOption contacts(QStringLiteral("contacts"),
                                      QStringLiteral("How many contacts, 1 to %1 (default %2)")
                                          .arg(DemoDataGenerator::kMaxContacts)
                                          .arg(DemoDataGenerator::kDefaultContacts),
                                      QStringLiteral("N"),
                                      QString::number(DemoDataGenerator::kDefaultContacts));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({db, create, contacts, help});
    if (!parseCommand(parser, command, arguments, err))
        return Parsed<DemoOptions>::stop(Usage);
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Fills FILE with realistic demo data for the profile \"%1\" <%2>: "
                           "contacts,\na catalog, two weeks of tickets around today, invoices, notes "
                           "and attributes.\nThe same N gives the same content; a file that already "
                           "has demo data is left alone.")
                .arg(DemoDataGenerator::profileName(), DemoDataGenerator::profileEmail()),
            {db, create, contacts, help});
        return Parsed<DemoOptions>::stop(Success);
    }
    DemoOptions options{parser.value(db), parser.isSet(create)};
    if (options.path.isEmpty()) {
        err << "fieldbook demo: --db FILE is required" << Qt::endl;
        return Parsed<DemoOptions>::stop(Usage);
    }
    bool isNumber = false;
    options.contacts = parser.value(contacts).toInt(&isNumber);
    if (!isNumber || options.contacts < 1 || options.contacts > DemoDataGenerator::kMaxContacts) {
        err << "fieldbook demo: --contacts must be a whole number from 1 to "
            << DemoDataGenerator::kMaxContacts << ", not '" << parser.value(contacts) << "'" << Qt::endl;
        return Parsed<DemoOptions>::stop(Usage);
    }
    return Parsed<DemoOptions>::run(options);
}

/// Opens (or creates) the demo's database, its folder too when asked, set up for a fast, disposable fill.
/// Prints the error and sets `exitCode` when it cannot.
std::unique_ptr<Core> openDemoDatabase(const DemoOptions &options, QTextStream &out, QTextStream &err,
                                       int &exitCode)
{
    exitCode = Failure;
    const auto folder = prepareDatabaseFolder(options.path, options.createFolder);
    if (!folder) {
        err << "fieldbook demo: " << folder.error().message << Qt::endl;
        exitCode = folder.error().code == ErrorCode::Validation ? Usage : Failure;
        return nullptr;
    }
    if (folder->created)
        out << "Created the folder " << folder->path << Qt::endl;

    auto core = Core::open(options.path, QStringLiteral("fieldbook-demo"));
    if (!core) {
        err << "fieldbook demo: " << core.error().toString() << Qt::endl;
        return nullptr;
    }
    // Demo data is disposable: commits need not survive a power cut, so this connection skips the fsync of
    // every commit (WAL with synchronous=NORMAL stays consistent). Delivering the events after the demo's one
    // transaction commits once per event, which made large demos wait on the disk.
    if (const Status fast = (*core)->db().execScript(QStringLiteral("PRAGMA synchronous = NORMAL")); !fast) {
        err << "fieldbook demo: " << fast.error().toString() << Qt::endl;
        return nullptr;
    }
    // Demo close-outs are entered after the fact with their attributes given: queueing their notes for
    // extraction would send every one of them to the model on the first sync.
    (*core)->tickets.setExtractionQueue(nullptr);
    exitCode = Success;
    return std::move(core).value();
}

int reportDemo(const DemoSummary &summary, const QString &path, QTextStream &out, QTextStream &err)
{
    const QString profile =
        QStringLiteral("%1 <%2>").arg(DemoDataGenerator::profileName(), DemoDataGenerator::profileEmail());
    if (summary.alreadyPresent)
        out << path << " already has demo data for " << profile << ": nothing added." << Qt::endl;
    else
        out << "Created demo data for " << profile << " in " << path << ":" << Qt::endl;
    for (const DemoSummary::Count &entry : summary.counts) {
        out << "  " << qSetFieldWidth(20) << Qt::left << entry.table << qSetFieldWidth(6) << Qt::right
            << entry.rows << qSetFieldWidth(0) << Qt::left;
        if (!entry.breakdown.isEmpty())
            out << "  (" << entry.breakdown << ")";
        out << Qt::endl;
    }
    if (summary.failedDeliveries > 0) {
        err << "fieldbook demo: " << summary.failedDeliveries
            << " event deliveries failed and wait for a retry; see 'fieldbook check --db " << path << "'"
            << Qt::endl;
        return Failure;
    }
    return Success;
}

int runDemo(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto parsed = parseDemo(arguments, out, err);
    if (!parsed.options)
        return parsed.exitCode;
    int exitCode = Success;
    const auto core = openDemoDatabase(*parsed.options, out, err, exitCode);
    if (!core)
        return exitCode;
    DemoDataGenerator generator(*core, QDate::currentDate());
    const auto summary = generator.generate(parsed.options->contacts);
    if (!summary) {
        err << "fieldbook demo: nothing was added: " << summary.error().toString() << Qt::endl;
        return Failure;
    }
    return reportDemo(*summary, parsed.options->path, out, err);
}

int runCheck(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("check");
    const QCommandLineOption db = dbOption(QStringLiteral("The database file to check (it must exist)"));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({db, help});
    if (!parseCommand(parser, command, arguments, err))
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Checks FILE without changing it (also in a read-only folder): its tables, "
                           "indexes,\ntriggers and views against this Fieldbook's, SQLite integrity and "
                           "foreign keys, an audit\nentry for every row and a sync record for every "
                           "audit entry, rows of one user referring to\nanother's, and failed event "
                           "deliveries. Prints one line per problem; exit 1 on any. Notes\n(events "
                           "waiting for their delivery, a read-only folder) are not problems."),
            {db, help});
        return Success;
    }
    const QString path = parser.value(db);
    if (path.isEmpty()) {
        err << "fieldbook check: --db FILE is required" << Qt::endl;
        return Usage;
    }
    if (const QFileInfo file(path); !file.isFile()) {
        err << "fieldbook check: " << path;
        if (file.exists())
            err << " is not a file";
        else if (!file.absoluteDir().exists())
            err << " does not exist: the folder " << file.absolutePath() << " does not exist";
        else
            err << " does not exist (check never creates a database)";
        err << Qt::endl;
        return Failure;
    }
    const auto report = checkIntegrity(path);
    if (!report) {
        err << "fieldbook check: " << report.error().toString() << Qt::endl;
        return Failure;
    }
    for (const QString &problem : report->problems)
        out << problem << Qt::endl;
    for (const QString &note : report->notes)
        out << "note: " << note << Qt::endl;
    if (report->ok()) {
        out << "ok: " << report->rowsChecked << " rows checked" << Qt::endl;
        return Success;
    }
    out << "FAILED: " << report->problems.size() << " problem(s) in " << report->rowsChecked
        << " rows checked" << Qt::endl;
    return Failure;
}

QCommandLineOption serverOption(const QString &description)
{
    return QCommandLineOption(QStringLiteral("server"), description, QStringLiteral("URL"));
}

/// Whether --server is a URL libpq reads as meant (sync::ServerUrl::check); otherwise prints what is wrong in
/// words, quoting nothing of the value (it may hold a password). key=value connection strings are refused.
bool serverUrlOk(const QString &command, const QString &url, QTextStream &err)
{
    const Status valid = sync::ServerUrl::check(url, QStringLiteral("--server"));
    if (!valid)
        err << "fieldbook " << command << ": --server " << valid.error().message << Qt::endl;
    return valid.ok();
}

/// Prints an error of a command that was given `url`, scrubbed of it and of its and `passwords`' secrets
/// (PgConnection scrubs its own messages; this covers whatever else reaches the terminal).
void printError(const QString &command, const QString &message, const QString &url, QTextStream &err,
                const QStringList &passwords = {})
{
    err << "fieldbook " << command << ": " << sync::ServerUrl::scrub(message, url, passwords) << Qt::endl;
}

/// Connects to the server; on failure prints one line (never the URL: it may hold a password).
std::unique_ptr<sync::PgConnection> connectServer(const QString &command, const QString &url,
                                                  QTextStream &err)
{
    auto server = sync::PgConnection::connect(url);
    if (!server) {
        printError(command, server.error().message, url, err);
        return nullptr;
    }
    return std::move(server).value();
}

int runServerInit(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("server-init");
    const QCommandLineOption server =
        serverOption(QStringLiteral("PostgreSQL URL of an administrative role (postgresql://admin@host/db)"));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({server, help});
    if (!parseCommand(parser, command, arguments, err))
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Creates the central schema, or upgrades it to this Fieldbook's version: "
                           "the seed's tables,\nrow-level security, the technician role. Each "
                           "step is one transaction."),
            {server, help});
        return Success;
    }
    if (parser.value(server).isEmpty()) {
        err << "fieldbook server-init: --server URL is required" << Qt::endl;
        return Usage;
    }
    if (!serverUrlOk(command, parser.value(server), err))
        return Usage;
    auto connection = connectServer(command, parser.value(server), err);
    if (!connection)
        return Failure;
    sync::ServerAdmin admin(*connection);
    const auto before = admin.schemaVersion();
    const auto reached = admin.initialize();
    if (!reached) {
        printError(command, reached.error().message, parser.value(server), err);
        return Failure;
    }
    if (before && *before == *reached)
        out << connection->describe() << " is at schema version " << *reached << ": nothing to do."
            << Qt::endl;
    else
        out << connection->describe() << " now has schema version " << *reached << "." << Qt::endl;
    return Success;
}

int runRestore(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("restore");
    const QCommandLineOption db{QStringLiteral("db"), QStringLiteral("The new database file to fill"),
                                QStringLiteral("FILE")};
    const QCommandLineOption server = serverOption(
        QStringLiteral("PostgreSQL URL of the technician's own login (postgresql://login@host/db)"));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({db, server, help});
    if (!parseCommand(parser, command, arguments, err))
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Downloads the technician's whole history (customers, jobs, invoices, "
                           "the audit trail)\ninto a new file, with progress: a new laptop or a second "
                           "device. Run it again after an\ninterruption: it goes on where it stopped. Exit 0 "
                           "when the file is complete."),
            {db, server, help});
        return Success;
    }
    for (const QCommandLineOption &required : {db, server}) {
        if (parser.value(required).isEmpty()) {
            err << "fieldbook restore: --" << required.names().constFirst() << " is required" << Qt::endl;
            return Usage;
        }
    }
    if (!serverUrlOk(command, parser.value(server), err))
        return Usage;
    auto connection = connectServer(command, parser.value(server), err);
    if (!connection)
        return Failure;
    auto core = Core::open(parser.value(db), QStringLiteral("fieldbook-restore"));
    if (!core) {
        err << "fieldbook restore: " << core.error().toString() << Qt::endl;
        return Failure;
    }
    bool pageSizeSet = false;
    const int pageSize = qEnvironmentVariableIntValue("FIELDBOOK_SYNC_PULL_PAGE", &pageSizeSet);
    sync::Restorer restorer(**core,
                            pageSizeSet && pageSize > 0 ? pageSize : sync::Restorer::kDefaultPageSize);
    const auto report = restorer.restore(*connection, [&out](const QString &what, qint64 done, qint64 total) {
        out << "restoring " << what << ": " << done;
        if (total > 0)
            out << " of " << total;
        out << Qt::endl;
    });
    if (!report) {
        printError(command, report.error().message, parser.value(server), err);
        return Failure;
    }
    out << (report->resumed ? "resumed and restored " : "restored ") << report->rows << " row(s) and "
        << report->entries << " history entries of " << report->name << " into " << parser.value(db)
        << "; then pulled " << report->pull.changes << " newer change(s)" << Qt::endl;
    return Success;
}

/// server-add-technician and server-add-dispatcher: the same command line for two kinds of login.
struct LoginCommand
{
    QString name; ///< the command
    QString noun; ///< who it adds: "technician", "dispatcher"
    sync::ServerAdmin::LoginKind kind;
    QString about; ///< what the login may do, for the help
};

const LoginCommand &technicianCommand()
{
    static const LoginCommand command{
        QStringLiteral("server-add-technician"), QStringLiteral("technician"),
        sync::ServerAdmin::LoginKind::Technician,
        QStringLiteral("Creates the server user, its login role (a member of fieldbook_technician) and the\n"
                       "binding that lets that role act as that user only.\n")};
    return command;
}

const LoginCommand &dispatcherCommand()
{
    static const LoginCommand command{
        QStringLiteral("server-add-dispatcher"), QStringLiteral("dispatcher"),
        sync::ServerAdmin::LoginKind::Dispatcher,
        QStringLiteral("Creates the server user of a dispatcher, its login role (a member of\n"
                       "fieldbook_dispatcher) and the binding. A dispatcher reads and writes every "
                       "technician's\nrows (books, moves and cancels jobs, edits customers and services); "
                       "the server audits\neach of its writes with the dispatcher as the author, and it "
                       "cannot change or delete\nthe history. Needs server schema 4 (fieldbook "
                       "server-init).\n")};
    return command;
}

struct LoginOptions
{
    QString server;
    QString email;
    QString name;
    QString login;
    QString passwordFile;
    QUuid userId; ///< null: the server makes one
};

/// The command line of server-add-technician and server-add-dispatcher.
struct LoginCommandLine
{
    explicit LoginCommandLine(const QString &noun)
        : email(QStringLiteral("email"), QStringLiteral("The %1's e-mail").arg(noun), QStringLiteral("E")),
          name(QStringLiteral("name"), QStringLiteral("The %1's name").arg(noun), QStringLiteral("N"))
    {
    }

    QCommandLineOption server = serverOption(QStringLiteral("PostgreSQL URL of an administrative role"));
    QCommandLineOption email;
    QCommandLineOption name;
    QCommandLineOption login{QStringLiteral("login"), QStringLiteral("The login role to create"),
                             QStringLiteral("ROLE")};
    QCommandLineOption passwordFile{
        QStringLiteral("password-file"),
        QStringLiteral("Read the login's password from the first line of FILE (default: a prompt on a "
                       "terminal, else the first line of stdin)"),
        QStringLiteral("FILE")};
    // Refused, not just missing: a password on the command line is readable in /proc by every local user
    // while the command runs. Kept as an option so that using it says why and what to do instead.
    QCommandLineOption password{QStringLiteral("password"), QString(), QStringLiteral("P")};
    QCommandLineOption id{QStringLiteral("id"),
                          QStringLiteral("Keep this user id (a profile created offline on a laptop)"),
                          QStringLiteral("UUID")};
    QCommandLineOption help = helpOption();
};

/// The values of a parsed command line; prints what is wrong and returns Usage when one is refused, missing
/// or malformed.
Parsed<LoginOptions> loginOptions(const QString &command, const QCommandLineParser &parser,
                                  const LoginCommandLine &line, QTextStream &err)
{
    if (parser.isSet(line.password)) {
        err << "fieldbook " << command
            << ": --password is not accepted: every user of this computer can read a command line while it "
               "runs; use --password-file FILE, standard input, or the prompt"
            << Qt::endl;
        return Parsed<LoginOptions>::stop(Usage);
    }
    for (const QCommandLineOption &required : {line.server, line.email, line.name, line.login}) {
        if (parser.value(required).isEmpty()) {
            err << "fieldbook " << command << ": --" << required.names().constFirst() << " is required"
                << Qt::endl;
            return Parsed<LoginOptions>::stop(Usage);
        }
    }
    LoginOptions options{parser.value(line.server), parser.value(line.email),        parser.value(line.name),
                         parser.value(line.login),  parser.value(line.passwordFile), {}};
    if (parser.isSet(line.id)) {
        options.userId = QUuid::fromString(parser.value(line.id));
        if (options.userId.isNull()) {
            err << "fieldbook " << command << ": --id '" << parser.value(line.id) << "' is not a UUID"
                << Qt::endl;
            return Parsed<LoginOptions>::stop(Usage);
        }
    }
    if (!serverUrlOk(command, options.server, err))
        return Parsed<LoginOptions>::stop(Usage);
    return Parsed<LoginOptions>::run(options);
}

Parsed<LoginOptions> parseAddLogin(const LoginCommand &command, const QStringList &arguments,
                                   QTextStream &out, QTextStream &err)
{
    const LoginCommandLine line(command.noun);
    QCommandLineParser parser;
    parser.addOptions({line.server, line.email, line.name, line.login, line.passwordFile, line.password,
                       line.id, line.help});
    if (!parseCommand(parser, command.name, arguments, err))
        return Parsed<LoginOptions>::stop(Usage);
    if (parser.isSet(line.help)) {
        out << commandHelp(
            command.name,
            command.about +
                QStringLiteral(
                    "Prints the user id. The password is never taken from the command line: it is\n"
                    "typed at a prompt (twice, not shown), or read from the first line "
                    "of standard input\nor of --password-file FILE; it reaches the "
                    "server only as a SCRAM-SHA-256 verifier."),
            {line.server, line.email, line.name, line.login, line.passwordFile, line.id, line.help});
        return Parsed<LoginOptions>::stop(Success);
    }
    return loginOptions(command.name, parser, line, err);
}

/// server-add-technician, server-add-dispatcher.
int runAddLogin(const LoginCommand &command, const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto parsed = parseAddLogin(command, arguments, out, err);
    if (!parsed.options)
        return parsed.exitCode;
    const LoginOptions &options = *parsed.options;
    // Before connecting: a prompt does not hold a connection open while someone types.
    const auto secret = PasswordInput::readNew(
        options.passwordFile, err, QStringLiteral("Password for the new login %1").arg(options.login));
    if (!secret) {
        err << "fieldbook " << command.name << ": " << secret.error().toString() << Qt::endl;
        return Usage;
    }
    auto connection = connectServer(command.name, options.server, err);
    if (!connection)
        return Failure;
    sync::ServerAdmin admin(*connection);
    const sync::ServerAdmin::Login person{options.email, options.name, options.login, *secret,
                                          options.userId};
    const auto added = command.kind == sync::ServerAdmin::LoginKind::Dispatcher ? admin.addDispatcher(person)
                                                                                : admin.addTechnician(person);
    if (!added) {
        printError(command.name, added.error().toString(), options.server, err, {*secret});
        return added.error().code == ErrorCode::Validation ? Usage : Failure;
    }
    out << idText(*added) << Qt::endl;
    return Success;
}

struct SyncOptions
{
    QString path;
    QString server;
    std::optional<QString> user; ///< --user as given; none: the file's only profile
    bool retrySetAside = false;
    bool acceptRemovals = false; ///< the pull may remove most of a table's rows (the office really did)
};

Parsed<SyncOptions> parseSync(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("sync");
    const QCommandLineOption db = dbOption(QStringLiteral("The database file (it must exist)"));
    const QCommandLineOption server = serverOption(QStringLiteral(
        "PostgreSQL URL of the technician's login; the password may also come from PGPASSWORD or "
        "~/.pgpass"));
    const QCommandLineOption user(
        QStringLiteral("user"),
        QStringLiteral("The technician profile to push (needed when the file holds several)"),
        QStringLiteral("ID"));
    const QCommandLineOption retry(
        QStringLiteral("retry-set-aside"),
        QStringLiteral("Put every change set aside back in the queue first (after the cause was fixed)"));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    const QCommandLineOption acceptRemovals(
        QStringLiteral("accept-removals"),
        QStringLiteral("Let the pull remove most of a kind of rows here (the office really removed them)"));
    parser.addOptions({db, server, user, retry, acceptRemovals, help});
    if (!parseCommand(parser, command, arguments, err))
        return Parsed<SyncOptions>::stop(Usage);
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Runs one sync cycle: every pending change of the technician goes to the "
                           "server exactly once,\nin bounded batches, then the server's changes to the "
                           "technician's rows (the office's,\nanother device's) come down, page by page. "
                           "First it checks the server (its "
                           "schema, the login's rights and\nidentity): a problem there fails the cycle "
                           "with what to fix, and sets nothing aside.\nA change the server refuses for "
                           "its own content is set aside with the reason and\nlisted; changes set "
                           "aside are tried again when the server's schema changes, a day\nlater, or "
                           "with --retry-set-aside. Exit 0 on success, 1 with a one-line reason\n"
                           "otherwise."),
            {db, server, user, retry, acceptRemovals, help});
        return Parsed<SyncOptions>::stop(Success);
    }
    for (const QCommandLineOption &required : {db, server}) {
        if (parser.value(required).isEmpty()) {
            err << "fieldbook sync: --" << required.names().constFirst() << " is required" << Qt::endl;
            return Parsed<SyncOptions>::stop(Usage);
        }
    }
    if (!serverUrlOk(command, parser.value(server), err))
        return Parsed<SyncOptions>::stop(Usage);
    const std::optional<QString> chosen =
        parser.isSet(user) ? std::optional<QString>(parser.value(user)) : std::nullopt;
    return Parsed<SyncOptions>::run(
        {parser.value(db), parser.value(server), chosen, parser.isSet(retry), parser.isSet(acceptRemovals)});
}

/// Selects the technician whose changes are pushed: --user, else the file's only profile. Prints the error
/// and returns its exit code when there is none to select; Success when it is selected.
int selectTechnician(Core &core, const SyncOptions &options, QUuid &userId, QTextStream &err)
{
    if (options.user) {
        userId = QUuid::fromString(*options.user);
        if (userId.isNull()) {
            err << "fieldbook sync: --user '" << *options.user << "' is not a UUID" << Qt::endl;
            return Usage;
        }
    } else {
        const auto users = core.users.list();
        if (!users || users->size() != 1) {
            err << "fieldbook sync: " << options.path << " holds " << (users ? users->size() : 0)
                << " technician profiles: choose one with --user ID" << Qt::endl;
            return Usage;
        }
        userId = users->first().id;
    }
    if (auto selected = core.setCurrentUser(userId); !selected) {
        err << "fieldbook sync: " << selected.error().toString() << Qt::endl;
        return Failure;
    }
    return Success;
}

/// Brings the server's changes to `userId`'s rows down, after the push, with its report.
int pull(Core &core, const QUuid &userId, const SyncOptions &options, sync::PgConnection &connection,
         QTextStream &out, QTextStream &err)
{
    // Test hook (tests/sync/test_pull.cpp): a small page lets a crash fall between two pages.
    bool pageSizeSet = false;
    const int pageSize = qEnvironmentVariableIntValue("FIELDBOOK_SYNC_PULL_PAGE", &pageSizeSet);
    sync::Puller puller(core.db(), userId,
                        pageSizeSet && pageSize > 0 ? pageSize : sync::Puller::kDefaultPageSize);
    puller.setAcceptRemovals(options.acceptRemovals);
    const auto report = puller.pullAll(connection);
    if (!report) {
        err << "fieldbook sync: the pull failed: " << report.error().message << Qt::endl;
        return Failure;
    }
    out << "pulled " << report->changes << " change(s) from the server: " << report->rowsApplied
        << " row(s) brought up to date here, " << report->entries << " history entries added, "
        << report->keptLocal << " local change(s) left for the push" << Qt::endl;
    for (const QString &row : report->leftOut)
        out << "left out, until the server changes it again: " << row << Qt::endl;
    return Success;
}

/// One sync cycle of `userId`: the pending changes go to the server, then the server's come down.
int push(Core &core, const QUuid &userId, const SyncOptions &options, QTextStream &out, QTextStream &err)
{
    auto connection = connectServer(QStringLiteral("sync"), options.server, err);
    if (!connection)
        return Failure;
    // Test hook (tests/sync/test_push_crash.cpp): a small batch size lets a crash fall between two batches.
    bool batchSizeSet = false;
    const int batchSize = qEnvironmentVariableIntValue("FIELDBOOK_SYNC_BATCH_SIZE", &batchSizeSet);
    sync::Pusher pusher(core.db(), userId,
                        batchSizeSet && batchSize > 0 ? batchSize : sync::Pusher::kDefaultBatchSize);
    if (options.retrySetAside) {
        const auto released = pusher.releaseQuarantine();
        if (!released) {
            err << "fieldbook sync: " << released.error().toString() << Qt::endl;
            return Failure;
        }
        out << "trying again " << *released << " change(s) set aside" << Qt::endl;
    }
    const auto report = pusher.pushAll(*connection);
    if (report && report->released > 0)
        out << "tried again " << report->released << " change(s) set aside, as " << report->releasedWhy
            << Qt::endl;
    const auto quarantined = pusher.quarantined();
    if (quarantined) {
        for (const auto &change : *quarantined)
            out << "set aside: " << change.entityType << " " << idText(change.entityId) << " (change "
                << change.seq << "): " << change.reason << Qt::endl;
    }
    if (!report) {
        err << "fieldbook sync: " << report.error().message << Qt::endl;
        return Failure;
    }
    out << "pushed " << report->pushed << " change(s) in " << report->batches << " transaction(s) to "
        << connection->describe() << "; " << (quarantined ? quarantined->size() : 0) << " set aside; "
        << report->remaining << " pending" << Qt::endl;
    return pull(core, userId, options, *connection, out, err);
}

int runSync(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto parsed = parseSync(arguments, out, err);
    if (!parsed.options)
        return parsed.exitCode;
    const SyncOptions &options = *parsed.options;
    if (!QFileInfo(options.path).isFile()) {
        err << "fieldbook sync: " << options.path << " does not exist" << Qt::endl;
        return Failure;
    }
    auto core = Core::open(options.path, QStringLiteral("fieldbook-sync"));
    if (!core) {
        err << "fieldbook sync: " << core.error().toString() << Qt::endl;
        return Failure;
    }
    QUuid userId;
    if (const int selected = selectTechnician(**core, options, userId, err); selected != Success)
        return selected;
    return push(**core, userId, options, out, err);
}

constexpr int kDefaultExtractTimeoutSeconds = 90;
constexpr int kMaxExtractTimeoutSeconds = 3600;

struct ExtractOptions
{
    std::optional<QString> notes; ///< --notes; none: read from stdin
    int timeoutSeconds = kDefaultExtractTimeoutSeconds;
};

Parsed<ExtractOptions> parseExtract(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("extract");
    const QCommandLineOption notesOption(
        QStringLiteral("notes"),
        QStringLiteral("The technician's notes, at most 64 KiB (default: read "
                       "from stdin)"),
        QStringLiteral("TEXT"));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout"),
        QStringLiteral("Give up after SECONDS in all, retries included (default %1)")
            .arg(kDefaultExtractTimeoutSeconds),
        QStringLiteral("SECONDS"), QString::number(kDefaultExtractTimeoutSeconds));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({notesOption, timeoutOption, help});
    if (!parseCommand(parser, command, arguments, err))
        return Parsed<ExtractOptions>::stop(Usage);
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Runs one extraction with the configured model and prints the attributes as "
                           "JSON: a check of\nthe key and model. Settings: FIELDBOOK_LLM_PROVIDER "
                           "(anthropic | openai), FIELDBOOK_LLM_BASE_URL,\nFIELDBOOK_LLM_MODEL; the "
                           "key from ANTHROPIC_API_KEY (OPENAI_API_KEY) or the keychain. Says on\nstderr "
                           "which model and server it waits for, and waits %1 s at most (--timeout), "
                           "retries\nincluded. Notes over 64 KiB are refused, as a note is. Exit 0 on "
                           "success, 1 with one line\n(error type, HTTP status, request-id) otherwise.")
                .arg(kDefaultExtractTimeoutSeconds),
            {notesOption, timeoutOption, help});
        return Parsed<ExtractOptions>::stop(Success);
    }
    ExtractOptions options;
    bool isNumber = false;
    options.timeoutSeconds = parser.value(timeoutOption).toInt(&isNumber);
    if (!isNumber || options.timeoutSeconds < 1 || options.timeoutSeconds > kMaxExtractTimeoutSeconds) {
        err << "fieldbook extract: --timeout must be a whole number of seconds from 1 to "
            << kMaxExtractTimeoutSeconds << ", not '" << parser.value(timeoutOption) << "'" << Qt::endl;
        return Parsed<ExtractOptions>::stop(Usage);
    }
    if (parser.isSet(notesOption))
        options.notes = parser.value(notesOption);
    return Parsed<ExtractOptions>::run(options);
}

/// The notes to extract from: --notes, else standard input, at most one byte past a note's limit. Prints
/// what is wrong and returns the exit code when there are none or they are too long.
Parsed<QString> extractNotes(const ExtractOptions &options, QTextStream &err)
{
    QString notes;
    if (options.notes) {
        notes = *options.notes;
    } else {
        // Never more than one byte past the limit: a huge input is refused without being held whole.
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            err << "fieldbook extract: cannot read standard input" << Qt::endl;
            return Parsed<QString>::stop(Failure);
        }
        QByteArray bytes;
        while (bytes.size() <= validate::kMaxNoteBytes) {
            const QByteArray chunk = in.read(validate::kMaxNoteBytes + 1 - bytes.size());
            if (chunk.isEmpty())
                break;
            bytes += chunk;
        }
        // A character cut at the limit decodes to a replacement character: still over the limit.
        notes = QString::fromUtf8(bytes);
    }
    if (notes.trimmed().isEmpty()) {
        err << "fieldbook extract: no notes (give --notes TEXT or write them to stdin)" << Qt::endl;
        return Parsed<QString>::stop(Usage);
    }
    if (const Status fits = AttributeExtractor::checkNotes(notes); !fits) {
        err << "fieldbook extract: " << fits.error().toString() << " (the limit of a note); nothing was sent"
            << Qt::endl;
        return Parsed<QString>::stop(Usage);
    }
    return Parsed<QString>::run(notes);
}

/// The model's settings with its key, from the environment or the keychain (never from settings), and one
/// deadline for the whole command, the keychain lookup included.
sync::LlmSettings extractSettings(int timeoutSeconds)
{
    const QSettings stored;
    sync::LlmSettings settings = sync::LlmSettings::load(stored);
    settings.deadline = std::chrono::seconds{timeoutSeconds};
    // FIELDBOOK_NO_KEYCHAIN (or FIELDBOOK_LLM_NO_KEYCHAIN) skips the keychain (headless machines, tests); a
    // keychain that does not answer costs at most the lookup's timeout, and never more than the deadline,
    // which it shortens.
    if (settings.apiKey.isEmpty() && sync::LlmKeyStore::enabled()) {
        const QDeadlineTimer overall(settings.deadline);
        const auto lookup =
            std::min<std::chrono::milliseconds>(sync::keychain::readTimeout(), settings.deadline);
        if (auto key = sync::LlmKeyStore::readBlocking(settings.provider, lookup); key)
            settings.apiKey = *key;
        settings.deadline = std::max(
            std::chrono::milliseconds{1},
            std::chrono::duration_cast<std::chrono::milliseconds>(overall.remainingTimeAsDuration()));
    }
    return settings;
}

/// Says what it waits for, before the wait: the server without its user info, path or query, never the key.
void announceExtraction(const sync::LlmSettings &settings, int timeoutSeconds, QTextStream &err)
{
    const QString server =
        settings.effectiveBaseUrl()
            .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
            .toString();
    err << "fieldbook extract: asking " << sync::toString(settings.provider) << " model "
        << settings.effectiveModel() << " at " << server << ", waiting at most " << timeoutSeconds << " s"
        << Qt::endl;
}

/// Sends the request and waits, in an event loop, for its outcome (the client's deadline bounds the wait).
sync::LlmOutcome exchange(sync::HttpLlmClient &client, const QString &notes)
{
    std::optional<sync::LlmOutcome> outcome;
    QEventLoop loop;
    client.exchange(AttributeExtractor::buildRequest(notes), [&](const sync::LlmOutcome &o) {
        outcome = o;
        loop.quit();
    });
    if (!outcome)
        loop.exec();
    return *outcome;
}

int reportExtraction(const sync::LlmOutcome &outcome, QTextStream &out, QTextStream &err)
{
    if (!outcome.ok()) {
        err << "fieldbook extract: " << outcome.error.describe() << Qt::endl;
        return Failure;
    }
    const auto attributes = AttributeExtractor::interpret(*outcome.response);
    if (!attributes) {
        const QString message = attributes.error().message;
        const QString type = message.startsWith(QStringLiteral("truncated"))
                                 ? QStringLiteral("truncated")
                                 : (message.startsWith(QStringLiteral("refused")) ? QStringLiteral("refused")
                                                                                  : QStringLiteral("parse"));
        err << "fieldbook extract: " << type << ", HTTP " << outcome.httpStatus << ", request-id "
            << outcome.response->requestId << ": "
            << QString(message).replace(QLatin1Char('\n'), QLatin1Char(' ')) << Qt::endl;
        return Failure;
    }
    out << QString::fromUtf8(QJsonDocument(attributes->attributes).toJson(QJsonDocument::Indented));
    out.flush();
    return Success;
}

int runExtract(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto parsed = parseExtract(arguments, out, err);
    if (!parsed.options)
        return parsed.exitCode;
    const auto notes = extractNotes(*parsed.options, err);
    if (!notes.options)
        return notes.exitCode;
    const sync::LlmSettings settings = extractSettings(parsed.options->timeoutSeconds);
    // The final line says everything; the client's per-attempt warnings would only repeat it.
    QLoggingCategory::setFilterRules(
        QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false\nfieldbook.llm.warning=false"));
    const auto client = sync::createLlmClient(settings);
    if (client->configurationProblem().isEmpty())
        announceExtraction(settings, parsed.options->timeoutSeconds, err);
    return reportExtraction(exchange(*client, *notes.options), out, err);
}

} // namespace

QString defaultDatabasePath()
{
    // ~/.local/share/fieldbook/ whatever the organization name (AppDataLocation would add it as a level).
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/fieldbook/fieldbook.db");
}

QString demoDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/fieldbook/demo.db");
}

int run(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    // Options after the command belong to the command: `fieldbook demo --help` is the demo's help.
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption help = helpOption();
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show the version"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Open the demo database in your data directory (%1), filling it "
                       "with demo data on first start")
            .arg(demoDatabasePath()));
    parser.addOptions({help, version, demo});
    if (!parser.parse(arguments)) {
        err << "fieldbook: " << parser.errorText() << Qt::endl;
        return Usage;
    }
    if (parser.isSet(version)) {
        out << "fieldbook " << FIELDBOOK_VERSION << Qt::endl;
        return Success;
    }
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(help)) {
        out << mainHelp();
        return Success;
    }
    if (positional.isEmpty()) {
        // main() opens the window when there is no command; here only a bare option list can arrive.
        out << mainHelp();
        return Success;
    }
    const QString command = positional.first();
    const QStringList commandArguments =
        QStringList{arguments.value(0, QStringLiteral("fieldbook"))} + positional.mid(1);
    if (command == QStringLiteral("demo"))
        return runDemo(commandArguments, out, err);
    if (command == QStringLiteral("check"))
        return runCheck(commandArguments, out, err);
    if (command == QStringLiteral("sync"))
        return runSync(commandArguments, out, err);
    if (command == QStringLiteral("restore"))
        return runRestore(commandArguments, out, err);
    if (command == QStringLiteral("server-init"))
        return runServerInit(commandArguments, out, err);
    if (command == technicianCommand().name)
        return runAddLogin(technicianCommand(), commandArguments, out, err);
    if (command == dispatcherCommand().name)
        return runAddLogin(dispatcherCommand(), commandArguments, out, err);
    if (command == QStringLiteral("extract"))
        return runExtract(commandArguments, out, err);
    err << "fieldbook: unknown command '" << command
        << "' (commands: demo, check, sync, restore, server-init, server-add-technician, "
           "server-add-dispatcher, "
           "extract, screenshots; see "
           "fieldbook "
           "--help)"
        << Qt::endl;
    return Usage;
}

} // namespace fb::cli
