#pragma once

#include "util/result.h"

#include <QString>

#include <chrono>
#include <functional>

namespace fb::sync::keychain {

/// The platform keychain (qtkeychain: Secret Service, KWallet, macOS Keychain, Windows Credential Store),
/// entries under service "fieldbook". Shared by the stores of each secret (LlmKeyStore,
/// ServerCredentialStore) so that they behave alike: the insecure plain-text fallback is off (a secret never
/// lands in a file), and nothing that asks ever waits on the keychain.
///
/// One thread for the whole process, "fieldbook-keychain", runs every job: qtkeychain runs its jobs through
/// an executor on the thread that first used it, and its D-Bus back ends block that thread (QtDBus connects
/// to the session bus synchronously, and a bus that accepts the connection and never answers holds it there
/// without a bound). Callers on any thread with an event loop get their answer by a queued callback on their
/// own thread; the timeout is measured there, so a keychain thread stuck in a handshake holds no one. Before
/// qtkeychain touches the session bus the keychain thread probes it with a bounded D-Bus handshake of its own
/// (sessionbusprobe.h): a silent bus is reported as "did not answer" and never handed to QtDBus, and a
/// missing or refusing one is named as such instead of qtkeychain's "Unknown error".

/// How a keychain job ended.
enum class Outcome
{
    Done,         ///< read: the secret is in `secret`; write, remove: done
    NotFound,     ///< read: no such entry (a remove of a missing entry is Done)
    NoAnswer,     ///< the keychain (or the session bus) did not answer within the timeout
    NotAvailable, ///< no keychain on this machine: no session bus, no Secret Service or KWallet on it, or the
                  ///< keychain is turned off; the secret has to come from elsewhere
    Failed,       ///< a keychain that is there refused (access denied, a bus that refuses) or failed
};

struct Answer
{
    Outcome outcome = Outcome::Failed;
    QString secret; ///< a read's secret; empty otherwise
    /// Why, in words, without any secret ("no session bus: DBUS_SESSION_BUS_ADDRESS is not set"); empty when
    /// Done.
    QString reason;
};

/// Whether this build has keychain support (a keychain service may still be missing at run time).
bool compiledIn();
/// Whether to ask the keychain at all: compiled in, and neither FIELDBOOK_NO_KEYCHAIN nor (its older,
/// LLM-only name) FIELDBOOK_LLM_NO_KEYCHAIN set. Headless machines and tests set one to skip the lookups.
bool enabled();

/// How long a lookup, and a write or remove, waits by default: 10 s, 30 s. A write may wait for a person to
/// unlock a wallet, so it gets longer.
constexpr std::chrono::milliseconds readTimeout()
{
    return std::chrono::seconds(10);
}
constexpr std::chrono::milliseconds writeTimeout()
{
    return std::chrono::seconds(30);
}

/// Each calls `done` exactly once, on the calling thread's event loop (never inside the call), at the latest
/// when `timeout` has passed: with the keychain's answer, or NoAnswer. The calling thread needs a running
/// event loop. A job whose caller has stopped waiting before the keychain thread got to it is not run.
void read(const QString &entry, std::function<void(Answer)> done, std::chrono::milliseconds timeout);
void write(const QString &entry, const QString &secret, std::function<void(Answer)> done,
           std::chrono::milliseconds timeout);
/// Removing an entry that is not there is Done.
void remove(const QString &entry, std::function<void(Answer)> done, std::chrono::milliseconds timeout);

/// Stops the keychain thread, waiting at most `wait`; later jobs answer NotAvailable at once. Returns false
/// when the thread is stuck in a call that never returns (a D-Bus handshake): it is then left running, and,
/// because the stuck call holds Qt's own D-Bus thread, which Qt waits for without a bound when the process
/// exits, the caller should leave with std::_Exit (app/main.cpp does). Also runs, with a short wait, when the
/// QCoreApplication is destroyed.
bool shutdown(std::chrono::milliseconds wait);

/// How a store names its secret in messages.
struct Secret
{
    QString what;     ///< "API key", "password"
    QString fallback; ///< where it comes from without a keychain: "the key comes from ANTHROPIC_API_KEY"
};

/// An answer as the stores report it, in words: NotFound is ErrorCode::NotFound ("no password is stored in
/// the keychain"), the rest Unavailable: "the keychain did not answer within 10 s", "no keychain is available
/// on this machine (no session bus: ...): the password comes from ~/.pgpass or PGPASSWORD", "the keychain
/// cannot give the password: it refused access (...)".
Result<QString> readResult(const Answer &answer, const Secret &secret);
Status writeResult(const Answer &answer, const Secret &secret);
Status removeResult(const Answer &answer, const Secret &secret);

/// "0.3 s", "10 s": a timeout as people read it.
QString formatTimeout(std::chrono::milliseconds timeout);

} // namespace fb::sync::keychain
