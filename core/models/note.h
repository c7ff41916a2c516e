#pragma once

#include "db/store.h"

#include <QDateTime>
#include <QUuid>

namespace fb {

/// A note belongs to a contact, a ticket, or both; never neither.
struct NoteCreate
{
    QUuid contactId;
    QUuid ticketId;
    QString content;
};

struct Note
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    QUuid ticketId;
    QString content;
    QDateTime createdAt;
    QDateTime deletedAt;

    static Note fromRow(const Row &row);
    Row toRow() const;
};

} // namespace fb
