#include "syncworker.h"

#include "puller.h"

#include "core.h"
#include "db/housekeeping.h"
#include "extraction/extractionqueue.h"
#include "llm/httpllmclient.h"
#include "llm/llmclientfactory.h"
#include "pgconnection.h"
#include "serverurl.h"
#include "util/timeutil.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <QAtomicInt>
#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>
#include <QSettings>
#include <QSqlDriver>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <exception>

#include <sys/socket.h>

Q_LOGGING_CATEGORY(lcSyncWorker, "fieldbook.sync.worker")

namespace fb::sync {

namespace {

const QString kLastSuccessKey = QStringLiteral("last_success_at");

QString uniqueConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("fieldbook-sync-%1").arg(counter.fetchAndAddRelaxed(1));
}

bool sameQuarantine(const QList<QuarantinedChange> &a, const QList<QuarantinedChange> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const auto &x, const auto &y) { return x.seq == y.seq && x.reason == y.reason; });
}

/// The password a libpq URL or key=value string carries, if any.
QString passwordOf(const QString &url)
{
    if (url.startsWith(QLatin1String("postgres://")) || url.startsWith(QLatin1String("postgresql://"))) {
        const QUrl parsed(url);
        if (!parsed.password().isEmpty())
            return parsed.password();
        return QUrlQuery(parsed).queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded);
    }
    const qsizetype at = url.indexOf(QLatin1String("password="));
    if (at < 0)
        return {};
    QString rest = url.mid(at + 9);
    if (rest.startsWith(QLatin1Char('\'')))
        return rest.mid(1).section(QLatin1Char('\''), 0, 0);
    return rest.section(QLatin1Char(' '), 0, 0);
}

} // namespace

SyncWorker::SyncWorker(SyncSettings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_connectionName(uniqueConnectionName())
{
}

SyncWorker::~SyncWorker()
{
    // The connection must close on the thread that opened it; stop() does it, the destructor is the safety
    // net.
    m_shuttingDown = true;
    dropLlmClient();
    closeLocal();
}

void SyncWorker::closeLocal()
{
    {
        QMutexLocker locker(&m_socketMutex);
        m_local = nullptr;
    }
    m_pusher.reset();
    m_core.reset();
}

std::chrono::milliseconds SyncWorker::backoffDelay(int failures, std::chrono::milliseconds first,
                                                   std::chrono::milliseconds cap, double jitter)
{
    using std::chrono::milliseconds;
    qint64 delay = std::max<qint64>(first.count(), 1);
    for (int i = 1; i < failures && delay < cap.count(); ++i)
        delay *= 2;
    delay = std::min<qint64>(delay, std::max<qint64>(cap.count(), 1));
    const double spread = std::clamp(jitter, 0.0, 1.0) * 0.2;
    return milliseconds(std::max<qint64>(1, qint64(double(delay) * (1.0 - spread))));
}

void SyncWorker::abort()
{
    m_aborted = true;
    QMutexLocker locker(&m_socketMutex);
    // shutdown(), not close(): the descriptor stays valid for libpq, whose blocked read now sees the end of
    // the stream and reports a lost connection (a temporary failure: nothing is quarantined, nothing
    // acknowledged).
    if (m_socket >= 0)
        ::shutdown(m_socket, SHUT_RDWR);
    // A long local statement (the pending changes counted at start over a large outbox took 1-2 s and held
    // the quit) stops now; a write it was part of rolls back, so nothing is acknowledged half-way.
    if (m_local)
        sqlite3_interrupt(static_cast<sqlite3 *>(m_local));
}

void SyncWorker::start()
{
    if (m_core || m_aborted)
        return;
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &SyncWorker::runCycle);
        m_extractionTimer = new QTimer(this);
        m_extractionTimer->setSingleShot(true);
        connect(m_extractionTimer, &QTimer::timeout, this, &SyncWorker::runExtractionPass);
        m_housekeepingTimer = new QTimer(this);
        m_housekeepingTimer->setSingleShot(true);
        connect(m_housekeepingTimer, &QTimer::timeout, this, &SyncWorker::runHousekeeping);
    }
    m_shuttingDown = false;
    try {
        auto core = Core::open(m_settings.databasePath, m_connectionName);
        if (!core) {
            reportError(QStringLiteral("cannot open the local database: %1").arg(core.error().toString()));
            return;
        }
        m_core = std::move(core).value();
        // users.setCurrent, not Core::setCurrentUser: event delivery belongs to the GUI's connection.
        if (auto selected = m_core->users.setCurrent(m_settings.userId); !selected) {
            reportError(QStringLiteral("cannot select the technician: %1").arg(selected.error().toString()));
            m_core.reset();
            return;
        }
        m_pusher = std::make_unique<Pusher>(m_core->db(), m_settings.userId, m_settings.batchSize);
        {
            QMutexLocker locker(&m_socketMutex);
            const QVariant handle = m_core->db().connection().driver()->handle();
            if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
                m_local = *static_cast<sqlite3 *const *>(handle.constData());
        }
        if (m_aborted) { // abort() came while the file was opened: it could not interrupt anything yet
            closeLocal();
            return;
        }

        auto stored =
            m_core->db().exec(QStringLiteral("SELECT value FROM sync_state WHERE user_id = ? AND key IN "
                                             "(?, 'last_push_at') ORDER BY value DESC LIMIT 1"),
                              {idText(m_settings.userId), kLastSuccessKey});
        if (stored && stored->next()) {
            const QDateTime at = fromStoredTime(stored->value(0));
            if (at.isValid())
                Q_EMIT lastSuccessChanged(at);
        }
        refreshLocalState();
    } catch (const std::exception &e) {
        reportError(
            QStringLiteral("sync could not start: %1").arg(redacted(QString::fromLocal8Bit(e.what()))));
        return;
    }
    // Without a server the local state (pending changes) is still reported, and the extraction still runs.
    if (pushConfigured() && !m_settings.awaitServerPassword)
        m_timer->start(0);
    setUpExtraction();
    // Without a server too: delivered events are pruned all the same.
    m_housekeepingTimer->start(m_settings.housekeepingAfterStart);
}

