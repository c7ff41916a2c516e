#pragma once

#include <QThread>

namespace fb::sync {

/// Starts `thread` for work nobody is waiting to see (the sync cycle, the model queue, a restore), behind the
/// window on a busy machine: on Linux the thread's nice value becomes 10, so when the cores are all busy the
/// scheduler gives the GUI thread about ten times this thread's share (issue 16: a push, a restore and the
/// model queue at once made the window wait for a core). QThread's own priorities do nothing under Linux's
/// default scheduling policy. The work itself is unchanged and still runs at full speed on an idle core.
void startInBackground(QThread &thread);

} // namespace fb::sync
