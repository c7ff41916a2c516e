#pragma once

#include "models/enums.h"
#include "util/money.h"
#include "util/result.h"

#include <QString>

#include <optional>

namespace fb::validate {

constexpr int kMaxNameLength = 255;
constexpr int kMaxNoteBytes = 64 * 1024;

/// 1..255 characters after trimming.
Status name(const QString &value, const QString &field);
/// Optional short text: at most 255 characters.
Status shortText(const std::optional<QString> &value, const QString &field);
/// Required short text: 1..255 characters after trimming.
Status requiredText(const QString &value, const QString &field);
/// A plausible address: local@domain.tld, no spaces, at most 255 characters.
Status email(const std::optional<QString> &value, const QString &field = QStringLiteral("email"));
/// Digits, spaces and + ( ) - . only, 3..40 characters.
Status phone(const std::optional<QString> &value, const QString &field = QStringLiteral("phone"));
/// Free text of at most 64 KiB in UTF-8.
Status longText(const std::optional<QString> &value, const QString &field);
/// A snake_case attribute key: a-z, 0-9 and _, starting with a letter, at most 64 characters.
Status attributeKey(const QString &key, const QString &field = QStringLiteral("key"));
/// The catalog's price rule, the only copy: fixed pricing needs a price (`default_price`), per-unit pricing a
/// unit price (`unit_price`), flexible none; every price given is a valid amount (Money::validate). A form
/// that edits every field checks its whole state with this before saving (an update keeps a price it is not
/// sent, so an emptied price field would otherwise go unnoticed).
Status pricing(PricingType type, const std::optional<Money> &defaultPrice,
               const std::optional<Money> &unitPrice);
/// The most of one service on one line item.
constexpr int kMaxQuantity = 99999;
/// A line item's quantity: a whole number 1..kMaxQuantity. Zero is refused (never read as 1).
Status quantity(int value, const QString &field = QStringLiteral("quantity"));
/// A quantity as a person types it ("3", " 12 "): digits only, then quantity()'s rule; the error quotes what
/// was typed ("type 1 or more ('0' is not)").
Result<int> typedQuantity(const QString &text, const QString &field = QStringLiteral("quantity"));
/// Minutes in 0..1440 (one day) when given.
Status minutes(const std::optional<int> &value, const QString &field);

} // namespace fb::validate
