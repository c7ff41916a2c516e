#pragma once

#include "core.h"

#include <QTemporaryDir>

#include <memory>

namespace fb::test {

/// A fresh file database in a temporary directory, opened through the real Core, with technician "Alice"
/// created and selected. Each fixture gets its own connection name so several can be open at once.
class CoreFixture
{
public:
    explicit CoreFixture(LlmClient *llm = nullptr);

    Core &core() { return *m_core; }
    Core *operator->() { return m_core.get(); }
    QString path() const;
    QUuid alice() const { return m_alice; }

    /// Creates another technician (without selecting it) and returns its id.
    QUuid addUser(const QString &name, const QString &email);

    /// A contact with one address, for tests that need somewhere to send a ticket.
    struct Customer
    {
        Contact contact;
        Address address;
    };
    Customer addCustomer(const QString &name = QStringLiteral("Margaret Hill"));

    /// Opens a second Core on the same file (another connection), e.g. to check what was committed.
    std::unique_ptr<Core> reopen(LlmClient *llm = nullptr) const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Core> m_core;
    QUuid m_alice;
};

/// A unique connection name for this process.
QString uniqueConnectionName();

} // namespace fb::test
