#include "extraction/extractionqueue.h"
#include "util/jsontext.h"

#include "db/scoping.h"

#include "db/database.h"
#include "db/store.h"
#include "db/transaction.h"
#include "extraction/attributeextractor.h"
#include "models/rowaccess.h"
#include "services/attributeservice.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>

Q_LOGGING_CATEGORY(lcQueue, "fieldbook.extraction.queue")

namespace fb {

namespace {

const QString kRequests = QStringLiteral("extraction_requests");
const QString kSuggestions = QStringLiteral("attribute_suggestions");

// The current user's requests and suggestions, read from main.<table> with the scoped views' conditions:
// through a view rowid reads as NULL, and rows written in the same millisecond (one answer's suggestions, two
// close-outs) must still come in the order they were written.
const QString kMyRequests = scoping::visibleRows(kRequests, QStringLiteral("r"));

ExtractionRequestStatus requestStatus(const QString &text)
{
    if (text == QStringLiteral("done"))
        return ExtractionRequestStatus::Done;
    if (text == QStringLiteral("failed"))
        return ExtractionRequestStatus::Failed;
    return ExtractionRequestStatus::Pending;
}

SuggestionStatus suggestionStatus(const QString &text)
{
    if (text == QStringLiteral("accepted"))
        return SuggestionStatus::Accepted;
    if (text == QStringLiteral("rejected"))
        return SuggestionStatus::Rejected;
    if (text == QStringLiteral("edited"))
        return SuggestionStatus::Edited;
    return SuggestionStatus::Suggested;
}

} // namespace

QString toString(ExtractionRequestStatus value)
{
    switch (value) {
    case ExtractionRequestStatus::Pending:
        return QStringLiteral("pending");
    case ExtractionRequestStatus::Done:
        return QStringLiteral("done");
    case ExtractionRequestStatus::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

QString toString(SuggestionStatus value)
{
    switch (value) {
    case SuggestionStatus::Suggested:
        return QStringLiteral("suggested");
    case SuggestionStatus::Accepted:
        return QStringLiteral("accepted");
    case SuggestionStatus::Rejected:
        return QStringLiteral("rejected");
    case SuggestionStatus::Edited:
        return QStringLiteral("edited");
    }
    return {};
}

ExtractionRequest ExtractionRequest::fromRow(const Row &row)
{
    ExtractionRequest r;
    r.id = rows::id(row, "id");
    r.userId = rows::id(row, "user_id");
    r.ticketId = rows::id(row, "ticket_id");
    r.contactId = rows::id(row, "contact_id");
    r.noteId = rows::id(row, "note_id");
    r.notes = rows::text(row, "notes");
    r.status = requestStatus(rows::text(row, "status"));
    r.attempts = row.value(QStringLiteral("attempts")).toInt();
    r.lastError = rows::text(row, "last_error");
    r.lockedUntil = rows::time(row, "locked_until");
    r.createdAt = rows::time(row, "created_at");
    r.updatedAt = rows::time(row, "updated_at");
    r.completedAt = rows::time(row, "completed_at");
    return r;
}

AttributeSuggestion AttributeSuggestion::fromRow(const Row &row)
{
    AttributeSuggestion s;
    s.id = rows::id(row, "id");
    s.userId = rows::id(row, "user_id");
    s.contactId = rows::id(row, "contact_id");
    s.ticketId = rows::id(row, "ticket_id");
    s.noteId = rows::id(row, "note_id");
    s.requestId = rows::id(row, "request_id");
    s.key = rows::text(row, "key");
    s.value = jsonValueFromText(rows::text(row, "value"));
    s.status = suggestionStatus(rows::text(row, "status"));
    s.createdAt = rows::time(row, "created_at");
    s.decidedAt = rows::time(row, "decided_at");
    return s;
}

struct ExtractionQueue::Run
{
    LlmClient *client = nullptr;
    RunCallback done;
    ExtractionRunSummary summary;
    QSet<QUuid> attempted; ///< sent in this pass: a request that stays pending is not sent twice in one pass
    bool stopped = false;
};

ExtractionQueue::ExtractionQueue(ServiceContext context, AttributeService &attributes)
    : m_ctx(context), m_attributes(attributes)
{
}

ExtractionQueue::~ExtractionQueue() = default;

Result<QUuid> ExtractionQueue::enqueue(const QUuid &contactId, const QUuid &ticketId, const QUuid &noteId,
                                       const QString &notes, bool sendingNow)
{
    FB_TRY(AttributeExtractor::checkNotes(notes));
    const QDateTime now = nowUtc();
    const QVariant lease = sendingNow ? QVariant(toStoredTime(now.addSecs(kLeaseSeconds))) : rows::nullText();
    if (!noteId.isNull()) {
        auto pending =
            m_ctx.db.exec(QStringLiteral("SELECT r.id, r.attempts FROM %1 AND r.note_id = ? AND "
                                         "r.status = 'pending' ORDER BY r.created_at DESC, r.rowid DESC "
                                         "LIMIT 1")
                              .arg(kMyRequests),
                          {idText(noteId)});
        if (!pending)
            return pending.error();
        if (pending->next()) {
            const QUuid id = idFromVariant(pending->value(0));
            const int attempts = pending->value(1).toInt();
            pending->finish();
            Row values{{QStringLiteral("notes"), notes}, {QStringLiteral("locked_until"), lease}};
            if (sendingNow)
                values.insert(QStringLiteral("attempts"), attempts + 1);
            if (auto changed = m_ctx.store.update(kRequests, id, values); !changed)
                return changed.error();
            return id;
        }
    }
    const QUuid id = newId();
    const QString stamp = toStoredTime(now);
    FB_TRY(
        m_ctx.store.insert(kRequests, {{QStringLiteral("id"), idText(id)},
                                       {QStringLiteral("user_id"), idText(m_ctx.db.currentUser())},
                                       {QStringLiteral("ticket_id"), rows::value(ticketId)},
                                       {QStringLiteral("contact_id"), idText(contactId)},
                                       {QStringLiteral("note_id"), rows::value(noteId)},
                                       {QStringLiteral("notes"), notes},
                                       {QStringLiteral("status"), toString(ExtractionRequestStatus::Pending)},
                                       {QStringLiteral("attempts"), sendingNow ? 1 : 0},
                                       {QStringLiteral("last_error"), rows::nullText()},
                                       {QStringLiteral("locked_until"), lease},
                                       {QStringLiteral("created_at"), stamp},
                                       {QStringLiteral("updated_at"), stamp},
                                       {QStringLiteral("completed_at"), rows::nullText()}}));
    return id;
}

Result<ExtractionQueue::Recorded> ExtractionQueue::recordOutcome(const QUuid &requestId,
                                                                 const QString &notesSent,
                                                                 const Result<ExtractedAttributes> &outcome,
                                                                 bool suggest, int *suggestionsCreated)
{
    if (suggestionsCreated)
        *suggestionsCreated = 0;
    FB_TRANSACTION(tx, m_ctx.db);
    auto row = m_ctx.store.fetch(kRequests, requestId);
    if (!row)
        return row.error();
    const ExtractionRequest request = ExtractionRequest::fromRow(*row);
    if (request.status != ExtractionRequestStatus::Pending)
        return Recorded::Ignored;
    const QString now = toStoredTime(nowUtc());
    if (request.notes != notesSent) {
        // The technician changed the notes while this answer was on its way: it describes old text.
        if (auto changed = m_ctx.store.update(kRequests, requestId,
                                              {{QStringLiteral("locked_until"), rows::nullText()}});
            !changed)
            return changed.error();
        FB_TRY(tx.commit());
        return Recorded::StillPending;
    }

    Recorded recorded = Recorded::Done;
    Row values{{QStringLiteral("locked_until"), rows::nullText()}};
    if (outcome) {
        int created = 0;
        if (suggest) {
            // A value the contact already has (confirmed by hand meanwhile) needs no decision.
            auto attributes = m_attributes.getAttributes(request.contactId);
            if (!attributes)
                return attributes.error();
            QHash<QString, QJsonValue> confirmed;
            for (const Attribute &attribute : std::as_const(*attributes))
                confirmed.insert(attribute.key, attribute.value);
            const QJsonObject &proposed = outcome->attributes;
            for (auto it = proposed.begin(); it != proposed.end(); ++it) {
                if (confirmed.contains(it.key()) && confirmed.value(it.key()) == it.value())
                    continue;
                FB_TRY(m_ctx.store.insert(kSuggestions,
                                          {{QStringLiteral("id"), idText(newId())},
                                           {QStringLiteral("user_id"), idText(request.userId)},
                                           {QStringLiteral("contact_id"), idText(request.contactId)},
                                           {QStringLiteral("ticket_id"), rows::value(request.ticketId)},
                                           {QStringLiteral("note_id"), rows::value(request.noteId)},
                                           {QStringLiteral("request_id"), idText(request.id)},
                                           {QStringLiteral("key"), it.key()},
                                           {QStringLiteral("value"), jsonValueToText(it.value())},
                                           {QStringLiteral("status"), toString(SuggestionStatus::Suggested)},
                                           {QStringLiteral("created_at"), now},
                                           {QStringLiteral("decided_at"), rows::nullText()}}));
                ++created;
            }
        }
        values.insert(QStringLiteral("status"), toString(ExtractionRequestStatus::Done));
        values.insert(QStringLiteral("completed_at"), now);
        values.insert(QStringLiteral("last_error"), rows::nullText());
        if (suggestionsCreated)
            *suggestionsCreated = created;
    } else if (outcome.error().code == ErrorCode::Unavailable) {
        // The stored record keeps the details (not shown to people): the words and the transport's line.
        values.insert(QStringLiteral("last_error"), outcome.error().toLogString());
        recorded = Recorded::StillPending;
    } else {
        values.insert(QStringLiteral("status"), toString(ExtractionRequestStatus::Failed));
        values.insert(QStringLiteral("completed_at"), now);
        values.insert(QStringLiteral("last_error"), outcome.error().toLogString());
        recorded = Recorded::Failed;
    }
    if (auto changed = m_ctx.store.update(kRequests, requestId, values); !changed)
        return changed.error();
    FB_TRY(tx.commit());
    return recorded;
}

Result<ExtractionRequest> ExtractionQueue::request(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kRequests, id);
    if (!row)
        return row.error();
    return ExtractionRequest::fromRow(*row);
}

Result<QList<ExtractionRequest>>
ExtractionQueue::requests(std::optional<ExtractionRequestStatus> status) const
{
    auto query =
        status ? m_ctx.db.exec(QStringLiteral("SELECT r.* FROM %1 AND r.status = ? "
                                              "ORDER BY r.created_at, r.rowid")
                                   .arg(kMyRequests),
                               {toString(*status)})
               : m_ctx.db.exec(
                     QStringLiteral("SELECT r.* FROM %1 ORDER BY r.created_at, r.rowid").arg(kMyRequests));
    if (!query)
        return query.error();
    QList<ExtractionRequest> list;
    while (query->next())
        list.append(ExtractionRequest::fromRow(rowFromQuery(*query)));
    return list;
}

Result<std::optional<ExtractionRequest>> ExtractionQueue::claimNext(Run &run)
{
    while (true) {
        // BEGIN IMMEDIATE: choosing and leasing are one step, so two connections never send the same request.
        FB_TRANSACTION(tx, m_ctx.db);
        const QDateTime now = nowUtc();
        auto query = m_ctx.db.exec(QStringLiteral("SELECT r.* FROM %1 AND r.status = 'pending' AND "
                                                  "(r.locked_until IS NULL OR r.locked_until <= ?) "
                                                  "ORDER BY r.created_at, r.rowid")
                                       .arg(kMyRequests),
                                   {toStoredTime(now)});
        if (!query)
            return query.error();
        std::optional<ExtractionRequest> next;
        while (query->next()) {
            ExtractionRequest candidate = ExtractionRequest::fromRow(rowFromQuery(*query));
            if (!run.attempted.contains(candidate.id)) {
                next = candidate;
                break;
            }
        }
        query->finish();
        if (!next)
            return std::optional<ExtractionRequest>();

        if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), next->contactId); !contact) {
            if (contact.error().code != ErrorCode::NotFound)
                return contact.error();
            // The customer was deleted: there is nobody to suggest attributes for.
            const QString stamp = toStoredTime(now);
            if (auto changed = m_ctx.store.update(
                    kRequests, next->id,
                    {{QStringLiteral("status"), toString(ExtractionRequestStatus::Failed)},
                     {QStringLiteral("last_error"),
                      QStringLiteral("the customer was deleted before the extraction ran")},
                     {QStringLiteral("completed_at"), stamp}});
                !changed)
                return changed.error();
            FB_TRY(tx.commit());
            run.attempted.insert(next->id);
            ++run.summary.failed;
            continue;
        }
        next->attempts += 1;
        next->lockedUntil = now.addSecs(kLeaseSeconds);
        if (auto changed =
                m_ctx.store.update(kRequests, next->id,
                                   {{QStringLiteral("attempts"), next->attempts},
                                    {QStringLiteral("locked_until"), toStoredTime(next->lockedUntil)}});
            !changed)
            return changed.error();
        FB_TRY(tx.commit());
        return next;
    }
}

