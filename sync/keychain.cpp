#include "keychain.h"

#include "sessionbusprobe.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QThread>
#include <QTimer>

#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusReply>
#include <QLibrary>
#include <qt6keychain/keychain.h>
#endif

#include <atomic>
#include <memory>
#include <utility>

Q_LOGGING_CATEGORY(lcKeychain, "fieldbook.sync.keychain")

namespace fb::sync::keychain {

namespace {

/// The session bus and its Secret Service or KWallet: where qtkeychain's Linux back ends live.
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
constexpr bool kKeychainOnSessionBus = true;
#else
constexpr bool kKeychainOnSessionBus = false;
#endif

enum class Operation
{
    Read,
    Write,
    Remove,
};

QString noAnswer(std::chrono::milliseconds timeout)
{
    return QStringLiteral("the keychain did not answer within %1").arg(formatTimeout(timeout));
}

/// Between a caller's Reply and the keychain thread. The Reply lives on the caller's thread and goes once it
/// has answered; the keychain thread posts to it only under the mutex, so never to a Reply that is gone.
struct Delivery
{
    QMutex mutex;
    QObject *reply = nullptr; ///< guarded by `mutex`; null once the caller has its answer
};

/// On the caller's thread: the callback, and the timeout that ends the wait whatever the keychain thread
/// does.
class Reply final : public QObject
{
public:
    Reply(std::function<void(Answer)> done, std::shared_ptr<Delivery> delivery,
          std::chrono::milliseconds timeout)
        : m_done(std::move(done)), m_delivery(std::move(delivery))
    {
        {
            QMutexLocker lock(&m_delivery->mutex);
            m_delivery->reply = this;
        }
        QTimer::singleShot(timeout, this, [this, timeout] {
            settle({Outcome::NoAnswer, {}, noAnswer(timeout)});
        });
    }
    ~Reply() override { release(); }
    Q_DISABLE_COPY_MOVE(Reply)

    void settle(Answer answer)
    {
        auto done = std::exchange(m_done, nullptr);
        if (!done)
            return; // the timeout's answer came first, or the keychain's did
        release();
        deleteLater();
        done(std::move(answer));
    }

private:
    /// From now on the keychain thread neither answers here nor starts this job.
    void release()
    {
        QMutexLocker lock(&m_delivery->mutex);
        m_delivery->reply = nullptr;
    }

    std::function<void(Answer)> m_done;
    std::shared_ptr<Delivery> m_delivery;
};

/// Whether the caller still waits for this job's answer.
bool awaited(Delivery &delivery)
{
    QMutexLocker lock(&delivery.mutex);
    return delivery.reply != nullptr;
}

/// From any thread: hands `answer` to the caller's thread, if the caller still waits.
void deliver(const std::shared_ptr<Delivery> &delivery, Answer answer)
{
    QMutexLocker lock(&delivery->mutex);
    if (QObject *reply = delivery->reply) {
        QMetaObject::invokeMethod(
            reply,
            [reply, answer = std::move(answer)]() mutable {
                static_cast<Reply *>(reply)->settle(std::move(answer));
            },
            Qt::QueuedConnection);
    }
}

struct Job
{
    Operation operation = Operation::Read;
    QString entry;
    QString secret;
    std::chrono::milliseconds timeout{0};
    QDeadlineTimer deadline;
    std::shared_ptr<Delivery> delivery;
};

/// Lives on the keychain thread; runs each job there, one after the other as qtkeychain does.
class Worker final : public QObject
{
public:
    explicit Worker(const std::atomic<bool> &quitting) : m_quitting(quitting) {}
    Q_DISABLE_COPY_MOVE(Worker)

    void run(const Job &job)
    {
        if (!awaited(*job.delivery))
            return; // its caller stopped waiting (behind a job that took long): never run it late
        if (m_quitting) {
            deliver(job.delivery, {Outcome::NotAvailable, {}, QStringLiteral("Fieldbook is quitting")});
            return;
        }
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
        if (kKeychainOnSessionBus && !m_busReady && !probeBus(job))
            return;
        start(job);
#else
        deliver(
            job.delivery,
            {Outcome::NotAvailable, {}, QStringLiteral("this build of Fieldbook has no keychain support")});
#endif
    }

private:
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    /// Whether qtkeychain may go on; when not, the job has its answer. A bus that answered once is trusted
    /// from then on: QtDBus keeps its connection, and the keychain calls over it are asynchronous.
    bool probeBus(const Job &job)
    {
        const SessionBusProbe probe =
            SessionBusProbe::run(job.deadline, [this] { return m_quitting.load(); });
        switch (probe.state) {
        case SessionBusProbe::State::Ready:
            m_busReady = true;
            return true;
        case SessionBusProbe::State::Unprobed:
            return true;
        case SessionBusProbe::State::NoBus:
            deliver(job.delivery, {Outcome::NotAvailable, {}, probe.detail});
            return false;
        case SessionBusProbe::State::Silent:
            qCInfo(lcKeychain).noquote() << "the keychain is not asked:" << probe.detail;
            deliver(job.delivery, {Outcome::NoAnswer, {}, noAnswer(job.timeout)});
            return false;
        case SessionBusProbe::State::Refused:
            deliver(job.delivery, {Outcome::Failed, {}, probe.detail});
            return false;
        }
        return true;
    }

