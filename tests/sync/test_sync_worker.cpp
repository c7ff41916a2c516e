#include "pgconnection.h"
#include "restoreservice.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"
#include "syncservice.h"
#include "syncworker.h"
#include "util/threadpriority.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QtEndian>

#include <algorithm>
#include <map>
#include <memory>

using namespace fb;
using namespace std::chrono_literals;

namespace {

/// A TCP endpoint on 127.0.0.1 in front of the test PostgreSQL: forwards everything, accepts and never
/// answers, or forwards the login and then swallows the first query (a server that stops answering in the
/// middle of a push). Runs on the test's (GUI) thread.
class FakeServer final : public QObject
{
public:
    enum class Mode
    {
        Forward,
        Silent,
        HangOnQuery
    };

    explicit FakeServer(Mode mode, quint16 port = 0) : m_mode(mode)
    {
        if (!m_server.listen(QHostAddress::LocalHost, port))
            qFatal("cannot listen on port %d: %s", port, qPrintable(m_server.errorString()));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                ++m_accepted;
                if (m_mode != Mode::Silent)
                    pipe(client);
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    int accepted() const { return m_accepted; }
    bool swallowedQuery() const { return m_swallowed; }

private:
    struct Pipe
    {
        QByteArray buffer;
        bool startupSeen = false;
        bool hung = false;
    };

    void pipe(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(this);
        auto state = std::make_shared<Pipe>();
        auto pump = [this, client, upstream, state] {
            if (upstream->state() != QAbstractSocket::ConnectedState)
                return;
            state->buffer += client->readAll();
            if (m_mode == Mode::Forward) {
                upstream->write(state->buffer);
                state->buffer.clear();
                return;
            }
            // Whole protocol messages: the startup packet (length first), then typed ones (type, length).
            while (!state->hung) {
                const qsizetype header = state->startupSeen ? 5 : 4;
                if (state->buffer.size() < header)
                    return;
                const qsizetype length =
                    qFromBigEndian<qint32>(state->buffer.constData() + (state->startupSeen ? 1 : 0)) +
                    header - 4;
                if (state->buffer.size() < length)
                    return;
                if (state->startupSeen && state->buffer.at(0) == 'Q') {
                    state->hung = true;
                    m_swallowed = true;
                    break;
                }
                upstream->write(state->buffer.left(length));
                state->buffer.remove(0, length);
                state->startupSeen = true;
            }
            state->buffer.clear();
        };
        connect(client, &QTcpSocket::readyRead, this, pump);
        connect(upstream, &QTcpSocket::connected, this, pump);
        connect(upstream, &QTcpSocket::readyRead, this,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        upstream->connectToHost(test::PgTestServer::instance().host(),
                                quint16(test::PgTestServer::instance().port()));
    }

    Mode m_mode;
    QTcpServer m_server;
    int m_accepted = 0;
    bool m_swallowed = false;
};

/// A port on which nothing listens (until a FakeServer takes it).
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot find a free port");
    return probe.serverPort();
}

/// `url` pointed at 127.0.0.1:`port`, in clear text so that FakeServer can read the protocol.
QString viaPort(const QString &url, quint16 port)
{
    QUrl rewritten(url);
    rewritten.setHost(QStringLiteral("127.0.0.1"));
    rewritten.setPort(port);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("sslmode"), QStringLiteral("disable"));
    query.addQueryItem(QStringLiteral("gssencmode"), QStringLiteral("disable"));
    rewritten.setQuery(query);
    return rewritten.toString();
}

/// Fast settings: retries from 50 ms capped at 400 ms, and an interval of an hour, so that any cycle a test
/// sees after the first one comes from a retry, syncNow() or a local change, never from the period.
sync::SyncSettings fastSettings(const test::CoreFixture &f, const QString &url)
{
    sync::SyncSettings settings;
    settings.databasePath = f.path();
    settings.userId = f.alice();
    settings.serverUrl = url;
    settings.interval = 1h;
    settings.firstRetry = 50ms;
    settings.maxRetry = 400ms;
    settings.debounce = 50ms;
    settings.connectTimeoutSeconds = 2;
    // The extraction passes have their own tests (tests/llm/test_extraction_worker.cpp); here they would only
    // add a keychain lookup to every test.
    settings.runExtractions = false;
    return settings;
}

int localPending(test::CoreFixture &f)
{
    auto query = f->db().exec(QStringLiteral("SELECT count(*) FROM sync_outbox WHERE pushed_at IS NULL AND "
                                             "quarantined_at IS NULL"));
    if (!query || !query->next())
        qFatal("cannot count pending changes");
    return query->value(0).toInt();
}

QStringList serverContacts(const test::PgTestDatabase &server)
{
    return server.adminQuery(QStringLiteral("SELECT name FROM contacts ORDER BY name"));
}

bool syncConnectionOpen()
{
    const QStringList names = QSqlDatabase::connectionNames();
    return std::any_of(names.begin(), names.end(),
                       [](const QString &name) { return name.startsWith(QLatin1String("fieldbook-sync-")); });
}

/// The niceness of this process's threads, by the name the OS shows for each (/proc/self/task/<id>/comm, cut
/// to 15 characters) and for the calling thread under "self". Field 19 of .../stat is the niceness.
std::map<QString, int> threadNiceness()
{
    const auto niceOf = [](const QString &statPath) {
        QFile stat(statPath);
        if (!stat.open(QIODevice::ReadOnly))
            return -100;
        const QByteArray text = stat.readAll();
        // The name, in parentheses, may hold spaces: the fields after it start at field 3.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        return fields.size() > 16 ? fields.at(16).toInt() : -100;
    };
    std::map<QString, int> nice;
    const QString tasks = QStringLiteral("/proc/self/task");
    for (const QString &task : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks + u'/' + task + QStringLiteral("/comm"));
        if (comm.open(QIODevice::ReadOnly))
            nice[QString::fromUtf8(comm.readAll().trimmed())] =
                niceOf(tasks + u'/' + task + QStringLiteral("/stat"));
    }
    nice[QStringLiteral("self")] = niceOf(QStringLiteral("/proc/thread-self/stat"));
    return nice;
}

} // namespace

