#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <csignal>
#include <unistd.h>

namespace fb::sync {

/// Test hook for the crash tests (tests/sync/test_push_crash.cpp, test_restore_history.cpp):
/// FIELDBOOK_SYNC_CRASH_AT=<point> kills the process with SIGKILL there, as a power cut or `kill -9` would.
/// Read once; costs nothing when unset.
inline void crashPoint(const char *point)
{
    static const QByteArray wanted = qgetenv("FIELDBOOK_SYNC_CRASH_AT");
    if (!wanted.isEmpty() && wanted == point) {
        ::kill(::getpid(), SIGKILL);
        ::_exit(137);
    }
}

} // namespace fb::sync
