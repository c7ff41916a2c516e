// The offline extraction queue (core/extraction/extractionqueue.h): a close-out never waits on the network,
// its request survives restarts and runs when a model can be reached, its answer becomes suggestions, and
// only the technician's decision saves attributes.
#include "extraction/extractionqueue.h"
#include "llm/anthropicclient.h"
#include "llm/mockanthropicserver.h"
#include "models/validation.h"
#include "support/fakellmclient.h"
#include "support/testsupport.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace fb;

namespace {

constexpr int kWaitMs = 30'000;
const QString kNotes = QStringLiteral("Dog named Biscuit, keep the gate closed (code 1234). Needs a ladder.");
const QString kAnswer = QStringLiteral("```json\n{\"pet\": {\"type\": \"dog\", \"name\": \"Biscuit\"}, "
                                       "\"gate_code\": \"1234\", \"ladder_needed\": true}\n```");

Ticket createTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, nowUtc(), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

Error offline()
{
    return Error{ErrorCode::Unavailable, {}, QStringLiteral("offline: no network")};
}

/// Runs a pass to its end.
std::optional<ExtractionRunSummary> runPending(ExtractionQueue &queue, LlmClient &client)
{
    auto summary = std::make_shared<std::optional<ExtractionRunSummary>>();
    queue.runPending(client, [summary](const ExtractionRunSummary &s) { *summary = s; });
    if (!QTest::qWaitFor([&] { return summary->has_value(); }, kWaitMs))
        return std::nullopt;
    return *summary;
}

QStringList keys(const QList<AttributeSuggestion> &suggestions)
{
    QStringList list;
    for (const AttributeSuggestion &s : suggestions)
        list.append(s.key);
    list.sort();
    return list;
}

} // namespace

