#pragma once

#include "db/store.h"

#include <QDateTime>
#include <QUuid>

#include <optional>

namespace fb {

struct AddressCreate
{
    QUuid contactId;
    std::optional<QString> label;
    QString street;
    QString city;
    QString state;
    QString zip;
    std::optional<QString> notes;
};

struct AddressUpdate
{
    std::optional<QString> label;
    std::optional<QString> street;
    std::optional<QString> city;
    std::optional<QString> state;
    std::optional<QString> zip;
    std::optional<QString> notes;
};

struct Address
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    std::optional<QString> label;
    QString street;
    QString city;
    QString state;
    QString zip;
    std::optional<QString> notes;
    QDateTime createdAt;
    QDateTime updatedAt;

    /// "12 Elm St, Springfield, IL 62701": one line, as a technician copies it into a map app.
    QString oneLine() const;

    static Address fromRow(const Row &row);
    Row toRow() const;
};

} // namespace fb
