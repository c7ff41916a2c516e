#pragma once

#include "common/readworker.h"
#include "common/uicontext.h"

#include <QObject>

#include <functional>
#include <utility>

namespace fb {
class Core;
}

namespace fb::ui {

/// A page's list, read on the read thread (ReadWorker) so the window never waits on a list that grows with
/// the years (every invoice, every reach-out), and shown on the GUI thread.
///
/// One read at a time: asked again while one runs (a burst of changes from a pull), it reads once more after
/// it, not once per change. An answer read for a key (the page's filter) that is no longer the page's is not
/// shown: the read after it is.
template <typename Key, typename Listing> class ListReader final
{
public:
    using KeyOf = std::function<Key()>;
    using Read = std::function<Listing(Result<Core *>, const Key &)>;
    using Show = std::function<void(const Listing &)>;

    /// `owner` receives the answers (none once it is gone); `key` is read on the GUI thread at each
    /// request, `read` runs on the read thread, `show` on the GUI thread.
    ListReader(UiContext &context, QObject *owner, KeyOf key, Read read, Show show)
        : m_context(context), m_owner(owner), m_key(std::move(key)), m_read(std::move(read)),
          m_show(std::move(show))
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
            m_context.userId(), m_owner,
            std::function<Answer(Result<Core *>)>([read = m_read, key = m_key()](Result<Core *> core) {
                return Answer{key, read(std::move(core), key)};
            }),
            std::function<void(Answer)>([this](Answer answer) {
                m_reading = false;
                const bool current = answer.key == m_key();
                if (current)
                    m_show(answer.listing);
                if (m_again || !current)
                    request();
            }));
    }

    /// A read is on the read thread (the list shown may be out of date, or not read yet).
    bool reading() const { return m_reading; }

private:
    UiContext &m_context;
    QObject *m_owner;
    KeyOf m_key;
    Read m_read;
    Show m_show;
    bool m_reading = false;
    bool m_again = false;
};

} // namespace fb::ui
