#include "util/threadpriority.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <algorithm>

namespace fb {

#ifdef Q_OS_LINUX

namespace {

// On Linux PRIO_PROCESS with a thread id sets that one thread's niceness (setpriority(2), "BUGS"): the
// scheduler's unit is the thread. QThread's priorities cannot do this: for SCHED_OTHER they map to nothing
// but IdlePriority (SCHED_IDLE), which would starve a restore someone is waiting for behind any busy thread.
id_t currentThreadId()
{
    return static_cast<id_t>(::syscall(SYS_gettid));
}

} // namespace

int currentThreadNiceness()
{
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, currentThreadId());
    return errno == 0 ? nice : 0;
}

bool lowerCurrentThreadPriority()
{
    const int before = currentThreadNiceness();
    const int after = std::min(19, before + kBackgroundNiceIncrement);
    if (after <= before)
        return false;
    return ::setpriority(PRIO_PROCESS, currentThreadId(), after) == 0;
}

#else

int currentThreadNiceness()
{
    return 0;
}

bool lowerCurrentThreadPriority()
{
    return false;
}

#endif

} // namespace fb
