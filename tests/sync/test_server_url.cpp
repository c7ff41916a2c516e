// Issue 11: no password in any message, whatever the server URL. A malformed URL is refused in words, before
// libpq sees it (libpq's own parse errors quote the URL or the token they choke on: `invalid percent-encoded
// token: "SeCrEt50%off"`), through the library (PgConnection, the settings' Test connection) and the real
// `fieldbook sync`, `server-init` and `server-add-technician`. Every URL below carries a password whose every
// piece is marked (SeCrEt... before its special character, ...TaIl after it), so that no part of it, however
// libpq or a parser splits it, can show up unnoticed. Well-formed URLs with awkward passwords reach a real
// PostgreSQL.
#include "pgconnection.h"
#include "servercheck.h"
#include "serverurl.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace fb;
using namespace fb::sync;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QString all() const { return out + err; }
};

Run fieldbook(const QStringList &arguments)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("PGPASSWORD"));
    environment.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/nonexistent/fieldbook-test-pgpass"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(FIELDBOOK_BINARY), arguments);
    if (!process.waitForStarted() || !process.waitForFinished(60000))
        qFatal("fieldbook %s did not finish", qPrintable(arguments.value(0)));
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

/// The pieces of a password that must never show up: the marks around its special character, and the
/// password itself as typed and percent-decoded.
QStringList pieces(const QString &password)
{
    QStringList list{QStringLiteral("SeCrEt"), QStringLiteral("TaIl"), password,
                     QString::fromUtf8(QByteArray::fromPercentEncoding(password.toUtf8()))};
    list.removeAll(QString());
    return list;
}

QString leaked(const QString &text, const QString &password)
{
    for (const QString &piece : pieces(password)) {
        if (text.contains(piece, Qt::CaseInsensitive))
            return piece;
    }
    return {};
}

} // namespace