void SyncWorker::stop()
{
    m_shuttingDown = true;
    if (m_timer) {
        m_timer->stop();
        m_extractionTimer->stop();
        m_housekeepingTimer->stop();
    }
    dropLlmClient();
    closeLocal();
    Q_EMIT stopped();
}

void SyncWorker::syncNow()
{
    if (!m_core || m_aborted)
        return;
    if (pushConfigured())
        m_timer->start(0);
    runExtractions();
}

void SyncWorker::localChangesCommitted()
{
    if (!m_core || m_aborted)
        return;
    try {
        refreshLocalState();
    } catch (const std::exception &e) {
        qCWarning(lcSyncWorker).noquote() << "cannot count pending changes:" << e.what();
    }
    if (m_lastCycleOk && pushConfigured())
        scheduleWithin(m_settings.debounce);
    // A close-out whose notes could not reach the model: one more try soon, unless the model is known to be
    // unreachable (then the backoff decides).
    if (m_extractionFailures == 0)
        scheduleExtractionWithin(m_settings.debounce);
}

void SyncWorker::setInterval(qint64 milliseconds)
{
    m_settings.interval = std::chrono::milliseconds(std::max<qint64>(milliseconds, 1));
    if (m_core && !m_aborted && m_failures == 0 && pushConfigured())
        scheduleWithin(m_settings.interval);
}

void SyncWorker::releaseQuarantine()
{
    if (!m_core || m_aborted)
        return;
    try {
        if (auto released = m_pusher->releaseQuarantine(); !released) {
            reportError(
                QStringLiteral("cannot release the changes set aside: %1").arg(released.error().message));
            return;
        }
        refreshLocalState();
    } catch (const std::exception &e) {
        reportError(
            QStringLiteral("cannot release the changes set aside: %1").arg(QString::fromLocal8Bit(e.what())));
        return;
    }
    if (pushConfigured())
        m_timer->start(0);
}

void SyncWorker::scheduleWithin(std::chrono::milliseconds delay)
{
    if (!m_timer->isActive() || m_timer->remainingTimeAsDuration() > delay)
        m_timer->start(delay);
}

void SyncWorker::setServerPassword(const QString &password)
{
    m_settings.password = password;
    const bool awaited = std::exchange(m_settings.awaitServerPassword, false);
    if (awaited && m_core && !m_aborted && pushConfigured())
        m_timer->start(0);
}

