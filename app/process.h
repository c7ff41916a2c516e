#pragma once

namespace fb::app {

/// Names the application (QSettings live in ~/.config/fieldbook/fieldbook.conf) and quiets the core's debug
/// and info logging on a terminal (QT_LOGGING_RULES still overrides it). Right after the QCoreApplication.
void describeApplication();

/// Ends the keychain thread before Qt goes and returns `exitCode` for main() to return. One stuck in a D-Bus
/// handshake also holds Qt's D-Bus thread, which Qt waits for without a bound as the process exits: then it
/// leaves at once (the databases are closed by now), as it does when a sync thread was left running.
int finish(int exitCode);

} // namespace fb::app
