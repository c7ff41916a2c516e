#pragma once

#include "extraction/llmclient.h"
#include "models/attribute.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonValue>
#include <QList>
#include <QUuid>

#include <functional>
#include <memory>
#include <optional>

namespace fb {

class AttributeService;

enum class ExtractionRequestStatus
{
    Pending,
    Done,
    Failed
};
enum class SuggestionStatus
{
    Suggested,
    Accepted,
    Rejected,
    Edited
};

QString toString(ExtractionRequestStatus value);
QString toString(SuggestionStatus value);

/// A close-out's notes waiting for (or done with) the model: one row of extraction_requests.
struct ExtractionRequest
{
    QUuid id;
    QUuid userId;
    QUuid ticketId;
    QUuid contactId;
    QUuid noteId;
    QString notes;
    ExtractionRequestStatus status = ExtractionRequestStatus::Pending;
    int attempts = 0;      ///< sends so far
    QString lastError;     ///< why the last send did not succeed
    QDateTime lockedUntil; ///< a send in flight until then (a lease; see the migration)
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime completedAt; ///< done or failed

    static ExtractionRequest fromRow(const Row &row);
};

/// One attribute the model proposed from a queued request, awaiting the technician's decision.
struct AttributeSuggestion
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    QUuid ticketId;
    QUuid noteId;
    QUuid requestId;
    QString key;
    QJsonValue value;
    SuggestionStatus status = SuggestionStatus::Suggested;
    QDateTime createdAt;
    QDateTime decidedAt;

    static AttributeSuggestion fromRow(const Row &row);
};

/// What one runPending() pass did.
struct ExtractionRunSummary
{
    int sent = 0;   ///< requests sent to the model
    int done = 0;   ///< answered: their attributes are now suggestions
    int failed = 0; ///< failed for good (truncated, refused, unreadable, refused by the API, customer gone)
    int suggestions = 0;             ///< suggestions created
    bool stoppedUnavailable = false; ///< the model could not be reached: the rest wait for the next pass
    bool alreadyRunning = false;     ///< another pass was running; this one did nothing
    std::optional<Error> lastError;
};

/// The offline extraction queue (issue 4): a close-out never waits on the network.
///
/// initiateCloseOut stores the notes as a request in the close-out's own transaction, so they survive a crash
/// or a restart. A request is sent by the close-out itself when a client is configured, and otherwise (or
/// after an Unavailable failure: offline, timeout, overloaded, no key) by runPending(), which the sync worker
/// calls when a connection is available. A queued request's answer becomes *suggested* attributes on the
/// contact, linked to the ticket and note; only the technician's decision (accept, edit) writes `attributes`,
/// through AttributeService. A request that succeeded is done and never sent again; one that fails for good
/// (the answer was cut off, refused or unreadable, or the API rejected the request) is failed with its error.
///
/// The model's answer goes through AttributeExtractor (the prompt that wraps the notes as data, the tolerant
/// and validating parser), exactly as the close-out's own attempt does.
class ExtractionQueue final
{
public:
    /// How long one send may take before another connection may send the request again.
    static constexpr int kLeaseSeconds = 300;

    ExtractionQueue(ServiceContext context, AttributeService &attributes);
    ~ExtractionQueue();
    ExtractionQueue(const ExtractionQueue &) = delete;
    ExtractionQueue &operator=(const ExtractionQueue &) = delete;

    /// Stores a pending request for `notes`, in the caller's transaction. A pending request of the same note
    /// (the technician went back to step 1) takes the new text instead. `sendingNow` counts an attempt and
    /// takes the lease, for a caller that sends it at once and reports with recordOutcome(). Notes over 64
    /// KiB (AttributeExtractor::checkNotes) are refused with its Validation error.
    Result<QUuid> enqueue(const QUuid &contactId, const QUuid &ticketId, const QUuid &noteId,
                          const QString &notes, bool sendingNow);

    /// How recordOutcome() left the request.
    enum class Recorded
    {
        Done,
        StillPending,
        Failed,
        Ignored
    };
    /// Records the answer to a request the caller sent with `notesSent`: done (with suggestions when
    /// `suggest`), still pending after an Unavailable error, or failed. A request that is no longer pending
    /// is left alone (Ignored), and one whose notes changed meanwhile stays pending to be sent again.
    Result<Recorded> recordOutcome(const QUuid &requestId, const QString &notesSent,
                                   const Result<ExtractedAttributes> &outcome, bool suggest,
                                   int *suggestionsCreated = nullptr);

    Result<ExtractionRequest> request(const QUuid &id) const;
    /// The current user's requests, oldest first, optionally only those with `status`.
    Result<QList<ExtractionRequest>> requests(std::optional<ExtractionRequestStatus> status = {}) const;

    /// Sends the current user's pending requests one at a time, oldest first, and calls `done` once at the
    /// end (on the client's thread; `client` must outlive the pass). A pass stops at the first Unavailable
    /// failure: the remaining requests wait for the next pass instead of each failing the same way. A call
    /// while a pass runs does nothing but report alreadyRunning. If the queue is destroyed first, `done` is
    /// not called.
    using RunCallback = std::function<void(const ExtractionRunSummary &)>;
    void runPending(LlmClient &client, RunCallback done = {});
    bool isRunning() const { return m_running; }

    /// Suggestions awaiting a decision: of one contact, or of every live contact when `contactId` is null.
    Result<QList<AttributeSuggestion>> openSuggestions(const QUuid &contactId = {}) const;
    Result<AttributeSuggestion> suggestion(const QUuid &id) const;
    /// Saves the suggested value as the contact's attribute, linked to the note, and marks it accepted.
    Result<Attribute> accept(const QUuid &suggestionId);
    /// Saves `value` instead (validated as any attribute) and marks the suggestion edited.
    Result<Attribute> acceptEdited(const QUuid &suggestionId, const QJsonValue &value);
    /// Marks the suggestion rejected; nothing is saved.
    Status reject(const QUuid &suggestionId);

    /// Expires when the queue is destroyed: asynchronous answers check it before they record anything.
    std::weak_ptr<void> lifetime() const { return m_alive; }

private:
    struct Run;
    void runNext(const std::shared_ptr<Run> &run);
    void finish(const std::shared_ptr<Run> &run);
    Result<std::optional<ExtractionRequest>> claimNext(Run &run);
    Result<Attribute> decide(const QUuid &suggestionId, const std::optional<QJsonValue> &edited);

    ServiceContext m_ctx;
    AttributeService &m_attributes;
    bool m_running = false;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace fb
