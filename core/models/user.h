#pragma once

#include "db/store.h"

#include <QDateTime>
#include <QUuid>

namespace fb {

/// A technician profile: the identity every scoped row belongs to.
struct User
{
    QUuid id;
    QString name;
    QString email;
    QDateTime createdAt;

    static User fromRow(const Row &row);
    Row toRow() const;
};

struct UserCreate
{
    QString name;
    QString email;
    QUuid id; ///< optional: keep a known id (e.g. the server's); a new one is generated when null
};

} // namespace fb
