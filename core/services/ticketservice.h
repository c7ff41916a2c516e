#pragma once

#include "models/attribute.h"
#include "models/enums.h"
#include "models/lineitem.h"
#include "models/ticket.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>

namespace fb {

class AttributeExtractor;
class ExtractionQueue;

/// Where the LLM extraction of a close-out stands, as a screen tells it: every state a screen shows is here,
/// so none has to read the extraction queue's storage to guess.
struct ExtractionOutcome
{
    enum class State
    {
        NotRequested, ///< no notes, or neither an extractor nor a queue configured
        Answering, ///< the client is reading the notes: the outcome comes through initiateCloseOut's callback
        Done,      ///< `attributes` holds the proposal for review
        Queued,    ///< stored for later (no client, or it is unavailable now: `error` says why); the answer
                   ///< comes back as suggestions on the customer's page
        Failed,    ///< `error` says why; the technician can add attributes by hand
    };
    State state = State::NotRequested;
    ExtractedAttributes attributes;
    /// Why it is Queued (empty when no client is configured) or Failed, in words.
    Error error;
    QUuid requestId; ///< the stored extraction request (ExtractionQueue), when a queue is set
};

/// The result of step 1 of the close-out: the updated ticket, the note saved from the notes, and the
/// proposal.
struct CloseOutResult
{
    Ticket ticket;
    QUuid noteId;
    ExtractionOutcome extraction;
};

/// Tickets (jobs) and their line items: scheduling, clock in/out and the two-step close-out (seed 3.7).
/// Lifecycle: scheduled -> in_progress (clock in) -> completed (finalize), or cancelled; a completed or
/// cancelled ticket refuses every change, except the work done on a job cancelled elsewhere after the
/// technician clocked in (workMayContinue).
class TicketService final
{
public:
    TicketService(ServiceContext context, AttributeExtractor *extractor);
    /// Where close-outs store their extraction requests (Core sets its queue); null stores none.
    void setExtractionQueue(ExtractionQueue *queue) { m_queue = queue; }

    Result<Ticket> create(const TicketCreate &data);
    Result<Ticket> getById(const QUuid &id) const;
    Result<TicketWithDetails> getWithDetails(const QUuid &id) const;
    /// Reschedule, move to another address of the contact, change duration or notes.
    Result<Ticket> update(const QUuid &id, const TicketUpdate &data);
    Result<Ticket> cancel(const QUuid &id);
    /// Live tickets with scheduled_at in [from, to), in time order: the day and week views.
    Result<QList<Ticket>> listRange(const QDateTime &from, const QDateTime &to) const;
    Result<QList<Ticket>> listForContact(const QUuid &contactId) const;

    /// Whether the work done on a job may still be recorded: clocking out, line items (add, change, remove,
    /// restore) and the close-out (its duration and notes, then completing it). THE rule, used by all of them
    /// and by CloseOutService:
    /// - an open job (scheduled, in progress): yes;
    /// - a completed job: no;
    /// - a cancelled job: only when its cancellation came from elsewhere (the office, or the technician's
    ///   other device, through the pull: OfficeChangeService::cancellation) and work had started on it
    ///   (clocked in: clock_in_at set). The technician on site then loses nothing: they record what was done
    ///   and may close it out, which makes it completed again (the server keeps a technician's completed over
    ///   the office's cancelled, migration 005; a plain compare-and-set from cancelled applies when nobody
    ///   changed it since). A job cancelled on this device, or cancelled elsewhere before anyone clocked in,
    ///   takes no more work.
    /// Rescheduling, moving, clocking in and cancelling stay refused on every cancelled job. An Error only
    /// when the job's trail cannot be read.
    Result<bool> workMayContinue(const Ticket &ticket) const;

    Result<Ticket> clockIn(const QUuid &id);
    Result<Ticket> clockOut(const QUuid &id);

    Result<LineItem> addLineItem(const QUuid &ticketId, const LineItemCreate &data);
    Result<LineItem> updateLineItem(const QUuid &lineItemId, const LineItemUpdate &data);
    Status removeLineItem(const QUuid &lineItemId);
    /// Undoes removeLineItem() while its ticket is open (the same rule as removing it), audited as an update
    /// of deleted_at.
    Result<LineItem> restoreLineItem(const QUuid &lineItemId);
    Result<QList<LineItem>> lineItems(const QUuid &ticketId) const;

    /// Step 1: saves the confirmed duration and notes (also as a note on the ticket and contact; no notes
    /// keeps the ticket's, an empty text clears them) and asks the extractor for attributes. Never closes the
    /// ticket. When the extractor answers later, `onExtracted` is called with the outcome; when it answers at
    /// once, the result already holds it.
    using ExtractionCallback = std::function<void(const ExtractionOutcome &)>;
    Result<CloseOutResult> initiateCloseOut(const QUuid &id, int confirmedDurationMinutes,
                                            const std::optional<QString> &notes,
                                            ExtractionCallback onExtracted = {});

    /// Step 1 without writing anything (the close-out wizard: cancelling it must leave no trace): asks the
    /// extractor for the attributes in `notes`. Done, Failed or Queued (no extractor, or Unavailable: the
    /// notes are queued when the close-out is finished, saveCloseOutNotes) at once, or Answering with the
    /// outcome through `onExtracted` later. No notes: NotRequested.
    ExtractionOutcome readCloseOutNotes(const QString &notes, ExtractionCallback onExtracted = {});
    /// Whether and how saveCloseOutNotes() queues the notes for the model.
    enum class QueueNotes
    {
        No,        ///< the model read them already (or refused them for good)
        Pending,   ///< the queue sends them when it can
        SendingNow ///< the caller sends them now and records the outcome (ExtractionQueue::enqueue)
    };
    /// The writing half of initiateCloseOut(): the duration, the notes (and their note), and the extraction
    /// request as `queue` says, in one transaction. Its extraction is Queued when a request was stored.
    Result<CloseOutResult> saveCloseOutNotes(const QUuid &id, int confirmedDurationMinutes,
                                             const std::optional<QString> &notes, QueueNotes queue);

    /// Step 2: closes the ticket and publishes TicketCompletedEvent with the technician-confirmed attributes
    /// and follow-up; the handlers persist the attributes and schedule the reach-out.
    Result<Ticket> finalizeCloseOut(const QUuid &id, const QJsonObject &confirmedAttributes,
                                    NextServiceAction nextService, std::optional<int> reachOutMonths = {});

private:
    static ExtractionOutcome outcomeOf(const Result<ExtractedAttributes> &extracted, bool queued);
    Result<Ticket> openTicket(const QUuid &id) const;
    /// The job when workMayContinue() allows it, else openTicket()'s refusal.
    Result<Ticket> workTicket(const QUuid &id) const;
    Result<LineItem> priceLineItem(LineItem item, const LineItemCreate &data) const;

    ServiceContext m_ctx;
    AttributeExtractor *m_extractor;
    ExtractionQueue *m_queue = nullptr;
};

} // namespace fb
