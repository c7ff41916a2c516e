#pragma once

#include "models/contact.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

/// Customers (seed 3.6). Reads are scoped to the current user's live contacts by the database layer; every
/// mutation is audited and recorded for sync in the same transaction; events are delivered after the commit.
class ContactService final
{
public:
    explicit ContactService(ServiceContext context);

    Result<Contact> create(const ContactCreate &data);
    Result<Contact> getById(const QUuid &id) const;
    Result<ContactWithAddresses> getWithAddresses(const QUuid &id) const;
    /// Changes the fields that are set; returns the contact unchanged when nothing differs.
    Result<Contact> update(const QUuid &id, const ContactUpdate &data);
    /// Soft delete: the contact disappears from every read, its history stays.
    Status remove(const QUuid &id);
    /// Undoes remove(): the contact, with its addresses, tickets and history, is back in every read. Audited
    /// as an update of deleted_at; InvalidState for a live contact, NotFound for another user's.
    Result<Contact> restore(const QUuid &id);
    /// Newest first.
    Result<QList<Contact>> list(int limit = 100) const;
    /// Substring search over name, e-mail, phone and addresses (FTS5 trigram index), ordered by name.
    Result<QList<Contact>> search(const QString &query, int limit = 100) const;

private:
    ServiceContext m_ctx;
};

} // namespace fb
