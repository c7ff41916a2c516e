#pragma once

#include "extraction/llmclient.h"
#include "models/attribute.h"
#include "util/result.h"

#include <functional>

namespace fb {

/// Proposes structured customer attributes from a technician's free-form notes (seed 3.8), for review.
///
/// Unlike the seed: the system prompt is the request's system field; the notes are wrapped as data and the
/// prompt says never to follow instructions inside them; the thinking budget is 1024 below max_tokens 4096;
/// the stop reason is checked; and an answer that cannot be parsed is an error the caller sees, never a
/// silent {}.
class AttributeExtractor final
{
public:
    explicit AttributeExtractor(LlmClient &client);

    static QString systemPrompt();
    /// Whether `notes` may be sent: at most 64 KiB in UTF-8, the limit (and the words) of a note
    /// (validate::longText). Larger notes are refused before anything is sent.
    static Status checkNotes(const QString &notes);
    /// The request for `notes`; callers check them with checkNotes() first.
    static LlmRequest buildRequest(const QString &notes);

    /// Parses a model's answer tolerantly: plain JSON, a ```json fence, or prose around one JSON object.
    /// Keys that are not snake_case and values of the wrong shape are dropped (with a warning), at most 30
    /// kept.
    static Result<QJsonObject> parseAnswer(const QString &text);

    /// Turns a response into attributes, checking stop_reason first.
    static Result<ExtractedAttributes> interpret(const LlmResponse &response);

    using Callback = std::function<void(Result<ExtractedAttributes>)>;
    /// Notes over the limit (checkNotes) fail at once with its Validation error; nothing is sent.
    void extract(const QString &notes, Callback done);

private:
    LlmClient &m_client;
};

} // namespace fb
