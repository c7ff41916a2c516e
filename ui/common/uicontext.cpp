#include "uicontext.h"

#include "core.h"

namespace fb::ui {

UiContext::UiContext(Core &core, QObject *parent) : QObject(parent), m_core(core)
{
}

QUuid UiContext::userId() const
{
    return m_core.db().currentUser();
}

void UiContext::notifyChanged()
{
    Q_EMIT dataChanged();
}

} // namespace fb::ui
