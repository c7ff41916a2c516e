#include "cli.h"

#include "core.h"
#include "databasefolder.h"
#include "demodata.h"
#include "integritycheck.h"
#include "llm/llmclientfactory.h"
#include "llm/llmkeystore.h"
#include "pgconnection.h"
#include "pusher.h"
#include "serveradmin.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDate>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>

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
         QStringLiteral("Push a database's pending changes to the central server (--db FILE --server URL)")},
        {QStringLiteral("server-init"),
         QStringLiteral("Create or upgrade the central schema (--server ADMIN_URL)")},
        {QStringLiteral("server-add-technician"),
         QStringLiteral("Create a technician, its login role and binding on the server")},
        {QStringLiteral("extract"),
         QStringLiteral("Extract customer attributes from notes with the configured model ([--notes TEXT])")},
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

int runDemo(const QStringList &arguments, QTextStream &out, QTextStream &err)
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
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Fills FILE with realistic demo data for the profile \"%1\" <%2>: "
                           "contacts,\na catalog, two weeks of tickets around today, invoices, notes "
                           "and attributes.\nThe same N gives the same content; a file that already "
                           "has demo data is left alone.")
                .arg(DemoDataGenerator::profileName(), DemoDataGenerator::profileEmail()),
            {db, create, contacts, help});
        return Success;
    }
    const QString path = parser.value(db);
    if (path.isEmpty()) {
        err << "fieldbook demo: --db FILE is required" << Qt::endl;
        return Usage;
    }
    bool isNumber = false;
    const int count = parser.value(contacts).toInt(&isNumber);
    if (!isNumber || count < 1 || count > DemoDataGenerator::kMaxContacts) {
        err << "fieldbook demo: --contacts must be a whole number from 1 to "
            << DemoDataGenerator::kMaxContacts << ", not '" << parser.value(contacts) << "'" << Qt::endl;
        return Usage;
    }

    const auto folder = prepareDatabaseFolder(path, parser.isSet(create));
    if (!folder) {
        err << "fieldbook demo: " << folder.error().message << Qt::endl;
        return folder.error().code == ErrorCode::Validation ? Usage : Failure;
    }
    if (folder->created)
        out << "Created the folder " << folder->path << Qt::endl;

    auto core = Core::open(path, QStringLiteral("fieldbook-demo"));
    if (!core) {
        err << "fieldbook demo: " << core.error().toString() << Qt::endl;
        return Failure;
    }
    // Demo data is disposable: commits need not survive a power cut, so this connection skips the fsync of
    // every commit (WAL with synchronous=NORMAL stays consistent). Delivering the events after the demo's one
    // transaction commits once per event, which made large demos wait on the disk.
    if (const Status fast = (*core)->db().execScript(QStringLiteral("PRAGMA synchronous = NORMAL")); !fast) {
        err << "fieldbook demo: " << fast.error().toString() << Qt::endl;
        return Failure;
    }
    // Demo close-outs are entered after the fact with their attributes given: queueing their notes for
    // extraction would send every one of them to the model on the first sync.
    (*core)->tickets.setExtractionQueue(nullptr);
    DemoDataGenerator generator(**core, QDate::currentDate());
    const auto summary = generator.generate(count);
    if (!summary) {
        err << "fieldbook demo: nothing was added: " << summary.error().toString() << Qt::endl;
        return Failure;
    }
    const QString profile =
        QStringLiteral("%1 <%2>").arg(DemoDataGenerator::profileName(), DemoDataGenerator::profileEmail());
    if (summary->alreadyPresent)
        out << path << " already has demo data for " << profile << ": nothing added." << Qt::endl;
    else
        out << "Created demo data for " << profile << " in " << path << ":" << Qt::endl;
    for (const DemoSummary::Count &entry : summary->counts) {
        out << "  " << qSetFieldWidth(20) << Qt::left << entry.table << qSetFieldWidth(6) << Qt::right
            << entry.rows << qSetFieldWidth(0) << Qt::left;
        if (!entry.breakdown.isEmpty())
            out << "  (" << entry.breakdown << ")";
        out << Qt::endl;
    }
    if (summary->failedDeliveries > 0) {
        err << "fieldbook demo: " << summary->failedDeliveries
            << " event deliveries failed and wait for a retry; see 'fieldbook check --db " << path << "'"
            << Qt::endl;
        return Failure;
    }
    return Success;
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

