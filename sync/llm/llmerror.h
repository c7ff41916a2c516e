#pragma once

#include "util/result.h"

#include <QString>

namespace fb::sync {

/// Why a model request failed, with everything needed to report it: what kind of failure, the HTTP status and
/// request-id when the server answered, and the API's own error type and message.
struct LlmError
{
    enum class Kind
    {
        Config,  ///< no key, no base URL: nothing was sent
        Invalid, ///< a request the API would refuse (a thinking budget out of range): nothing was sent
        Network, ///< the connection failed or dropped (refused, reset, DNS, TLS)
        Timeout, ///< no connection within the connect timeout, or no full answer within the total timeout
        Http,    ///< the server answered with an error status
        Parse,   ///< a 200 whose body is not the API's answer
    };
    Kind kind = Kind::Network;
    int httpStatus = 0;   ///< 0 when no HTTP answer arrived
    QString requestId;    ///< the `request-id` (Anthropic) or `x-request-id` header, when the server sent one
    QString apiErrorType; ///< error.type of the body ("rate_limit_error", ...), when it had one
    QString message;      ///< error.message of the body, or what went wrong
    int attempts = 0;     ///< requests sent, retries included

    static QString kindName(Kind kind);

    /// The error the core understands (ExtractionQueue keeps a request pending on Unavailable):
    /// * Unavailable: nothing wrong with the request, the model cannot answer now: network, timeouts, the
    ///   statuses worth retrying (408, 409, 429, 5xx, 529), and the ones a shop fixes on its side (401, 402,
    ///   403: a wrong key, billing, permissions) and a missing key;
    /// * Parse: an answer that is not the API's format;
    /// * Database: an invalid request and any other refusal (400, 404, 413, ...): sending the same request
    /// again
    ///   would fail the same way.
    /// The message is plainMessage(): in words, without the kind, the HTTP status or the request-id (those
    /// are describe()'s, for the log and `fieldbook extract`).
    Error toError() const;

    /// What a person reads (llmwords): "The model is not set up: add details by hand, or set it up in
    /// Settings", "The model cannot be reached now: ...", "The model refused the API key: ...".
    QString plainMessage() const;

    /// One line for the log: "<kind>[ <api type>], HTTP <status>, request-id <id>: <message>".
    QString describe() const;
    /// What identifies the failure to the provider's support, only the parts there are: "HTTP 401, request-id
    /// req_1"; empty when the server never answered.
    QString details() const;
};

} // namespace fb::sync
