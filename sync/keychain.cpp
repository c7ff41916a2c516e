#include "keychain.h"

#include <QTimer>

#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

#include <memory>
#include <utility>

namespace fb::sync::keychain {

namespace {

[[maybe_unused]] const QString kService = QStringLiteral("fieldbook");

Error unavailable(const QString &message)
{
    return Error{ErrorCode::Unavailable, {}, message};
}

[[maybe_unused]] Error notCompiledIn()
{
    return unavailable(QStringLiteral("this build has no keychain support"));
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

void read(const QString &entry, const QString &what, std::function<void(Result<QString>)> done,
          std::chrono::milliseconds timeout)
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    // Shared by the job's answer and the timeout, whichever comes first; the other finds it empty.
    auto once = std::make_shared<std::function<void(Result<QString>)>>(std::move(done));
    const auto answer = [once](Result<QString> result) {
        if (auto callback = std::exchange(*once, nullptr))
            callback(std::move(result));
    };
    auto *job = new QKeychain::ReadPasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry);
    QObject::connect(job, &QKeychain::Job::finished, job, [job, answer, what](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError)
            answer(job->textData());
        else if (job->error() == QKeychain::EntryNotFound)
            answer(Error::notFound(QStringLiteral("no %1 is stored in the keychain").arg(what)));
        else
            answer(unavailable(QStringLiteral("the keychain cannot be read: %1").arg(job->errorString())));
    });
    // A keychain service that never answers (a locked wallet waiting for a password nobody types) must not
    // hold the lookup forever. The timer is the job's child: it goes when the job does.
    QTimer::singleShot(timeout, job,
                       [answer] { answer(unavailable(QStringLiteral("the keychain did not answer"))); });
    job->start();
#else
    Q_UNUSED(entry)
    Q_UNUSED(what)
    Q_UNUSED(timeout)
    QTimer::singleShot(0, [done = std::move(done)] { done(notCompiledIn()); });
#endif
}

void write(const QString &entry, const QString &what, const QString &secret, std::function<void(Status)> done)
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry);
    job->setTextData(secret);
    QObject::connect(
        job, &QKeychain::Job::finished, job, [job, what, done = std::move(done)](QKeychain::Job *) {
            if (job->error() == QKeychain::NoError)
                done({});
            else
                done(unavailable(
                    QStringLiteral("the keychain cannot store the %1: %2").arg(what, job->errorString())));
        });
    job->start();
#else
    Q_UNUSED(entry)
    Q_UNUSED(what)
    Q_UNUSED(secret)
    QTimer::singleShot(0, [done = std::move(done)] { done(notCompiledIn()); });
#endif
}

void remove(const QString &entry, const QString &what, std::function<void(Status)> done)
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry);
    QObject::connect(
        job, &QKeychain::Job::finished, job, [job, what, done = std::move(done)](QKeychain::Job *) {
            if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound)
                done({});
            else
                done(unavailable(
                    QStringLiteral("the keychain cannot remove the %1: %2").arg(what, job->errorString())));
        });
    job->start();
#else
    Q_UNUSED(entry)
    Q_UNUSED(what)
    QTimer::singleShot(0, [done = std::move(done)] { done(notCompiledIn()); });
#endif
}

} // namespace fb::sync::keychain
