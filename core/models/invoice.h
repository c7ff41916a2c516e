#pragma once

#include "db/store.h"
#include "models/enums.h"
#include "util/money.h"

#include <QDateTime>
#include <QString>
#include <QUuid>

#include <optional>

namespace fb {

struct InvoiceCreate
{
    QUuid contactId;
    QUuid ticketId; ///< null for a standalone invoice
    Money totalAmount;
};

struct Invoice
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    QUuid ticketId;
    InvoiceStatus status = InvoiceStatus::Draft;
    Money totalAmount;
    QDateTime sentAt;
    QDateTime paidAt;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime deletedAt;
    /// "SK-2026-B014" (InvoiceService); none on invoices made before local schema 9.
    std::optional<QString> number;

    static Invoice fromRow(const Row &row);
    Row toRow() const;
};

} // namespace fb
