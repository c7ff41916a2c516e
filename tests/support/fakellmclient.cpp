#include "support/fakellmclient.h"

namespace fb::test {

void FakeLlmClient::answerWith(const QString &text, const QString &stopReason)
{
    m_text = text;
    m_stopReason = stopReason;
    m_error.reset();
}

void FakeLlmClient::failWith(const Error &error)
{
    m_error = error;
}

void FakeLlmClient::send(const LlmRequest &request, Callback done)
{
    requests.append(request);
    if (m_hold) {
        m_held.append(std::move(done));
        return;
    }
    if (m_error) {
        done(*m_error);
        return;
    }
    done(LlmResponse{m_text, QStringLiteral("thinking about the notes"), m_stopReason,
                     QStringLiteral("req_fake")});
}

void FakeLlmClient::release()
{
    const auto held = std::exchange(m_held, {});
    for (const Callback &done : held) {
        if (m_error)
            done(*m_error);
        else
            done(LlmResponse{m_text, {}, m_stopReason, QStringLiteral("req_fake")});
    }
}

} // namespace fb::test
