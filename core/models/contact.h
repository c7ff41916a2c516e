#pragma once

#include "db/store.h"
#include "models/address.h"

#include <QDateTime>
#include <QList>
#include <QUuid>

#include <optional>

namespace fb {

struct ContactCreate
{
    QString name;
    std::optional<QString> email;
    std::optional<QString> phone;
    std::optional<QString> notes;
};

/// Fields left unset are not changed; an empty string clears an optional field.
struct ContactUpdate
{
    std::optional<QString> name;
    std::optional<QString> email;
    std::optional<QString> phone;
    std::optional<QString> notes;
};

struct Contact
{
    QUuid id;
    QUuid userId;
    QString name;
    std::optional<QString> email;
    std::optional<QString> phone;
    std::optional<QString> notes;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime deletedAt;

    static Contact fromRow(const Row &row);
    Row toRow() const;
};

struct ContactWithAddresses
{
    Contact contact;
    QList<Address> addresses;
};

} // namespace fb
