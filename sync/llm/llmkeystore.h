#pragma once

#include "llm/llmsettings.h"
#include "util/result.h"

#include <QString>

#include <chrono>
#include <functional>

namespace fb::sync {

/// The model API key at rest: in the platform keychain (qtkeychain: Secret Service, KWallet, macOS Keychain,
/// Windows Credential Store) under service "fieldbook", one entry per provider. Never in QSettings or a log:
/// the keychain's insecure plain-text fallback is off, so without a keychain the key can only come from the
/// environment. Jobs are asynchronous and report on the calling thread's event loop.
class LlmKeyStore final
{
public:
    /// Whether this build has keychain support (a keychain service may still be missing at run time).
    static bool compiledIn();
    /// Whether to ask the keychain at all: compiled in, FIELDBOOK_LLM_NO_KEYCHAIN and FIELDBOOK_NO_KEYCHAIN
    /// unset (headless machines and tests set one to skip the lookup; see keychain.h).
    static bool enabled();

    /// `done` is called once, on the calling thread's event loop: with the key, NotFound, or Unavailable when
    /// the keychain fails (no keychain service, no session bus) or has not answered within `timeout`.
    static void read(LlmProvider provider, std::function<void(Result<QString>)> done,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));
    static void write(LlmProvider provider, const QString &key, std::function<void(Status)> done);
    static void remove(LlmProvider provider, std::function<void(Status)> done);

    /// read(), waiting up to `timeoutMs` in a local event loop (the command line has no other).
    static Result<QString> readBlocking(LlmProvider provider, int timeoutMs = 10'000);
};

} // namespace fb::sync
