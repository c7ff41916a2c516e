#pragma once

#include "util/result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace fb {

/// One request to a language model: a system prompt, one user message, and the limits the API enforces.
struct LlmRequest
{
    QString system;
    QString userMessage;
    int maxTokens = 4096;
    int thinkingBudgetTokens = 1024; ///< >= 1024 and < maxTokens when thinking is on (docs/llm-api.md)
    bool thinking = true;
    QJsonObject jsonSchema; ///< the answer's schema, used where the provider supports structured output
};

struct LlmResponse
{
    QString text;       ///< every text block joined, in order
    QString thinking;   ///< thinking blocks joined (for debugging; never shown as the answer)
    QString stopReason; ///< "end_turn", "max_tokens", "refusal", ...
    QString requestId;
};

/// What a person reads when the model cannot be used, wherever they see it (the close-out's review page, the
/// status bar, the settings' test): what it is and what to do, in words. The transport's details (the kind,
/// HTTP status, request-id) go to the log and to `fieldbook extract`, never here.
namespace llmwords {
inline QString notSetUp()
{
    return QStringLiteral("The model is not set up: add details by hand, or set it up in Settings");
}
inline QString unreachable()
{
    return QStringLiteral("The model cannot be reached now: add details by hand; the notes are sent to it "
                          "when it can be reached");
}
inline QString busy()
{
    return QStringLiteral("The model is busy or down right now: add details by hand; the notes are sent to "
                          "it later");
}
inline QString keyRefused()
{
    return QStringLiteral("The model refused the API key: check it in Settings");
}
} // namespace llmwords

/// The seam between the core and a model provider. The HTTP clients live in sync/ (the only layer on a
/// network); tests use fakes. Implementations call `done` exactly once, possibly before send() returns.
class LlmClient
{
public:
    virtual ~LlmClient() = default;
    using Callback = std::function<void(Result<LlmResponse>)>;
    virtual void send(const LlmRequest &request, Callback done) = 0;
};

} // namespace fb
