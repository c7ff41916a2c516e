#pragma once

#include "extraction/llmclient.h"

#include <QList>

namespace fb::test {

/// An LlmClient that answers from a script, synchronously, and remembers the requests it got.
class FakeLlmClient final : public LlmClient
{
public:
    /// Answers every request with this text and stop reason.
    void answerWith(const QString &text, const QString &stopReason = QStringLiteral("end_turn"));
    /// Fails every request with this error.
    void failWith(const Error &error);
    /// Holds the answer until release() (an extraction still running).
    void holdAnswers(bool hold) { m_hold = hold; }
    void release();

    void send(const LlmRequest &request, Callback done) override;

    QList<LlmRequest> requests;

private:
    QString m_text;
    QString m_stopReason = QStringLiteral("end_turn");
    std::optional<Error> m_error;
    bool m_hold = false;
    QList<Callback> m_held;
};

} // namespace fb::test
