// The extraction queue beside the push (sync/syncworker.h), against a real PostgreSQL
// (support/pgtestserver.h) and the mock model API: the server answering again means the connection is back,
// so the waiting notes go to the model at once instead of at the end of their backoff.
#include "extraction/extractionqueue.h"
#include "llm/mockanthropicserver.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"
#include "syncservice.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace fb;
using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 30'000;
const QString kNotes = QStringLiteral("Elderly woman. Dog named Biscuit, keep gate closed.");

quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot find a free port");
    return probe.serverPort();
}

/// The test PostgreSQL behind another port, once listen() is called: until then, a server that is down.
class Forwarder final : public QObject
{
public:
    bool listen(quint16 port)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                client->setParent(this);
                auto *upstream = new QTcpSocket(this);
                connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] {
                    if (upstream->state() == QAbstractSocket::ConnectedState)
                        upstream->write(client->readAll());
                });
                connect(upstream, &QTcpSocket::connected, client,
                        [client, upstream] { upstream->write(client->readAll()); });
                connect(upstream, &QTcpSocket::readyRead, client,
                        [client, upstream] { client->write(upstream->readAll()); });
                connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                upstream->connectToHost(test::PgTestServer::instance().host(),
                                        quint16(test::PgTestServer::instance().port()));
            }
        });
        return m_server.listen(QHostAddress::LocalHost, port);
    }

private:
    QTcpServer m_server;
};

/// `url` (a libpq URL) through `port` instead of the server's own.
QString viaPort(const QString &url, quint16 port)
{
    QUrl parsed(url);
    parsed.setPort(port);
    return parsed.toString();
}

} // namespace

class TestExtractionWithServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1");
    }

    void theServerComingBackSendsTheWaitingNotesAtOnce()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer();
        auto ticket =
            f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt});
        VERIFY_OK(ticket);
        auto closed = f->tickets.initiateCloseOut(ticket->id, 45, kNotes);
        VERIFY_OK(closed);
        QCOMPARE(closed->extraction.state, ExtractionOutcome::State::Queued);

        // The laptop is offline: neither the server nor the model can be reached.
        const quint16 serverPort = closedPort();
        const quint16 modelPort = closedPort();
        sync::SyncSettings settings;
        settings.databasePath = f.path();
        settings.userId = f.alice();
        settings.serverUrl = viaPort(tech.url, serverPort);
        settings.interval = 1h;
        settings.firstRetry = 50ms; // the push retries quickly
        settings.maxRetry = 400ms;
        settings.extractionFirstRetry = 1h; // the extraction would wait an hour on its own
        settings.extractionInterval = 1h;
        settings.connectTimeoutSeconds = 5;
        sync::LlmSettings llm;
        llm.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(modelPort));
        llm.apiKey = QStringLiteral("test-key");
        llm.retryDelayScale = 0.001;
        settings.llm = llm;

        sync::SyncService service(settings);
        QSignalSpy online(&service, &sync::SyncService::onlineChanged);
        QSignalSpy passes(&service, &sync::SyncService::extractionPassFinished);
        QSignalSpy ready(&service, &sync::SyncService::suggestionsReady);
        QTRY_VERIFY_WITH_TIMEOUT(!online.isEmpty() && !passes.isEmpty(), kWaitMs);
        QVERIFY(!online.first().first().toBool());
        QCOMPARE(passes.first().first().toInt(), 1);
        QVERIFY(!service.extractionError().isEmpty());

        // The connection returns: the model first (nothing tells the worker), then the server, whose next
        // retry answers.
        test::MockAnthropicServer mock;
        QVERIFY(mock.listen(modelPort));
        Forwarder forwarder;
        QVERIFY(forwarder.listen(serverPort));
        QVERIFY(ready.wait(kWaitMs));
        QVERIFY(service.isOnline());
        QCOMPARE(mock.received.size(), 1);
        QCOMPARE(toString(f->extractionQueue.request(closed->extraction.requestId)->status),
                 toString(ExtractionRequestStatus::Done));
        QCOMPARE(f->extractionQueue.openSuggestions(customer.contact.id)->size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(server.adminQuery(QStringLiteral("SELECT count(*) FROM contacts")),
                                  QStringList{QStringLiteral("1")}, kWaitMs);
    }
};

QTEST_GUILESS_MAIN(TestExtractionWithServer)
#include "test_extraction_with_server.moc"
