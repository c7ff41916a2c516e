#pragma once

#include <QObject>
#include <QStringList>
#include <QUuid>

#include <functional>
#include <memory>

namespace fb {
class ChangeFeed;
class Core;
} // namespace fb

namespace fb::ui {

class ReadWorker;

/// What every screen shares: the GUI thread's Core (its own SQLite connection; every service call on it is a
/// local query of a few milliseconds) and the signals that keep the screens in step.
///
/// Design choice: screens call the core's services directly on the GUI thread for what is one screen's worth
/// of rows found through an index (milliseconds, tests/bench/bench_core, whatever the size of the file);
/// reads whose cost grows with the data (a search over every customer, per keystroke) run on the read
/// thread (reads(), ContactSearch), and what can be slow (PostgreSQL, HTTP) never runs here: sync has its own
/// thread and the LLM client is asynchronous.
class UiContext final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UiContext)

public:
    explicit UiContext(Core &core, QObject *parent = nullptr);
    ~UiContext() override;

    Core &core() const { return m_core; }
    /// The technician the GUI acts as.
    QUuid userId() const;
    /// Core's announcements of committed changes: screens subscribe and update what they show. The window
    /// also hears of other connections' commits (the sync worker, a `fieldbook` command) within
    /// kOtherConnectionsPollMs.
    ChangeFeed &changes() const;
    static constexpr int kOtherConnectionsPollMs = 250;

    /// Calls `reload` (in `receiver`'s context, so never after it is gone) after each committed change that
    /// touches one of `shown`: the entity types a screen shows ("ticket", "contact") and tables without an
    /// audit trail ("attribute_suggestions"). Whoever made the change: this window, the sync worker, another
    /// process.
    void whenChanged(QObject *receiver, const QStringList &shown, std::function<void()> reload) const;

    /// The window's read thread, for the reads that grow with the data (ContactSearch): started on first use.
    ReadWorker &reads() const;

Q_SIGNALS:
    /// A screen asks the main window to open a ticket or a customer.
    void openTicketRequested(const QUuid &ticketId);
    void openContactRequested(const QUuid &contactId);

private:
    Core &m_core;
    mutable std::unique_ptr<ReadWorker> m_reads;
};

} // namespace fb::ui