class TestExtractionQueue final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void closeOutOfflineReturnsAtOnceWithAQueuedRequest()
    {
        test::FakeLlmClient llm;
        llm.failWith(offline());
        test::CoreFixture f(&llm);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);

        QList<ExtractionOutcome> outcomes;
        auto result = f->tickets.initiateCloseOut(ticket.id, 45, kNotes,
                                                  [&](const ExtractionOutcome &o) { outcomes.append(o); });
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Queued);
        QCOMPARE(result->extraction.error.code, ErrorCode::Unavailable);
        QVERIFY(result->extraction.error.message.contains(QStringLiteral("offline")));
        QCOMPARE(outcomes.size(), 1);
        QCOMPARE(outcomes.first().state, ExtractionOutcome::State::Queued);
        QCOMPARE(result->ticket.notes, kNotes);

        auto request = f->extractionQueue.request(result->extraction.requestId);
        VERIFY_OK(request);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Pending));
        QCOMPARE(request->notes, kNotes);
        QCOMPARE(request->ticketId, ticket.id);
        QCOMPARE(request->contactId, customer.contact.id);
        QCOMPARE(request->noteId, result->noteId);
        QCOMPARE(request->attempts, 1);
        QVERIFY(request->lastError.contains(QStringLiteral("offline")));
        QVERIFY(!request->lockedUntil.isValid()); // free for the queue to send again
        QVERIFY(f->extractionQueue.openSuggestions()->isEmpty());
        QVERIFY(f->attributes.getAttributes(customer.contact.id)->isEmpty());
    }

    void closeOutWithoutAClientQueuesTheRequest()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        auto result = f->tickets.initiateCloseOut(ticket.id, 45, kNotes);
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Queued);
        auto pending = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().id, result->extraction.requestId);
        QCOMPARE(pending->first().attempts, 0);
    }

    // Issue 11: the limit of a note (64 KiB) holds for what is queued for the model, refused in a note's
    // words: at the boundary the notes are queued, one byte more and nothing is.
    void notesOverTheLimitAreNeverQueued()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        const QString atLimit = QString(validate::kMaxNoteBytes, QLatin1Char('n'));
        VERIFY_OK(f->extractionQueue.enqueue(ticket.contactId, ticket.id, {}, atLimit, false));
        const auto refused =
            f->extractionQueue.enqueue(ticket.contactId, ticket.id, {}, atLimit + QLatin1Char('n'), false);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Validation);
        QCOMPARE(refused.error().toString(), QStringLiteral("notes: must be at most 64 KiB"));
        // (The table's CHECK refused it before, as a database error in SQLite's words.)
        QCOMPARE(f->extractionQueue.requests()->size(), 1);
    }

    void theRequestIsStoredWithTheCloseOutsNotes()
    {
        // A close-out that fails (a closed ticket) stores neither its notes nor a request.
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        VERIFY_OK(f->tickets.cancel(ticket.id));
        QVERIFY(!f->tickets.initiateCloseOut(ticket.id, 45, kNotes).ok());
        QVERIFY(f->extractionQueue.requests()->isEmpty());
        QVERIFY(f->notes.listForTicket(ticket.id)->isEmpty());
    }

    void anAnswerFromTheLiveAttemptIsNotQueuedAgain()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        test::CoreFixture f(&llm);
        const Ticket ticket = createTicket(f, f.addCustomer());
        auto result = f->tickets.initiateCloseOut(ticket.id, 45, kNotes);
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Done);
        QCOMPARE(toString(f->extractionQueue.request(result->extraction.requestId)->status),
                 toString(ExtractionRequestStatus::Done));
        // The close-out shows this answer for review itself: no suggestions, and the queue sends nothing.
        QVERIFY(f->extractionQueue.openSuggestions()->isEmpty());
        const auto summary = runPending(f->extractionQueue, llm);
        QVERIFY(summary);
        QCOMPARE(summary->sent, 0);
        QCOMPARE(llm.requests.size(), 1);
    }

    void theQueueRunsWhenTheConnectionReturnsAndNeverSendsADoneRequestAgain()
    {
        test::FakeLlmClient llm;
        llm.failWith(offline());
        test::CoreFixture f(&llm);
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);
        auto result = f->tickets.initiateCloseOut(ticket.id, 45, kNotes);
        VERIFY_OK(result);

        llm.answerWith(kAnswer);
        const auto summary = runPending(f->extractionQueue, llm);
        QVERIFY(summary);
        QCOMPARE(summary->sent, 1);
        QCOMPARE(summary->done, 1);
        QCOMPARE(summary->suggestions, 3);
        QCOMPARE(llm.requests.size(), 2);
        // The queued request is the same prompt: the notes wrapped as data.
        QVERIFY(
            llm.requests.last().userMessage.contains(QStringLiteral("<notes>\n%1\n</notes>").arg(kNotes)));

        auto request = f->extractionQueue.request(result->extraction.requestId);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Done));
        QVERIFY(request->completedAt.isValid());
        QCOMPARE(request->attempts, 2);

        auto suggestions = f->extractionQueue.openSuggestions(customer.contact.id);
        VERIFY_OK(suggestions);
        QCOMPARE(keys(*suggestions), (QStringList{QStringLiteral("gate_code"),
                                                  QStringLiteral("ladder_needed"), QStringLiteral("pet")}));
        for (const AttributeSuggestion &s : std::as_const(*suggestions)) {
            QCOMPARE(s.ticketId, ticket.id);
            QCOMPARE(s.noteId, result->noteId);
            QCOMPARE(s.requestId, request->id);
            QCOMPARE(toString(s.status), toString(SuggestionStatus::Suggested));
        }
        // Nothing is saved before the technician decides.
        QVERIFY(f->attributes.getAttributes(customer.contact.id)->isEmpty());

        const auto again = runPending(f->extractionQueue, llm);
        QVERIFY(again);
        QCOMPARE(again->sent, 0);
        QCOMPARE(llm.requests.size(), 2);
        QCOMPARE(f->extractionQueue.openSuggestions()->size(), 3);
    }

    void theTechnicianAcceptsEditsAndRejects()
    {
        test::FakeLlmClient llm;
        llm.failWith(offline());
        test::CoreFixture f(&llm);
        const auto customer = f.addCustomer();
        auto result = f->tickets.initiateCloseOut(createTicket(f, customer).id, 45, kNotes);
        VERIFY_OK(result);
        llm.answerWith(kAnswer);
        QVERIFY(runPending(f->extractionQueue, llm));
        auto suggestions = f->extractionQueue.openSuggestions(customer.contact.id);
        QCOMPARE(suggestions->size(), 3);
        QHash<QString, AttributeSuggestion> byKey;
        for (const AttributeSuggestion &s : std::as_const(*suggestions))
            byKey.insert(s.key, s);

        auto accepted = f->extractionQueue.accept(byKey.value(QStringLiteral("pet")).id);
        VERIFY_OK(accepted);
        QCOMPARE(accepted->value, byKey.value(QStringLiteral("pet")).value);
        QCOMPARE(accepted->sourceNoteId, result->noteId);
        auto edited = f->extractionQueue.acceptEdited(byKey.value(QStringLiteral("gate_code")).id,
                                                      QJsonValue(QStringLiteral("4321")));
        VERIFY_OK(edited);
        QCOMPARE(edited->value, QJsonValue(QStringLiteral("4321")));
        VERIFY_OK(f->extractionQueue.reject(byKey.value(QStringLiteral("ladder_needed")).id));

        auto attributes = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(attributes);
        QCOMPARE(attributes->size(), 2);
        QHash<QString, QJsonValue> saved;
        for (const Attribute &a : std::as_const(*attributes))
            saved.insert(a.key, a.value);
        QCOMPARE(saved.value(QStringLiteral("pet")), byKey.value(QStringLiteral("pet")).value);
        QCOMPARE(saved.value(QStringLiteral("gate_code")), QJsonValue(QStringLiteral("4321")));
        QVERIFY(!saved.contains(QStringLiteral("ladder_needed")));

        QCOMPARE(toString(f->extractionQueue.suggestion(byKey.value(QStringLiteral("pet")).id)->status),
                 toString(SuggestionStatus::Accepted));
        QCOMPARE(toString(f->extractionQueue.suggestion(byKey.value(QStringLiteral("gate_code")).id)->status),
                 toString(SuggestionStatus::Edited));
        const auto rejected = f->extractionQueue.suggestion(byKey.value(QStringLiteral("ladder_needed")).id);
        QCOMPARE(toString(rejected->status), toString(SuggestionStatus::Rejected));
        QVERIFY(rejected->decidedAt.isValid());
        QVERIFY(f->extractionQueue.openSuggestions()->isEmpty());

        // A decision is final.
        QCOMPARE(f->extractionQueue.accept(rejected->id).error().code, ErrorCode::InvalidState);
        QCOMPARE(f->extractionQueue.reject(byKey.value(QStringLiteral("pet")).id).error().code,
                 ErrorCode::InvalidState);
        QCOMPARE(f->attributes.getAttributes(customer.contact.id)->size(), 2);
    }

    void anEditedValueIsValidatedLikeAnyAttribute()
    {
        test::FakeLlmClient llm;
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        VERIFY_OK(f->tickets.initiateCloseOut(createTicket(f, customer).id, 45, kNotes));
        llm.answerWith(kAnswer);
        QVERIFY(runPending(f->extractionQueue, llm));
        const AttributeSuggestion first = f->extractionQueue.openSuggestions()->first();
        auto edited = f->extractionQueue.acceptEdited(first.id, QJsonArray{1, 2});
        QVERIFY(!edited.ok());
        QCOMPARE(edited.error().code, ErrorCode::Validation);
        QCOMPARE(toString(f->extractionQueue.suggestion(first.id)->status),
                 toString(SuggestionStatus::Suggested));
        QVERIFY(f->attributes.getAttributes(customer.contact.id)->isEmpty());
    }

    void aValueTheContactAlreadyHasIsNotSuggested()
    {
        test::FakeLlmClient llm;
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        VERIFY_OK(f->tickets.initiateCloseOut(createTicket(f, customer).id, 45, kNotes));
        // Confirmed by hand at the close-out, while the request waited.
        VERIFY_OK(f->attributes.setAttribute(
            {customer.contact.id, QStringLiteral("gate_code"), QJsonValue(QStringLiteral("1234")), {}}));
        llm.answerWith(kAnswer);
        QVERIFY(runPending(f->extractionQueue, llm));
        QCOMPARE(keys(*f->extractionQueue.openSuggestions()),
                 (QStringList{QStringLiteral("ladder_needed"), QStringLiteral("pet")}));
    }

    void anAnswerThatCannotBeUsedFailsTheRequestForGood_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("stopReason");
        QTest::addColumn<bool>("apiRefuses");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("truncated") << QStringLiteral("{\"pet\": \"dog\"") << QStringLiteral("max_tokens")
                                   << false << QStringLiteral("truncated");
        QTest::newRow("refused") << QString() << QStringLiteral("refusal") << false
                                 << QStringLiteral("refused");
        QTest::newRow("malformed") << QStringLiteral("{\"pet\": ") << QStringLiteral("end_turn") << false
                                   << QStringLiteral("not a JSON object");
        QTest::newRow("API refuses the request (400)")
            << QString() << QString() << true << QStringLiteral("invalid_request_error");
    }

    void anAnswerThatCannotBeUsedFailsTheRequestForGood()
    {
        QFETCH(QString, answer);
        QFETCH(QString, stopReason);
        QFETCH(bool, apiRefuses);
        QFETCH(QString, mentions);
        test::FakeLlmClient llm;
        test::CoreFixture f;
        VERIFY_OK(f->tickets.initiateCloseOut(createTicket(f, f.addCustomer()).id, 45, kNotes));
        if (apiRefuses)
            llm.failWith(
                Error{ErrorCode::Database, {}, QStringLiteral("http invalid_request_error, HTTP 400")});
        else
            llm.answerWith(answer, stopReason);
        const auto summary = runPending(f->extractionQueue, llm);
        QVERIFY(summary);
        QCOMPARE(summary->failed, 1);
        QCOMPARE(summary->done, 0);
        auto failed = f->extractionQueue.requests(ExtractionRequestStatus::Failed);
        QCOMPARE(failed->size(), 1);
        QVERIFY2(failed->first().lastError.contains(mentions), qPrintable(failed->first().lastError));
        QVERIFY(f->extractionQueue.openSuggestions()->isEmpty());
        // Failed for good: the next pass does not send it again.
        llm.answerWith(kAnswer);
        QCOMPARE(runPending(f->extractionQueue, llm)->sent, 0);
        QCOMPARE(llm.requests.size(), 1);
    }

    void aPassStopsAtTheFirstUnavailableFailure()
    {
        test::FakeLlmClient llm;
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        VERIFY_OK(f->tickets.initiateCloseOut(createTicket(f, customer).id, 45, kNotes));
        VERIFY_OK(
            f->tickets.initiateCloseOut(createTicket(f, customer).id, 30, QStringLiteral("Cat named Tom")));
        llm.failWith(offline());
        const auto summary = runPending(f->extractionQueue, llm);
        QVERIFY(summary);
        QCOMPARE(summary->sent, 1);
        QVERIFY(summary->stoppedUnavailable);
        QCOMPARE(summary->lastError->code, ErrorCode::Unavailable);
        QCOMPARE(f->extractionQueue.requests(ExtractionRequestStatus::Pending)->size(), 2);

        llm.answerWith(kAnswer);
        const auto online = runPending(f->extractionQueue, llm);
        QCOMPARE(online->sent, 2);
        QCOMPARE(online->done, 2);
        QVERIFY(f->extractionQueue.requests(ExtractionRequestStatus::Pending)->isEmpty());
    }

    void runningStep1AgainUpdatesThePendingRequest()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f, f.addCustomer());
        auto first = f->tickets.initiateCloseOut(ticket.id, 45, QStringLiteral("Dog Rex"));
        auto second = f->tickets.initiateCloseOut(ticket.id, 45, kNotes);
        VERIFY_OK(first);
        VERIFY_OK(second);
        QCOMPARE(second->extraction.requestId, first->extraction.requestId);
        auto requests = f->extractionQueue.requests();
        QCOMPARE(requests->size(), 1);
        QCOMPARE(requests->first().notes, kNotes);
    }

    void anAnswerToNotesChangedMeanwhileIsNotRecorded()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        llm.holdAnswers(true);
        test::CoreFixture f(&llm);
        const Ticket ticket = createTicket(f, f.addCustomer());
        auto first = f->tickets.initiateCloseOut(ticket.id, 45, QStringLiteral("Dog Rex"));
        VERIFY_OK(first);
        // The technician goes back and rewrites the notes while the first answer is on its way.
        VERIFY_OK(f->extractionQueue.enqueue(ticket.contactId, ticket.id, first->noteId, kNotes, false));
        llm.release();
        auto request = f->extractionQueue.request(first->extraction.requestId);
        QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Pending));
        QVERIFY(!request->lockedUntil.isValid());

        llm.holdAnswers(false);
        const auto summary = runPending(f->extractionQueue, llm);
        QCOMPARE(summary->done, 1);
        QVERIFY(llm.requests.last().userMessage.contains(kNotes));
    }

    void aRequestBeingSentIsLeftAloneByAnotherConnection()
    {
        test::FakeLlmClient live;
        live.answerWith(kAnswer);
        live.holdAnswers(true);
        test::CoreFixture f(&live);
        auto result = f->tickets.initiateCloseOut(createTicket(f, f.addCustomer()).id, 45, kNotes);
        VERIFY_OK(result);
        QCOMPARE(result->extraction.state, ExtractionOutcome::State::Answering);

        // The sync worker's connection, while the close-out's own request is in flight.
        auto worker = f.reopen();
        VERIFY_OK(worker->setCurrentUser(f.alice()));
        test::FakeLlmClient workerLlm;
        workerLlm.answerWith(kAnswer);
        QCOMPARE(runPending(worker->extractionQueue, workerLlm)->sent, 0);

        live.release();
        QCOMPARE(toString(f->extractionQueue.request(result->extraction.requestId)->status),
                 toString(ExtractionRequestStatus::Done));
        QCOMPARE(runPending(worker->extractionQueue, workerLlm)->sent, 0);
        QVERIFY(workerLlm.requests.isEmpty());
    }

    void aDeletedCustomersRequestFailsWithoutBeingSent()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        VERIFY_OK(f->tickets.initiateCloseOut(createTicket(f, customer).id, 45, kNotes));
        VERIFY_OK(f->contacts.remove(customer.contact.id));
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        const auto summary = runPending(f->extractionQueue, llm);
        QCOMPARE(summary->sent, 0);
        QCOMPARE(summary->failed, 1);
        QVERIFY(llm.requests.isEmpty());
        QCOMPARE(f->extractionQueue.requests(ExtractionRequestStatus::Failed)->size(), 1);
    }

    void aSecondPassWhileOneRunsDoesNothing()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        llm.holdAnswers(true);
        test::CoreFixture f;
        VERIFY_OK(f->tickets.initiateCloseOut(createTicket(f, f.addCustomer()).id, 45, kNotes));
        std::optional<ExtractionRunSummary> first;
        f->extractionQueue.runPending(llm, [&](const ExtractionRunSummary &s) { first = s; });
        QVERIFY(f->extractionQueue.isRunning());
        const auto second = runPending(f->extractionQueue, llm);
        QVERIFY(second->alreadyRunning);
        QCOMPARE(llm.requests.size(), 1);
        llm.release();
        QVERIFY(first);
        QCOMPARE(first->done, 1);
        QVERIFY(!f->extractionQueue.isRunning());
    }

    void requestsRunInTheOrderTheyWereWrittenEvenWhenTimesTie()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        QList<QUuid> written;
        QStringList notes;
        for (int i = 0; i < 6; ++i) {
            notes.append(QStringLiteral("Visit %1: dog in the yard").arg(i));
            auto result = f->tickets.initiateCloseOut(createTicket(f, customer).id, 30, notes.last());
            VERIFY_OK(result);
            written.append(result->extraction.requestId);
        }
        // As on a fast machine: every request written in the same millisecond.
        VERIFY_OK(f->db().exec(QStringLiteral("UPDATE main.extraction_requests SET created_at = "
                                              "'2026-11-27T10:00:00.000Z'")));
        QList<QUuid> listed;
        // Keep the Result alive: `*temporary()` in a range-for would dangle once the temporary is gone.
        const auto requests = f->extractionQueue.requests();
        VERIFY_OK(requests);
        for (const ExtractionRequest &r : *requests)
            listed.append(r.id);
        QCOMPARE(listed, written);

        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        QCOMPARE(runPending(f->extractionQueue, llm)->sent, 6);
        QStringList sent;
        for (const LlmRequest &request : std::as_const(llm.requests))
            for (const QString &n : std::as_const(notes))
                if (request.userMessage.contains(n))
                    sent.append(n);
        QCOMPARE(sent, notes);
        // One answer's suggestions share their time: they are listed as written (the answer's key order).
        const auto suggestions = f->extractionQueue.openSuggestions();
        QCOMPARE(suggestions->size(), 18);
        QCOMPARE(suggestions->at(0).key, QStringLiteral("gate_code"));
        QCOMPARE(suggestions->at(1).key, QStringLiteral("ladder_needed"));
        QCOMPARE(suggestions->at(2).key, QStringLiteral("pet"));
        QCOMPARE(suggestions->at(0).requestId, written.first());
        QCOMPARE(suggestions->at(17).requestId, written.last());
    }

    // The "done when": a close-out with no network completes at once, and after a restart and the
    // connection's return the suggestions appear for review, through the real HTTP client.
    void offlineCloseOutThenRestartThenSuggestionsOverHttp()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fieldbook.db"));
        test::MockAnthropicServer server;
        QVERIFY(server.listen());
        QUrl closedPort;
        {
            test::MockAnthropicServer gone;
            QVERIFY(gone.listen());
            closedPort = gone.url();
        }
        sync::LlmSettings settings;
        settings.apiKey = QString::fromLatin1(server.expectedKey());
        settings.retryDelayScale = 0.001;
        QUuid requestId;
        QUuid user;
        QUuid contact;
        {
            settings.baseUrl = closedPort; // no network
            sync::AnthropicClient offlineClient(settings);
            auto core = Core::open(path, test::uniqueConnectionName(), &offlineClient);
            VERIFY_OK(core);
            auto alice = (*core)->users.create(
                {QStringLiteral("Alice Able"), QStringLiteral("alice@example.com"), {}});
            VERIFY_OK(alice);
            user = alice->id;
            VERIFY_OK((*core)->setCurrentUser(user));
            auto created = (*core)->contacts.create(
                {QStringLiteral("Margaret Hill"), std::nullopt, std::nullopt, std::nullopt});
            VERIFY_OK(created);
            contact = created->id;
            AddressCreate address;
            address.contactId = contact;
            address.street = QStringLiteral("12 Elm Street");
            address.city = QStringLiteral("Springfield");
            address.state = QStringLiteral("IL");
            address.zip = QStringLiteral("62701");
            auto home = (*core)->addresses.create(address);
            VERIFY_OK(home);
            auto ticket = (*core)->tickets.create({contact, home->id, nowUtc(), 60, std::nullopt});
            VERIFY_OK(ticket);

            std::optional<ExtractionOutcome> later;
            auto result = (*core)->tickets.initiateCloseOut(ticket->id, 45, kNotes,
                                                            [&](const ExtractionOutcome &o) { later = o; });
            VERIFY_OK(result);
            QCOMPARE(result->extraction.state, ExtractionOutcome::State::Answering);
            QVERIFY(!later); // returned at once: the HTTP attempt is still running
            requestId = result->extraction.requestId;
            QVERIFY(QTest::qWaitFor([&] { return later.has_value(); }, kWaitMs));
            QCOMPARE(later->state, ExtractionOutcome::State::Queued);
            // In words for the review page (issue 15); the kind stays in the detail and the stored record.
            QCOMPARE(later->error.message, llmwords::unreachable());
            QVERIFY2(later->error.detail.startsWith(QStringLiteral("network")),
                     qPrintable(later->error.detail));
            auto request = (*core)->extractionQueue.request(requestId);
            QCOMPARE(toString(request->status), toString(ExtractionRequestStatus::Pending));
            QVERIFY(request->lastError.contains(QStringLiteral("network")));
        } // the app quits

        {
            auto core = Core::open(path, test::uniqueConnectionName());
            VERIFY_OK(core);
            VERIFY_OK((*core)->setCurrentUser(user));
            QCOMPARE((*core)->extractionQueue.requests(ExtractionRequestStatus::Pending)->size(), 1);
            settings.baseUrl = server.url(); // the connection is back
            sync::AnthropicClient online(settings);
            const auto summary = runPending((*core)->extractionQueue, online);
            QVERIFY(summary);
            QCOMPARE(summary->done, 1);
            QCOMPARE(server.received.size(), 1);
            QVERIFY(server.received.first()
                        .body[QStringLiteral("messages")][0][QStringLiteral("content")]
                        .toString()
                        .contains(kNotes));
            QCOMPARE(keys(*(*core)->extractionQueue.openSuggestions(contact)),
                     (QStringList{QStringLiteral("pet"), QStringLiteral("property_notes")}));
            QCOMPARE(runPending((*core)->extractionQueue, online)->sent, 0);
            QCOMPARE(server.received.size(), 1);
        }

        {
            // Another restart: done stays done, the suggestions still wait for the technician.
            auto core = Core::open(path, test::uniqueConnectionName());
            VERIFY_OK(core);
            VERIFY_OK((*core)->setCurrentUser(user));
            QCOMPARE(toString((*core)->extractionQueue.request(requestId)->status),
                     toString(ExtractionRequestStatus::Done));
            QCOMPARE((*core)->extractionQueue.openSuggestions(contact)->size(), 2);
            QVERIFY((*core)->attributes.getAttributes(contact)->isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestExtractionQueue)
#include "test_extraction_queue.moc"
