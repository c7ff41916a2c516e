#pragma once

namespace fb {

/// The niceness our background threads run at, above the process's own (Linux: 0 best, 19 least). At 10 the
/// kernel gives a thread about a tenth of the CPU share of a thread at 0 whenever both want a core, and wakes
/// a thread at 0 ahead of it: on a two-core laptop, a push, a restore or the extraction queue then no longer
/// delays a keystroke, and they still use every cycle the window leaves idle.
inline constexpr int kBackgroundNiceIncrement = 10;

/// Lowers the calling thread's CPU priority to a background one (its niceness raised by
/// kBackgroundNiceIncrement, at most 19), for work nobody waits on with a finger on a key: the sync worker,
/// a restore, the extraction queue. Threads this one starts later inherit it. Linux only (elsewhere it does
/// nothing and returns false); a thread cannot raise its priority back without privileges, so call it only
/// on a thread that stays a background one. Returns whether the priority is now lower.
bool lowerCurrentThreadPriority();

/// The calling thread's niceness (Linux), 0 elsewhere.
int currentThreadNiceness();

} // namespace fb
