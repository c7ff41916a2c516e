#include "llm/llmkeystore.h"

#include "keychain.h"

#include <QEventLoop>
#include <QTimer>

#include <memory>
#include <optional>
#include <utility>

namespace fb::sync {

namespace {

QString entryName(LlmProvider provider)
{
    return QStringLiteral("llm-api-key-%1").arg(toString(provider));
}

const QString kWhat = QStringLiteral("API key");

} // namespace

bool LlmKeyStore::compiledIn()
{
    return keychain::compiledIn();
}

bool LlmKeyStore::enabled()
{
    return keychain::enabled();
}

void LlmKeyStore::read(LlmProvider provider, std::function<void(Result<QString>)> done,
                       std::chrono::milliseconds timeout)
{
    keychain::read(entryName(provider), kWhat, std::move(done), timeout);
}

void LlmKeyStore::write(LlmProvider provider, const QString &key, std::function<void(Status)> done)
{
    keychain::write(entryName(provider), kWhat, key, std::move(done));
}

void LlmKeyStore::remove(LlmProvider provider, std::function<void(Status)> done)
{
    keychain::remove(entryName(provider), kWhat, std::move(done));
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
