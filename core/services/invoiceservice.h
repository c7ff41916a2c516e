#pragma once

#include "models/invoice.h"
#include "models/ticket.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

#include <optional>

namespace fb {

/// Invoices: draft -> sent -> paid; void only from draft or sent. Amounts are integer cents. Each new invoice
/// gets a number people can read aloud, unique across the technician's devices: "SK-2026-B014"
/// (nextNumber()).
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
    /// Voids a draft or sent invoice. `reason` is required (at most kMaxVoidReasonLength characters): the
    /// invoices table has no column for it, so it is kept in the void's audit entry, as
    /// {"void_reason": {"old": null, "new": reason}} next to the status change. The audit trail is where a
    /// void is looked into later (who, when, why), it syncs with the change, and the {old, new} shape lets
    /// every history view show it like a field.
    Result<Invoice> voidInvoice(const QUuid &id, const QString &reason);
    /// Why the invoice was voided (from its audit trail), or an empty string when it was not, or not with a
    /// reason.
    Result<QString> voidReason(const QUuid &id) const;
    /// Newest first, optionally of one status.
    Result<QList<Invoice>> list(std::optional<InvoiceStatus> status = std::nullopt) const;
    Result<QList<Invoice>> listForContact(const QUuid &contactId) const;
    /// Completed tickets without a live (not void) invoice, most recently closed first: what is left to bill.
    Result<QList<Ticket>> uninvoicedTickets() const;

    /// "SK" for "Sam Kowalski": the first letter of the first and of the last word of a technician's name, in
    /// capitals ("S" for "Sam"); "T" (technician) for a name without letters.
    static QString initials(const QString &name);
    /// The letters a device may number with: A to Z without I and O, which read as 1 and 0.
    static inline const QString kDeviceLetters = QStringLiteral("ABCDEFGHJKLMNPQRSTUVWXYZ");
    /// The letters a restored device claims from the server, in order: all but 'A', the letter of the device
    /// that made the technician's profile.
    static inline const QString kClaimableLetters = kDeviceLetters.mid(1);
    /// Where a device keeps its letter (sync_state, per technician).
    static inline const QString kDeviceLetterKey = QStringLiteral("invoice_device_letter");

    static constexpr int kMaxVoidReasonLength = 500;
    static inline const QString kVoidReasonKey = QStringLiteral("void_reason");

private:
    Result<Invoice> insert(const QUuid &contactId, const QUuid &ticketId, Money total);
    /// The number of an invoice made at `createdAt`, inside the transaction that inserts it (see local
    /// migration 009): "<initials>-<year>-<device letter><sequence of at least three digits>", the year in
    /// local time, the sequence one more than the highest this device gave in that year (deleted invoices
    /// included: a number is never given twice).
    Result<QString> nextNumber(const QDateTime &createdAt);
    /// This device's letter for the current technician, kept in sync_state. A restored device claimed its
    /// letter from the server during the restore (sync::Restorer; server migration 007), so no two share one.
    /// Without a stored letter: the device that made the profile takes 'A' (no other device can number before
    /// it has synced: a second device is a restore). A file restored before schema 7 (or when every letter
    /// was claimed) picks at random among the letters no invoice in the file uses, 'A' excepted.
    Result<QChar> deviceLetter();
    ServiceContext m_ctx;
};

} // namespace fb