/// Connects to the server; on failure prints one line (never the URL: it may hold a password).
std::unique_ptr<sync::PgConnection> connectServer(const QString &command, const QString &url,
                                                  QTextStream &err)
{
    auto server = sync::PgConnection::connect(url);
    if (!server) {
        err << "fieldbook " << command << ": " << server.error().message << Qt::endl;
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
    auto connection = connectServer(command, parser.value(server), err);
    if (!connection)
        return Failure;
    sync::ServerAdmin admin(*connection);
    const auto before = admin.schemaVersion();
    const auto reached = admin.initialize();
    if (!reached) {
        err << "fieldbook server-init: " << reached.error().message << Qt::endl;
        return Failure;
    }
    if (before && *before == *reached)
        out << connection->describe() << " is at schema version " << *reached << ": nothing to do."
            << Qt::endl;
    else
        out << connection->describe() << " now has schema version " << *reached << "." << Qt::endl;
    return Success;
}

int runAddTechnician(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("server-add-technician");
    const QCommandLineOption server =
        serverOption(QStringLiteral("PostgreSQL URL of an administrative role"));
    const QCommandLineOption email(QStringLiteral("email"), QStringLiteral("The technician's e-mail"),
                                   QStringLiteral("E"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("The technician's name"),
                                  QStringLiteral("N"));
    const QCommandLineOption login(QStringLiteral("login"), QStringLiteral("The login role to create"),
                                   QStringLiteral("ROLE"));
    const QCommandLineOption password(QStringLiteral("password"),
                                      QStringLiteral("The login's password (sent only as a SCRAM verifier)"),
                                      QStringLiteral("P"));
    const QCommandLineOption id(QStringLiteral("id"),
                                QStringLiteral("Keep this user id (a profile created offline on a laptop)"),
                                QStringLiteral("UUID"));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({server, email, name, login, password, id, help});
    if (!parseCommand(parser, command, arguments, err))
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(command,
                           QStringLiteral("Creates the server user, its login role (a member of "
                                          "fieldbook_technician) and the\nbinding that lets that role act as "
                                          "that user only. Prints the user id."),
                           {server, email, name, login, password, id, help});
        return Success;
    }
    for (const QCommandLineOption &required : {server, email, name, login, password}) {
        if (parser.value(required).isEmpty()) {
            err << "fieldbook " << command << ": --" << required.names().constFirst() << " is required"
                << Qt::endl;
            return Usage;
        }
    }
    QUuid userId;
    if (parser.isSet(id)) {
        userId = QUuid::fromString(parser.value(id));
        if (userId.isNull()) {
            err << "fieldbook " << command << ": --id '" << parser.value(id) << "' is not a UUID" << Qt::endl;
            return Usage;
        }
    }
    auto connection = connectServer(command, parser.value(server), err);
    if (!connection)
        return Failure;
    sync::ServerAdmin admin(*connection);
    const auto added = admin.addTechnician(
        {parser.value(email), parser.value(name), parser.value(login), parser.value(password), userId});
    if (!added) {
        err << "fieldbook " << command << ": " << added.error().toString() << Qt::endl;
        return added.error().code == ErrorCode::Validation ? Usage : Failure;
    }
    out << idText(*added) << Qt::endl;
    return Success;
}

int runSync(const QStringList &arguments, QTextStream &out, QTextStream &err)
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
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({db, server, user, help});
    if (!parseCommand(parser, command, arguments, err))
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Runs one push cycle: every pending change of the technician goes to the "
                           "server exactly once,\nin bounded batches. Changes the server refuses "
                           "for good are set aside with the reason\nand listed. Exit 0 on success, "
                           "1 with a one-line reason otherwise."),
            {db, server, user, help});
        return Success;
    }
    for (const QCommandLineOption &required : {db, server}) {
        if (parser.value(required).isEmpty()) {
            err << "fieldbook sync: --" << required.names().constFirst() << " is required" << Qt::endl;
            return Usage;
        }
    }
    const QString path = parser.value(db);
    if (!QFileInfo(path).isFile()) {
        err << "fieldbook sync: " << path << " does not exist" << Qt::endl;
        return Failure;
    }
    auto core = Core::open(path, QStringLiteral("fieldbook-sync"));
    if (!core) {
        err << "fieldbook sync: " << core.error().toString() << Qt::endl;
        return Failure;
    }
    QUuid userId;
    if (parser.isSet(user)) {
        userId = QUuid::fromString(parser.value(user));
        if (userId.isNull()) {
            err << "fieldbook sync: --user '" << parser.value(user) << "' is not a UUID" << Qt::endl;
            return Usage;
        }
    } else {
        const auto users = (*core)->users.list();
        if (!users || users->size() != 1) {
            err << "fieldbook sync: " << path << " holds " << (users ? users->size() : 0)
                << " technician profiles: choose one with --user ID" << Qt::endl;
            return Usage;
        }
        userId = users->first().id;
    }
    if (auto selected = (*core)->setCurrentUser(userId); !selected) {
        err << "fieldbook sync: " << selected.error().toString() << Qt::endl;
        return Failure;
    }
    auto connection = connectServer(command, parser.value(server), err);
    if (!connection)
        return Failure;
    // Test hook (tests/sync/test_push_crash.cpp): a small batch size lets a crash fall between two batches.
    bool batchSizeSet = false;
    const int batchSize = qEnvironmentVariableIntValue("FIELDBOOK_SYNC_BATCH_SIZE", &batchSizeSet);
    sync::Pusher pusher((*core)->db(), userId,
                        batchSizeSet && batchSize > 0 ? batchSize : sync::Pusher::kDefaultBatchSize);
    const auto report = pusher.pushAll(*connection);
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
    return Success;
}

