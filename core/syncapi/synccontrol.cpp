#include "syncapi/synccontrol.h"

namespace fb {

SyncControl::SyncControl(QObject *parent) : QObject(parent)
{
}

SyncControl::~SyncControl() = default;

} // namespace fb
