// The sync server's password apart from its URL (sync/servercredentialstore.h, PgConnection's password, the
// worker's redaction): a password typed into a URL is taken out of it whatever the URL's form, a keychain
// entry belongs to one server account, and the password given apart from the URL reaches libpq (and wins over
// a stale one in the URL) while never showing up in an error.
#include "pgconnection.h"
#include "servercredentialstore.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"
#include "syncservice.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace fb;
using namespace fb::sync;
using namespace std::chrono_literals;

class TestServerCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1"); }

    void thePasswordComesOutOfTheUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("stripped");
        QTest::addColumn<QString>("password");
        QTest::newRow("userinfo") << QStringLiteral(
                                         "postgresql://tess:s3cret@office.example.com:5433/fieldbook")
                                  << QStringLiteral("postgresql://tess@office.example.com:5433/fieldbook")
                                  << QStringLiteral("s3cret");
        QTest::newRow("query parameter")
            << QStringLiteral("postgres://tess@office/fieldbook?sslmode=require&password=s3cret")
            << QStringLiteral("postgres://tess@office/fieldbook?sslmode=require") << QStringLiteral("s3cret");
        QTest::newRow("percent-encoded")
            << QStringLiteral("postgresql://tess:p%40ss%3Aword@office/fieldbook")
            << QStringLiteral("postgresql://tess@office/fieldbook") << QStringLiteral("p@ss:word");
        QTest::newRow("key=value") << QStringLiteral(
                                          "host=office dbname=fieldbook user=tess password='it\\'s'")
                                   << QStringLiteral("dbname='fieldbook' user='tess' host='office'")
                                   << QStringLiteral("it's");
        QTest::newRow("none") << QStringLiteral("postgresql://tess@office/fieldbook")
                              << QStringLiteral("postgresql://tess@office/fieldbook") << QString();
        QTest::newRow("not a URL") << QStringLiteral("office.example.com")
                                   << QStringLiteral("office.example.com") << QString();
    }

    void thePasswordComesOutOfTheUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, stripped);
        QFETCH(QString, password);
        QString found = QStringLiteral("stale");
        const QString without = ServerCredentialStore::withoutPassword(url, &found);
        QCOMPARE(found, password);
        if (QLatin1String(QTest::currentDataTag()) == QLatin1String("key=value")) {
            // libpq's own order of options: compare what libpq reads, not the text.
            QCOMPARE(ServerCredentialStore::entryFor(without), ServerCredentialStore::entryFor(url));
            QVERIFY(!without.contains(QStringLiteral("password")));
            QVERIFY(!ServerCredentialStore::entryFor(without).isEmpty()); // libpq still reads it
        } else {
            QCOMPARE(without, stripped);
        }
    }

    void anEntryBelongsToOneServerAccount()
    {
        const QString entry =
            ServerCredentialStore::entryFor(QStringLiteral("postgresql://tess:x@office:5433/fb"));
        QCOMPARE(entry, QStringLiteral("server-password-tess@office:5433/fb"));
        // The password is not part of it; the server, the port, the login and the database are.
        QCOMPARE(ServerCredentialStore::entryFor(QStringLiteral("postgresql://tess@office:5433/fb")), entry);
        QVERIFY(ServerCredentialStore::entryFor(QStringLiteral("postgresql://tess@elsewhere:5433/fb")) !=
                entry);
        QVERIFY(ServerCredentialStore::entryFor(QStringLiteral("postgresql://sam@office:5433/fb")) != entry);
        QVERIFY(ServerCredentialStore::entryFor(QStringLiteral("postgresql://tess@office:5433/other")) !=
                entry);
        QVERIFY(ServerCredentialStore::entryFor(QStringLiteral("office")).isEmpty());
    }

    void withoutAKeychainALookupAnswersLaterAndSaysWhy()
    {
        QVERIFY(!ServerCredentialStore::enabled());
        // A machine without a session bus (and so without a keychain), whatever this one has: no bus address,
        // an empty runtime directory.
        QTemporaryDir runtime;
        QVERIFY(runtime.isValid());
        const QByteArray oldBus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        const QByteArray oldRuntime = qgetenv("XDG_RUNTIME_DIR");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit());
        const auto restore = qScopeGuard([&] {
            if (!oldBus.isNull())
                qputenv("DBUS_SESSION_BUS_ADDRESS", oldBus);
            if (oldRuntime.isNull())
                qunsetenv("XDG_RUNTIME_DIR");
            else
                qputenv("XDG_RUNTIME_DIR", oldRuntime);
        });
        std::optional<Result<QString>> answer;
        ServerCredentialStore::read(QStringLiteral("postgresql://tess@office/fb"),
                                    [&](Result<QString> password) { answer = std::move(password); });
        QVERIFY(!answer); // never inside read()
        QVERIFY(QTest::qWaitFor([&] { return answer.has_value(); }, 30'000));
        QVERIFY(!answer->ok());
        QCOMPARE(answer->error().code, ErrorCode::Unavailable);
        QCOMPARE(answer->error().message,
                 QStringLiteral(
                     "no keychain is available on this machine (no session bus: DBUS_SESSION_BUS_ADDRESS "
                     "is not set): the password comes from ~/.pgpass or PGPASSWORD"));
    }

    void thePasswordGivenApartReachesTheServer()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const QString bare = ServerCredentialStore::withoutPassword(tech.url);

        auto connected = PgConnection::connect(bare, 5, tech.password);
        QVERIFY2(connected.ok(), qPrintable(connected.ok() ? QString() : connected.error().toString()));
        QCOMPARE((*connected)->exec(QStringLiteral("SELECT current_user")).value(0, 0), tech.login);

        // A stale password left in the URL loses to the one given apart.
        QUrl stale(tech.url);
        stale.setPassword(QStringLiteral("stale-password"));
        QVERIFY(PgConnection::connect(stale.toString(), 5, tech.password).ok());

        // A wrong one is refused for good, and not quoted.
        auto refused = PgConnection::connect(bare, 5, QStringLiteral("wrong-password-123"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Forbidden);
        QVERIFY(!refused.error().message.contains(QStringLiteral("wrong-password-123")));
    }

    void theSyncServicePushesWithThePasswordGivenApart()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));

        SyncSettings settings;
        settings.databasePath = f.path();
        settings.userId = f.alice();
        settings.serverUrl = ServerCredentialStore::withoutPassword(tech.url);
        settings.password = tech.password;
        settings.interval = 1h;
        settings.runExtractions = false;
        SyncService service(settings);
        QSignalSpy finished(&service, &SyncService::cycleFinished);
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")),
                 QStringList{QStringLiteral("Rosa Diaz")});

        // A wrong password: the error the service keeps names the refusal and never the password.
        settings.password = QStringLiteral("wrong-password-456");
        QSignalSpy errors(&service, &SyncService::lastErrorChanged);
        service.reconfigure(settings);
        QVERIFY(QTest::qWaitFor([&] { return !service.lastError().isEmpty(); }, 30'000));
        QVERIFY2(service.lastError().contains(QStringLiteral("password authentication failed")),
                 qPrintable(service.lastError()));
        QVERIFY(!service.lastError().contains(QStringLiteral("wrong-password-456")));
        QCOMPARE(service.recentErrors().size(), 1);
        QVERIFY(service.recentErrors().first().at.isValid());
    }
};

QTEST_GUILESS_MAIN(TestServerCredentials)
#include "test_server_credentials.moc"
