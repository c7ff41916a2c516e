#include "services/noteservice.h"

#include "db/scoping.h"
#include "db/store.h"
#include "db/transaction.h"
#include "models/validation.h"

namespace fb {

namespace {

const QString kTable = QStringLiteral("notes");

Result<QList<Note>> readNotes(Result<QSqlQuery> query)
{
    if (!query)
        return query.error();
    QList<Note> notes;
    while (query->next())
        notes.append(Note::fromRow(rowFromQuery(*query)));
    return notes;
}

} // namespace

NoteService::NoteService(ServiceContext context) : m_ctx(context)
{
}

Result<Note> NoteService::create(const NoteCreate &data)
{
    if (data.contactId.isNull() && data.ticketId.isNull())
        return Error::validation(QStringLiteral("contact_id"),
                                 QStringLiteral("a note must belong to a contact or a ticket"));
    if (data.content.trimmed().isEmpty())
        return Error::validation(QStringLiteral("content"), QStringLiteral("must not be empty"));
    FB_TRY(validate::longText(data.content, QStringLiteral("content")));
    if (!data.contactId.isNull())
        if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), data.contactId); !contact)
            return Error::validation(QStringLiteral("contact_id"), contact.error().message);
    if (!data.ticketId.isNull())
        if (auto ticket = m_ctx.store.fetch(QStringLiteral("tickets"), data.ticketId); !ticket)
            return Error::validation(QStringLiteral("ticket_id"), ticket.error().message);

    Note note{newId(), m_ctx.db.currentUser(), data.contactId, data.ticketId, data.content, nowUtc(), {}};
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.insert(kTable, note.toRow()));
    FB_TRY(tx.commit());
    return note;
}

Result<Note> NoteService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return Note::fromRow(*row);
}

Result<QList<Note>> NoteService::listForContact(const QUuid &contactId) const
{
    return readNotes(m_ctx.db.exec(
        QStringLiteral("SELECT n.* FROM %1 AND n.contact_id = ? ORDER BY n.created_at DESC, n.rowid DESC")
            .arg(scoping::visibleRows(kTable, QStringLiteral("n"))),
        {idText(contactId)}));
}

Result<QList<Note>> NoteService::listForTicket(const QUuid &ticketId) const
{
    return readNotes(m_ctx.db.exec(
        QStringLiteral("SELECT n.* FROM %1 AND n.ticket_id = ? ORDER BY n.created_at DESC, n.rowid DESC")
            .arg(scoping::visibleRows(kTable, QStringLiteral("n"))),
        {idText(ticketId)}));
}

} // namespace fb
