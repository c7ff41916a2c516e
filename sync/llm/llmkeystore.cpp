#include "llm/llmkeystore.h"

#include "keychain.h"

#include <QEventLoop>

#include <memory>
#include <optional>
#include <utility>

namespace fb::sync {

namespace {

QString entryName(LlmProvider provider)
{
    return QStringLiteral("llm-api-key-%1").arg(toString(provider));
}

keychain::Secret secretOf(LlmProvider provider)
{
    return {QStringLiteral("API key"),
            QStringLiteral("the key comes from %1")
                .arg(provider == LlmProvider::Anthropic ? QStringLiteral("ANTHROPIC_API_KEY")
                                                        : QStringLiteral("OPENAI_API_KEY"))};
}

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
    keychain::read(
        entryName(provider),
        [provider, done = std::move(done)](const keychain::Answer &answer) {
            done(keychain::readResult(answer, secretOf(provider)));
        },
        timeout);
}

void LlmKeyStore::write(LlmProvider provider, const QString &key, std::function<void(Status)> done,
                        std::chrono::milliseconds timeout)
{
    keychain::write(
        entryName(provider), key,
        [provider, done = std::move(done)](const keychain::Answer &answer) {
            done(keychain::writeResult(answer, secretOf(provider)));
        },
        timeout);
}

void LlmKeyStore::remove(LlmProvider provider, std::function<void(Status)> done,
                         std::chrono::milliseconds timeout)
{
    keychain::remove(
        entryName(provider),
        [provider, done = std::move(done)](const keychain::Answer &answer) {
            done(keychain::removeResult(answer, secretOf(provider)));
        },
        timeout);
}

Result<QString> LlmKeyStore::readBlocking(LlmProvider provider, std::chrono::milliseconds timeout)
{
    // Shared with the callback: it is called once, by the answer or by the timeout, both on this thread.
    struct Wait
    {
        std::optional<Result<QString>> result;
        QEventLoop loop;
    };
    auto wait = std::make_shared<Wait>();
    read(
        provider,
        [wait](Result<QString> key) {
            wait->result = std::move(key);
            wait->loop.quit();
        },
        timeout);
    wait->loop.exec();
    if (!wait->result) // the loop was ended from outside (the application quits)
        return Error{ErrorCode::Unavailable, {}, QStringLiteral("Fieldbook is quitting")};
    return std::move(*wait->result);
}

} // namespace fb::sync
