#pragma once

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

namespace fb::test {

/// The longest gap a responsive thread may show. One that waits on nothing runs a 10 ms timer every 10 to 20
/// ms, but on a loaded two-core machine (CI, several builds at once) the scheduler alone has delayed it by
/// 100 ms. A thread blocked on the keychain shows the whole block as one gap, and a stuck D-Bus handshake
/// does not end (over 100 s seen): any bound under a second tells the two apart.
constexpr qint64 kResponsiveMs = 250;

/// Measures how responsive the thread it lives on is: the longest stretch it went without running a 10 ms
/// timer (a thread blocked on a call shows the whole block as one gap).
class GapMeter final
{
public:
    GapMeter()
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
        restart();
    }
    GapMeter(const GapMeter &) = delete;
    GapMeter &operator=(const GapMeter &) = delete;

    /// Forgets what was measured so far (after a setup that may take long on its own).
    void restart()
    {
        m_clock.start();
        m_last = 0;
        m_maxGap = 0;
        m_timer.start(10);
    }
    qint64 maxGapMs()
    {
        tick();
        return m_maxGap;
    }

private:
    void tick()
    {
        const qint64 now = m_clock.elapsed();
        m_maxGap = std::max(m_maxGap, now - m_last);
        m_last = now;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
};

} // namespace fb::test
