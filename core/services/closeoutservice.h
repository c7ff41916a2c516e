#pragma once

#include "models/enums.h"
#include "models/ticket.h"
#include "services/servicecontext.h"
#include "services/ticketservice.h"
#include "util/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUuid>

#include <optional>

namespace fb {

class DraftService;
class InvoiceService;

/// Step 1 of a close-out, as the technician typed it.
struct CloseOutStart
{
    QUuid ticketId;
    int durationMinutes = 0;
    /// nullopt keeps the ticket's notes; an empty text clears them.
    std::optional<QString> notes;
};

/// The duration and notes a close-out saves only when it is finished (the wizard: a cancelled close-out
/// leaves no note and no model request behind, only its draft).
struct CloseOutNotes
{
    int durationMinutes = 0;
    QString notes;
    /// The model has not read the notes (no model, offline): store them for the extraction queue.
    bool queueForModel = false;
};

/// Step 2 of a close-out, as the technician confirmed it.
struct CloseOutFinish
{
    QUuid ticketId;
    /// Saved first, in the same transaction, when set (else start() saved them).
    std::optional<CloseOutNotes> notes;
    /// The customer details to save (key -> JSON value), linked to the close-out's note.
    QJsonObject confirmedAttributes;
    NextServiceAction nextService = NextServiceAction::NoFollowup;
    /// ScheduleNow: when the next visit is booked (after now).
    QDateTime nextVisit;
    /// ReachOut: in how many calendar months (1 to 60).
    int reachOutMonths = 0;
    /// Draft an invoice for the ticket's line items.
    bool createInvoice = false;
};

/// What finishing a close-out wrote.
struct CloseOutFinished
{
    Ticket ticket;          ///< completed
    QUuid followUpTicketId; ///< the next visit booked (ScheduleNow), else null
    QUuid invoiceId;        ///< the draft invoice (createInvoice), else null
};

/// The close-out of a ticket (seed 3.7) as one workflow, for any screen or command.
///
/// start() saves the duration and notes and asks for (or queues) the extraction of customer details, in one
/// transaction, and returns at once (TicketService::initiateCloseOut). finish() closes the ticket with the
/// confirmed details and the next visit or reach-out, drafts the invoice when asked, and removes the
/// close-out's draft, all in ONE transaction: either all of it is stored or, when any part is refused, none
/// of it (the ticket stays open, nothing is audited or queued for sync). The details and the reach-out are
/// stored as the close's TicketCompletedEvent in that transaction; its handlers run after the commit.
class CloseOutService final
{
public:
    CloseOutService(ServiceContext context, TicketService &tickets, InvoiceService &invoices,
                    DraftService &drafts);

    /// Step 1. `onExtracted` receives the outcome when it is Answering (see ExtractionOutcome).
    Result<CloseOutResult> start(const CloseOutStart &request,
                                 TicketService::ExtractionCallback onExtracted = {});
    /// Step 1 writing nothing: the model reads the notes when one is configured
    /// (TicketService::readCloseOutNotes); finish() with `notes` then saves them. For a screen that may still
    /// be cancelled.
    ExtractionOutcome read(const QString &notes, TicketService::ExtractionCallback onExtracted = {});
    /// Step 2: all or nothing. A ticket already completed or cancelled is refused with a sentence saying so,
    /// except a job cancelled elsewhere after the technician clocked in (TicketService::workMayContinue),
    /// which this completes.
    Result<CloseOutFinished> finish(const CloseOutFinish &request);

private:
    Status validate(const CloseOutFinish &request) const;
    Result<CloseOutFinished> write(const CloseOutFinish &request);

    ServiceContext m_ctx;
    TicketService &m_tickets;
    InvoiceService &m_invoices;
    DraftService &m_drafts;
};

} // namespace fb
