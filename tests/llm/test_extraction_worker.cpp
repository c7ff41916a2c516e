// The sync worker runs the offline extraction queue (issue 4 part 4, sync/syncworker.h): a close-out whose
// notes could not reach the model is sent by the worker, on its own thread, when the model can be reached,
// with or without a PostgreSQL server; its answer becomes suggestions the GUI hears about; a failure leaves
// it for the next pass; a success is never sent again; no key means waiting quietly.
#include "extraction/extractionqueue.h"
#include "llm/llmkeystore.h"
#include "llm/mockanthropicserver.h"
#include "support/testsupport.h"
#include "syncservice.h"

#include <QMutex>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fb;
using namespace std::chrono_literals;
using Scenario = fb::test::MockAnthropicServer::Scenario;

namespace {

constexpr int kWaitMs = 30'000;
const QString kNotes = QStringLiteral("Elderly woman. Dog named Biscuit, keep gate closed.");

/// Sets an environment variable (or unsets it, for a null value) for the life of the object.
class ScopedEnv final
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name), m_had(qEnvironmentVariableIsSet(name))
    {
        m_old = qgetenv(name);
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv &) = delete;
    ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

QUrl local(quint16 port)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
}

/// A port on which nothing listens (until a mock takes it).
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot find a free port");
    return probe.serverPort();
}

sync::LlmSettings llmAt(const QUrl &url)
{
    sync::LlmSettings llm;
    llm.baseUrl = url;
    llm.apiKey = QStringLiteral("test-key"); // the mock's
    llm.retryDelayScale = 0.001;
    llm.totalTimeout = 20s;
    return llm;
}

/// No server URL: sync is not set up, the extraction still runs. Passes come only when a test asks, except
/// where it shortens the backoff.
sync::SyncSettings settingsFor(const test::CoreFixture &f, std::optional<sync::LlmSettings> llm)
{
    sync::SyncSettings settings;
    settings.databasePath = f.path();
    settings.userId = f.alice();
    settings.llm = std::move(llm);
    settings.debounce = 10ms;
    settings.extractionFirstRetry = 1h;
    settings.extractionInterval = 1h;
    return settings;
}

/// A close-out with no model client: it returns at once and its notes wait in the queue.
struct ClosedOut
{
    Contact contact;
    Ticket ticket;
    QUuid noteId;
    QUuid requestId;
};

ClosedOut closeOutOffline(test::CoreFixture &f, const QString &notes = kNotes)
{
    const auto customer = f.addCustomer();
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    auto result = f->tickets.initiateCloseOut(ticket->id, 45, notes);
    if (!result || result->extraction.state != ExtractionOutcome::State::Queued)
        qFatal("the close-out did not queue its notes");
    return {customer.contact, *ticket, result->noteId, result->extraction.requestId};
}

QStringList keys(const QList<AttributeSuggestion> &suggestions)
{
    QStringList list;
    for (const AttributeSuggestion &s : suggestions)
        list.append(s.key);
    list.sort();
    return list;
}

/// Asks for a pass and waits for its end.
bool runPass(sync::SyncService &service)
{
    QSignalSpy passes(&service, &sync::SyncService::extractionPassFinished);
    service.runExtractions();
    return passes.wait(kWaitMs);
}

} // namespace

