#include "contactsearch.h"

#include "core.h"
#include "readworker.h"
#include "uicontext.h"

#include <optional>

namespace fb::ui {

ContactSearch::ContactSearch(UiContext &context, Receiver receive, QObject *parent)
    : QObject(parent), m_context(context), m_receive(std::move(receive))
{
}

void ContactSearch::start(const Request &request)
{
    const quint64 number = ++*m_latest;
    m_busy = true;
    using Outcome = std::optional<Answer>;
    m_context.reads().post<Outcome>(
        m_context.userId(), this,
        [latest = m_latest, number, request](Result<Core *> core) -> Outcome {
            if (*latest != number)
                return std::nullopt; // superseded before its turn
            Answer answer{request};
            if (!core) {
                answer.hits = core.error();
                return answer;
            }
            // Superseded while it runs (the next keystroke): it stops, and its answer is dropped. A one- or
            // two-character search that matches few customers walks them all; typing on must not wait for it.
            const Database::StopWhen superseded((*core)->db(),
                                                [&latest, number] { return *latest != number; });
            answer.hits = (*core)->contacts.searchHits(request.query, request.limit, request.filter);
            if (answer.hits && request.withActivity) {
                QList<QUuid> ids;
                ids.reserve(answer.hits->size());
                for (const ContactSearchHit &hit : std::as_const(*answer.hits))
                    ids.append(hit.contact.id);
                answer.activity = (*core)->contacts.activity(ids);
            }
            return answer;
        },
        [this, number](Outcome answer) {
            if (!answer || number != *m_latest)
                return;
            m_busy = false;
            m_receive(*answer);
        });
}

void ContactSearch::cancel()
{
    ++*m_latest;
    m_busy = false;
}

} // namespace fb::ui
