#include "llm/anthropicclient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace fb::sync {

AnthropicClient::AnthropicClient(LlmSettings settings, QNetworkAccessManager *network, QObject *parent)
    : HttpLlmClient(std::move(settings), network, parent)
{
}

QString AnthropicClient::configurationProblem() const
{
    if (settings().apiKey.isEmpty())
        return QStringLiteral("No Anthropic API key: type it in Settings (or set ANTHROPIC_API_KEY)");
    if (!settings().effectiveBaseUrl().isValid())
        return QStringLiteral("The model's base URL is not a web address: correct it in Settings");
    return {};
}

QString AnthropicClient::requestProblem(const LlmRequest &request) const
{
    if (request.maxTokens < 1)
        return QStringLiteral("max_tokens must be at least 1");
    if (request.thinking && request.thinkingBudgetTokens < kMinThinkingBudget)
        return QStringLiteral("thinking.budget_tokens must be at least %1, not %2")
            .arg(kMinThinkingBudget)
            .arg(request.thinkingBudgetTokens);
    if (request.thinking && request.thinkingBudgetTokens >= request.maxTokens)
        return QStringLiteral("thinking.budget_tokens (%1) must be below max_tokens (%2)")
            .arg(request.thinkingBudgetTokens)
            .arg(request.maxTokens);
    return {};
}

QJsonObject AnthropicClient::requestBody(const LlmRequest &request) const
{
    QJsonObject body{
        {QStringLiteral("model"), settings().effectiveModel()},
        {QStringLiteral("max_tokens"), request.maxTokens},
        {QStringLiteral("messages"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), request.userMessage}}}},
    };
    if (!request.system.isEmpty())
        body.insert(QStringLiteral("system"), request.system);
    // With thinking on, no temperature or top_k and no assistant prefill: the API refuses them.
    if (request.thinking)
        body.insert(QStringLiteral("thinking"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("enabled")},
                                {QStringLiteral("budget_tokens"), request.thinkingBudgetTokens}});
    if (settings().structuredOutput && !request.jsonSchema.isEmpty())
        body.insert(QStringLiteral("output_config"),
                    QJsonObject{{QStringLiteral("format"),
                                 QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                                             {QStringLiteral("schema"), request.jsonSchema}}}});
    return body;
}

HttpLlmClient::Prepared AnthropicClient::prepare(const LlmRequest &request) const
{
    QNetworkRequest http(endpoint(QStringLiteral("/v1/messages")));
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setRawHeader("x-api-key", settings().apiKey.toUtf8());
    http.setRawHeader("anthropic-version", kApiVersion);
    http.setRawHeader("accept", "application/json");
    return {http, QJsonDocument(requestBody(request)).toJson(QJsonDocument::Compact)};
}

std::optional<LlmResponse> AnthropicClient::parseAnswer(const QJsonObject &body, QString &problem) const
{
    const QJsonValue content = body.value(QStringLiteral("content"));
    if (!content.isArray()) {
        problem = QStringLiteral("the answer has no content blocks (type '%1')")
                      .arg(body.value(QStringLiteral("type")).toString());
        return std::nullopt;
    }
    LlmResponse response;
    QStringList thinking;
    // Every text block, in order: an answer may come in several (never just content[0]).
    for (const QJsonValue &value : content.toArray()) {
        const QJsonObject block = value.toObject();
        const QString type = block.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("text"))
            response.text += block.value(QStringLiteral("text")).toString();
        else if (type == QStringLiteral("thinking"))
            thinking.append(block.value(QStringLiteral("thinking")).toString());
        // redacted_thinking (encrypted), tool_use and unknown blocks are not the answer.
    }
    response.thinking = thinking.join(QLatin1Char('\n'));
    response.stopReason = body.value(QStringLiteral("stop_reason")).toString();
    return response;
}

void AnthropicClient::parseErrorBody(const QJsonObject &body, QString &type, QString &message) const
{
    const QJsonObject error = body.value(QStringLiteral("error")).toObject();
    type = error.value(QStringLiteral("type")).toString();
    message = error.value(QStringLiteral("message")).toString();
}

} // namespace fb::sync