void ExtractionQueue::runPending(LlmClient &client, RunCallback done)
{
    if (m_running) {
        if (done) {
            ExtractionRunSummary busy;
            busy.alreadyRunning = true;
            done(busy);
        }
        return;
    }
    m_running = true;
    auto run = std::make_shared<Run>();
    run->client = &client;
    run->done = std::move(done);
    runNext(run);
}

void ExtractionQueue::runNext(const std::shared_ptr<Run> &run)
{
    while (true) {
        auto next = claimNext(*run);
        if (!next) {
            qCWarning(lcQueue) << "cannot read the extraction queue:" << next.error().toString();
            run->summary.lastError = next.error();
            finish(run);
            return;
        }
        if (!next->has_value()) {
            finish(run);
            return;
        }
        const ExtractionRequest request = **next;
        run->attempted.insert(request.id);
        ++run->summary.sent;

        // The client may answer before send() returns (then this loop goes on) or later (then the answer
        // does).
        enum Progress
        {
            Waiting,
            AnsweredInline,
            Returned
        };
        auto progress = std::make_shared<Progress>(Waiting);
        const std::weak_ptr<void> alive = m_alive;
        run->client->send(AttributeExtractor::buildRequest(request.notes),
                          [this, alive, run, request, progress](Result<LlmResponse> response) {
                              if (alive.expired())
                                  return;
                              const Result<ExtractedAttributes> extracted =
                                  response ? AttributeExtractor::interpret(*response)
                                           : Result<ExtractedAttributes>(response.error());
                              int created = 0;
                              auto recorded =
                                  recordOutcome(request.id, request.notes, extracted, true, &created);
                              if (!recorded) {
                                  qCWarning(lcQueue)
                                      << "cannot record an extraction:" << recorded.error().toString();
                                  run->summary.lastError = recorded.error();
                                  run->stopped = true;
                              } else if (*recorded == Recorded::Done) {
                                  ++run->summary.done;
                                  run->summary.suggestions += created;
                              } else if (*recorded == Recorded::Failed) {
                                  ++run->summary.failed;
                                  run->summary.lastError = extracted.error();
                                  qCWarning(lcQueue) << "extraction" << idText(request.id)
                                                     << "failed:" << extracted.error().toLogString();
                              } else if (!extracted && extracted.error().code == ErrorCode::Unavailable) {
                                  run->summary.lastError = extracted.error();
                                  run->summary.stoppedUnavailable = true;
                                  run->stopped = true;
                              }
                              if (*progress == Waiting) {
                                  *progress = AnsweredInline;
                                  return;
                              }
                              if (run->stopped)
                                  finish(run);
                              else
                                  runNext(run);
                          });
        if (*progress == Waiting) {
            *progress = Returned;
            return;
        }
        if (run->stopped) {
            finish(run);
            return;
        }
    }
}

