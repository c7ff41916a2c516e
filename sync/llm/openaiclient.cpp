#include "llm/openaiclient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace fb::sync {

OpenAiClient::OpenAiClient(LlmSettings settings, QNetworkAccessManager *network, QObject *parent)
    : HttpLlmClient(std::move(settings), network, parent)
{
}

QString OpenAiClient::configurationProblem() const
{
    if (settings().baseUrl.isEmpty() || !settings().baseUrl.isValid())
        return QStringLiteral(
            "No address for the OpenAI-compatible server: type its base URL in Settings (or set "
            "FIELDBOOK_LLM_BASE_URL)");
    return {};
}

QString OpenAiClient::requestProblem(const LlmRequest &request) const
{
    if (request.maxTokens < 1)
        return QStringLiteral("max_tokens must be at least 1");
    return {};
}

QJsonObject OpenAiClient::requestBody(const LlmRequest &request) const
{
    QJsonArray messages;
    if (!request.system.isEmpty())
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), request.system}});
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), request.userMessage}});
    QJsonObject body{{QStringLiteral("model"), settings().effectiveModel()},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("max_tokens"), request.maxTokens}};
    if (settings().structuredOutput && !request.jsonSchema.isEmpty())
        body.insert(QStringLiteral("response_format"),
                    QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                                {QStringLiteral("json_schema"),
                                 QJsonObject{{QStringLiteral("name"), QStringLiteral("customer_attributes")},
                                             {QStringLiteral("schema"), request.jsonSchema}}}});
    return body;
}

HttpLlmClient::Prepared OpenAiClient::prepare(const LlmRequest &request) const
{
    QNetworkRequest http(endpoint(QStringLiteral("/v1/chat/completions")));
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setRawHeader("accept", "application/json");
    if (!settings().apiKey.isEmpty())
        http.setRawHeader("authorization", "Bearer " + settings().apiKey.toUtf8());
    return {http, QJsonDocument(requestBody(request)).toJson(QJsonDocument::Compact)};
}

std::optional<LlmResponse> OpenAiClient::parseAnswer(const QJsonObject &body, QString &problem) const
{
    const QJsonArray choices = body.value(QStringLiteral("choices")).toArray();
    if (choices.isEmpty() || !choices.first().isObject()) {
        problem = QStringLiteral("the answer has no choices");
        return std::nullopt;
    }
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
    LlmResponse response;
    const QJsonValue content = message.value(QStringLiteral("content"));
    if (content.isString()) {
        response.text = content.toString();
    } else if (content.isArray()) { // some servers send content parts
        for (const QJsonValue &part : content.toArray())
            if (part.toObject().value(QStringLiteral("type")).toString() == QStringLiteral("text"))
                response.text += part.toObject().value(QStringLiteral("text")).toString();
    }
    response.thinking = message.value(QStringLiteral("reasoning_content")).toString();
    const QString finish = choice.value(QStringLiteral("finish_reason")).toString();
    if (finish == QStringLiteral("length"))
        response.stopReason = QStringLiteral("max_tokens");
    else if (finish == QStringLiteral("content_filter") ||
             !message.value(QStringLiteral("refusal")).toString().isEmpty())
        response.stopReason = QStringLiteral("refusal");
    else if (finish == QStringLiteral("stop"))
        response.stopReason = QStringLiteral("end_turn");
    else
        response.stopReason = finish;
    return response;
}

void OpenAiClient::parseErrorBody(const QJsonObject &body, QString &type, QString &message) const
{
    const QJsonValue error = body.value(QStringLiteral("error"));
    if (error.isString()) { // some local servers: {"error": "text"}
        message = error.toString();
        return;
    }
    type = error.toObject().value(QStringLiteral("type")).toString();
    if (type.isEmpty())
        type = error.toObject().value(QStringLiteral("code")).toString();
    message = error.toObject().value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = body.value(QStringLiteral("detail")).toString();
}

} // namespace fb::sync
