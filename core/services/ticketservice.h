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
/// cancelled ticket refuses every change.
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

    /// Step 2: closes the ticket and publishes TicketCompletedEvent with the technician-confirmed attributes
    /// and follow-up; the handlers persist the attributes and schedule the reach-out.
    Result<Ticket> finalizeCloseOut(const QUuid &id, const QJsonObject &confirmedAttributes,
                                    NextServiceAction nextService, std::optional<int> reachOutMonths = {});

private:
    Result<Ticket> openTicket(const QUuid &id) const;
    Result<LineItem> priceLineItem(LineItem item, const LineItemCreate &data) const;

    ServiceContext m_ctx;
    AttributeExtractor *m_extractor;
    ExtractionQueue *m_queue = nullptr;
};

} // namespace fb