void ExtractionQueue::finish(const std::shared_ptr<Run> &run)
{
    m_running = false;
    if (run->done)
        run->done(run->summary);
}

Result<QList<AttributeSuggestion>> ExtractionQueue::openSuggestions(const QUuid &contactId) const
{
    // Through the scoped contacts view: a deleted customer's suggestions wait for nobody.
    const QString sql = QStringLiteral("SELECT s.* FROM %1 AND s.contact_id IN (SELECT id FROM contacts) AND "
                                       "s.status = 'suggested'%2 ORDER BY s.created_at, s.rowid")
                            .arg(scoping::visibleRows(kSuggestions, QStringLiteral("s")),
                                 contactId.isNull() ? QString() : QStringLiteral(" AND s.contact_id = ?"));
    auto query = contactId.isNull() ? m_ctx.db.exec(sql) : m_ctx.db.exec(sql, {idText(contactId)});
    if (!query)
        return query.error();
    QList<AttributeSuggestion> list;
    while (query->next())
        list.append(AttributeSuggestion::fromRow(rowFromQuery(*query)));
    return list;
}

Result<AttributeSuggestion> ExtractionQueue::suggestion(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kSuggestions, id);
    if (!row)
        return row.error();
    return AttributeSuggestion::fromRow(*row);
}

