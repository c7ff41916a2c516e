#pragma once

#include "db/store.h"

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QUuid>

namespace fb {

/// A structured fact about a customer (pet, gate code, ladder needed), one value per (contact, key).
struct AttributeCreate
{
    QUuid contactId;
    QString key;
    QJsonValue value;
    QUuid sourceNoteId; ///< the note it came from, when there is one
};

struct Attribute
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    QString key;
    QJsonValue value;
    QUuid sourceNoteId;
    QDateTime createdAt;
    QDateTime updatedAt;

    static Attribute fromRow(const Row &row);
    Row toRow() const;
};

/// What the LLM proposed from a technician's notes; nothing is saved until the technician confirms.
struct ExtractedAttributes
{
    QJsonObject attributes;
    QString rawResponse;
    QString thinking;
};

} // namespace fb
