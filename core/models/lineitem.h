#pragma once

#include "db/store.h"
#include "util/money.h"

#include <QDateTime>
#include <QUuid>

#include <optional>

namespace fb {

/// unit_price is required for flexible services and must match the catalog for fixed and per-unit ones (it is
/// filled in from the catalog when left out); total_price, when given, must equal quantity x unit_price.
struct LineItemCreate
{
    QUuid serviceId;
    std::optional<QString> description;
    int quantity = 1;
    std::optional<Money> unitPrice;
    std::optional<Money> totalPrice;
    std::optional<int> durationMinutes;
};

struct LineItemUpdate
{
    std::optional<QString> description;
    std::optional<int> quantity;
    std::optional<Money> unitPrice;
    std::optional<int> durationMinutes;
};

struct LineItem
{
    QUuid id;
    QUuid userId;
    QUuid ticketId;
    QUuid serviceId;
    std::optional<QString> description;
    int quantity = 1;
    std::optional<Money> unitPrice;
    Money totalPrice;
    std::optional<int> durationMinutes;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime deletedAt;

    static LineItem fromRow(const Row &row);
    Row toRow() const;
};

} // namespace fb
