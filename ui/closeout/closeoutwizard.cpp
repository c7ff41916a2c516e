#include "closeoutwizard.h"

#include "attributereviewmodel.h"
#include "closeoutnextservicepage.h"
#include "closeoutnotespage.h"
#include "closeoutreviewpage.h"
#include "closeoutsummarypage.h"
#include "common/badges.h"
#include "common/feedback.h"
#include "common/humanize.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "util/timeutil.h"

#include <QApplication>
#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>

#include <cmath>

Q_LOGGING_CATEGORY(lcCloseOut, "fieldbook.ui.closeout")

namespace fb::ui {

namespace {

using Extraction = CloseOutReviewPage::Extraction;

constexpr int kDraftVersion = 1;

QString extractionKey(Extraction state)
{
    switch (state) {
    case Extraction::NotStarted:
        return QStringLiteral("not_started");
    case Extraction::Running:
        return QStringLiteral("running");
    case Extraction::Done:
        return QStringLiteral("done");
    case Extraction::Queued:
        return QStringLiteral("queued");
    case Extraction::Failed:
        return QStringLiteral("failed");
    case Extraction::NotRequested:
        return QStringLiteral("not_requested");
    }
    return {};
}

/// The duration to confirm: what was confirmed before, else the clock (still running: until now), else the
/// booking's.
int suggestedMinutes(const Ticket &ticket, QString *hint)
{
    if (ticket.actualDurationMinutes) {
        *hint = QCoreApplication::translate("fb::ui::CloseOutWizard", "As confirmed before");
        return *ticket.actualDurationMinutes;
    }
    if (ticket.clockInAt.isValid()) {
        const QDateTime end = ticket.clockOutAt.isValid() ? ticket.clockOutAt : nowUtc();
        const qint64 seconds = std::max<qint64>(0, ticket.clockInAt.secsTo(end));
        *hint = ticket.clockOutAt.isValid()
                    ? QCoreApplication::translate("fb::ui::CloseOutWizard", "Clocked in %1, out %2")
                          .arg(formatLocal(ticket.clockInAt), formatLocal(ticket.clockOutAt))
                    : QCoreApplication::translate("fb::ui::CloseOutWizard", "Clocked in %1, still running")
                          .arg(formatLocal(ticket.clockInAt));
        return int(std::min<qint64>(24 * 60, (seconds + 59) / 60));
    }
    if (ticket.scheduledDurationMinutes) {
        *hint = QCoreApplication::translate("fb::ui::CloseOutWizard", "As booked (not clocked)");
        return *ticket.scheduledDurationMinutes;
    }
    *hint = QCoreApplication::translate("fb::ui::CloseOutWizard", "Not clocked: enter the time spent");
    return 60;
}

/// The next visit offered by default: the same weekday time three months on, never in the past.
QDateTime defaultNextVisit(const Ticket &ticket)
{
    const QDateTime now = nowUtc();
    const QDateTime base = ticket.scheduledAt.isValid() ? ticket.scheduledAt : now;
    QDateTime next = base.toLocalTime().addMonths(3).toUTC();
    if (next <= now) {
        const QDateTime local = now.toLocalTime().addMonths(3);
        next = QDateTime(local.date(), QTime(local.time().hour(), 0)).toUTC();
    }
    return next;
}

QString excerpt(const QString &text, int length)
{
    const QString simplified = text.simplified();
    if (simplified.size() <= length)
        return simplified;
    return simplified.left(length).trimmed() + QStringLiteral("\u2026");
}

} // namespace

CloseOutWizard::CloseOutWizard(UiContext &context, const QUuid &ticketId, QWidget *parent)
    : QWizard(parent), m_context(context), m_ticketId(ticketId), m_notesPage(new CloseOutNotesPage(this)),
      m_reviewPage(new CloseOutReviewPage(this)), m_nextServicePage(new CloseOutNextServicePage(this)),
      m_summaryPage(new CloseOutSummaryPage(this))
{
    setObjectName(QStringLiteral("closeOutWizard"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Close out"));
    setOption(QWizard::NoBackButtonOnStartPage, true);
    // Fits at 1366x768 with room for the task bar.
    resize(800, 600);

    setPage(NotesPage, m_notesPage);
    setPage(ReviewPage, m_reviewPage);
    setPage(NextServicePage, m_nextServicePage);
    setPage(SummaryPage, m_summaryPage);
    setStartId(NotesPage);

    button(QWizard::NextButton)->setToolTip(withShortcut(tr("Next step"), QKeySequence(Qt::ALT | Qt::Key_N)));
    button(QWizard::BackButton)
        ->setToolTip(withShortcut(tr("Previous step"), QKeySequence(Qt::ALT | Qt::Key_B)));
    button(QWizard::CancelButton)
        ->setToolTip(withShortcut(tr("Leave the ticket open and keep what you typed for later"),
                                  QKeySequence(Qt::Key_Escape)));
    button(QWizard::FinishButton)
        ->setToolTip(withShortcut(tr("Save and complete the ticket"), QKeySequence(Qt::ALT | Qt::Key_F)));

    // Each page starts where the keyboard is needed (QWizard has focused the page's first field by now).
    connect(this, &QWizard::currentIdChanged, this, &CloseOutWizard::focusPage);
    // Quitting the app (logging out, the window's close with the wizard open) keeps what was typed.
    connect(qApp, &QCoreApplication::aboutToQuit, this, &CloseOutWizard::saveDraft);

    load();
}

CloseOutWizard::~CloseOutWizard()
{
    // Destroyed with its window (the app quit) before done() ran: what was typed stays a draft.
    if (!m_done)
        saveDraft();
}

void CloseOutWizard::focusPage(int id)
{
    switch (id) {
    case NotesPage:
        m_notesPage->focusNotes();
        break;
    case ReviewPage:
        m_reviewPage->focusStart();
        break;
    case NextServicePage:
        m_nextServicePage->focusStart();
        break;
    case SummaryPage:
        // Enter finishes.
        button(QWizard::FinishButton)->setFocus(Qt::OtherFocusReason);
        break;
    default:
        break;
    }
}

void CloseOutWizard::load()
{
    Core &core = m_context.core();
    auto details = core.tickets.getWithDetails(m_ticketId);
    if (!details) {
        m_notesPage->setBanner(tr("This ticket cannot be closed out: %1").arg(details.error().toString()));
        m_notesPage->setBlocked(true);
        return;
    }
    m_ticket = details->ticket;
    m_totalCents = details->total.cents();
    setWindowTitle(tr("Close out: %1").arg(details->contact.name));

    QString hint;
    m_notesPage->setDurationMinutes(suggestedMinutes(m_ticket, &hint));
    m_notesPage->setDurationHint(hint);
    m_notesPage->setNotes(m_ticket.notes.value_or(QString()));
    // Open jobs, and one cancelled elsewhere while the technician worked on it
    // (TicketService::workMayContinue).
    const auto mayContinue = core.tickets.workMayContinue(m_ticket);
    m_canClose = mayContinue && *mayContinue;
    if (!m_canClose) {
        m_notesPage->setBanner(tr("This ticket is %1 already: there is nothing to close out.")
                                   .arg(statusLabel(m_ticket.status).toLower()));
        m_notesPage->setBlocked(true);
        return;
    }

    refreshCurrentValues();
    m_nextServicePage->setNextVisit(defaultNextVisit(m_ticket));
    m_nextServicePage->setPresetBase(m_ticket.scheduledAt);
    // Drafting the invoice is the usual end of a job with billable work on it.
    m_nextServicePage->setCreateInvoice(!details->lineItems.isEmpty());
    if (auto invoices = core.invoices.listForContact(m_ticket.contactId); invoices) {
        for (const Invoice &invoice : std::as_const(*invoices)) {
            if (invoice.ticketId == m_ticketId && invoice.status != InvoiceStatus::Void) {
                m_nextServicePage->setInvoiceUnavailable(tr("This job has an invoice already."));
                break;
            }
        }
    }

    auto draft = core.drafts.load(m_ticketId);
    if (!draft) {
        qCWarning(lcCloseOut) << "cannot read the close-out draft:" << draft.error().toString();
    } else if (draft->has_value()) {
        restoreDraft(**draft);
        m_hadDraft = true;
        m_notesPage->setBanner(tr("Restored what you typed when you last left this close-out."));
    }
    m_initialDraft = draftJson();
}

void CloseOutWizard::refreshCurrentValues()
{
    auto attributes = m_context.core().attributes.getAttributes(m_ticket.contactId);
    if (!attributes) {
        qCWarning(lcCloseOut) << "cannot read the customer's details:" << attributes.error().toString();
        return;
    }
    QHash<QString, QJsonValue> current;
    for (const Attribute &attribute : std::as_const(*attributes))
        current.insert(attribute.key, attribute.value);
    m_reviewPage->model()->setCurrentValues(current);
}

bool CloseOutWizard::validateCurrentPage()
{
    if (!QWizard::validateCurrentPage())
        return false;
    switch (currentId()) {
    case NotesPage:
        if (needsInitiate() && !initiate())
            return false;
        break;
    case SummaryPage:
        return finish();
    default:
        break;
    }
    // Kept at each step, not only on Cancel: a crash or a power cut loses at most the page being typed.
    saveDraft();
    return true;
}

void CloseOutWizard::initializePage(int id)
{
    QWizard::initializePage(id);
    if (id == SummaryPage)
        m_summaryPage->setSummary(summaryHtml());
}

bool CloseOutWizard::needsInitiate() const
{
    const bool same = m_initiated && m_initiated->minutes == m_notesPage->durationMinutes() &&
                      m_initiated->notes == m_notesPage->notes();
    // Queued or failed: step 1 again retries the model with the same notes.
    const Extraction state = m_reviewPage->extraction();
    return !(same && (state == Extraction::Running || state == Extraction::Done ||
                      state == Extraction::NotRequested));
}

bool CloseOutWizard::initiate()
{
    const int minutes = m_notesPage->durationMinutes();
    const QString notes = m_notesPage->notes();
    const quint64 generation = ++m_generation;
    m_reviewPage->setExtraction(Extraction::Running);

    // Nothing is written before Finish (Cancel means cancel): the model reads the notes now when one is
    // configured; Finish saves them, and queues them for the model when it could not read them.
    // The client may answer inside read(), later on this thread, or after the wizard is gone: the QPointer
    // drops that answer.
    QPointer<CloseOutWizard> self(this);
    const ExtractionOutcome outcome =
        m_context.core().closeOuts.read(notes, [self, generation](const ExtractionOutcome &answer) {
            if (self)
                self->applyOutcome(generation, answer);
        });
    m_initiated = Initiated{minutes, notes};
    // Answering: the outcome comes through the callback (it may have come already).
    if (m_reviewPage->extraction() == Extraction::Running &&
        outcome.state != ExtractionOutcome::State::Answering)
        applyOutcome(generation, outcome);
    return true;
}

void CloseOutWizard::applyOutcome(quint64 generation, const ExtractionOutcome &outcome)
{
    if (generation != m_generation)
        return; // an answer to notes the technician has since changed
    refreshCurrentValues();
    AttributeReviewModel *model = m_reviewPage->model();
    model->setProposals(outcome.state == ExtractionOutcome::State::Done ? outcome.attributes.attributes
                                                                        : QJsonObject());
    switch (outcome.state) {
    case ExtractionOutcome::State::Answering:
        m_reviewPage->setExtraction(Extraction::Running);
        break;
    case ExtractionOutcome::State::Done:
        m_reviewPage->setExtraction(Extraction::Done);
        break;
    case ExtractionOutcome::State::Queued:
        m_reviewPage->setExtraction(Extraction::Queued, outcome.error.message);
        break;
    case ExtractionOutcome::State::Failed:
        m_reviewPage->setExtraction(Extraction::Failed, outcome.error.toString());
        break;
    case ExtractionOutcome::State::NotRequested:
        m_reviewPage->setExtraction(Extraction::NotRequested);
        break;
    }
}

bool CloseOutWizard::finish()
{
    m_reviewPage->commitEdits();
    auto confirmed = m_reviewPage->model()->confirmedAttributes();
    if (!confirmed) {
        showError(this, tr("A detail cannot be saved"), confirmed.error());
        return false;
    }
    CloseOutFinish request;
    request.ticketId = m_ticketId;
    // The model has not read the notes (none configured, offline): the queue sends them when it can.
    const Extraction state = m_reviewPage->extraction();
    request.notes = CloseOutNotes{m_notesPage->durationMinutes(), m_notesPage->notes(),
                                  state == Extraction::Queued || state == Extraction::NotStarted ||
                                      state == Extraction::Running};
    request.confirmedAttributes = *confirmed;
    request.nextService = m_nextServicePage->action();
    request.nextVisit = m_nextServicePage->nextVisit();
    request.reachOutMonths = m_nextServicePage->reachOutMonths();
    request.createInvoice = m_nextServicePage->createInvoice();
    // All or nothing: on an error the ticket is still open and the wizard keeps everything as typed.
    auto finished = m_context.core().closeOuts.finish(request);
    if (!finished) {
        showError(this, tr("The ticket could not be closed out"), finished.error());
        return false;
    }
    m_ticket = finished->ticket;
    m_finished = true;
    m_done = true;
    Q_EMIT closedOut(m_ticketId);
    return true;
}

QString CloseOutWizard::summaryHtml() const
{
    const auto row = [](const QString &label, const QString &value) {
        return QStringLiteral("<tr><td style=\"padding-right:16px\"><b>%1</b></td><td>%2</td></tr>")
            .arg(label.toHtmlEscaped(), value);
    };
    QString html = QStringLiteral("<table cellspacing=\"8\">");
    html += row(tr("Duration"), m_notesPage->durationMinutes() == 1
                                    ? tr("1 minute")
                                    : tr("%1 minutes").arg(m_notesPage->durationMinutes()));
    const QString notes = m_notesPage->notes();
    html += row(tr("Notes"), notes.trimmed().isEmpty() ? tr("None") : excerpt(notes, 280).toHtmlEscaped());

    QStringList saved;
    QStringList notSaved;
    for (const AttributeReviewModel::Row &item : m_reviewPage->model()->rows()) {
        if (item.decision == AttributeReviewModel::Decision::Reject) {
            notSaved.append(humanizeKey(item.key).toHtmlEscaped());
            continue;
        }
        const QString value = editableValueText(AttributeReviewModel::effectiveValue(item)).toHtmlEscaped();
        if (!item.current.isUndefined() && item.current != AttributeReviewModel::effectiveValue(item))
            saved.append(QStringLiteral("%1: %2 \u2192 %3")
                             .arg(humanizeKey(item.key).toHtmlEscaped(),
                                  editableValueText(item.current).toHtmlEscaped(), value));
        else
            saved.append(QStringLiteral("%1: %2").arg(humanizeKey(item.key).toHtmlEscaped(), value));
    }
    html += row(tr("Customer details"), saved.isEmpty() ? tr("None") : saved.join(QStringLiteral("<br>")));
    if (!notSaved.isEmpty())
        html += row(tr("Not saved"), notSaved.join(QStringLiteral(", ")));
    if (m_reviewPage->extraction() == Extraction::Queued)
        html += row(tr("Suggestions"), tr("Queued: they will wait for you on the customer's page."));

    QString next;
    switch (m_nextServicePage->action()) {
    case NextServiceAction::ScheduleNow:
        next = tr("Next visit booked for %1").arg(formatLocal(m_nextServicePage->nextVisit()));
        break;
    case NextServiceAction::ReachOut: {
        const int months = m_nextServicePage->reachOutMonths();
        const QString around =
            QLocale().toString(nowUtc().toLocalTime().date().addMonths(months), QStringLiteral("MMMM yyyy"));
        next = months == 1 ? tr("Reach out in 1 month, around %1").arg(around)
                           : tr("Reach out in %1 months, around %2").arg(months).arg(around);
        break;
    }
    case NextServiceAction::NoFollowup:
        next = tr("No follow-up");
        break;
    }
    html += row(tr("Next service"), next.toHtmlEscaped());
    html +=
        row(tr("Invoice"), m_nextServicePage->createInvoice()
                               ? tr("A draft invoice for %1").arg(formatMoney(m_totalCents)).toHtmlEscaped()
                               : tr("None now"));
    html += QStringLiteral("</table>");
    return html;
}

QJsonObject CloseOutWizard::draftJson() const
{
    QJsonObject draft{
        {QStringLiteral("version"), kDraftVersion},
        {QStringLiteral("durationMinutes"), m_notesPage->durationMinutes()},
        {QStringLiteral("notes"), m_notesPage->notes()},
        {QStringLiteral("extraction"), extractionKey(m_reviewPage->extraction())},
        {QStringLiteral("rows"), m_reviewPage->model()->toJson()},
        {QStringLiteral("followUp"), toString(m_nextServicePage->action())},
        {QStringLiteral("nextVisit"), toStoredTime(m_nextServicePage->nextVisit())},
        {QStringLiteral("reachOutMonths"), m_nextServicePage->reachOutMonths()},
        {QStringLiteral("createInvoice"), m_nextServicePage->createInvoice()},
    };
    if (m_initiated)
        draft.insert(QStringLiteral("initiated"),
                     QJsonObject{{QStringLiteral("durationMinutes"), m_initiated->minutes},
                                 {QStringLiteral("notes"), m_initiated->notes}});
    return draft;
}

void CloseOutWizard::restoreDraft(const QJsonObject &draft)
{
    if (draft.value(QStringLiteral("version")).toInt() != kDraftVersion)
        return; // a draft this build does not understand: start afresh rather than misread it
    m_notesPage->setDurationMinutes(
        draft.value(QStringLiteral("durationMinutes")).toInt(m_notesPage->durationMinutes()));
    m_notesPage->setNotes(draft.value(QStringLiteral("notes")).toString());
    m_reviewPage->model()->fromJson(draft.value(QStringLiteral("rows")).toArray());

    const QJsonObject initiated = draft.value(QStringLiteral("initiated")).toObject();
    const QString extraction = draft.value(QStringLiteral("extraction")).toString();
    // Only a finished reading is kept: its suggestions live in the draft alone (the core recorded the request
    // as done without suggestions). Anything else reads the notes again on Next, keeping the decisions.
    if (!initiated.isEmpty() && (extraction == extractionKey(Extraction::Done) ||
                                 extraction == extractionKey(Extraction::NotRequested))) {
        m_initiated = Initiated{initiated.value(QStringLiteral("durationMinutes")).toInt(),
                                initiated.value(QStringLiteral("notes")).toString()};
        m_reviewPage->setExtraction(extraction == extractionKey(Extraction::Done) ? Extraction::Done
                                                                                  : Extraction::NotRequested);
    }

    if (auto action = parseNextServiceAction(draft.value(QStringLiteral("followUp")).toString()); action)
        m_nextServicePage->setAction(*action);
    const QDateTime nextVisit = fromStoredTime(draft.value(QStringLiteral("nextVisit")).toString());
    if (nextVisit.isValid() && nextVisit > nowUtc())
        m_nextServicePage->setNextVisit(nextVisit);
    m_nextServicePage->setReachOutMonths(
        draft.value(QStringLiteral("reachOutMonths")).toInt(m_nextServicePage->reachOutMonths()));
    if (draft.contains(QStringLiteral("createInvoice")))
        m_nextServicePage->setCreateInvoice(draft.value(QStringLiteral("createInvoice")).toBool());
}

void CloseOutWizard::saveDraft()
{
    if (!m_canClose || m_finished)
        return;
    m_reviewPage->commitEdits();
    const QJsonObject draft = draftJson();
    // Opened and left without typing anything: no draft to restore.
    if (!m_hadDraft && draft == m_initialDraft)
        return;
    if (auto saved = m_context.core().drafts.save(m_ticketId, draft); !saved)
        qCWarning(lcCloseOut) << "cannot save the close-out draft:" << saved.error().toString();
    else
        m_hadDraft = true; // from now on every change is kept, a change back too
}

void CloseOutWizard::done(int result)
{
    if (result != QDialog::Accepted)
        saveDraft();
    m_done = true;
    QWizard::done(result);
}

} // namespace fb::ui
