#include "restoreservice.h"

#include "core.h"
#include "db/database.h"
#include "pgconnection.h"
#include "puller.h"
#include "restorer.h"
#include "serverurl.h"
#include "util/threadpriority.h"
#include "util/timeutil.h"

#include <QAtomicInt>
#include <QLoggingCategory>
#include <QMutexLocker>

#include <libpq-fe.h>
#include <sys/socket.h>

#include <memory>
#include <utility>

Q_LOGGING_CATEGORY(lcRestoreService, "fieldbook.sync.restoreservice")

namespace fb::sync {

namespace {

struct Interrupted
{
    QUuid userId;
    QString name;
};

/// The technician of a restore that stopped part-way: the Restorer keeps its step in sync_state
/// ('restore_step') from the first page on and sets it to 'done' at the end.
Result<Interrupted> findInterrupted(Core &core)
{
    auto found = core.db().exec(
        QStringLiteral("SELECT u.id, u.name FROM main.sync_state s JOIN main.users u ON u.id = s.user_id "
                       "WHERE s.key = 'restore_step' AND s.value <> 'done' ORDER BY u.name LIMIT 1"));
    if (!found)
        return found.error();
    if (!found->next())
        return Interrupted{};
    return Interrupted{QUuid(found->value(0).toString()), found->value(1).toString()};
}

QString connectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("fieldbook-restore-%1").arg(counter.fetchAndAddRelaxed(1));
}

int pageSize()
{
    // The command line's test hook (fieldbook restore reads it too): small pages, so that progress moves.
    bool set = false;
    const int size = qEnvironmentVariableIntValue("FIELDBOOK_SYNC_PULL_PAGE", &set);
    return set && size > 0 ? size : Restorer::kDefaultPageSize;
}

RestoreOutcome outcome(RestoreOutcome::Problem problem, const QString &message)
{
    RestoreOutcome result;
    result.problem = problem;
    result.message = message;
    return result;
}

/// Why the server did not let us in, in words and next to the field it concerns.
RestoreOutcome connectFailure(const Error &error)
{
    using Problem = RestoreOutcome::Problem;
    if (error.code == ErrorCode::Validation)
        return outcome(Problem::ServerUrl, QStringLiteral("the server URL %1").arg(error.message));
    if (error.code == ErrorCode::Forbidden) {
        if (error.message.contains(QStringLiteral("password authentication failed")))
            return outcome(Problem::Password,
                           QStringLiteral("the server refused the login: check the password"));
        if (error.message.contains(QStringLiteral("no password supplied")))
            return outcome(Problem::Password,
                           QStringLiteral("the server asks for the login's password: type it here"));
        return outcome(Problem::ServerUrl, error.message + QStringLiteral(": check the URL"));
    }
    if (error.code == ErrorCode::Unavailable)
        return outcome(Problem::Network,
                       error.message + QStringLiteral(". Check the network, then try again"));
    return outcome(Problem::Other, error.message);
}

/// Why a restore that had begun stopped.
RestoreOutcome restoreFailure(const Error &error)
{
    using Problem = RestoreOutcome::Problem;
    switch (error.code) {
    case ErrorCode::Forbidden: // not a technician's login: a dispatcher's, or one bound to nobody
        return outcome(Problem::ServerUrl, error.message);
    case ErrorCode::Unavailable:
        return outcome(Problem::Network,
                       error.message + QStringLiteral(". Check the network, then try again: the restore goes "
                                                      "on where it stopped"));
    default:
        return outcome(Problem::Other, error.message);
    }
}

} // namespace

Result<QString> interruptedRestore(Core &core)
{
    auto found = findInterrupted(core);
    if (!found)
        return found.error();
    return found->name;
}

