#pragma once

#include "services/contactservice.h"
#include "util/result.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace fb::ui {

class UiContext;

/// One screen's customer search, run on the window's read thread (UiContext::reads()): what the GUI thread
/// does per keystroke is ask; the answer is applied when it comes. The latest question wins: an answer to a
/// question asked since is dropped, and a question superseded before its turn is never run.
class ContactSearch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactSearch)

public:
    struct Request
    {
        QString query; ///< trimmed; empty: the newest customers
        int limit = 100;
        ContactFilter filter;
        bool withActivity = false; ///< also ContactService::activity() of the customers found
    };
    struct Answer
    {
        Request request;
        Result<QList<ContactSearchHit>> hits = QList<ContactSearchHit>();
        /// Filled when asked (withActivity) and the hits were found; an error when only it failed.
        Result<QHash<QUuid, ContactActivity>> activity = QHash<QUuid, ContactActivity>();
    };
    using Receiver = std::function<void(const Answer &)>;

    /// `receive` runs on this object's thread for the answer of the latest request only.
    ContactSearch(UiContext &context, Receiver receive, QObject *parent = nullptr);

    /// Asks; supersedes every earlier request.
    void start(const Request &request);
    /// Drops the request in flight, if any: no answer comes.
    void cancel();
    /// Whether a request waits for its answer.
    bool isBusy() const { return m_busy; }

private:
    UiContext &m_context;
    Receiver m_receive;
    /// The latest request's number, shared with the read thread so a superseded request is skipped there.
    std::shared_ptr<std::atomic<quint64>> m_latest = std::make_shared<std::atomic<quint64>>(0);
    bool m_busy = false;
};

} // namespace fb::ui
