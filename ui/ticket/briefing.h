#pragma once

#include "util/result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace fb {
class Core;
struct TicketWithDetails;
} // namespace fb

namespace fb::ui {

/// What a technician should know before starting a job: the customer's confirmed attributes and notes, and
/// what was written at the last visit.
struct Briefing
{
    /// (label, text) pairs, attributes by key ("Gate code", "4521").
    QList<QPair<QString, QString>> facts;
    QString lastVisitHeading; ///< "Last visit, Mon 4 Mar" or "Latest note, ..."; empty when there is none
    QString lastVisitText;

    bool isEmpty() const { return facts.isEmpty() && lastVisitText.isEmpty(); }

    /// The briefing for `details`' ticket. The last visit is the contact's most recently completed other
    /// ticket with notes; failing that, the contact's latest note not written on this ticket.
    static Result<Briefing> load(Core &core, const TicketWithDetails &details);
};

} // namespace fb::ui
