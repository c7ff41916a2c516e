#include "core.h"

#include "events/changefeed.h"

namespace fb {

Result<std::unique_ptr<Core>> Core::open(const QString &path, const QString &connectionName, LlmClient *llm)
{
    auto db = Database::open(path, connectionName);
    if (!db)
        return db.error();
    return std::unique_ptr<Core>(new Core(std::move(db).value(), llm));
}

Result<std::unique_ptr<Core>> Core::openReader(const QString &path, const QString &connectionName,
                                               const QUuid &userId)
{
    auto db = Database::open(path, connectionName);
    if (!db)
        return db.error();
    FB_TRY((*db)->execScript(QStringLiteral("PRAGMA query_only = ON")));
    (*db)->setCurrentUser(userId);
    return std::unique_ptr<Core>(new Core(std::move(db).value(), nullptr));
}

Core::Core(std::unique_ptr<Database> db, LlmClient *llm)
    : m_db(std::move(db)), m_changes(std::make_unique<ChangeFeed>(*m_db)), m_audit(*m_db),
      m_store(*m_db, m_audit), m_bus(*m_db),
      m_extractor(llm ? std::make_unique<AttributeExtractor>(*llm) : nullptr), users(context()),
      addresses(context()), contacts(context(), addresses), catalog(context()),
      tickets(context(), m_extractor.get()), invoices(context()), notes(context()), attributes(context()),
      messages(context()), extractionQueue(context(), attributes), drafts(context()),
      closeOuts(context(), tickets, invoices, drafts), officeChanges(context()), conflicts(context()),
      scheduledMessageHandler(m_bus, messages), attributePersistenceHandler(m_bus, attributes)
{
    tickets.setExtractionQueue(&extractionQueue);
}

Core::~Core() = default;

Status Core::setCurrentUser(const QUuid &userId)
{
    FB_TRY(users.setCurrent(userId));
    m_bus.retryFailed();
    return {};
}

} // namespace fb
