#include "uicontext.h"

#include "core.h"
#include "events/changefeed.h"
#include "readworker.h"

namespace fb::ui {

UiContext::UiContext(Core &core, QObject *parent) : QObject(parent), m_core(core)
{
    m_core.changes().watchOtherConnections(kOtherConnectionsPollMs);
}

UiContext::~UiContext() = default;

ReadWorker &UiContext::reads() const
{
    if (!m_reads)
        m_reads = std::make_unique<ReadWorker>(m_core.databasePath());
    return *m_reads;
}

QUuid UiContext::userId() const
{
    return m_core.currentUser();
}

ChangeFeed &UiContext::changes() const
{
    return m_core.changes();
}

void UiContext::whenChanged(QObject *receiver, const QStringList &shown, std::function<void()> reload) const
{
    connect(&m_core.changes(), &ChangeFeed::changed, receiver,
            [shown, reload = std::move(reload)](const ChangeSet &changes) {
                if (changes.touchesAny(shown))
                    reload();
            });
}

} // namespace fb::ui
