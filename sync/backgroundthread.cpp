#include "backgroundthread.h"

#include <QLoggingCategory>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <cstring>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace fb::sync {

namespace {

Q_LOGGING_CATEGORY(lcBackground, "fieldbook.sync.thread")

constexpr int kBackgroundNice = 10;

} // namespace

void startInBackground(QThread &thread)
{
#ifdef Q_OS_LINUX
    // QThread::started is emitted on the new thread: a direct connection runs there, before any of its work.
    QObject::connect(
        &thread, &QThread::started, &thread,
        [] {
            // Under Linux a thread's id names it alone to setpriority(); threads it starts inherit the value.
            const auto self = static_cast<id_t>(::syscall(SYS_gettid));
            if (::setpriority(PRIO_PROCESS, self, kBackgroundNice) != 0)
                qCInfo(lcBackground) << "the background thread keeps its priority:" << std::strerror(errno);
        },
        Qt::DirectConnection);
#endif
    thread.start();
}

} // namespace fb::sync
