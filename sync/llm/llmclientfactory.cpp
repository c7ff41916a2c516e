#include "llm/llmclientfactory.h"

#include "llm/anthropicclient.h"
#include "llm/openaiclient.h"

namespace fb::sync {

std::unique_ptr<HttpLlmClient> createLlmClient(const LlmSettings &settings, QNetworkAccessManager *network,
                                               QObject *parent)
{
    if (settings.provider == LlmProvider::OpenAiCompatible)
        return std::make_unique<OpenAiClient>(settings, network, parent);
    return std::make_unique<AnthropicClient>(settings, network, parent);
}

} // namespace fb::sync
