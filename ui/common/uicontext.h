#pragma once

#include <QObject>
#include <QUuid>

namespace fb {
class Core;
}

namespace fb::ui {

/// What every screen shares: the GUI thread's Core (its own SQLite connection; every service call on it is a
/// local query of a few milliseconds) and the signals that keep the screens in step.
///
/// Design choice: screens call the core's services directly on the GUI thread. Local SQLite reads and writes
/// of one screen's worth of rows take milliseconds (tests/bench/bench_core); what can be slow (PostgreSQL,
/// HTTP) never runs here: sync has its own thread and the LLM client is asynchronous.
class UiContext final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UiContext)

public:
    explicit UiContext(Core &core, QObject *parent = nullptr);

    Core &core() const { return m_core; }
    /// The technician the GUI acts as.
    QUuid userId() const;

public Q_SLOTS:
    /// Every screen calls this after a successful write: the other screens reload what they show and the sync
    /// service pushes soon.
    void notifyChanged();

Q_SIGNALS:
    /// Local data changed (after a committed write).
    void dataChanged();
    /// A screen asks the main window to open a ticket or a customer.
    void openTicketRequested(const QUuid &ticketId);
    void openContactRequested(const QUuid &contactId);

private:
    Core &m_core;
};

} // namespace fb::ui
