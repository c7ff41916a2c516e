// The sync commands of the real `fieldbook` executable (issue 3): server-init, server-add-technician and
// sync, as an administrator and a technician would run them, against a real PostgreSQL.
#include "core.h"
#include "pgconnection.h"
#include "support/fieldbookprocess.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <memory>
#include <vector>

#include <optional>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace fb;

namespace {

template <typename T> T must(Result<T> result, const char *what)
{
    if (!result)
        qFatal("%s: %s", what, qPrintable(result.error().toString()));
    return std::move(result).value();
}

std::unique_ptr<sync::PgConnection> clusterAdmin()
{
    return must(
        sync::PgConnection::connect(test::PgTestServer::instance().adminUrl(QStringLiteral("postgres"))),
        "connecting to the test cluster");
}

QString uniqueName(const QString &prefix)
{
    return prefix + QUuid::createUuid().toString(QUuid::Id128).left(16);
}

using Run = test::FieldbookRun;
using test::fieldbook;

/// A database with nothing in it, dropped afterwards.
class ScratchDatabase final
{
public:
    ScratchDatabase() : m_name(uniqueName(QStringLiteral("fbcli_")))
    {
        const auto created = clusterAdmin()->exec(QStringLiteral("CREATE DATABASE %1").arg(m_name));
        if (!created.ok())
            qFatal("cannot create a scratch database: %s", qPrintable(created.message()));
    }
    ~ScratchDatabase()
    {
        (void)clusterAdmin()->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
    }
    QString url() const { return test::PgTestServer::instance().adminUrl(m_name); }

private:
    QString m_name;
};

/// Drops the login roles a test created through the command line (PgTestDatabase drops only its own).
class RoleCleanup final
{
public:
    ~RoleCleanup()
    {
        auto admin = clusterAdmin();
        for (const QString &role : std::as_const(m_roles))
            (void)admin->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
    }
    QString add(const QString &role)
    {
        m_roles.append(role);
        return role;
    }

private:
    QStringList m_roles;
};

/// scripts/pg-throwaway.sh checks passwords over TCP (scram-sha-256), but a cluster started with trust (an
/// older throwaway cluster, a developer's own) would let a wrong password through. There, members of this
/// group get their passwords checked: one scram-sha-256 rule for the group goes first in pg_hba.conf (added
/// once and kept; it concerns no other role).
const QString kPasswordChecked = QStringLiteral("fieldbook_test_password_checked");

bool wrongPasswordRefused(const test::PgTestDatabase::Technician &tech, const QString &database)
{
    const QString wrong = QStringLiteral("postgresql://%1:not-the-password@%2:%3/%4")
                              .arg(tech.login, test::PgTestServer::instance().host())
                              .arg(test::PgTestServer::instance().port())
                              .arg(database);
    return !sync::PgConnection::connect(wrong).ok();
}

/// Makes sure the server checks `tech`'s password.
void checkPasswordOf(const test::PgTestDatabase::Technician &tech, const QString &database)
{
    if (wrongPasswordRefused(tech, database))
        return;
    auto admin = clusterAdmin();
    (void)admin->exec(QStringLiteral("CREATE ROLE %1 NOLOGIN").arg(kPasswordChecked)); // fails when it exists
    const auto granted = admin->exec(QStringLiteral("GRANT %1 TO %2").arg(kPasswordChecked, tech.login));
    if (!granted.ok())
        qFatal("cannot grant %s: %s", qPrintable(kPasswordChecked), qPrintable(granted.message()));
    const auto present =
        admin->exec(QStringLiteral("SELECT count(*) FROM pg_hba_file_rules WHERE $1 = ANY(user_name) "
                                   "AND auth_method = 'scram-sha-256'"),
                    {QByteArray(QByteArray("+") + kPasswordChecked.toUtf8())});
    if (!present.ok())
        qFatal("cannot read pg_hba.conf's rules: %s", qPrintable(present.message()));
    if (present.value(0, 0) == QStringLiteral("0")) {
        const auto file =
            admin->exec(QStringLiteral("SELECT setting, pg_read_file(setting) FROM pg_settings WHERE "
                                       "name = 'hba_file'"));
        if (!file.ok())
            qFatal("cannot read pg_hba.conf: %s", qPrintable(file.message()));
        QByteArray rules;
        for (const char *address : {"127.0.0.1/32", "::1/128"})
            rules += "host all +" + kPasswordChecked.toUtf8() + " " + address + " scram-sha-256\n";
        const QByteArray content =
            "# fieldbook tests (tests/sync/test_sync_cli.cpp): passwords of the group's "
            "members are checked\n" +
            rules + file.value(0, 1).toUtf8();
        // lo_export writes the bytes as they are (COPY TO would escape them); each step sees the one before.
        const auto object =
            admin->exec(QStringLiteral("SELECT lo_from_bytea(0, convert_to($1, 'UTF8'))"), {content});
        const auto written = admin->exec(QStringLiteral("SELECT lo_export($1::oid, $2)"),
                                         {object.value(0, 0).toUtf8(), file.value(0, 0).toUtf8()});
        (void)admin->exec(QStringLiteral("SELECT lo_unlink($1::oid)"), {object.value(0, 0).toUtf8()});
        if (!object.ok() || !written.ok())
            qFatal("cannot write pg_hba.conf: %s", qPrintable(object.message() + written.message()));
    }
    if (!admin->exec(QStringLiteral("SELECT pg_reload_conf()")).ok())
        qFatal("cannot reload the configuration");
    // The postmaster reloads asynchronously: wait until a wrong password is refused.
    QDeadlineTimer deadline(30000);
    while (!wrongPasswordRefused(tech, database)) {
        if (deadline.hasExpired())
            qFatal("the test server still accepts a wrong password for %s", qPrintable(tech.login));
        QThread::msleep(50);
    }
}

QString urlWithoutPassword(const test::PgTestDatabase::Technician &tech, const QString &database)
{
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(tech.login, test::PgTestServer::instance().host())
        .arg(test::PgTestServer::instance().port())
        .arg(database);
}

int acknowledged(test::CoreFixture &f)
{
    auto query =
        must(f->db().exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE pushed_at IS NOT NULL")),
             "counting acknowledgements");
    return query.next() ? query.value(0).toInt() : -1;
}

int outboxTotal(test::CoreFixture &f)
{
    auto query =
        must(f->db().exec(QStringLiteral("SELECT count(*) FROM sync_outbox")), "counting the outbox");
    return query.next() ? query.value(0).toInt() : -1;
}

QStringList lines(const QString &text)
{
    return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

struct TerminalRun
{
    int exitCode = -1;
    QByteArray screen; ///< everything the terminal showed
};

/// Runs the real executable on a pseudo-terminal, as a person at a shell: each of `typed` is typed (and
/// Enter pressed) once the screen shows the next of `prompts`.
TerminalRun onTerminal(const QStringList &arguments, const QList<QByteArray> &prompts,
                       const QList<QByteArray> &typed)
{
    std::vector<QByteArray> argumentBytes{QByteArrayLiteral(FIELDBOOK_BINARY)};
    for (const QString &argument : arguments)
        argumentBytes.push_back(argument.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &argument : argumentBytes)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("PGPASSWORD"));
    environment.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/nonexistent/fieldbook-test-pgpass"));
    std::vector<QByteArray> environmentBytes;
    for (const QString &entry : environment.toStringList())
        environmentBytes.push_back(entry.toUtf8());
    std::vector<char *> envp;
    for (QByteArray &entry : environmentBytes)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    int terminal = -1;
    const pid_t child = forkpty(&terminal, nullptr, nullptr, nullptr);
    if (child < 0)
        qFatal("forkpty failed");
    if (child == 0) {
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    TerminalRun run;
    qsizetype answered = 0;
    qsizetype searchFrom = 0;
    QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        pollfd readable{terminal, POLLIN, 0};
        if (poll(&readable, 1, 100) <= 0)
            continue;
        char buffer[4096];
        const ssize_t got = read(terminal, buffer, sizeof buffer);
        if (got <= 0)
            break; // EIO: the program has ended
        run.screen.append(buffer, got);
        if (answered < typed.size() && answered < prompts.size()) {
            const qsizetype at = run.screen.indexOf(prompts.at(answered), searchFrom);
            if (at >= 0) {
                searchFrom = at + prompts.at(answered).size();
                const QByteArray line = typed.at(answered) + '\r';
                if (write(terminal, line.constData(), size_t(line.size())) != line.size())
                    qFatal("cannot type on the terminal");
                ++answered;
            }
        }
    }
    close(terminal);
    int status = 0;
    if (deadline.hasExpired())
        kill(child, SIGKILL);
    waitpid(child, &status, 0);
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

/// Whether `login` can log in to `database` with `password`, and only with it.
void checkLogin(const QString &login, const QString &password, const QString &database)
{
    test::PgTestDatabase::Technician tech;
    tech.login = login;
    tech.password = password;
    checkPasswordOf(tech, database);
    // One arg() call: a chained one would take the password's %2F for a place marker.
    const QString url = QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                            .arg(login, QString::fromLatin1(QUrl::toPercentEncoding(password)),
                                 test::PgTestServer::instance().host(),
                                 QString::number(test::PgTestServer::instance().port()), database);
    auto connected = sync::PgConnection::connect(url);
    QVERIFY2(connected.ok(), qPrintable(connected.ok() ? QString() : connected.error().message));
    QCOMPARE((*connected)->exec(QStringLiteral("SELECT current_user")).value(0, 0), login);
}

QStringList addTechnicianArguments(const test::PgTestDatabase &server, const QString &login)
{
    return {QStringLiteral("server-add-technician"),
            QStringLiteral("--server"),
            server.adminUrl(),
            QStringLiteral("--email"),
            QStringLiteral("pat@example.com"),
            QStringLiteral("--name"),
            QStringLiteral("Pat Prompt"),
            QStringLiteral("--login"),
            login};
}

} // namespace

class TestSyncCli final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverInitTwiceSaysNothingToDo()
    {
        ScratchDatabase database;
        const Run first =
            fieldbook({QStringLiteral("server-init"), QStringLiteral("--server"), database.url()});
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));
        static const QRegularExpression created(QStringLiteral("now has schema version (\\d+)\\.$"));
        const auto version = created.match(first.out.trimmed());
        QVERIFY2(version.hasMatch(), qPrintable(first.out));
        const QString tables = QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                                              "AND tablename IN ('users', 'contacts', "
                                              "'addresses', 'services', 'tickets', 'line_items', 'invoices', "
                                              "'notes', 'attributes', 'audit_log', "
                                              "'scheduled_messages', 'fieldbook_logins')");
        auto admin = must(sync::PgConnection::connect(database.url()), "connecting");
        QCOMPARE(admin->exec(tables).value(0, 0), QStringLiteral("12"));

        const Run second =
            fieldbook({QStringLiteral("server-init"), QStringLiteral("--server"), database.url()});
        QVERIFY2(second.exitCode == 0, qPrintable(second.all()));
        QVERIFY2(second.out.contains(
                     QStringLiteral("is at schema version %1: nothing to do").arg(version.captured(1))),
                 qPrintable(second.out));
        QCOMPARE(admin->exec(QStringLiteral("SELECT count(*) FROM fieldbook_schema_version")).value(0, 0),
                 version.captured(1));
    }

    void addTechnicianPrintsAndKeepsTheId()
    {
        test::PgTestDatabase server;
        RoleCleanup roles;
        const QUuid id = QUuid::createUuid();
        const QString login = roles.add(uniqueName(QStringLiteral("cli_")));
        const QString password = QStringLiteral("correct horse battery");
        const Run added =
            fieldbook({QStringLiteral("server-add-technician"), QStringLiteral("--server"), server.adminUrl(),
                       QStringLiteral("--email"), QStringLiteral("tess@example.com"),
                       QStringLiteral("--name"), QStringLiteral("Tess Tech"), QStringLiteral("--login"),
                       login, QStringLiteral("--id"), idText(id)},
                      {}, password.toUtf8() + '\n');
        QVERIFY2(added.exitCode == 0, qPrintable(added.all()));
        QCOMPARE(added.out.trimmed(), idText(id));
        QVERIFY(!added.all().contains(password));
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT name || ' <' || email || '>' FROM users WHERE id = '%1'")
                                  .arg(idText(id))),
            QStringList{QStringLiteral("Tess Tech <tess@example.com>")});
        // The login works with that password and acts as that user.
        const QString url = QStringLiteral("postgresql://%1:%2@%3:%4/%5")
                                .arg(login, QStringLiteral("correct%20horse%20battery"),
                                     test::PgTestServer::instance().host())
                                .arg(test::PgTestServer::instance().port())
                                .arg(server.name());
        auto technician = must(sync::PgConnection::connect(url), "connecting as the new technician");
        QVERIFY(technician->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY(technician
                    ->exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, true)"),
                           {idText(id).toUtf8()})
                    .ok());
        QCOMPARE(technician->exec(QStringLiteral("SELECT fieldbook_user_id()::text")).value(0, 0),
                 idText(id));

        // Without --id, a new id is made up and printed.
        const Run fresh =
            fieldbook({QStringLiteral("server-add-technician"), QStringLiteral("--server"), server.adminUrl(),
                       QStringLiteral("--email"), QStringLiteral("ned@example.com"), QStringLiteral("--name"),
                       QStringLiteral("Ned New"), QStringLiteral("--login"),
                       roles.add(uniqueName(QStringLiteral("cli_")))},
                      {}, password.toUtf8() + '\n');
        QVERIFY2(fresh.exitCode == 0, qPrintable(fresh.all()));
        const QUuid freshId = QUuid::fromString(fresh.out.trimmed());
        QVERIFY2(!freshId.isNull() && freshId != id, qPrintable(fresh.out));
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT email FROM users WHERE id = '%1'").arg(idText(freshId))),
            QStringList{QStringLiteral("ned@example.com")});
    }

    void addTechnicianRejectsBadInput_data()
    {
        QTest::addColumn<QString>("login"); // empty: a valid, unique one
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("field");
        const QString goodPassword = QStringLiteral("long enough secret");
        QTest::newRow("upper case and a dash in the login")
            << QStringLiteral("Bad-Login") << goodPassword << QStringLiteral("login");
        QTest::newRow("login starting with a digit")
            << QStringLiteral("1tech") << goodPassword << QStringLiteral("login");
        QTest::newRow("SQL in the login")
            << QStringLiteral("x; DROP TABLE users") << goodPassword << QStringLiteral("login");
        QTest::newRow("login of 64 characters")
            << QStringLiteral("t").repeated(64) << goodPassword << QStringLiteral("login");
        QTest::newRow("password of 7 characters")
            << QString() << QStringLiteral("short7c") << QStringLiteral("password");
    }

    void addTechnicianRejectsBadInput()
    {
        QFETCH(QString, login);
        QFETCH(QString, password);
        QFETCH(QString, field);
        test::PgTestDatabase server;
        RoleCleanup roles;
        if (login.isEmpty())
            login = roles.add(uniqueName(QStringLiteral("cli_")));
        const Run refused =
            fieldbook({QStringLiteral("server-add-technician"), QStringLiteral("--server"), server.adminUrl(),
                       QStringLiteral("--email"), QStringLiteral("x@example.com"), QStringLiteral("--name"),
                       QStringLiteral("X"), QStringLiteral("--login"), login},
                      {}, password.toUtf8() + '\n');
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.out.isEmpty());
        QVERIFY2(refused.err.startsWith(QStringLiteral("fieldbook server-add-technician: %1:").arg(field)),
                 qPrintable(refused.err));
        QCOMPARE(lines(refused.err).size(), 1);
        QVERIFY2(!refused.err.contains(password), qPrintable(refused.err));
        // Nothing was created.
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM users")),
                 QStringList{QStringLiteral("0")});
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'")
                                       .arg(QString(login).replace(QLatin1Char('\''), QStringLiteral("''")))),
                 QStringList{QStringLiteral("0")});
    }

    // Issue 11: never a password on a command line, where every local user reads it in /proc while the
    // command runs. --password is refused with the reason and the ways that work, before anything is done.
    void addTechnicianRefusesAPasswordOnTheCommandLine()
    {
        test::PgTestDatabase server;
        const QString login = uniqueName(QStringLiteral("cli_"));
        const QString password = QStringLiteral("SeCrEt-on-the-command-line");
        const Run refused = fieldbook(addTechnicianArguments(server, login) +
                                      QStringList{QStringLiteral("--password"), password});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.out.isEmpty());
        QCOMPARE(lines(refused.err).size(), 1);
        QVERIFY2(
            refused.err.startsWith(QStringLiteral("fieldbook server-add-technician: --password is not "
                                                  "accepted: every user of this computer can read a "
                                                  "command line while it runs; use --password-file FILE, "
                                                  "standard input, or the prompt")),
            qPrintable(refused.err));
        QVERIFY(!refused.all().contains(password));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM users")),
                 QStringList{QStringLiteral("0")});
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(login)),
                 QStringList{QStringLiteral("0")});

        const Run help = fieldbook({QStringLiteral("server-add-technician"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(QStringLiteral("--password-file FILE")), qPrintable(help.out));
        QVERIFY2(!help.out.contains(QStringLiteral("--password P")), qPrintable(help.out));
    }

    void addTechnicianReadsThePasswordFromAFileOrStdin_data()
    {
        QTest::addColumn<QString>("source"); // "file", "stdin" or "missing file"
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("password"); // what the login then takes; empty: refused
        QTest::addColumn<QString>("problem");  // why it is refused
        QTest::newRow("file with every delimiter")
            << QStringLiteral("file") << QByteArray("p@ss:w/rd?#50%off &='\"\\\n")
            << QStringLiteral("p@ss:w/rd?#50%off &='\"\\") << QString();
        QTest::newRow("file, CRLF and a second line")
            << QStringLiteral("file") << QByteArray("windows-line-1\r\nsecond line ignored\n")
            << QStringLiteral("windows-line-1") << QString();
        QTest::newRow("file without a line ending") << QStringLiteral("file") << QByteArray("no-newline-pw")
                                                    << QStringLiteral("no-newline-pw") << QString();
        QTest::newRow("stdin") << QStringLiteral("stdin") << QByteArray("from standard input\n")
                               << QStringLiteral("from standard input") << QString();
        QTest::newRow("stdin without a line ending")
            << QStringLiteral("stdin") << QByteArray("stdin-no-newline") << QStringLiteral("stdin-no-newline")
            << QString();
        QTest::newRow("empty stdin") << QStringLiteral("stdin") << QByteArray() << QString()
                                     << QStringLiteral(
                                            "password: is empty (the first line of standard input)");
        QTest::newRow("an empty first line in the file")
            << QStringLiteral("file") << QByteArray("\nsecond\n") << QString()
            << QStringLiteral("password: is empty (the first line of the --password-file)");
        QTest::newRow("a missing file") << QStringLiteral("missing file") << QByteArray() << QString()
                                        << QStringLiteral("password: cannot read the --password-file ");
    }

    void addTechnicianReadsThePasswordFromAFileOrStdin()
    {
        QFETCH(QString, source);
        QFETCH(QByteArray, content);
        QFETCH(QString, password);
        QFETCH(QString, problem);
        test::PgTestDatabase server;
        RoleCleanup roles;
        const QString login = roles.add(uniqueName(QStringLiteral("cli_")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("password"));
        QStringList arguments = addTechnicianArguments(server, login);
        std::optional<QByteArray> input;
        if (source == QStringLiteral("stdin")) {
            input = content;
        } else {
            arguments << QStringLiteral("--password-file") << path;
            if (source == QStringLiteral("file")) {
                QFile file(path);
                QVERIFY(file.open(QIODevice::WriteOnly));
                file.write(content);
            }
        }
        const Run run = fieldbook(arguments, {}, input);
        if (password.isEmpty()) {
            QCOMPARE(run.exitCode, 2);
            QVERIFY(run.out.isEmpty());
            QCOMPARE(lines(run.err).size(), 1);
            QVERIFY2(run.err.startsWith(QStringLiteral("fieldbook server-add-technician: ") + problem),
                     qPrintable(run.err));
            QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM users")),
                     QStringList{QStringLiteral("0")});
            return;
        }
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        QVERIFY(!QUuid::fromString(run.out.trimmed()).isNull());
        QVERIFY(!run.all().contains(password));
        checkLogin(login, password, server.name());
    }

    // On a terminal the password is typed at a prompt that does not show it, twice.
    void addTechnicianPromptsOnATerminalWithoutEcho()
    {
        test::PgTestDatabase server;
        RoleCleanup roles;
        const QString login = roles.add(uniqueName(QStringLiteral("cli_")));
        const QByteArray password = "typed at the prompt 123";
        const QList<QByteArray> prompts{"Password for the new login " + login.toUtf8() + ": ",
                                        "Type it again: "};
        const TerminalRun run =
            onTerminal(addTechnicianArguments(server, login), prompts, {password, password});
        QVERIFY2(run.exitCode == 0, run.screen.constData());
        QVERIFY2(run.screen.contains(prompts.first()) && run.screen.contains(prompts.last()),
                 run.screen.constData());
        QVERIFY2(!run.screen.contains(password), run.screen.constData());
        checkLogin(login, QString::fromUtf8(password), server.name());

        // Two different answers: refused, nothing created.
        const QString other = roles.add(uniqueName(QStringLiteral("cli_")));
        const TerminalRun differ =
            onTerminal(addTechnicianArguments(server, other),
                       {"Password for the new login " + other.toUtf8() + ": ", "Type it again: "},
                       {"first answer 123", "second answer 456"});
        QCOMPARE(differ.exitCode, 2);
        QVERIFY2(differ.screen.contains("password: the two typed at the prompt differ"),
                 differ.screen.constData());
        QVERIFY(!differ.screen.contains("answer 123") && !differ.screen.contains("answer 456"));
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = '%1'").arg(other)),
                 QStringList{QStringLiteral("0")});
    }

    void syncPrintsASummary()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const int total = outboxTotal(f);

        const Run synced = fieldbook(
            {QStringLiteral("sync"), QStringLiteral("--db"), f.path(), QStringLiteral("--server"), tech.url});
        QVERIFY2(synced.exitCode == 0, qPrintable(synced.all()));
        // One line for the push, one for the pull that follows it (nothing new: this device's own changes).
        QCOMPARE(lines(synced.out).size(), 2);
        QCOMPARE(lines(synced.out).at(1),
                 QStringLiteral("pulled 0 change(s) from the server: 0 row(s) brought up to date here, 0 "
                                "history entries added, 0 local change(s) left for the push"));
        static const QRegularExpression summary(QStringLiteral(
            "^pushed (\\d+) change\\(s\\) in 1 transaction\\(s\\) to (\\S+); 0 set aside; 0 pending$"));
        const auto match = summary.match(lines(synced.out).at(0));
        QVERIFY2(match.hasMatch(), qPrintable(synced.out));
        QCOMPARE(match.captured(1).toInt(), total);
        QVERIFY2(match.captured(2).startsWith(tech.login + QLatin1Char('@')), qPrintable(match.captured(2)));
        QVERIFY(!synced.all().contains(tech.password));
        QCOMPARE(acknowledged(f), total);
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")),
                 QStringList{QStringLiteral("Rosa Diaz")});

        // Nothing left: a second run says so.
        const Run again = fieldbook(
            {QStringLiteral("sync"), QStringLiteral("--db"), f.path(), QStringLiteral("--server"), tech.url});
        QVERIFY2(again.exitCode == 0, qPrintable(again.all()));
        QVERIFY2(again.out.startsWith(QStringLiteral("pushed 0 change(s) in 0 transaction(s)")),
                 qPrintable(again.out));
    }

    void syncFailureIsOneLineWithoutThePassword_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("reason"); // a regular expression
        QTest::newRow("wrong password")
            << QStringLiteral("wrong password") << QStringLiteral("password authentication failed");
        // A server that checks passwords does not say whether the role exists.
        QTest::newRow("unknown login") << QStringLiteral("unknown login")
                                       << QStringLiteral("does not exist|password authentication failed");
        QTest::newRow("server down") << QStringLiteral("server down") << QStringLiteral("refused");
    }

    void syncFailureIsOneLineWithoutThePassword()
    {
        QFETCH(QString, how);
        QFETCH(QString, reason);
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        checkPasswordOf(tech, server.name());
        f.addCustomer();
        const QString secret =
            QStringLiteral("Wr0ng-S3cret-") + QUuid::createUuid().toString(QUuid::Id128).left(8);
        QString login = tech.login;
        int port = test::PgTestServer::instance().port();
        if (how == QStringLiteral("unknown login")) {
            login = uniqueName(QStringLiteral("nobody_"));
        } else if (how == QStringLiteral("server down")) {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        const QString password = how == QStringLiteral("wrong password") ? secret : tech.password;
        const QString url = QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4")
                                .arg(login, password)
                                .arg(port)
                                .arg(server.name());

        const Run failed = fieldbook(
            {QStringLiteral("sync"), QStringLiteral("--db"), f.path(), QStringLiteral("--server"), url});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.out.isEmpty(), qPrintable(failed.out));
        QCOMPARE(lines(failed.err).size(), 1);
        QVERIFY2(failed.err.startsWith(QStringLiteral("fieldbook sync: ")), qPrintable(failed.err));
        QVERIFY2(failed.err.contains(QRegularExpression(reason)), qPrintable(failed.err));
        QVERIFY2(!failed.all().contains(password), qPrintable(failed.all()));
        QVERIFY2(!failed.all().contains(secret), qPrintable(failed.all()));
        QVERIFY2(!failed.all().contains(url), qPrintable(failed.all()));
        QCOMPARE(acknowledged(f), 0);
    }

    void syncTakesThePasswordFromTheEnvironment_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<bool>("succeeds");
        QTest::newRow("PGPASSWORD") << QStringLiteral("PGPASSWORD") << true;
        QTest::newRow("password file") << QStringLiteral("PGPASSFILE") << true;
        QTest::newRow("no password anywhere") << QString() << false;
    }

    void syncTakesThePasswordFromTheEnvironment()
    {
        QFETCH(QString, source);
        QFETCH(bool, succeeds);
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        checkPasswordOf(tech, server.name());
        f.addCustomer();
        QTemporaryDir dir;
        QMap<QString, QString> environment;
        if (source == QStringLiteral("PGPASSWORD")) {
            environment.insert(source, tech.password);
        } else if (source == QStringLiteral("PGPASSFILE")) {
            QFile file(dir.filePath(QStringLiteral("pgpass")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral("%1:%2:%3:%4:%5\n")
                           .arg(test::PgTestServer::instance().host())
                           .arg(test::PgTestServer::instance().port())
                           .arg(server.name(), tech.login, tech.password)
                           .toUtf8());
            file.close();
            QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
            environment.insert(source, file.fileName());
        }
        const Run synced = fieldbook({QStringLiteral("sync"), QStringLiteral("--db"), f.path(),
                                      QStringLiteral("--server"), urlWithoutPassword(tech, server.name())},
                                     environment);
        QVERIFY(!synced.all().contains(tech.password));
        if (succeeds) {
            QVERIFY2(synced.exitCode == 0, qPrintable(synced.all()));
            QCOMPARE(acknowledged(f), outboxTotal(f));
        } else {
            QCOMPARE(synced.exitCode, 1);
            QCOMPARE(lines(synced.err).size(), 1);
            QCOMPARE(acknowledged(f), 0);
        }
    }

    void syncWithSeveralProfilesNeedsUser()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer();
        f.addUser(QStringLiteral("Bob Baker"), QStringLiteral("bob@example.com"));
        const QStringList sync{QStringLiteral("sync"), QStringLiteral("--db"), f.path(),
                               QStringLiteral("--server"), tech.url};

        const Run ambiguous = fieldbook(sync);
        QVERIFY(ambiguous.exitCode != 0);
        QCOMPARE(lines(ambiguous.err).size(), 1);
        QVERIFY2(ambiguous.err.contains(QStringLiteral("--user")), qPrintable(ambiguous.err));
        QCOMPARE(acknowledged(f), 0);

        const Run chosen = fieldbook(sync + QStringList{QStringLiteral("--user"), idText(f.alice())});
        QVERIFY2(chosen.exitCode == 0, qPrintable(chosen.all()));
        QVERIFY(acknowledged(f) > 0);
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM contacts")),
                 QStringList{QStringLiteral("1")});
        // Only Alice's changes: Bob's profile creation stays pending for Bob.
        auto alices = must(f->db().exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ?"),
                                        {idText(f.alice())}),
                           "counting Alice's changes");
        QVERIFY(alices.next());
        QCOMPARE(acknowledged(f), alices.value(0).toInt());
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM audit_log")),
                 QStringList{alices.value(0).toString()});
    }

    void syncListsQuarantinedChanges()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QVERIFY(server
                    .adminExec(QStringLiteral(
                        "ALTER TABLE contacts ADD CONSTRAINT no_poison CHECK (name <> 'POISON')"))
                    .ok());
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Contact poison = must(f->contacts.create({QStringLiteral("POISON"), {}, {}, {}}), "contact");
        const QStringList sync{QStringLiteral("sync"), QStringLiteral("--db"), f.path(),
                               QStringLiteral("--server"), tech.url};

        const Run first = fieldbook(sync);
        QVERIFY2(first.exitCode == 0, qPrintable(first.all()));
        const QString setAside = QStringLiteral("set aside: contact %1").arg(idText(poison.id));
        QVERIFY2(first.out.contains(setAside), qPrintable(first.out));
        QVERIFY2(first.out.contains(QStringLiteral("no_poison")), qPrintable(first.out));
        QVERIFY2(first.out.contains(QStringLiteral("; 1 set aside; 0 pending")), qPrintable(first.out));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")),
                 QStringList{QStringLiteral("Rosa Diaz")});

        // Still listed on the next run: it is kept until released, not forgotten.
        const Run second = fieldbook(sync);
        QVERIFY2(second.exitCode == 0, qPrintable(second.all()));
        QVERIFY2(second.out.contains(setAside), qPrintable(second.out));
        QVERIFY2(second.out.contains(QStringLiteral("pushed 0 change(s)")), qPrintable(second.out));
    }
};

QTEST_GUILESS_MAIN(TestSyncCli)
#include "test_sync_cli.moc"