int runExtract(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = QStringLiteral("extract");
    const QCommandLineOption notesOption(QStringLiteral("notes"),
                                         QStringLiteral("The technician's notes (default: read from stdin)"),
                                         QStringLiteral("TEXT"));
    const QCommandLineOption help = helpOption();
    QCommandLineParser parser;
    parser.addOptions({notesOption, help});
    if (!parseCommand(parser, command, arguments, err))
        return Usage;
    if (parser.isSet(help)) {
        out << commandHelp(
            command,
            QStringLiteral("Runs one extraction with the configured model and prints the attributes as "
                           "JSON: a check of\nthe key and model. Settings: FIELDBOOK_LLM_PROVIDER "
                           "(anthropic | openai), FIELDBOOK_LLM_BASE_URL,\nFIELDBOOK_LLM_MODEL; the "
                           "key from ANTHROPIC_API_KEY (OPENAI_API_KEY) or the keychain. Exit 0 "
                           "on\nsuccess, 1 with one line (error type, HTTP status, request-id) "
                           "otherwise."),
            {notesOption, help});
        return Success;
    }
    QString notes;
    if (parser.isSet(notesOption)) {
        notes = parser.value(notesOption);
    } else {
        QTextStream in(stdin);
        notes = in.readAll();
    }
    if (notes.trimmed().isEmpty()) {
        err << "fieldbook extract: no notes (give --notes TEXT or write them to stdin)" << Qt::endl;
        return Usage;
    }

    const QSettings stored;
    sync::LlmSettings settings = sync::LlmSettings::load(stored);
    // The key comes from the environment or the keychain, never from settings. FIELDBOOK_LLM_NO_KEYCHAIN
    // skips the keychain (headless machines, tests).
    if (settings.apiKey.isEmpty() && qEnvironmentVariableIsEmpty("FIELDBOOK_LLM_NO_KEYCHAIN")) {
        if (auto key = sync::LlmKeyStore::readBlocking(settings.provider); key)
            settings.apiKey = *key;
    }
    // The final line says everything; the client's per-attempt warnings would only repeat it.
    QLoggingCategory::setFilterRules(
        QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false\nfieldbook.llm.warning=false"));
    const auto client = sync::createLlmClient(settings);
    std::optional<sync::LlmOutcome> outcome;
    QEventLoop loop;
    client->exchange(AttributeExtractor::buildRequest(notes), [&](const sync::LlmOutcome &o) {
        outcome = o;
        loop.quit();
    });
    if (!outcome)
        loop.exec();
    if (!outcome->ok()) {
        err << "fieldbook extract: " << outcome->error.describe() << Qt::endl;
        return Failure;
    }
    const auto attributes = AttributeExtractor::interpret(*outcome->response);
    if (!attributes) {
        const QString message = attributes.error().message;
        const QString type = message.startsWith(QStringLiteral("truncated"))
                                 ? QStringLiteral("truncated")
                                 : (message.startsWith(QStringLiteral("refused")) ? QStringLiteral("refused")
                                                                                  : QStringLiteral("parse"));
        err << "fieldbook extract: " << type << ", HTTP " << outcome->httpStatus << ", request-id "
            << outcome->response->requestId << ": "
            << QString(message).replace(QLatin1Char('\n'), QLatin1Char(' ')) << Qt::endl;
        return Failure;
    }
    out << QString::fromUtf8(QJsonDocument(attributes->attributes).toJson(QJsonDocument::Indented));
    out.flush();
    return Success;
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
    if (command == QStringLiteral("server-init"))
        return runServerInit(commandArguments, out, err);
    if (command == QStringLiteral("server-add-technician"))
        return runAddTechnician(commandArguments, out, err);
    if (command == QStringLiteral("extract"))
        return runExtract(commandArguments, out, err);
    err << "fieldbook: unknown command '" << command
        << "' (commands: demo, check, sync, server-init, server-add-technician, extract, screenshots; see "
           "fieldbook "
           "--help)"
        << Qt::endl;
    return Usage;
}

} // namespace fb::cli