    void start(const Job &job)
    {
        const QString service = QStringLiteral("fieldbook");
        QKeychain::Job *keychainJob = nullptr;
        switch (job.operation) {
        case Operation::Read:
            keychainJob = new QKeychain::ReadPasswordJob(service, this);
            break;
        case Operation::Write: {
            auto *write = new QKeychain::WritePasswordJob(service, this);
            write->setTextData(job.secret);
            keychainJob = write;
            break;
        }
        case Operation::Remove:
            keychainJob = new QKeychain::DeletePasswordJob(service, this);
            break;
        }
        keychainJob->setAutoDelete(true);
        keychainJob->setInsecureFallback(false);
        keychainJob->setKey(job.entry);
        connect(keychainJob, &QKeychain::Job::finished, this,
                [this, job](QKeychain::Job *finished) { deliver(job.delivery, classify(job, *finished)); });
        keychainJob->start();
    }

    Answer classify(const Job &job, QKeychain::Job &finished)
    {
        switch (finished.error()) {
        case QKeychain::NoError:
            if (job.operation == Operation::Read)
                return {Outcome::Done, static_cast<QKeychain::ReadPasswordJob &>(finished).textData(), {}};
            return {Outcome::Done, {}, {}};
        case QKeychain::EntryNotFound:
            if (job.operation == Operation::Remove)
                return {Outcome::Done, {}, {}};
            return {Outcome::NotFound, {}, QStringLiteral("no such entry in the keychain")};
        case QKeychain::AccessDenied:
        case QKeychain::AccessDeniedByUser:
            return {
                Outcome::Failed, {}, QStringLiteral("it refused access (%1)").arg(finished.errorString())};
        default:
            return diagnose(finished.errorString());
        }
    }

    /// qtkeychain's words for a missing keychain are "Unknown error" (its GNOME Keyring fallback, which
    /// Debian 12 does not have) or "No keychain service available": ask the bus what is there.
    Answer diagnose(const QString &text)
    {
        if (!kKeychainOnSessionBus)
            return {Outcome::Failed, {}, text};
        const QDBusConnection bus = QDBusConnection::sessionBus();
        if (!bus.isConnected())
            return {Outcome::NotAvailable,
                    {},
                    QStringLiteral("no session bus: %1").arg(bus.lastError().message())};
        QDBusConnectionInterface *names = bus.interface();
        names->setTimeout(2000);
        const QDBusReply<QStringList> running = names->registeredServiceNames();
        const QDBusReply<QStringList> startable = names->activatableServiceNames();
        if (!running.isValid())
            return {Outcome::Failed, {}, text};
        QStringList services = running.value();
        if (startable.isValid())
            services += startable.value();
        const bool secretService = services.contains(QStringLiteral("org.freedesktop.secrets"));
        const bool kwallet = services.contains(QStringLiteral("org.kde.kwalletd6")) ||
                             services.contains(QStringLiteral("org.kde.kwalletd5")) ||
                             services.contains(QStringLiteral("org.kde.kwalletd"));
        if (!secretService && !kwallet)
            return {Outcome::NotAvailable,
                    {},
                    QStringLiteral("no keychain service: neither the Secret Service nor KWallet is on the "
                                   "session bus")};
        if (!kwallet && !QLibrary(QStringLiteral("secret-1"), 0).load())
            return {Outcome::NotAvailable,
                    {},
                    QStringLiteral("the Secret Service is on the session bus, but libsecret (Debian: "
                                   "libsecret-1-0), through which Fieldbook reaches it, is not installed")};
        return {Outcome::Failed, {}, text};
    }

    bool m_busReady = false;
#endif
    const std::atomic<bool> &m_quitting;
};

/// The keychain thread and its worker, for the whole process. Never destroyed while the thread runs: a thread
/// stuck in a call that never returns is left behind (shutdown()).
class KeychainThread final
{
public:
    KeychainThread()
    {
        m_thread.setObjectName(QStringLiteral("fieldbook-keychain"));
        m_worker = new Worker(m_quitting);
        m_worker->moveToThread(&m_thread);
        // Deleted on its thread as the thread finishes (QThread runs deferred deletes then).
        QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
        m_thread.start();
    }
    Q_DISABLE_COPY_MOVE(KeychainThread)

    void post(Job job)
    {
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, job = std::move(job)] { worker->run(job); }, Qt::QueuedConnection);
    }

