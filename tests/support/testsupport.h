#pragma once

#include "core.h"
#include "events/changefeed.h"

#include <QSignalSpy>
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

/// The bytes SQLite's memory statistics count as in use now, in this process: 0 while they are off.
qint64 sqliteMemoryCounted();

/// A unique connection name for this process.
QString uniqueConnectionName();

/// Creates `path` as the Fieldbook of schema `version` left it, with no data: the bundled migrations up to
/// `version` applied through SQLite itself (no Fieldbook connection). False, with a warning, on any error.
bool createDatabaseAtVersion(const QString &path, int version);

/// The first column of the first row of `sql` on the fixture's connection (counts, single values); qFatal on
/// an error, which is never what a test expects here.
qint64 scalar(CoreFixture &f, const QString &sql, const QVariantList &values = {});

/// How many announcements caught by `spy` (a QSignalSpy on ChangeFeed::changed) touched an entity of
/// `entityType`.
int announced(const QSignalSpy &spy, const QString &entityType);

} // namespace fb::test

/// Verifies that a Result or Status is ok, showing its error otherwise. Evaluates `expr` once: it is often
/// the mutation under test (QVERIFY2 evaluates its message even on success).
#define VERIFY_OK(expr)                                                                                      \
    do {                                                                                                     \
        const auto &verifiedResult_ = (expr);                                                                \
        QVERIFY2(verifiedResult_.ok(),                                                                       \
                 qPrintable(verifiedResult_.ok() ? QString() : verifiedResult_.error().toString()));         \
    } while (false)
