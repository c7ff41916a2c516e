#include "syncapi/restorecontrol.h"

namespace fb {

RestoreControl::RestoreControl(QObject *parent) : QObject(parent)
{
}

RestoreControl::~RestoreControl() = default;

} // namespace fb