class TestExtractionWorker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);  // QSettings() reads a test location
        qputenv("FIELDBOOK_LLM_NO_KEYCHAIN", "1"); // the keychain tests unset it themselves
    }

    void aQueuedCloseOutBecomesSuggestionsWithoutASyncServer()
    {
        test::MockAnthropicServer mock;
        QVERIFY(mock.listen());
        test::CoreFixture f;
        const ClosedOut closed = closeOutOffline(f);
        auto request = f->extractionQueue.request(closed.requestId);
        VERIFY_OK(request);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Pending));
        QCOMPARE(request->attempts, 0);

        sync::SyncService service(settingsFor(f, llmAt(mock.url())));
        QSignalSpy ready(&service, &sync::SyncService::suggestionsReady);
        QSignalSpy cycles(&service, &sync::SyncService::cycleStarted);
        QVERIFY(!service.isPushConfigured());
        QVERIFY(ready.wait(kWaitMs));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.first().first().toInt(), 2);

        // Read on the test's own connection, not the worker's.
        request = f->extractionQueue.request(closed.requestId);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Done));
        QCOMPARE(request->attempts, 1);
        const auto suggestions = f->extractionQueue.openSuggestions(closed.contact.id);
        VERIFY_OK(suggestions);
        QCOMPARE(keys(*suggestions), (QStringList{QStringLiteral("pet"), QStringLiteral("property_notes")}));
        for (const AttributeSuggestion &s : *suggestions) {
            QCOMPARE(s.ticketId, closed.ticket.id);
            QCOMPARE(s.noteId, closed.noteId);
            QCOMPARE(toString(s.status), toString(SuggestionStatus::Suggested));
        }
        QVERIFY(f->attributes.getAttributes(closed.contact.id)->isEmpty()); // nothing saved before review
        QCOMPARE(mock.received.size(), 1);
        QVERIFY(mock.received.first()
                    .body[QStringLiteral("messages")][0][QStringLiteral("content")]
                    .toString()
                    .contains(kNotes));

        // Done is done: a later pass sends nothing.
        QVERIFY(runPass(service));
        QCOMPARE(service.pendingExtractions(), 0);
        QCOMPARE(mock.received.size(), 1);
        QCOMPARE(ready.size(), 1);
        // Without a server nothing was pushed, and that is not an error.
        QVERIFY(cycles.isEmpty());
        QVERIFY(service.lastError().isEmpty());
        QVERIFY(service.extractionError().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(service.pendingCount() > 0, kWaitMs); // the changes wait for a server
    }

    void aFailureLeavesTheRequestForTheNextPass_data()
    {
        QTest::addColumn<bool>("refused");
        QTest::addColumn<int>("sentWhileFailing");
        QTest::addColumn<QString>("reason");
        QTest::newRow("overloaded (529), retried twice") << false << 3 << QStringLiteral("529");
        QTest::newRow("connection refused") << true << 0 << QStringLiteral("network");
    }

    void aFailureLeavesTheRequestForTheNextPass()
    {
        QFETCH(bool, refused);
        QFETCH(int, sentWhileFailing);
        QFETCH(QString, reason);
        test::MockAnthropicServer mock;
        quint16 port = 0;
        if (refused) {
            port = closedPort();
        } else {
            QVERIFY(mock.listen());
            mock.setFallback(Scenario::Overloaded);
            port = quint16(mock.url().port());
        }
        test::CoreFixture f;
        const ClosedOut closed = closeOutOffline(f);

        sync::SyncService service(settingsFor(f, llmAt(local(port))));
        QSignalSpy passes(&service, &sync::SyncService::extractionPassFinished);
        QSignalSpy ready(&service, &sync::SyncService::suggestionsReady);
        QVERIFY(passes.wait(kWaitMs));
        QCOMPARE(passes.first().first().toInt(), 1);
        QVERIFY(ready.isEmpty());
        QCOMPARE(mock.received.size(), sentWhileFailing);
        auto request = f->extractionQueue.request(closed.requestId);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Pending));
        QCOMPARE(request->attempts, 1);
        QVERIFY2(request->lastError.contains(reason), qPrintable(request->lastError));
        QVERIFY(!request->lockedUntil.isValid()); // free for the next pass
        // The status bar says it in words (issue 15); the reason is in the stored record above and the log.
        QCOMPARE(service.extractionError(), refused ? llmwords::unreachable() : llmwords::busy());
        QVERIFY(f->extractionQueue.openSuggestions()->isEmpty());

        // The model is back.
        if (refused)
            QVERIFY(mock.listen(port));
        else
            mock.setFallback(Scenario::Ok);
        QVERIFY(runPass(service));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(mock.received.size(), sentWhileFailing + 1);
        request = f->extractionQueue.request(closed.requestId);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Done));
        QCOMPARE(request->attempts, 2);
        QCOMPARE(f->extractionQueue.openSuggestions(closed.contact.id)->size(), 2);
        QVERIFY(service.extractionError().isEmpty());

        QVERIFY(runPass(service));
        QCOMPARE(mock.received.size(), sentWhileFailing + 1);
    }

    void theModelComingBackIsNoticedOnItsOwn()
    {
        const quint16 port = closedPort();
        test::CoreFixture f;
        const ClosedOut closed = closeOutOffline(f);
        sync::SyncSettings settings = settingsFor(f, llmAt(local(port)));
        settings.extractionFirstRetry = 50ms; // the backoff, not the test, brings the next pass
        settings.extractionInterval = 200ms;
        sync::SyncService service(settings);
        QSignalSpy passes(&service, &sync::SyncService::extractionPassFinished);
        QSignalSpy ready(&service, &sync::SyncService::suggestionsReady);
        QVERIFY(passes.wait(kWaitMs));
        QVERIFY(ready.isEmpty());

        test::MockAnthropicServer mock;
        QVERIFY(mock.listen(port));
        QVERIFY(ready.wait(kWaitMs));
        QCOMPARE(toString(f->extractionQueue.request(closed.requestId)->status),
                 toString(ExtractionRequestStatus::Done));
        QCOMPARE(mock.received.size(), 1);
    }

    void withoutAKeyRequestsWaitQuietly()
    {
        test::MockAnthropicServer mock;
        QVERIFY(mock.listen());
        test::CoreFixture f;
        const ClosedOut closed = closeOutOffline(f);
        sync::LlmSettings keyless = llmAt(mock.url());
        keyless.apiKey.clear();

        // Warnings from any thread (the worker's too).
        static QMutex mutex;
        static QStringList warnings;
        warnings.clear();
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
                if (type == QtWarningMsg || type == QtCriticalMsg) {
                    QMutexLocker locker(&mutex);
                    warnings.append(message);
                }
            });
        auto service = std::make_unique<sync::SyncService>(settingsFor(f, keyless));
        QSignalSpy passes(service.get(), &sync::SyncService::extractionPassFinished);
        QSignalSpy errors(service.get(), &sync::SyncService::extractionErrorChanged);
        QVERIFY(passes.wait(kWaitMs));
        for (int i = 0; i < 3; ++i)
            QVERIFY(runPass(*service));
        qInstallMessageHandler(previous);

        {
            QMutexLocker locker(&mutex);
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
        }
        QCOMPARE(errors.size(), 1); // said once, not at every pass
        // In words, where the status bar shows it; the missing key is in the log.
        QCOMPARE(errors.first().first().toString(), llmwords::notSetUp());
        QCOMPARE(service->pendingExtractions(), 1);
        QVERIFY(mock.received.isEmpty());
        auto request = f->extractionQueue.request(closed.requestId);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Pending));
        QCOMPARE(request->attempts, 0); // nothing was tried
        QVERIFY(request->lastError.isEmpty());

        // The technician enters a key: the waiting notes go.
        QSignalSpy ready(service.get(), &sync::SyncService::suggestionsReady);
        service->reloadLlmSettings(llmAt(mock.url()));
        QVERIFY(ready.wait(kWaitMs));
        QCOMPARE(mock.received.size(), 1);
        QCOMPARE(toString(f->extractionQueue.request(closed.requestId)->status),
                 toString(ExtractionRequestStatus::Done));
        QTRY_VERIFY_WITH_TIMEOUT(service->extractionError().isEmpty(), kWaitMs);
    }

    void onePassAtATimeAndShutdownLeavesTheRequestPending()
    {
        test::MockAnthropicServer mock;
        QVERIFY(mock.listen());
        mock.setFallback(Scenario::Hang);
        test::CoreFixture f;
        const ClosedOut first = closeOutOffline(f);
        const ClosedOut second = closeOutOffline(f, QStringLiteral("Cat named Tom, side gate"));
        sync::LlmSettings llm = llmAt(mock.url());
        llm.totalTimeout = 1s; // ends the first pass
        llm.maxRetries = 0;
        auto service = std::make_unique<sync::SyncService>(settingsFor(f, llm));
        QSignalSpy passes(service.get(), &sync::SyncService::extractionPassFinished);
        QTRY_COMPARE_WITH_TIMEOUT(mock.played(), 1, kWaitMs);
        // Asked again while the first request hangs: one pass afterwards, never a second one alongside
        // (which would send the second request now).
        service->runExtractions();
        service->runExtractions();
        service->syncNow(); // no server: the same as runExtractions()
        QVERIFY(passes.wait(kWaitMs));
        QCOMPARE(mock.played(), 1);
        QCOMPARE(passes.first().first().toInt(), 2);
        // The pass asked for meanwhile runs at once, backoff or not, and starts with the oldest request.
        QTRY_COMPARE_WITH_TIMEOUT(mock.played(), 2, kWaitMs);

        // The app quits while that request hangs: the client goes before the worker's database connection,
        // so the request is recorded as still pending and free for the next start.
        service.reset();
        const auto requests = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(requests);
        QCOMPARE(requests->size(), 2);
        const auto stillFirst = f->extractionQueue.request(first.requestId);
        QCOMPARE(stillFirst->attempts, 2);
        QVERIFY(!stillFirst->lockedUntil.isValid());
        QVERIFY2(stillFirst->lastError.contains(QStringLiteral("cancelled")),
                 qPrintable(stillFirst->lastError));
        QCOMPARE(f->extractionQueue.request(second.requestId)->attempts, 0);
        QCOMPARE(mock.played(), 2);
    }

    void withoutSettingsTheEnvironmentGivesTheModelAndTheKey()
    {
        // The app's path: no LlmSettings given, so the worker loads them (QSettings, then the environment)
        // on its thread. The keychain is on, but the environment's key makes it unnecessary.
        test::MockAnthropicServer mock;
        QVERIFY(mock.listen());
        ScopedEnv keychain("FIELDBOOK_LLM_NO_KEYCHAIN", QByteArray());
        ScopedEnv provider("FIELDBOOK_LLM_PROVIDER", "anthropic");
        ScopedEnv base("FIELDBOOK_LLM_BASE_URL", mock.url().toString().toUtf8());
        ScopedEnv key("ANTHROPIC_API_KEY", mock.expectedKey());
        test::CoreFixture f;
        const ClosedOut closed = closeOutOffline(f);
        sync::SyncService service(settingsFor(f, std::nullopt));
        QSignalSpy ready(&service, &sync::SyncService::suggestionsReady);
        QVERIFY(ready.wait(kWaitMs));
        QCOMPARE(mock.received.size(), 1);
        QCOMPARE(mock.received.first().headers.value("x-api-key"), mock.expectedKey());
        QCOMPARE(toString(f->extractionQueue.request(closed.requestId)->status),
                 toString(ExtractionRequestStatus::Done));
    }

    void aKeychainWithoutAKeyLeavesTheRequestsWaiting()
    {
        // No key in the environment: the worker asks the keychain, here one on a machine without a session
        // bus (whatever this machine has: no bus address, an empty runtime directory), which answers at once
        // that there is none. The worker neither hangs nor sends anything.
        if (!sync::LlmKeyStore::compiledIn())
            QSKIP("this build has no keychain support");
        ScopedEnv keychain("FIELDBOOK_LLM_NO_KEYCHAIN", QByteArray());
        QTemporaryDir runtime;
        QVERIFY(runtime.isValid());
        ScopedEnv bus("DBUS_SESSION_BUS_ADDRESS", QByteArray());
        ScopedEnv runtimeDir("XDG_RUNTIME_DIR", runtime.path().toLocal8Bit());
        const Result<QString> stored = sync::LlmKeyStore::readBlocking(sync::LlmProvider::Anthropic);
        QVERIFY(!stored.ok());
        QVERIFY2(
            stored.error().message.startsWith(QStringLiteral("no keychain is available on this machine")),
            qPrintable(stored.error().message));
        test::MockAnthropicServer mock;
        QVERIFY(mock.listen());
        ScopedEnv provider("FIELDBOOK_LLM_PROVIDER", "anthropic");
        ScopedEnv base("FIELDBOOK_LLM_BASE_URL", mock.url().toString().toUtf8());
        ScopedEnv key("ANTHROPIC_API_KEY", QByteArray());
        test::CoreFixture f;
        const ClosedOut closed = closeOutOffline(f);
        sync::SyncService service(settingsFor(f, std::nullopt));
        QSignalSpy passes(&service, &sync::SyncService::extractionPassFinished);
        QVERIFY(passes.wait(kWaitMs));
        QCOMPARE(passes.first().first().toInt(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(service.extractionError(), llmwords::notSetUp(), kWaitMs);
        QVERIFY(mock.received.isEmpty());
        QCOMPARE(f->extractionQueue.request(closed.requestId)->attempts, 0);
    }
};

QTEST_GUILESS_MAIN(TestExtractionWorker)
#include "test_extraction_worker.moc"
