#include "briefing.h"

#include "common/feedback.h"
#include "common/humanize.h"
#include "core.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace fb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fb::ui::Briefing", text);
}

QString localDate(const QDateTime &utc)
{
    return QLocale().toString(utc.toLocalTime().date(), QStringLiteral("ddd d MMM yyyy"));
}

/// The notes written at `visit`: its notes text, then any other note of that ticket (newest first), each
/// once (a close-out stores its notes both on the ticket and as a note).
Result<QString> visitNotes(Core &core, const Ticket &visit)
{
    QStringList texts;
    if (visit.notes && !visit.notes->trimmed().isEmpty())
        texts.append(visit.notes->trimmed());
    auto notes = core.notes.listForTicket(visit.id);
    if (!notes)
        return notes.error();
    for (const Note &note : *notes) {
        const QString text = note.content.trimmed();
        if (!text.isEmpty() && !texts.contains(text))
            texts.append(text);
    }
    return texts.join(QStringLiteral("\n\n"));
}

} // namespace

Result<Briefing> Briefing::load(Core &core, const TicketWithDetails &details)
{
    Briefing briefing;
    const Ticket &ticket = details.ticket;

    auto attributes = core.attributes.getAttributes(ticket.contactId);
    if (!attributes)
        return attributes.error();
    for (const Attribute &attribute : *attributes)
        briefing.facts.append({humanizeKey(attribute.key), attributeValueText(attribute.value)});
    // The customer's and the address's own notes are confirmed facts too (typed by the technician).
    if (details.contact.notes && !details.contact.notes->trimmed().isEmpty())
        briefing.facts.append({tr("About the customer"), details.contact.notes->trimmed()});
    if (details.address.notes && !details.address.notes->trimmed().isEmpty())
        briefing.facts.append({tr("About the address"), details.address.notes->trimmed()});

    auto tickets = core.tickets.listForContact(ticket.contactId);
    if (!tickets)
        return tickets.error();
    // Most recent by when it was closed (a job done late can close after one scheduled later).
    const auto finished = [](const Ticket &t) { return t.closedAt.isValid() ? t.closedAt : t.scheduledAt; };
    const Ticket *lastVisit = nullptr;
    for (const Ticket &other : *tickets) {
        if (other.id == ticket.id || other.status != TicketStatus::Completed)
            continue;
        if (!lastVisit || finished(other) > finished(*lastVisit))
            lastVisit = &other;
    }
    if (lastVisit) {
        auto text = visitNotes(core, *lastVisit);
        if (!text)
            return text.error();
        if (!text->isEmpty()) {
            briefing.lastVisitHeading = tr("Last visit, %1").arg(localDate(finished(*lastVisit)));
            briefing.lastVisitText = *text;
            return briefing;
        }
    }

    auto notes = core.notes.listForContact(ticket.contactId); // newest first
    if (!notes)
        return notes.error();
    for (const Note &note : *notes) {
        if (note.ticketId == ticket.id || note.content.trimmed().isEmpty())
            continue;
        briefing.lastVisitHeading = tr("Latest note, %1").arg(localDate(note.createdAt));
        briefing.lastVisitText = note.content.trimmed();
        break;
    }
    return briefing;
}

} // namespace fb::ui