void SyncWorker::runCycle()
{
    // Waiting for the keychain's password: setServerPassword() starts the cycle.
    if (!m_core || m_aborted || !pushConfigured() || m_settings.awaitServerPassword)
        return;
    Q_EMIT cycleStarted();
    QString error;
    bool answered = false;
    Outcome outcome = Outcome::Failed;
    try {
        outcome = pushOnce(error, answered);
        refreshLocalState();
    } catch (const std::exception &e) {
        outcome = Outcome::Failed;
        error = QStringLiteral("sync failed: %1").arg(redacted(QString::fromLocal8Bit(e.what())));
    }
    if (m_aborted) {
        Q_EMIT cycleFinished(false);
        return;
    }
    const bool cameBack = answered && !m_online.value_or(false);
    setOnline(answered);

    m_lastCycleOk = outcome == Outcome::Success;
    std::chrono::milliseconds next = m_settings.interval;
    if (outcome == Outcome::Success) {
        m_failures = 0;
        const QDateTime now = nowUtc();
        try {
            storeLastSuccess(now);
        } catch (const std::exception &e) {
            qCWarning(lcSyncWorker).noquote() << "cannot store the time of the last sync:" << e.what();
        }
        Q_EMIT lastSuccessChanged(now);
        // What the server acknowledged now is pruned soon (and what the window's events delivered).
        m_housekeepingTimer->start(0);
        if (!m_lastError.isEmpty()) {
            m_lastError.clear();
            Q_EMIT lastErrorChanged(m_lastError);
        }
    } else {
        if (outcome == Outcome::Offline) {
            ++m_failures;
            const auto cap = std::min(m_settings.maxRetry, m_settings.interval);
            next = backoffDelay(m_failures, m_settings.firstRetry, cap,
                                QRandomGenerator::global()->generateDouble());
        } else {
            m_failures = 0;
        }
        qCInfo(lcSyncWorker).noquote()
            << "sync cycle failed, next attempt in" << next.count() << "ms:" << error;
        reportError(error);
    }
    m_timer->start(next);
    Q_EMIT cycleFinished(outcome == Outcome::Success);
    // The server answering after it did not means the connection is back: the model may well be reachable
    // again, whatever its backoff says. Otherwise an answered cycle is a cheap moment to look at the queue,
    // unless the model is known to be unreachable (its backoff decides then).
    if (cameBack || (answered && m_extractionFailures == 0))
        scheduleExtractionWithin(std::chrono::milliseconds(0));
}

SyncWorker::Outcome SyncWorker::pushOnce(QString &error, bool &answered)
{
    refreshLocalState();
    auto connected = PgConnection::connect(m_settings.serverUrl, m_settings.connectTimeoutSeconds,
                                           m_settings.password, &m_aborted);
    if (!connected) {
        error = redacted(connected.error().message);
        // A refused login is an answer from the server: it is online, the failure is permanent. A URL that is
        // not valid (saved before the settings checked it) never reached a server: not online, and retrying
        // on the backoff would not fix it.
        if (connected.error().code == ErrorCode::Validation) {
            answered = false;
            return Outcome::Failed;
        }
        answered = connected.error().code != ErrorCode::Unavailable;
        return answered ? Outcome::Failed : Outcome::Offline;
    }
    std::unique_ptr<PgConnection> server = std::move(connected).value();
    {
        QMutexLocker locker(&m_socketMutex);
        if (m_aborted) {
            error = QStringLiteral("sync stopped");
            return Outcome::Offline;
        }
        m_socket = PQsocket(server->handle());
    }
    auto report =
        m_pusher->pushAll(*server, [this](int done, int total) { Q_EMIT pushProgress(done, total); });
    // Push first, then pull: the server judges this device's changes with its merge rules before the pull
    // brings down its state (sync/puller.h).
    std::optional<Error> pullFailure;
    if (report && !m_aborted)
        if (auto pulled = Puller(m_core->db(), m_settings.userId).pullAll(*server); !pulled)
            pullFailure = pulled.error();
    {
        // Before the connection (and its descriptor) goes away: abort() must never shut down a reused number.
        QMutexLocker locker(&m_socketMutex);
        m_socket = -1;
    }
    const bool stillConnected = server->isOpen();
    server.reset();
    if (report && !pullFailure) {
        answered = true;
        if (report->pushed > 0 || report->quarantined > 0)
            qCInfo(lcSyncWorker) << "pushed" << report->pushed << "change(s) in" << report->batches
                                 << "transaction(s);" << report->quarantined << "set aside;"
                                 << report->remaining << "pending";
        return Outcome::Success;
    }
    const Error failure = report ? *pullFailure : report.error();
    error = redacted(failure.message);
    // Unavailable: the connection dropped, the server is restarting, or it is busy (a table locked by another
    // session past the lock timeout): retried on the backoff. A busy server did answer, so it is online.
    // Anything else the server (or the local database) said for good.
    if (failure.code == ErrorCode::Unavailable) {
        answered = stillConnected;
        return Outcome::Offline;
    }
    answered = true;
    return Outcome::Failed;
}