class TestSyncWorker final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backoffDoublesUpToTheCap_data()
    {
        QTest::addColumn<int>("failures");
        QTest::addColumn<int>("capMs");
        QTest::addColumn<double>("jitter");
        QTest::addColumn<int>("expectedMs");
        QTest::newRow("first retry after 5 s") << 1 << 300000 << 0.0 << 5000;
        QTest::newRow("second doubles") << 2 << 300000 << 0.0 << 10000;
        QTest::newRow("third doubles again") << 3 << 300000 << 0.0 << 20000;
        QTest::newRow("capped at 5 minutes") << 10 << 300000 << 0.0 << 300000;
        QTest::newRow("many failures stay capped") << 1000 << 300000 << 0.0 << 300000;
        QTest::newRow("capped at a shorter interval") << 5 << 60000 << 0.0 << 60000;
        QTest::newRow("full jitter takes 20% off") << 2 << 300000 << 1.0 << 8000;
        QTest::newRow("jitter never exceeds the cap") << 10 << 300000 << 1.0 << 240000;
    }
    void backoffDoublesUpToTheCap()
    {
        QFETCH(int, failures);
        QFETCH(int, capMs);
        QFETCH(double, jitter);
        QFETCH(int, expectedMs);
        QCOMPARE(
            sync::SyncWorker::backoffDelay(failures, 5s, std::chrono::milliseconds(capMs), jitter).count(),
            expectedMs);
    }

    void firstAndPeriodicCyclesPushAndReportOnline()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        QVERIFY(localPending(f) > 0);

        auto settings = fastSettings(f, tech.url);
        settings.interval = 300ms;
        sync::SyncService service(settings);
        QSignalSpy online(&service, &sync::SyncService::onlineChanged);
        QSignalSpy success(&service, &sync::SyncService::lastSuccessChanged);

        QTRY_COMPARE(serverContacts(server), QStringList{QStringLiteral("Rosa Diaz")});
        QTRY_VERIFY(service.isOnline());
        QTRY_COMPARE(service.pendingCount(), 0);
        QTRY_VERIFY(service.lastSuccess().isValid());
        QCOMPARE(online.size(), 1);
        QCOMPARE(online.first().first().toBool(), true);
        QVERIFY(service.lastError().isEmpty());
        QVERIFY(service.quarantined().isEmpty());
        QCOMPARE(localPending(f), 0);

        // A change nobody announces goes with the next period.
        const int successes = int(success.size());
        f.addCustomer(QStringLiteral("Sam Lee"));
        QTRY_COMPARE(serverContacts(server),
                     (QStringList{QStringLiteral("Rosa Diaz"), QStringLiteral("Sam Lee")}));
        QTRY_VERIFY(success.size() > successes);
        QTRY_COMPARE(localPending(f), 0);
    }

    void unreachableServerIsOfflineAndRetriesUntilItAnswers()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const int pending = localPending(f);
        const quint16 port = closedPort();
        const QString url = viaPort(tech.url, port);

        sync::SyncService service(fastSettings(f, url));
        QSignalSpy online(&service, &sync::SyncService::onlineChanged);
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        // The interval is an hour: further cycles are the backoff's retries.
        QTRY_VERIFY(finished.size() >= 3);
        for (const auto &cycle : std::as_const(finished))
            QCOMPARE(cycle.first().toBool(), false);
        QCOMPARE(online.size(), 1);
        QCOMPARE(online.first().first().toBool(), false);
        QVERIFY(!service.isOnline());
        QCOMPARE(service.pendingCount(), pending);
        QVERIFY(!service.lastSuccess().isValid());
        QVERIFY2(!service.lastError().isEmpty(), "an unreachable server is reported");
        QVERIFY2(!service.lastError().contains(tech.password), qPrintable(service.lastError()));
        QVERIFY2(!service.lastError().contains(url), qPrintable(service.lastError()));
        QVERIFY(serverContacts(server).isEmpty());

        // The server appears on that port: the next retry pushes, with no local write and no syncNow().
        FakeServer proxy(FakeServer::Mode::Forward, port);
        QTRY_COMPARE(serverContacts(server), QStringList{QStringLiteral("Rosa Diaz")});
        QTRY_VERIFY(service.isOnline());
        QTRY_COMPARE(service.pendingCount(), 0);
        QTRY_VERIFY(service.lastError().isEmpty());
        QVERIFY(service.lastSuccess().isValid());
        QCOMPARE(online.last().first().toBool(), true);
        QVERIFY(proxy.accepted() >= 1);
    }

    void refusedLoginIsOnlineButFails()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer();
        // The test cluster trusts local logins (no password check), so the refusal is an unknown role.
        QUrl unknown(tech.url);
        unknown.setUserName(QStringLiteral("nobody_here"));

        sync::SyncService service(fastSettings(f, unknown.toString()));
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        // The server answered (with a refusal): online, and the reason is shown without the password.
        QTRY_VERIFY(service.isOnline());
        QVERIFY2(service.lastError().contains(QStringLiteral("nobody_here")),
                 qPrintable(service.lastError()));
        QVERIFY(!service.lastError().contains(tech.password));
        QVERIFY(service.pendingCount() > 0);
    }

    void aServerProblemSetsNothingAsideAndTheNextCycleRetries()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const int pending = localPending(f);
        QVERIFY(server.adminExec(QStringLiteral("REVOKE fieldbook_technician FROM %1").arg(tech.login)).ok());

        sync::SyncService service(fastSettings(f, tech.url));
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QTRY_VERIFY2(service.lastError().contains(QStringLiteral("is not a Fieldbook technician")),
                     qPrintable(service.lastError()));
        QVERIFY(service.isOnline());
        QVERIFY(service.quarantined().isEmpty());
        QCOMPARE(service.pendingCount(), pending);

        // Fixed on the server: the next cycle pushes everything; nothing waits for a Retry button.
        QVERIFY(server.adminExec(QStringLiteral("GRANT fieldbook_technician TO %1").arg(tech.login)).ok());
        service.syncNow();
        QTRY_COMPARE(serverContacts(server), QStringList{QStringLiteral("Rosa Diaz")});
        QTRY_COMPARE(service.pendingCount(), 0);
        QVERIFY(service.quarantined().isEmpty());
    }

    void aTableLockedByAnotherSessionIsRetriedOnTheBackoff()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        auto locker = sync::PgConnection::connect(server.adminUrl());
        QVERIFY(locker.ok());
        QVERIFY((*locker)->exec(QStringLiteral("BEGIN")).ok());
        QVERIFY((*locker)->exec(QStringLiteral("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE")).ok());

        sync::SyncService service(fastSettings(f, tech.url));
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 1, 20000);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(service.lastError().contains(QStringLiteral("locked by another session")),
                 qPrintable(service.lastError()));
        QVERIFY2(service.isOnline(), "a busy server answered: it is online");
        QVERIFY(service.quarantined().isEmpty());

        // The lock goes: a retry on the backoff (the interval is an hour) pushes, with no local write.
        QVERIFY((*locker)->exec(QStringLiteral("ROLLBACK")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(serverContacts(server) == QStringList{QStringLiteral("Rosa Diaz")}, 20000);
        QTRY_COMPARE(service.pendingCount(), 0);
    }

    void syncNowRunsACycleAtOnce()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        sync::SyncService service(fastSettings(f, tech.url));
        QSignalSpy finished(&service, &sync::SyncService::cycleFinished);
        QTRY_COMPARE(finished.size(), 1);
        QTRY_COMPARE(service.pendingCount(), 0);

        f.addCustomer(QStringLiteral("Sam Lee"));
        service.syncNow();
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(finished.last().first().toBool(), true);
        QCOMPARE(serverContacts(server),
                 (QStringList{QStringLiteral("Rosa Diaz"), QStringLiteral("Sam Lee")}));
        QCOMPARE(localPending(f), 0);
    }

    void localWritesUpdatePendingAndPushSoon()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        sync::SyncService service(fastSettings(f, tech.url));
        QSignalSpy pending(&service, &sync::SyncService::pendingCountChanged);
        QTRY_VERIFY(service.isOnline());
        QTRY_COMPARE(service.pendingCount(), 0);
        pending.clear();

        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const int written = localPending(f);
        QVERIFY(written > 0);
        service.localChangesCommitted();
        QTRY_COMPARE(serverContacts(server), QStringList{QStringLiteral("Rosa Diaz")});
        // The status bar saw the write counted before it went.
        QTRY_VERIFY(pending.size() >= 2);
        QCOMPARE(pending.first().first().toInt(), written);
        QCOMPARE(pending.last().first().toInt(), 0);
    }

    void quarantinedChangesAreSignalled()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QVERIFY(server.adminExec(QStringLiteral("ALTER TABLE contacts ADD CONSTRAINT no_poison "
                                                "CHECK (name <> 'Poison Pill')")));
        const auto poison = f.addCustomer(QStringLiteral("Poison Pill"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));

        sync::SyncService service(fastSettings(f, tech.url));
        QSignalSpy quarantined(&service, &sync::SyncService::quarantinedChanged);
        QTRY_VERIFY(!service.quarantined().isEmpty());
        QTRY_COMPARE(service.pendingCount(), 0);
        QCOMPARE(serverContacts(server), QStringList{QStringLiteral("Rosa Diaz")});
        QVERIFY(service.isOnline());

        const auto &last = quarantined.last();
        const auto changes = last.at(1).value<QList<sync::QuarantinedChange>>();
        QCOMPARE(last.at(0).toInt(), int(changes.size()));
        QCOMPARE(changes.size(), service.quarantined().size());
        const auto refused =
            std::find_if(changes.begin(), changes.end(), [&](const sync::QuarantinedChange &c) {
                return c.entityType == QStringLiteral("contact") && c.entityId == poison.contact.id;
            });
        QVERIFY2(refused != changes.end(), "the poison contact is set aside");
        QVERIFY2(refused->reason.contains(QStringLiteral("no_poison")), qPrintable(refused->reason));
        QVERIFY(refused->at.isValid());

        // Once the server takes it, releasing the quarantine pushes it, and the list empties.
        QVERIFY(server.adminExec(QStringLiteral("ALTER TABLE contacts DROP CONSTRAINT no_poison")));
        service.releaseQuarantine();
        QTRY_VERIFY(service.quarantined().isEmpty());
        QTRY_COMPARE(serverContacts(server),
                     (QStringList{QStringLiteral("Poison Pill"), QStringLiteral("Rosa Diaz")}));
        QTRY_COMPARE(service.pendingCount(), 0);
        QCOMPARE(quarantined.last().at(0).toInt(), 0);
    }

    void syncAndRestoreGiveTheWindowFirstCallOnACore()
    {
        // On a two-core laptop a push, a restore and the extraction queue run beside the window. Their
        // threads run at a lower priority, so a keystroke never waits behind them for a core (issue 16).
#ifndef Q_OS_LINUX
        QSKIP("a niceness per thread is Linux's");
#endif
        test::CoreFixture f;
        sync::SyncService service(fastSettings(f, QString()));
        QTemporaryDir restoreDir;
        sync::RestoreService restore(restoreDir.filePath(QStringLiteral("restored.db")), QString());
        const int window = threadNiceness().at(QStringLiteral("self"));
        const int expected = std::min(19, window + kBackgroundNiceIncrement);
        QVERIFY2(window < 19, "this test needs a process that can still lower a thread's priority");
        QTRY_COMPARE(threadNiceness()[QStringLiteral("fieldbook-sync")], expected);
        QTRY_COMPARE(threadNiceness()[QStringLiteral("fieldbook-resto")], expected);
        // The window's own thread keeps its priority.
        QCOMPARE(threadNiceness().at(QStringLiteral("self")), window);
    }

    void guiThreadStaysResponsiveWhileTheServerIsSilent()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer();
        FakeServer silent(FakeServer::Mode::Silent);

        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(20);
        connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
        ticker.start();

        auto service = std::make_unique<sync::SyncService>(fastSettings(f, viaPort(tech.url, silent.port())));
        int ticksAtStart = -1;
        int ticksAtEnd = -1;
        connect(service.get(), &sync::SyncService::cycleStarted, this, [&] {
            if (ticksAtStart < 0)
                ticksAtStart = ticks;
        });
        connect(service.get(), &sync::SyncService::cycleFinished, this, [&] {
            if (ticksAtEnd < 0)
                ticksAtEnd = ticks;
        });
        QTRY_VERIFY(silent.accepted() >= 1);
        QVERIFY(service->isCycleRunning());
        // The worker waits out the 2 s connect timeout; the GUI thread's timer keeps firing meanwhile.
        QTRY_VERIFY_WITH_TIMEOUT(ticksAtEnd >= 0, 10000);
        QVERIFY2(ticksAtEnd - ticksAtStart >= 20, qPrintable(QString::number(ticksAtEnd - ticksAtStart)));
        QTRY_VERIFY(!service->lastError().isEmpty());
        QVERIFY(!service->isOnline());
        QVERIFY(!service->lastError().contains(tech.password));
    }

    void destroyingDuringAHangingConnectReturnsAtOnce()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer();
        FakeServer silent(FakeServer::Mode::Silent);
        auto settings = fastSettings(f, viaPort(tech.url, silent.port()));
        // A long connect timeout: quitting must not wait for it (the window closes, the process goes).
        settings.connectTimeoutSeconds = 60;
        auto service = std::make_unique<sync::SyncService>(settings);
        QTRY_VERIFY(silent.accepted() >= 1);
        QVERIFY(syncConnectionOpen());

        QElapsedTimer elapsed;
        elapsed.start();
        service.reset();
        QVERIFY2(elapsed.elapsed() < 1500, qPrintable(QString::number(elapsed.elapsed())));
        QVERIFY2(!syncConnectionOpen(), "the worker's SQLite connection is closed with it");
    }

    void destroyingDuringAHangingPushReturnsAndLosesNothing()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        const int pending = localPending(f);
        {
            FakeServer hanging(FakeServer::Mode::HangOnQuery);
            auto service =
                std::make_unique<sync::SyncService>(fastSettings(f, viaPort(tech.url, hanging.port())));
            // Logged in, then the push's transaction was sent and the server never answers.
            QTRY_VERIFY(hanging.swallowedQuery());
            QVERIFY(service->isCycleRunning());
            service.reset(); // without abort() this would wait forever
            QVERIFY(!syncConnectionOpen());
        }
        QCOMPARE(localPending(f), pending);
        QVERIFY(serverContacts(server).isEmpty());

        // Nothing was lost or half-acknowledged: the next service pushes everything, once.
        sync::SyncService service(fastSettings(f, tech.url));
        QTRY_COMPARE(service.pendingCount(), 0);
        QCOMPARE(serverContacts(server), QStringList{QStringLiteral("Rosa Diaz")});
        QCOMPARE(localPending(f), 0);
    }

    /// Issue 16, item 3: quitting stops the sync thread wherever a push is (its socket shut down, its local
    /// statement interrupted, so an acknowledgement cut short rolls back whole). Every change still reaches
    /// the server exactly once: committed and acknowledged, or re-sent by the next start.
    void quittingAtAnyMomentOfAPushLosesNothing()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        QStringList names;
        for (int i = 0; i < 60; ++i) {
            names.append(QStringLiteral("Customer %1").arg(i, 3, 10, QLatin1Char('0')));
            f.addCustomer(names.last());
        }
        const int localEntries = localPending(f);
        auto settings = fastSettings(f, tech.url);
        settings.batchSize = 3; // many batches: a quit lands in a send, a commit or an acknowledgement
        int quits = 0;
        for (int delayMs = 0; localPending(f) > 0 && quits < 30; delayMs += 5, ++quits) {
            auto service = std::make_unique<sync::SyncService>(settings);
            QSignalSpy started(service.get(), &sync::SyncService::cycleStarted);
            QTRY_VERIFY(!started.isEmpty());
            QTest::qWait(delayMs);
            QElapsedTimer quitting;
            quitting.start();
            service.reset(); // the window closed
            QVERIFY2(quitting.elapsed() < sync::SyncService::kStopWait.count(),
                     qPrintable(QString::number(quitting.elapsed())));
            QVERIFY(!syncConnectionOpen());
        }
        QVERIFY2(quits > 1, "the push was never interrupted: the test proves nothing");

        sync::SyncService next(settings); // the next start
        QTRY_COMPARE(next.pendingCount(), 0);
        QVERIFY(next.quarantined().isEmpty());
        QCOMPARE(serverContacts(server), names); // each once
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'contact'")),
            QStringList{QString::number(names.size())});
        QCOMPARE(localPending(f), 0);
        QVERIFY(localEntries >= names.size());
    }

    void lastSuccessIsKnownAtStartEvenOffline()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer();
        QDateTime synced;
        {
            sync::SyncService online(fastSettings(f, tech.url));
            QTRY_VERIFY(online.lastSuccess().isValid());
            synced = online.lastSuccess();
        }
        sync::SyncService offline(fastSettings(f, viaPort(tech.url, closedPort())));
        QTRY_VERIFY(!offline.lastError().isEmpty());
        QCOMPARE(offline.lastSuccess(), synced);
        QVERIFY(!offline.isOnline());
    }
};

QTEST_GUILESS_MAIN(TestSyncWorker)
#include "test_sync_worker.moc"
