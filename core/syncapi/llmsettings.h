#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <chrono>

class QSettings;

namespace fb {

/// Which HTTP API the extraction talks to. Plain settings data lives in core (Qt Core only) so the settings
/// dialog (ui) can edit it without the sync wing; the clients that use it are sync's
/// (llm/llmclientfactory.h).
enum class LlmProvider
{
    Anthropic,        ///< the Messages API (POST {base}/v1/messages)
    OpenAiCompatible, ///< chat completions (POST {base}/v1/chat/completions), e.g. a shop's local model
                      ///< server
};

QString toString(LlmProvider provider);

/// Where and how the extraction client talks to a model. Filled from QSettings, then the environment, which
/// wins: FIELDBOOK_LLM_PROVIDER (anthropic | openai), FIELDBOOK_LLM_BASE_URL, FIELDBOOK_LLM_MODEL, and the
/// key from ANTHROPIC_API_KEY (Anthropic) or OPENAI_API_KEY (OpenAI-compatible).
///
/// The key lives only in memory here: save() never writes it, and it is never logged. At rest it belongs in
/// the platform keychain (LlmKeyStore); fill `apiKey` from there when the environment has none.
struct LlmSettings
{
    LlmProvider provider = LlmProvider::Anthropic;
    QUrl baseUrl;  ///< empty: the provider's default (Anthropic: https://api.anthropic.com)
    QString model; ///< empty: the provider's default (Anthropic: claude-sonnet-4-5)
    QString apiKey;
    /// The model accepts a JSON schema for its answer (Anthropic output_config.format, OpenAI
    /// response_format). Off by default: the core's tolerant parser reads any answer, and a model without the
    /// feature rejects it.
    bool structuredOutput = false;
    std::chrono::milliseconds connectTimeout = std::chrono::seconds(5);
    /// One attempt, from sending to the last byte of the answer; a retry gets a new one.
    std::chrono::milliseconds totalTimeout = std::chrono::seconds(60);
    /// The whole exchange: every attempt and every wait between them. When it passes, the exchange fails
    /// (Timeout, "the model server did not answer within N s") whatever attempt it was on. Zero: none, each
    /// attempt is still bounded by totalTimeout. Not saved: `fieldbook extract --timeout` sets it.
    std::chrono::milliseconds deadline{0};
    int maxRetries = 2;
    /// Multiplies every retry delay (tests use a tiny scale so retries take milliseconds).
    double retryDelayScale = 1.0;

    QUrl effectiveBaseUrl() const;
    QString effectiveModel() const;

    /// Settings under "llm/": provider, baseUrl, model, structuredOutput, timeoutSeconds, maxRetries.
    static LlmSettings fromSettings(const QSettings &settings);
    /// fromSettings(), then the environment on top.
    static LlmSettings
    load(const QSettings &settings,
         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    void applyEnvironment(const QProcessEnvironment &environment);
    /// Writes everything but the key.
    void save(QSettings &settings) const;
};

} // namespace fb
