#include "services/closeoutservice.h"

#include "db/database.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "services/draftservice.h"
#include "services/invoiceservice.h"
#include "util/timeutil.h"

namespace fb {

namespace {

/// The step that failed, then the reason: "the invoice could not be drafted: ...".
Error during(const QString &step, const Error &error)
{
    return Error{error.code, {}, QStringLiteral("%1: %2").arg(step, error.toString())};
}

} // namespace

CloseOutService::CloseOutService(ServiceContext context, TicketService &tickets, InvoiceService &invoices,
                                 DraftService &drafts)
    : m_ctx(context), m_tickets(tickets), m_invoices(invoices), m_drafts(drafts)
{
}

Result<CloseOutResult> CloseOutService::start(const CloseOutStart &request,
                                              TicketService::ExtractionCallback onExtracted)
{
    // One transaction already: the duration, the notes (and their note) and the queued extraction request.
    return m_tickets.initiateCloseOut(request.ticketId, request.durationMinutes, request.notes,
                                      std::move(onExtracted));
}

ExtractionOutcome CloseOutService::read(const QString &notes, TicketService::ExtractionCallback onExtracted)
{
    return m_tickets.readCloseOutNotes(notes, std::move(onExtracted));
}

Status CloseOutService::validate(const CloseOutFinish &request) const
{
    auto ticket = m_tickets.getById(request.ticketId);
    if (!ticket)
        return ticket.error();
    if (ticket->status == TicketStatus::Completed)
        return Error::invalidState(
            QStringLiteral("this ticket is closed out already: finishing it again would change nothing"));
    if (ticket->status == TicketStatus::Cancelled) {
        // Cancelled elsewhere after the technician clocked in: the work done may still be closed out, which
        // completes the job (TicketService::workMayContinue, the one place of the rule).
        auto may = m_tickets.workMayContinue(*ticket);
        if (!may)
            return may.error();
        if (!*may)
            return Error::invalidState(QStringLiteral("this ticket was cancelled: it cannot be closed out"));
    }
    if (request.nextService == NextServiceAction::ScheduleNow &&
        (!request.nextVisit.isValid() || request.nextVisit <= nowUtc()))
        return Error::validation(QStringLiteral("next_visit"),
                                 QStringLiteral("is in the past: choose a time after now"));
    return {};
}

Result<CloseOutFinished> CloseOutService::finish(const CloseOutFinish &request)
{
    FB_TRY(validate(request));
    Result<CloseOutFinished> finished = [&]() -> Result<CloseOutFinished> {
        // The outermost transaction: every service below commits a savepoint inside it, and the bus keeps its
        // events (TicketCompletedEvent's details and reach-out) until this one commits.
        FB_TRANSACTION(tx, m_ctx.db);
        auto written = write(request);
        if (written)
            FB_TRY(tx.commit());
        return written;
    }();
    if (finished)
        m_ctx.bus.deliverPending();
    return finished;
}

Result<CloseOutFinished> CloseOutService::write(const CloseOutFinish &request)
{
    if (request.notes) {
        const CloseOutNotes &notes = *request.notes;
        auto saved = m_tickets.saveCloseOutNotes(request.ticketId, notes.durationMinutes, notes.notes,
                                                 notes.queueForModel ? TicketService::QueueNotes::Pending
                                                                     : TicketService::QueueNotes::No);
        if (!saved)
            return saved.error();
    }
    const std::optional<int> months = request.nextService == NextServiceAction::ReachOut
                                          ? std::optional<int>(request.reachOutMonths)
                                          : std::nullopt;
    auto closed = m_tickets.finalizeCloseOut(request.ticketId, request.confirmedAttributes,
                                             request.nextService, months);
    if (!closed)
        return closed.error();
    CloseOutFinished finished{*closed, {}, {}};

    if (request.nextService == NextServiceAction::ScheduleNow) {
        TicketCreate next;
        next.contactId = closed->contactId;
        next.addressId = closed->addressId;
        next.scheduledAt = request.nextVisit;
        next.scheduledDurationMinutes = closed->scheduledDurationMinutes ? closed->scheduledDurationMinutes
                                                                         : closed->actualDurationMinutes;
        auto created = m_tickets.create(next);
        if (!created)
            return during(QStringLiteral("the next visit could not be booked"), created.error());
        finished.followUpTicketId = created->id;
    }
    if (request.createInvoice) {
        auto invoice = m_invoices.createFromTicket(request.ticketId);
        if (!invoice)
            return during(QStringLiteral("the invoice could not be drafted"), invoice.error());
        finished.invoiceId = invoice->id;
    }
    FB_TRY(m_drafts.remove(request.ticketId));
    return finished;
}

} // namespace fb
