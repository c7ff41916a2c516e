#pragma once

#include "keychain.h"
#include "llm/llmsettings.h"
#include "util/result.h"

#include <QString>

#include <chrono>
#include <functional>

namespace fb::sync {

/// The model API key at rest: in the platform keychain (keychain.h: Secret Service, KWallet, macOS Keychain,
/// Windows Credential Store) under service "fieldbook", one entry per provider. Never in QSettings or a log:
/// the keychain's insecure plain-text fallback is off, so without a keychain the key can only come from the
/// environment. Jobs run on the keychain thread and report on the calling thread's event loop, from any
/// thread, within their timeout.
class LlmKeyStore final
{
public:
    /// Whether this build has keychain support (a keychain service may still be missing at run time).
    static bool compiledIn();
    /// Whether to ask the keychain at all: compiled in, FIELDBOOK_LLM_NO_KEYCHAIN and FIELDBOOK_NO_KEYCHAIN
    /// unset (headless machines and tests set one to skip the lookup; see keychain.h).
    static bool enabled();

    /// `done` is called once, on the calling thread's event loop: with the key, NotFound, or Unavailable when
    /// there is no keychain, it refused or failed, or it has not answered within `timeout` (the message says
    /// which, and that the key then comes from ANTHROPIC_API_KEY or OPENAI_API_KEY).
    static void read(LlmProvider provider, std::function<void(Result<QString>)> done,
                     std::chrono::milliseconds timeout = keychain::readTimeout());
    static void write(LlmProvider provider, const QString &key, std::function<void(Status)> done,
                      std::chrono::milliseconds timeout = keychain::writeTimeout());
    static void remove(LlmProvider provider, std::function<void(Status)> done,
                       std::chrono::milliseconds timeout = keychain::writeTimeout());

    /// read(), waiting up to `timeout` in a local event loop (the command line has no other); only this
    /// thread waits, and never longer.
    static Result<QString> readBlocking(LlmProvider provider,
                                        std::chrono::milliseconds timeout = keychain::readTimeout());
};

} // namespace fb::sync
