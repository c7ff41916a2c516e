#pragma once

#include "llm/httpllmclient.h"

namespace fb::sync {

/// An OpenAI-compatible chat-completions endpoint (a shop's local model server, or a hosted one):
/// POST {base}/v1/chat/completions with `Authorization: Bearer KEY` when a key is set (local servers often
/// need none), the system prompt as a system message, then the user message. The answer is
/// choices[0].message.content; finish_reason "length" becomes stop reason "max_tokens" (truncated),
/// "content_filter" or a message.refusal becomes "refusal", so the core checks them like Anthropic's. There
/// is no extended thinking here: a server's reasoning_content, when it sends one, is kept as the thinking.
/// response_format json_schema is sent only when the settings say the model supports it.
class OpenAiClient final : public HttpLlmClient
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenAiClient)

public:
    explicit OpenAiClient(LlmSettings settings, QNetworkAccessManager *network = nullptr,
                          QObject *parent = nullptr);

    QJsonObject requestBody(const LlmRequest &request) const;
    QString configurationProblem() const override;

protected:
    QString requestProblem(const LlmRequest &request) const override;
    Prepared prepare(const LlmRequest &request) const override;
    std::optional<LlmResponse> parseAnswer(const QJsonObject &body, QString &problem) const override;
    void parseErrorBody(const QJsonObject &body, QString &type, QString &message) const override;
    QByteArray requestIdHeader() const override { return "x-request-id"; }
};

} // namespace fb::sync
