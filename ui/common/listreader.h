#pragma once

#include "common/readworker.h"
#include "common/uicontext.h"
#include "core.h"

#include <QCoreApplication>
#include <QHash>
#include <QObject>

#include <functional>
#include <utility>

namespace fb::ui {

/// A page's list, read on the read thread (ReadWorker) so the window never waits on a list that grows with
/// the years (every invoice, every reach-out), and shown on the GUI thread.
///
/// One read at a time: asked again while one runs (a burst of changes from a pull), it reads once more after
/// it, not once per change. An answer read for a key (the page's filter) that is no longer the page's is not
/// shown: the read after it is. An answer that a request made during its read has already outdated is shown
/// with `upToDate` false (still newer than what the page shows, and under a stream of changes the only one
/// there is); a page that changed a row itself meanwhile keeps its own row (see the pages' showListing()).
template <typename Key, typename Listing> class ListReader final
{
public:
    using KeyOf = std::function<Key()>;
    using Read = std::function<Listing(Result<Core *>, const Key &)>;
    using Show = std::function<void(const Listing &, bool upToDate)>;

    /// `key` is read on the GUI thread at each request, `read` runs on the read thread, `show` on the GUI
    /// thread. No answer comes once this reader is gone (it is a member of its page).
    ListReader(UiContext &context, KeyOf key, Read read, Show show)
        : m_context(context), m_key(std::move(key)), m_read(std::move(read)), m_show(std::move(show))
    {
    }

    void request()
    {
        if (m_reading) {
            m_again = true;
            return;
        }
        m_reading = true;
        m_again = false;
        struct Answer
        {
            Key key;
            Listing listing;
        };
        m_context.reads().template post<Answer>(
            m_context.userId(), &m_anchor,
            std::function<Answer(Result<Core *>)>([read = m_read, key = m_key()](Result<Core *> core) {
                return Answer{key, read(std::move(core), key)};
            }),
            std::function<void(Answer)>([this](Answer answer) {
                m_reading = false;
                const bool current = answer.key == m_key();
                if (current) {
                    m_answered = true;
                    m_show(answer.listing, !m_again);
                }
                if (m_again || !current)
                    request();
            }));
    }

    /// A read is on the read thread (the list shown may be out of date, or not read yet).
    bool reading() const { return m_reading; }
    /// An answer has been shown: until then the page has nothing of its own to show ("Reading…").
    bool answered() const { return m_answered; }

private:
    UiContext &m_context;
    KeyOf m_key;
    Read m_read;
    Show m_show;
    QObject m_anchor; ///< the answers' receiver: gone with this reader
    bool m_reading = false;
    bool m_again = false;
    bool m_answered = false;
};

/// The names of the customers that `rows` name (each row's `contactId`), for a list read on the read thread:
/// one read per customer, not per row (a list of invoices names few customers many times). A customer no
/// longer there reads "(customer removed)".
template <typename Row> QHash<QUuid, QString> customerNames(const Core &core, const QList<Row> &rows)
{
    QHash<QUuid, QString> names;
    for (const Row &row : rows) {
        if (names.contains(row.contactId))
            continue;
        auto contact = core.contacts.getById(row.contactId);
        names.insert(row.contactId,
                     contact ? contact->name : QCoreApplication::translate("fb::ui", "(customer removed)"));
    }
    return names;
}

} // namespace fb::ui
