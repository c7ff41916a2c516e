#pragma once

#include "util/result.h"

#include <QString>

#include <chrono>
#include <functional>

namespace fb::sync::keychain {

/// The platform keychain (qtkeychain: Secret Service, KWallet, macOS Keychain, Windows Credential Store),
/// entries under service "fieldbook". Shared by the stores of each secret (LlmKeyStore,
/// ServerCredentialStore) so that they behave alike: the insecure plain-text fallback is off (a secret never
/// lands in a file), jobs are asynchronous and answer on the calling thread's event loop, and a keychain that
/// never answers times out. qtkeychain runs its jobs through one executor on the thread that first used it:
/// call these from one thread, the GUI's.

/// Whether this build has keychain support (a keychain service may still be missing at run time).
bool compiledIn();
/// Whether to ask the keychain at all: compiled in, and neither FIELDBOOK_NO_KEYCHAIN nor (its older,
/// LLM-only name) FIELDBOOK_LLM_NO_KEYCHAIN set. Headless machines and tests set one to skip the lookups.
bool enabled();

/// `done` is called once, never inside read(): with the secret, NotFound, or Unavailable when the keychain
/// fails (no keychain service, no session bus, this build has none) or has not answered within `timeout`.
/// `what` names the secret in messages ("API key", "password").
void read(const QString &entry, const QString &what, std::function<void(Result<QString>)> done,
          std::chrono::milliseconds timeout);
void write(const QString &entry, const QString &what, const QString &secret,
           std::function<void(Status)> done);
/// Removing an entry that is not there is a success.
void remove(const QString &entry, const QString &what, std::function<void(Status)> done);

} // namespace fb::sync::keychain
