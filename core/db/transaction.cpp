#include "db/transaction.h"

#include "db/database.h"

namespace fb {

Transaction::Transaction(Database &db) : m_db(db), m_began(db.beginLevel())
{
    m_open = m_began.ok();
}

Transaction::~Transaction()
{
    if (m_open)
        m_db.rollbackLevel();
}

Status Transaction::commit()
{
    if (!m_open)
        return Error::database(QStringLiteral("commit without an open transaction"));
    if (auto committed = m_db.commitLevel(); !committed) {
        // A failed COMMIT (e.g. a deferred constraint) leaves the transaction open: roll it back here.
        m_db.rollbackLevel();
        m_open = false;
        return committed;
    }
    m_open = false;
    return {};
}

} // namespace fb
