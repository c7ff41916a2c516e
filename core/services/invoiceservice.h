#pragma once

#include "models/invoice.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

#include <optional>

namespace fb {

/// Invoices: draft -> sent -> paid; void only from draft or sent. Amounts are integer cents.
class InvoiceService final
{
public:
    explicit InvoiceService(ServiceContext context);

    /// A draft for the ticket's customer whose total is the sum of the ticket's line items. A cancelled
    /// ticket, or one that already has a live (not void) invoice, is refused.
    Result<Invoice> createFromTicket(const QUuid &ticketId);
    Result<Invoice> createStandalone(const QUuid &contactId, Money totalAmount);
    Result<Invoice> getById(const QUuid &id) const;
    Result<Invoice> send(const QUuid &id);
    Result<Invoice> markPaid(const QUuid &id);
    Result<Invoice> voidInvoice(const QUuid &id);
    /// Newest first, optionally of one status.
    Result<QList<Invoice>> list(std::optional<InvoiceStatus> status = std::nullopt) const;
    Result<QList<Invoice>> listForContact(const QUuid &contactId) const;

private:
    Result<Invoice> insert(const QUuid &contactId, const QUuid &ticketId, Money total);
    ServiceContext m_ctx;
};

} // namespace fb
