#pragma once

#include <QDateTime>

namespace fb {

/// Tests only: from now on nowUtc() (util/timeutil.h) returns `fixed`, to the millisecond, instead of reading
/// the system clock; an invalid QDateTime goes back to the system clock. So a test can clock out exactly
/// 20 min 29 s after clocking in, or set the clock back, without waiting or racing the real clock. The app
/// never calls it. Defined in timeutil.cpp.
void setFixedNowForTesting(const QDateTime &fixed);

} // namespace fb
