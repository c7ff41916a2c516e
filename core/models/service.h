#pragma once

#include "db/store.h"
#include "models/enums.h"
#include "util/money.h"

#include <QDateTime>
#include <QUuid>

#include <optional>

namespace fb {

/// A catalog service. fixed: default_price is the price; per_unit: unit_price x quantity; flexible: the price
/// is typed on the line item.
struct ServiceCreate
{
    QString name;
    std::optional<QString> description;
    PricingType pricingType = PricingType::Fixed;
    std::optional<Money> defaultPrice;
    std::optional<Money> unitPrice;
    std::optional<QString> unitLabel;
    bool isActive = true;
};

struct ServiceUpdate
{
    std::optional<QString> name;
    std::optional<QString> description;
    std::optional<PricingType> pricingType;
    std::optional<Money> defaultPrice;
    std::optional<Money> unitPrice;
    std::optional<QString> unitLabel;
    std::optional<bool> isActive;
};

struct Service
{
    QUuid id;
    QUuid userId;
    QString name;
    std::optional<QString> description;
    PricingType pricingType = PricingType::Fixed;
    std::optional<Money> defaultPrice;
    std::optional<Money> unitPrice;
    std::optional<QString> unitLabel;
    bool isActive = true;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime deletedAt;

    /// The unit price the catalog sets: the price of a fixed service, the unit price of a per-unit one; none
    /// for a flexible service (priced on the job) or one whose price is missing. The one copy of this rule.
    std::optional<Money> catalogPrice() const;

    static Service fromRow(const Row &row);
    Row toRow() const;
};

} // namespace fb
