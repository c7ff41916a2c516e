#pragma once

#include "util/testclock.h"

#include <QDateTime>

namespace fb::test {

/// Stops the clock that nowUtc() reads at `at` for the life of the object (then the system clock again), so a
/// test decides every time the core stores (clock in, clock out, created_at) and the screens derive "today"
/// from. It moves only when told to.
class FixedClock final
{
public:
    explicit FixedClock(const QDateTime &at) { set(at); }
    ~FixedClock() { setFixedNowForTesting({}); }
    FixedClock(const FixedClock &) = delete;
    FixedClock &operator=(const FixedClock &) = delete;

    void set(const QDateTime &at)
    {
        m_now = at.toUTC();
        setFixedNowForTesting(m_now);
    }
    void advanceMs(qint64 ms) { set(m_now.addMSecs(ms)); }
    QDateTime now() const { return m_now; }

private:
    QDateTime m_now;
};

} // namespace fb::test
