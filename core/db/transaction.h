#pragma once

#include "util/result.h"

namespace fb {

class Database;

/// RAII transaction: rolls back unless commit() succeeded. The outermost one is BEGIN IMMEDIATE (it takes the
/// write lock at once, so two connections never deadlock upgrading a read lock); nested ones are savepoints,
/// so a failed inner step (a handler) rolls back alone.
class Transaction final
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    /// Whether BEGIN (or SAVEPOINT) succeeded; check before writing.
    const Status &began() const { return m_began; }
    Status commit();

private:
    Database &m_db;
    Status m_began;
    bool m_open = false;
};

} // namespace fb

/// Begins a Transaction named `tx` and returns its error from the enclosing function if BEGIN failed.
#define FB_TRANSACTION(tx, db)                                                                               \
    ::fb::Transaction tx(db);                                                                                \
    if (!tx.began())                                                                                         \
        return tx.began().error();