    /// Whether the thread ended within `wait`.
    bool stop(std::chrono::milliseconds wait)
    {
        m_quitting = true;
        m_thread.quit();
        return m_thread.wait(QDeadlineTimer(wait));
    }

private:
    QThread m_thread;
    Worker *m_worker = nullptr;
    std::atomic<bool> m_quitting{false};
};

QMutex g_mutex;
KeychainThread *g_thread = nullptr;
bool g_ended = false;

void atApplicationEnd()
{
    // Tests and callers that did not call shutdown() themselves: a thread that is stuck stays behind.
    shutdown(std::chrono::seconds(2));
}

/// Runs `job` on the keychain thread, started on first use; false once the keychain has been shut down.
bool post(Job job)
{
    QMutexLocker lock(&g_mutex);
    if (!g_thread) {
        if (g_ended || !QCoreApplication::instance())
            return false;
        g_thread = new KeychainThread;
        qAddPostRoutine(&atApplicationEnd);
    }
    g_thread->post(std::move(job));
    return true;
}

void submit(Operation operation, const QString &entry, const QString &secret,
            std::function<void(Answer)> done, std::chrono::milliseconds timeout)
{
    auto delivery = std::make_shared<Delivery>();
    auto *reply = new Reply(std::move(done), delivery, timeout);
    Job job{operation, entry, secret, timeout, QDeadlineTimer(timeout), delivery};
    if (!post(std::move(job)))
        deliver(delivery, {Outcome::NotAvailable, {}, QStringLiteral("Fieldbook is quitting")});
    Q_UNUSED(reply) // owns itself: it goes once it has answered
}

} // namespace

bool compiledIn()
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

bool enabled()
{
    return compiledIn() && qEnvironmentVariableIsEmpty("FIELDBOOK_NO_KEYCHAIN") &&
           qEnvironmentVariableIsEmpty("FIELDBOOK_LLM_NO_KEYCHAIN");
}

void read(const QString &entry, std::function<void(Answer)> done, std::chrono::milliseconds timeout)
{
    submit(Operation::Read, entry, {}, std::move(done), timeout);
}

void write(const QString &entry, const QString &secret, std::function<void(Answer)> done,
           std::chrono::milliseconds timeout)
{
    submit(Operation::Write, entry, secret, std::move(done), timeout);
}

void remove(const QString &entry, std::function<void(Answer)> done, std::chrono::milliseconds timeout)
{
    submit(Operation::Remove, entry, {}, std::move(done), timeout);
}

bool shutdown(std::chrono::milliseconds wait)
{
    KeychainThread *thread = nullptr;
    {
        QMutexLocker lock(&g_mutex);
        g_ended = true;
        thread = g_thread;
    }
    if (!thread)
        return true;
    if (!thread->stop(wait)) {
        qCWarning(lcKeychain) << "the keychain thread is stuck in a call to the keychain; it is left behind";
        return false;
    }
    QMutexLocker lock(&g_mutex);
    if (g_thread == thread) {
        g_thread = nullptr;
        delete thread;
    }
    return true;
}

namespace {

/// Every outcome but Done and a read's NotFound, as an error; `verb` says what could not be done.
Error problem(const Answer &answer, const Secret &secret, const QString &verb)
{
    switch (answer.outcome) {
    case Outcome::NotAvailable:
        return {ErrorCode::Unavailable,
                {},
                QStringLiteral("no keychain is available on this machine (%1): %2")
                    .arg(answer.reason, secret.fallback)};
    case Outcome::NoAnswer:
        return {ErrorCode::Unavailable, {}, answer.reason};
    default:
        return {ErrorCode::Unavailable,
                {},
                QStringLiteral("the keychain cannot %1 the %2: %3").arg(verb, secret.what, answer.reason)};
    }
}

} // namespace

Result<QString> readResult(const Answer &answer, const Secret &secret)
{
    if (answer.outcome == Outcome::Done)
        return answer.secret;
    if (answer.outcome == Outcome::NotFound)
        return Error::notFound(QStringLiteral("no %1 is stored in the keychain").arg(secret.what));
    return problem(answer, secret, QStringLiteral("give"));
}

Status writeResult(const Answer &answer, const Secret &secret)
{
    if (answer.outcome == Outcome::Done)
        return {};
    return problem(answer, secret, QStringLiteral("store"));
}

Status removeResult(const Answer &answer, const Secret &secret)
{
    if (answer.outcome == Outcome::Done || answer.outcome == Outcome::NotFound)
        return {};
    return problem(answer, secret, QStringLiteral("remove"));
}

QString formatTimeout(std::chrono::milliseconds timeout)
{
    return QStringLiteral("%1 s").arg(QString::number(double(timeout.count()) / 1000.0, 'g', 3));
}

} // namespace fb::sync::keychain