void SyncWorker::runHousekeeping()
{
    if (!m_core || m_aborted || m_shuttingDown)
        return;
    try {
        auto pruned =
            housekeeping::pruneAll(m_core->db(), QDeadlineTimer(m_settings.housekeepingSlice.count()));
        if (!pruned) {
            // Nothing is lost: what was not pruned is pruned by a later pass (a busy file, a full disk).
            qCInfo(lcSyncWorker).noquote() << "housekeeping stopped:" << pruned.error().message;
            return;
        }
        if (pruned->outboxRows > 0 || pruned->events > 0)
            qCInfo(lcSyncWorker) << "housekeeping pruned" << pruned->outboxRows << "acknowledged change(s),"
                                 << pruned->events << "delivered event(s)";
        if (!pruned->done)
            m_housekeepingTimer->start(0); // the rest after the events that waited meanwhile
    } catch (const std::exception &e) {
        qCWarning(lcSyncWorker).noquote() << "housekeeping failed:" << e.what();
    }
}

void SyncWorker::runExtractions()
{
    if (!m_core || m_aborted)
        return;
    if (m_extracting)
        m_extractAgain = true;
    else
        scheduleExtractionWithin(std::chrono::milliseconds(0));
}

void SyncWorker::reloadLlmSettings(const std::optional<LlmSettings> &llm)
{
    m_settings.llm = llm;
    m_settings.awaitLlmKey = false;
    if (!m_core || m_aborted)
        return;
    // Not under a running pass: destroying its client would cancel the request in flight.
    if (m_extracting) {
        m_reloadLlm = true;
        return;
    }
    dropLlmClient();
    setUpExtraction();
}

void SyncWorker::setUpExtraction()
{
    // No keychain here: qtkeychain runs every job through one executor object on the thread that first used
    // it, so it is only safe on one thread, the GUI's. SyncService looks the key up there and hands it over.
    if (!m_settings.runExtractions || m_settings.awaitLlmKey || !m_core || m_aborted)
        return;
    m_llm = createLlmClient(m_settings.llm ? *m_settings.llm : LlmSettings::load(QSettings()));
    scheduleExtractionWithin(std::chrono::milliseconds(0));
}

void SyncWorker::dropLlmClient()
{
    // A pass in flight is cancelled: its request is recorded as still pending (the Core is still here) and
    // its done callback comes now, which extractionPassDone() ignores while shutting down.
    m_llm.reset();
    m_extracting = false;
}

void SyncWorker::scheduleExtractionWithin(std::chrono::milliseconds delay)
{
    if (!m_extractionTimer || !m_core || !m_llm || m_aborted || m_shuttingDown)
        return;
    if (!m_extractionTimer->isActive() || m_extractionTimer->remainingTimeAsDuration() > delay)
        m_extractionTimer->start(delay);
}