RestoreService::RestoreService(QString databasePath, QString interrupted, QObject *parent,
                               int connectTimeoutSeconds)
    : RestoreControl(parent), m_path(std::move(databasePath)), m_interrupted(std::move(interrupted)),
      m_connectTimeoutSeconds(connectTimeoutSeconds)
{
    m_thread.setObjectName(QStringLiteral("fieldbook-restore"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    // A restore writes for minutes at the scale of a company; the window comes first for a core.
    connect(
        &m_thread, &QThread::started, &m_thread, [] { lowerCurrentThreadPriority(); }, Qt::DirectConnection);
    m_thread.start();
}

RestoreService::~RestoreService()
{
    // The run in progress gives up within a second; its Core and connection close on its thread.
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void RestoreService::start(const QString &url, const QString &password)
{
    if (m_running)
        return;
    m_running = true;
    m_cancelled = false;
    m_url = url;
    m_password = password;
    QMetaObject::invokeMethod(
        m_worker, [this, url, password] { run(url, password); }, Qt::QueuedConnection);
}

void RestoreService::cancel()
{
    m_cancelled = true;
    QMutexLocker locker(&m_socketMutex);
    // shutdown(), not close(), as SyncWorker::abort(): libpq's blocked read sees the end of the stream at
    // once.
    if (m_socket >= 0)
        ::shutdown(m_socket, SHUT_RDWR);
}

void RestoreService::setSocket(int socket)
{
    QMutexLocker locker(&m_socketMutex);
    m_socket = socket;
    if (socket >= 0 && m_cancelled)
        ::shutdown(socket, SHUT_RDWR); // cancel() came between the connect and now
}

void RestoreService::run(const QString &url, const QString &password)
{
    RestoreOutcome result;
    QString interrupted = m_interrupted;
    auto opened = Core::open(m_path, connectionName());
    if (!opened) {
        result = outcome(RestoreOutcome::Problem::Other, opened.error().toString());
    } else {
        std::unique_ptr<Core> core = std::move(opened).value();
        auto server = PgConnection::connect(url, m_connectTimeoutSeconds, password, &m_cancelled);
        if (!server) {
            result = connectFailure(server.error());
        } else {
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT connected(); }, Qt::QueuedConnection);
            setSocket(PQsocket((*server)->handle()));
            result = restoreFrom(**server, *core);
            setSocket(-1); // before the connection (and its descriptor) goes away
        }
        if (auto found = findInterrupted(*core); found) {
            interrupted = found->name;
            if (!result.ok() && result.userId.isNull()) {
                result.userId = found->userId;
                result.name = found->name;
            }
        }
        core.reset(); // closed on this thread, where it was opened
    }
    if (m_cancelled && !result.ok()) {
        result.problem = RestoreOutcome::Problem::Cancelled;
        result.message =
            QStringLiteral("stopped: what was restored stays, and the restore goes on from there");
    }
    result.message = ServerUrl::scrub(result.message, url, {password});
    QMetaObject::invokeMethod(
        this, [this, result, interrupted] { finish(result, interrupted); }, Qt::QueuedConnection);
}

RestoreOutcome RestoreService::restoreFrom(PgConnection &server, Core &core)
{
    // A server without the Fieldbook schema (or with one too old for a restore) is named as such, before
    // anything is written.
    const PgResult schema =
        server.exec(QStringLiteral("SELECT to_regclass('public.fieldbook_schema_version') IS NOT NULL"));
    if (!schema.ok())
        return restoreFailure(schema.toError(QStringLiteral("asking the server for its schema")));
    const PgResult version = schema.value(0, 0) == QLatin1String("t")
                                 ? server.exec(QStringLiteral("SELECT fieldbook_schema_version()"))
                                 : PgResult();
    if (!version.ok() || version.value(0, 0).toInt() < Restorer::kMinimumServerSchema) {
        if (!version.ok() && version.transient())
            return restoreFailure(version.toError());
        return outcome(
            RestoreOutcome::Problem::ServerUrl,
            QStringLiteral("%1 has no Fieldbook schema a restore can use (version %2 or later): ask "
                           "the office to run fieldbook server-init on it")
                .arg(server.describe())
                .arg(Restorer::kMinimumServerSchema));
    }
    Restorer restorer(core, pageSize());
    auto report = restorer.restore(server, [this](const QString &what, qint64 done, qint64 total) {
        QMetaObject::invokeMethod(
            this, [this, what, done, total] { Q_EMIT progress(what, done, total); }, Qt::QueuedConnection);
    });
    if (!report)
        return restoreFailure(report.error());
    // The downloaded history is history, not news: Restorer::restore marked it all seen.
    RestoreOutcome result;
    result.userId = report->userId;
    result.name = report->name;
    result.rows = report->rows;
    result.entries = report->entries;
    qCInfo(lcRestoreService).noquote() << "restored" << report->rows << "rows and" << report->entries
                                       << "history entries of" << report->name;
    return result;
}

void RestoreService::finish(const RestoreOutcome &outcome, const QString &interrupted)
{
    m_running = false;
    m_interrupted = outcome.ok() ? QString() : interrupted;
    if (!outcome.ok())
        qCInfo(lcRestoreService).noquote() << "the restore stopped:" << outcome.message;
    Q_EMIT finished(outcome);
}

} // namespace fb::sync