Result<Attribute> ExtractionQueue::accept(const QUuid &suggestionId)
{
    return decide(suggestionId, std::nullopt);
}

Result<Attribute> ExtractionQueue::acceptEdited(const QUuid &suggestionId, const QJsonValue &value)
{
    return decide(suggestionId, value);
}

Result<Attribute> ExtractionQueue::decide(const QUuid &suggestionId, const std::optional<QJsonValue> &edited)
{
    auto found = suggestion(suggestionId);
    if (!found)
        return found.error();
    if (found->status != SuggestionStatus::Suggested)
        return Error::invalidState(
            QStringLiteral("this suggestion was already %1").arg(toString(found->status)));
    const bool changed = edited && *edited != found->value;
    FB_TRANSACTION(tx, m_ctx.db);
    auto attribute = m_attributes.setAttribute(
        {found->contactId, found->key, edited.value_or(found->value), found->noteId});
    if (!attribute)
        return attribute.error();
    if (auto updated =
            m_ctx.store.update(kSuggestions, suggestionId,
                               {{QStringLiteral("status"),
                                 toString(changed ? SuggestionStatus::Edited : SuggestionStatus::Accepted)},
                                {QStringLiteral("decided_at"), toStoredTime(nowUtc())}});
        !updated)
        return updated.error();
    FB_TRY(tx.commit());
    return attribute;
}

Status ExtractionQueue::reject(const QUuid &suggestionId)
{
    auto found = suggestion(suggestionId);
    if (!found)
        return found.error();
    if (found->status != SuggestionStatus::Suggested)
        return Error::invalidState(
            QStringLiteral("this suggestion was already %1").arg(toString(found->status)));
    FB_TRANSACTION(tx, m_ctx.db);
    if (auto updated = m_ctx.store.update(kSuggestions, suggestionId,
                                          {{QStringLiteral("status"), toString(SuggestionStatus::Rejected)},
                                           {QStringLiteral("decided_at"), toStoredTime(nowUtc())}});
        !updated)
        return updated.error();
    return tx.commit();
}

} // namespace fb