void SyncWorker::runExtractionPass()
{
    if (!m_core || !m_llm || m_aborted || m_shuttingDown)
        return;
    if (m_extracting) {
        m_extractAgain = true;
        return;
    }
    if (const QString problem = m_llm->configurationProblem(); !problem.isEmpty()) {
        // No key or no server configured: nothing is sent and no attempt is counted; the reason is said once,
        // in words (the status bar shows it), with the details in the log.
        qCInfo(lcSyncWorker).noquote() << "the model is not set up:" << problem;
        reportExtractionError(llmwords::notSetUp());
        finishExtractionPass(m_settings.extractionInterval);
        return;
    }
    m_extracting = true;
    try {
        m_core->extractionQueue.runPending(
            *m_llm, [this, guard = QPointer<SyncWorker>(this)](const ExtractionRunSummary &summary) {
                if (guard)
                    extractionPassDone(summary);
            });
    } catch (const std::exception &e) {
        m_extracting = false;
        qCWarning(lcSyncWorker).noquote() << "the extraction pass failed:" << e.what();
        finishExtractionPass(m_settings.extractionInterval);
    }
}

void SyncWorker::extractionPassDone(const ExtractionRunSummary &summary)
{
    m_extracting = false;
    if (m_shuttingDown || !m_core)
        return;
    if (summary.suggestions > 0)
        Q_EMIT suggestionsReady(summary.suggestions);
    std::chrono::milliseconds next = m_settings.extractionInterval;
    if (summary.stoppedUnavailable) {
        ++m_extractionFailures;
        next = backoffDelay(m_extractionFailures, m_settings.extractionFirstRetry,
                            m_settings.extractionInterval, QRandomGenerator::global()->generateDouble());
        reportExtractionError(summary.lastError ? summary.lastError->message : llmwords::unreachable());
    } else {
        // A request that failed for good keeps its reason in its row (and the queue logged it): nothing
        // waits because of it.
        m_extractionFailures = 0;
        reportExtractionError({});
    }
    finishExtractionPass(next);
}

void SyncWorker::finishExtractionPass(std::chrono::milliseconds next)
{
    if (auto pending = m_core->extractionQueue.requests(ExtractionRequestStatus::Pending); pending)
        m_extractionPending = int(pending->size());
    else
        qCWarning(lcSyncWorker).noquote()
            << "cannot count the waiting extractions:" << pending.error().toString();
    Q_EMIT extractionPassFinished(m_extractionPending.value_or(0));
    if (m_reloadLlm) {
        m_reloadLlm = false;
        m_extractAgain = false;
        dropLlmClient();
        setUpExtraction();
        return;
    }
    if (std::exchange(m_extractAgain, false))
        next = std::chrono::milliseconds(0);
    if (!m_aborted)
        m_extractionTimer->start(next);
}

void SyncWorker::reportExtractionError(const QString &message)
{
    if (message == m_extractionError)
        return;
    m_extractionError = message;
    if (!message.isEmpty())
        qCInfo(lcSyncWorker).noquote() << "extractions wait:" << message;
    Q_EMIT extractionErrorChanged(message);
}

void SyncWorker::refreshLocalState()
{
    if (!m_pusher)
        return;
    if (auto pending = m_pusher->pendingCount(); pending && (!m_pending || *m_pending != *pending)) {
        m_pending = *pending;
        Q_EMIT pendingCountChanged(*pending);
    }
    if (auto quarantined = m_pusher->quarantined();
        quarantined && (!m_quarantined || !sameQuarantine(*m_quarantined, *quarantined))) {
        m_quarantined = *quarantined;
        Q_EMIT quarantinedChanged(int(quarantined->size()), *quarantined);
    }
}

void SyncWorker::storeLastSuccess(const QDateTime &at)
{
    auto stored =
        m_core->db().exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES (?, ?, ?) "
                                         "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                          {idText(m_settings.userId), kLastSuccessKey, toStoredTime(at)});
    if (!stored)
        qCWarning(lcSyncWorker).noquote()
            << "cannot store the time of the last sync:" << stored.error().message;
}

void SyncWorker::reportError(const QString &message)
{
    if (message != m_lastError) {
        m_lastError = message;
        Q_EMIT lastErrorChanged(m_lastError);
    }
}

void SyncWorker::setOnline(bool online)
{
    if (!m_online || *m_online != online) {
        m_online = online;
        Q_EMIT onlineChanged(online);
    }
}

QString SyncWorker::redacted(QString message) const
{
    // Every form of the password (as typed, percent-decoded, percent-encoded) and the whole URL.
    return ServerUrl::scrub(std::move(message), m_settings.serverUrl,
                            {passwordOf(m_settings.serverUrl), m_settings.password});
}

} // namespace fb::sync