class TestServerUrl final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("PGPASSFILE", "/nonexistent/fieldbook-test-pgpass"); }

    void malformedUrlsAreRefusedInWordsWithoutThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("password"); // as it stands in the URL
        QTest::addColumn<QString>("problem");  // what the message must say

        const auto row = [](const char *name, const QString &password, const QString &url,
                            const QString &problem) {
            QTest::newRow(name) << QString(url).replace(QStringLiteral("{pw}"), password) << password
                                << problem;
        };
        const QString atHost = QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1:5432/fb");
        // The three of the issue.
        row("a plain % in the password (issue)", QStringLiteral("SeCrEt50%offTaIl"), atHost,
            QStringLiteral("has a '%' in the password that is not followed by two hexadecimal digits"));
        row("an IPv6 host without ']' (issue)", QStringLiteral("SeCrEt-v6TaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@[::1/fb"), QStringLiteral("without its closing ']'"));
        row("an empty IPv6 host (issue)", QStringLiteral("SeCrEt-emptyTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@[]/fb"), QStringLiteral("nothing between '[' and ']'"));
        // Percent-encoding.
        row("a % at the end of the password", QStringLiteral("SeCrEtTaIl%"), atHost,
            QStringLiteral("'%' in the password"));
        row("a % and one digit in the password", QStringLiteral("SeCrEt%4TaIl"), atHost,
            QStringLiteral("'%' in the password"));
        row("%00 in the password", QStringLiteral("SeCrEt%00TaIl"), atHost,
            QStringLiteral("%00 (a zero byte) in the password"));
        row("percent-encoded bytes that are not UTF-8", QStringLiteral("SeCrEt%C3%28TaIl"), atHost,
            QStringLiteral("not UTF-8 text"));
        row("a bad % in the login", QStringLiteral("SeCrEt-loginTaIl"),
            QStringLiteral("postgresql://te%zzch:{pw}@127.0.0.1/fb"), QStringLiteral("'%' in the login"));
        row("a bad % in the password parameter", QStringLiteral("SeCrEt%zzTaIl"),
            QStringLiteral("postgresql://tech_a@127.0.0.1/fb?password={pw}"),
            QStringLiteral("'%' in the password"));
        row("a bad % in the database name", QStringLiteral("SeCrEt-dbTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1/f%b"),
            QStringLiteral("'%' in the database name"));
        // Delimiters typed raw in the password.
        row("an @ in the password", QStringLiteral("SeCrEt@TaIl"), atHost,
            QStringLiteral("more than one '@' before the host"));
        row("a / in the password", QStringLiteral("SeCrEt/TaIl"), atHost,
            QStringLiteral("write a '/', '?' or '#' in the login or password as %2F, %3F or %23"));
        row("a ? in the password", QStringLiteral("SeCrEt?TaIl"), atHost,
            QStringLiteral("write a '?' in the login or password as %3F"));
        row("a # in the password", QStringLiteral("SeCrEt#TaIl"), atHost,
            QStringLiteral("'#' in the password"));
        row("a space in the password", QStringLiteral("SeCrEt TaIl"), atHost,
            QStringLiteral("space or a control character in the password"));
        row("a line break in the password", QStringLiteral("SeCrEt\nTaIl"), atHost,
            QStringLiteral("space or a control character in the password"));
        row("every delimiter in the password", QStringLiteral("SeCrEt@:/?#%TaIl"), atHost,
            QStringLiteral("in the login or password as %2F, %3F or %23 (and an '@' as %40)"));
        row("a / and ? in the password", QStringLiteral("SeCrEt/?TaIl"), atHost,
            QStringLiteral("in the login or password as %2F, %3F or %23"));
        // Hosts and ports.
        row("no host", QStringLiteral("SeCrEt-nohostTaIl"), QStringLiteral("postgresql://tech_a:{pw}@/fb"),
            QStringLiteral("names no host"));
        row("nothing after the scheme", QString(), QStringLiteral("postgresql://"),
            QStringLiteral("names no host"));
        row("an empty host in a list", QStringLiteral("SeCrEt-listTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@db1,,db2/fb"), QStringLiteral("empty host in its list"));
        row("a host name in brackets", QStringLiteral("SeCrEt-bracketTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@[db.example.com]/fb"),
            QStringLiteral("that is not an IPv6 address"));
        row("junk after the IPv6 address", QStringLiteral("SeCrEt-junkTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@[::1]x/fb"), QStringLiteral("only ':port' may follow"));
        row("an IPv6 address without brackets", QStringLiteral("SeCrEt-bareTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@::1/fb"), QStringLiteral("without brackets"));
        row("a ']' without '['", QStringLiteral("SeCrEt-closeTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@db]/fb"), QStringLiteral("']' in the host"));
        row("a bad character in the host", QStringLiteral("SeCrEt-hostTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@db!example/fb"),
            QStringLiteral("character in the host that a host name cannot have"));
        row("a port that is not a number", QStringLiteral("SeCrEt-portTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1:54x2/fb"),
            QStringLiteral("port that is not a number from 1 to 65535"));
        row("port 0", QStringLiteral("SeCrEt-port0TaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1:0/fb"),
            QStringLiteral("port that is not a number from 1 to 65535"));
        row("port 70000", QStringLiteral("SeCrEt-bigportTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1:70000/fb"),
            QStringLiteral("port that is not a number from 1 to 65535"));
        row("an empty port", QStringLiteral("SeCrEt-noportTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1:/fb"), QStringLiteral("no port number"));
        // The query.
        row("an unknown parameter", QStringLiteral("SeCrEt-paramTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1/fb?sslmode=disable&colour=blue"),
            QStringLiteral("the query parameter 'colour', which is not a PostgreSQL connection parameter"));
        row("an unfinished query", QStringLiteral("SeCrEt-unfinishedTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1/fb?sslmode"), QStringLiteral("without '='"));
        row("a stray &", QStringLiteral("SeCrEt-ampTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1/fb?sslmode=disable&"),
            QStringLiteral("stray '&'"));
        row("a second =", QStringLiteral("SeCrEt-eqTaIl"),
            QStringLiteral("postgresql://tech_a:{pw}@127.0.0.1/fb?application_name=a=b"),
            QStringLiteral("second '='"));
        row("the password as a parameter with a raw =", QStringLiteral("SeCrEt=TaIl"),
            QStringLiteral("postgresql://tech_a@127.0.0.1/fb?password={pw}"), QStringLiteral("second '='"));
        row("the password as a parameter's name", QStringLiteral("SeCrEt-nameTaIl"),
            QStringLiteral("postgresql://tech_a@127.0.0.1/fb?{pw}=1"),
            QStringLiteral("a query parameter whose name is not a PostgreSQL connection parameter"));
        // Not a URL at all.
        row("a host name", QString(), QStringLiteral("localhost"),
            QStringLiteral("must be a postgresql:// URL"));
        row("host:port", QString(), QStringLiteral("db.example.com:5432"),
            QStringLiteral("must be a postgresql:// URL"));
        row("userinfo without a scheme", QStringLiteral("SeCrEt-noschemeTaIl"),
            QStringLiteral("tech_a:{pw}@127.0.0.1/fb"), QStringLiteral("must be a postgresql:// URL"));
        row("another scheme", QStringLiteral("SeCrEt-mysqlTaIl"),
            QStringLiteral("mysql://tech_a:{pw}@127.0.0.1/fb"),
            QStringLiteral("must be a postgresql:// URL"));
        row("the scheme in capitals", QStringLiteral("SeCrEt-capsTaIl"),
            QStringLiteral("POSTGRESQL://tech_a:{pw}@127.0.0.1/fb"),
            QStringLiteral("must be a postgresql:// URL"));
        row("a key=value string", QStringLiteral("SeCrEt-kvTaIl"),
            QStringLiteral("host=127.0.0.1 user=tech_a password={pw} dbname=fb"),
            QStringLiteral("not a key=value connection string"));
        row("a key=value string with a broken quote", QStringLiteral("SeCrEt'kvTaIl"),
            QStringLiteral("host=127.0.0.1 password='{pw}"),
            QStringLiteral("not a key=value connection string"));
        row("a line break at the end", QStringLiteral("SeCrEt-nlTaIl"), atHost + QLatin1Char('\n'),
            QStringLiteral("starts or ends with a space or a line break"));
        // Long values.
        row("a very long password",
            QStringLiteral("SeCrEt") + QString(5000, QLatin1Char('x')) + QStringLiteral("TaIl"), atHost,
            QStringLiteral("longer than 4096 characters"));
        row("a long password with a bad % at its end",
            QStringLiteral("SeCrEt") + QString(3000, QLatin1Char('y')) + QStringLiteral("TaIl%"), atHost,
            QStringLiteral("'%' in the password"));
    }

    void malformedUrlsAreRefusedInWordsWithoutThePassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, password);
        QFETCH(QString, problem);

        const Status checked = ServerUrl::check(url);
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, ErrorCode::Validation);
        QVERIFY2(checked.error().message.contains(problem), qPrintable(checked.error().message));
        QVERIFY2(leaked(checked.error().message, password).isEmpty(), qPrintable(checked.error().message));

        // The library: what the sync worker and the tests connect with, and the settings' Test connection.
        const auto connected = PgConnection::connect(url, 2);
        QVERIFY(!connected.ok());
        QCOMPARE(connected.error().code, ErrorCode::Validation);
        QVERIFY2(connected.error().message.contains(problem), qPrintable(connected.error().message));
        QVERIFY2(leaked(connected.error().message, password).isEmpty(),
                 qPrintable(connected.error().message));
        const auto tested = ServerCheck::run(url, {}, {}, 2);
        QVERIFY(!tested.ok());
        QVERIFY2(tested.error().message.contains(problem), qPrintable(tested.error().message));
        QVERIFY2(leaked(tested.error().toString(), password).isEmpty(),
                 qPrintable(tested.error().toString()));

        // The real binary: each command that takes --server says what is wrong, in one line, and exits 2.
        test::CoreFixture f;
        QTemporaryDir dir;
        QFile passwordFile(dir.filePath(QStringLiteral("password")));
        QVERIFY(passwordFile.open(QIODevice::WriteOnly));
        passwordFile.write("technician's own password\n");
        passwordFile.close();
        const QList<QStringList> commands{
            {QStringLiteral("sync"), QStringLiteral("--db"), f.path(), QStringLiteral("--server"), url},
            {QStringLiteral("server-init"), QStringLiteral("--server"), url},
            {QStringLiteral("server-add-technician"), QStringLiteral("--server"), url,
             QStringLiteral("--email"), QStringLiteral("x@example.com"), QStringLiteral("--name"),
             QStringLiteral("X"), QStringLiteral("--login"), QStringLiteral("tech_x"),
             QStringLiteral("--password-file"), passwordFile.fileName()},
        };
        for (const QStringList &arguments : commands) {
            const Run run = fieldbook(arguments);
            const QString context = arguments.first() + QStringLiteral(": ") + run.all();
            QVERIFY2(run.exitCode == 2, qPrintable(context));
            QVERIFY2(run.out.isEmpty(), qPrintable(context));
            QVERIFY2(run.err.startsWith(QStringLiteral("fieldbook %1: --server ").arg(arguments.first())),
                     qPrintable(context));
            QVERIFY2(run.err.contains(problem), qPrintable(context));
            QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
            QVERIFY2(leaked(run.all(), password).isEmpty(), qPrintable(context));
            QVERIFY2(!run.all().contains(QStringLiteral("own password")), qPrintable(context));
        }
    }

    // The second line of defence: whatever an error quotes, the password goes, in every form it may be quoted
    // in, and so does the whole URL; the login and the host stay (they say which account failed).
    void scrubTakesOutEveryFormOfThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("quoted"); // what an error might say
        const QString encoded = QStringLiteral("postgresql://tess:SeCrEt%40%2F%3A%25TaIl@office/fb");
        QTest::newRow("as typed") << encoded << QStringLiteral("token \"SeCrEt%40%2F%3A%25TaIl\"");
        QTest::newRow("percent-decoded") << encoded << QStringLiteral("password SeCrEt@/:%TaIl refused");
        QTest::newRow("decoded, then encoded otherwise")
            << QStringLiteral("postgresql://tess:SeCrEt%21TaIl@office/fb") << QStringLiteral("SeCrEt!TaIl");
        QTest::newRow("typed raw, quoted encoded")
            << QStringLiteral("postgresql://tess:SeCrEt!@TaIl@office/fb")
            << QStringLiteral("SeCrEt%21%40TaIl");
        QTest::newRow("the whole URL") << encoded << QStringLiteral("cannot parse ") + encoded;
        QTest::newRow("split at the first @") << QStringLiteral("postgresql://tess:SeCrEt@TaIl@office/fb")
                                              << QStringLiteral("host \"TaIl@office\"");
        QTest::newRow("a password parameter")
            << QStringLiteral("postgresql://tess@office/fb?sslmode=require&password=SeCrEt%25TaIl")
            << QStringLiteral("SeCrEt%TaIl");
        QTest::newRow("a key=value string")
            << QStringLiteral("host=office user=tess password='SeCrEt\\'TaIl'")
            << QStringLiteral("SeCrEt'TaIl");
    }

    void scrubTakesOutEveryFormOfThePassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, quoted);
        const QString message = QStringLiteral("connection for user \"tess\" to office failed: ") + quoted;
        const QString scrubbed = ServerUrl::scrub(message, url);
        QVERIFY2(!scrubbed.contains(QStringLiteral("SeCrEt")), qPrintable(scrubbed));
        QVERIFY2(!scrubbed.contains(QStringLiteral("TaIl")), qPrintable(scrubbed));
        QVERIFY2(scrubbed.startsWith(QStringLiteral("connection for user \"tess\" to office failed: ")),
                 qPrintable(scrubbed));
        // A password given apart from the URL, too.
        QCOMPARE(ServerUrl::scrub(QStringLiteral("bad SeCrEt-apart"),
                                  QStringLiteral("postgresql://tess@office/fb"),
                                  {QStringLiteral("SeCrEt-apart")}),
                 QStringLiteral("bad ********"));
    }

    void wellFormedUrlsPass_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("the usual") << QStringLiteral("postgresql://tech_sam@db.example.com/fieldbook");
        QTest::newRow("postgres://, port, parameters")
            << QStringLiteral("postgres://tech:pw@db.example.com:5433/fb?sslmode=require&connect_timeout=3");
        QTest::newRow("every delimiter percent-encoded in the password")
            << QStringLiteral("postgresql://tech:p%40ss%3Aw%2Frd%3F%23%25@db/fb");
        QTest::newRow("a ':' in the password") << QStringLiteral("postgresql://tech:pa:ss@db/fb");
        QTest::newRow("IPv6 with a port") << QStringLiteral("postgresql://tech@[::1]:5432/fb");
        QTest::newRow("several hosts") << QStringLiteral("postgresql://tech@db1:5432,db2:5433/fb");
        QTest::newRow("no database") << QStringLiteral("postgresql://tech@db");
        QTest::newRow("a socket directory as the host parameter")
            << QStringLiteral("postgresql:///fb?host=%2Fvar%2Frun%2Fpostgresql");
        QTest::newRow("ssl=true") << QStringLiteral("postgresql://db/fb?ssl=true");
    }

    void wellFormedUrlsPass()
    {
        QFETCH(QString, url);
        const Status checked = ServerUrl::check(url);
        QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error().message));
    }

    // A password with every delimiter works once percent-encoded, in the userinfo and as a parameter, against
    // a real PostgreSQL: the check refuses only what libpq would misread.
    void aPasswordWithEveryDelimiterReachesTheServerPercentEncoded()
    {
        const QString login = QStringLiteral("fbu_") + QUuid::createUuid().toString(QUuid::Id128).left(12);
        const QString password = QStringLiteral("p@ss:w/rd?#50%off &='\"\\");
        {
            test::PgTestDatabase server;
            QVERIFY(server
                        .adminExec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'")
                                       .arg(login, QString(password).replace(QLatin1Char('\''),
                                                                             QStringLiteral("''"))))
                        .ok());
            const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(password));
            const QString host = QStringLiteral("%1:%2")
                                     .arg(test::PgTestServer::instance().host())
                                     .arg(test::PgTestServer::instance().port());
            for (const QString &url :
                 {QStringLiteral("postgresql://%1:%2@%3/%4").arg(login, encoded, host, server.name()),
                  QStringLiteral("postgresql://%1@%3/%4?password=%2")
                      .arg(login, encoded, host, server.name())}) {
                QVERIFY(ServerUrl::check(url).ok());
                const auto connected = PgConnection::connect(url);
                QVERIFY2(connected.ok(), qPrintable(connected.ok() ? QString() : connected.error().message));
                QCOMPARE((*connected)->exec(QStringLiteral("SELECT current_user")).value(0, 0), login);
            }
        }
        const auto admin =
            PgConnection::connect(test::PgTestServer::instance().adminUrl(QStringLiteral("postgres")));
        QVERIFY(admin.ok());
        QVERIFY((*admin)->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(login)).ok());
    }
};

QTEST_GUILESS_MAIN(TestServerUrl)
#include "test_server_url.moc"
