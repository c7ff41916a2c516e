#pragma once

#include "llm/httpllmclient.h"

#include <memory>

namespace fb::sync {

/// The client for settings.provider: AnthropicClient or OpenAiClient.
std::unique_ptr<HttpLlmClient> createLlmClient(const LlmSettings &settings,
                                               QNetworkAccessManager *network = nullptr,
                                               QObject *parent = nullptr);

} // namespace fb::sync
