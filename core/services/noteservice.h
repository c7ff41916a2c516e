#pragma once

#include "models/note.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

class NoteService final
{
public:
    explicit NoteService(ServiceContext context);

    /// A note needs a contact, a ticket or both, and at most 64 KiB of text.
    Result<Note> create(const NoteCreate &data);
    Result<Note> getById(const QUuid &id) const;
    /// Newest first.
    Result<QList<Note>> listForContact(const QUuid &contactId) const;
    Result<QList<Note>> listForTicket(const QUuid &ticketId) const;

private:
    ServiceContext m_ctx;
};

} // namespace fb
