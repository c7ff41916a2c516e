#include "llm/llmkeystore.h"

#include <QEventLoop>
#include <QTimer>

#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

#include <memory>
#include <optional>
#include <utility>

namespace fb::sync {

namespace {

const QString kService = QStringLiteral("fieldbook");

QString entryName(LlmProvider provider)
{
    return QStringLiteral("llm-api-key-%1").arg(toString(provider));
}

[[maybe_unused]] Error unavailable(const QString &message)
{
    return Error{ErrorCode::Unavailable, {}, message};
}

} // namespace

bool LlmKeyStore::compiledIn()
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

bool LlmKeyStore::enabled()
{
    return compiledIn() && qEnvironmentVariableIsEmpty("FIELDBOOK_LLM_NO_KEYCHAIN");
}

void LlmKeyStore::read(LlmProvider provider, std::function<void(Result<QString>)> done,
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
    job->setKey(entryName(provider));
    QObject::connect(job, &QKeychain::Job::finished, job, [job, answer](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError)
            answer(job->textData());
        else if (job->error() == QKeychain::EntryNotFound)
            answer(Error::notFound(QStringLiteral("no API key is stored in the keychain")));
        else
            answer(unavailable(QStringLiteral("the keychain cannot be read: %1").arg(job->errorString())));
    });
    // A keychain service that never answers (a locked wallet waiting for a password nobody types) must not
    // hold the key lookup forever. The timer is the job's child: it goes when the job does.
    QTimer::singleShot(timeout, job,
                       [answer] { answer(unavailable(QStringLiteral("the keychain did not answer"))); });
    job->start();
#else
    Q_UNUSED(provider)
    Q_UNUSED(timeout)
    done(Error{ErrorCode::Unavailable, {}, QStringLiteral("this build has no keychain support")});
#endif
}

void LlmKeyStore::write(LlmProvider provider, const QString &key, std::function<void(Status)> done)
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    auto *job = new QKeychain::WritePasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entryName(provider));
    job->setTextData(key);
    QObject::connect(job, &QKeychain::Job::finished, job, [job, done = std::move(done)](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError)
            done({});
        else
            done(
                unavailable(QStringLiteral("the keychain cannot store the key: %1").arg(job->errorString())));
    });
    job->start();
#else
    Q_UNUSED(provider)
    Q_UNUSED(key)
    done(Error{ErrorCode::Unavailable, {}, QStringLiteral("this build has no keychain support")});
#endif
}

void LlmKeyStore::remove(LlmProvider provider, std::function<void(Status)> done)
{
#ifdef FIELDBOOK_HAVE_QTKEYCHAIN
    auto *job = new QKeychain::DeletePasswordJob(kService);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entryName(provider));
    QObject::connect(job, &QKeychain::Job::finished, job, [job, done = std::move(done)](QKeychain::Job *) {
        if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound)
            done({});
        else
            done(unavailable(
                QStringLiteral("the keychain cannot remove the key: %1").arg(job->errorString())));
    });
    job->start();
#else
    Q_UNUSED(provider)
    done(Error{ErrorCode::Unavailable, {}, QStringLiteral("this build has no keychain support")});
#endif
}

Result<QString> LlmKeyStore::readBlocking(LlmProvider provider, int timeoutMs)
{
    // Shared with the job, in case it answers when this loop is gone.
    struct Wait
    {
        std::optional<Result<QString>> result;
        QEventLoop *loop = nullptr;
    };
    auto wait = std::make_shared<Wait>();
    read(
        provider,
        [wait](Result<QString> key) {
            wait->result = std::move(key);
            if (wait->loop)
                wait->loop->quit();
        },
        std::chrono::milliseconds(timeoutMs));
    if (!wait->result) {
        QEventLoop loop;
        wait->loop = &loop;
        // read() answers by its timeout at the latest; this one is the safety net.
        QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit);
        loop.exec();
        wait->loop = nullptr;
    }
    if (!wait->result)
        return Error{ErrorCode::Unavailable, {}, QStringLiteral("the keychain did not answer")};
    return std::move(*wait->result);
}

} // namespace fb::sync
