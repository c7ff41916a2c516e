#pragma once

#include "llm/httpllmclient.h"

namespace fb::sync {

/// The Anthropic Messages API (docs/llm-api.md): POST {base}/v1/messages with x-api-key and anthropic-version
/// 2023-06-01; the system prompt as the top-level `system`, one user message; extended thinking as
/// {"type": "enabled", "budget_tokens": N} with 1024 <= N < max_tokens and never a temperature with it;
/// output_config.format json_schema only when the settings say the model supports it. The answer is every
/// text block joined in order (thinking joined apart, redacted_thinking skipped) with its stop_reason, which
/// the core checks (max_tokens: truncated, refusal: refused) before parsing.
class AnthropicClient final : public HttpLlmClient
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnthropicClient)

public:
    static constexpr int kMinThinkingBudget = 1024;
    static constexpr const char *kApiVersion = "2023-06-01";

    explicit AnthropicClient(LlmSettings settings, QNetworkAccessManager *network = nullptr,
                             QObject *parent = nullptr);

    /// The JSON body of a request (public for tests).
    QJsonObject requestBody(const LlmRequest &request) const;
    QString configurationProblem() const override;

protected:
    QString requestProblem(const LlmRequest &request) const override;
    Prepared prepare(const LlmRequest &request) const override;
    std::optional<LlmResponse> parseAnswer(const QJsonObject &body, QString &problem) const override;
    void parseErrorBody(const QJsonObject &body, QString &type, QString &message) const override;
    QByteArray requestIdHeader() const override { return "request-id"; }
};

} // namespace fb::sync
