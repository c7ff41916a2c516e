#pragma once

#include "common/fielderror.h"

#include <QUuid>

class QLineEdit;
class QPushButton;

namespace fb::ui {

class UiContext;

/// Voids an invoice after asking why. The reason is required (the core refuses a void without one, and the
/// dialog shows that error); it is kept in the void's audit entry (InvoiceService::voidInvoice). Opened with
/// open(); on success it closes and emits invoiceVoided(). A refused reason is said under it; Escape with a
/// typed reason asks before discarding it (EditDialog).
class VoidInvoiceDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VoidInvoiceDialog)

public:
    /// `description` names the invoice for the user ("INV-3F2A9C1B, Margaret Hill, $174.00").
    VoidInvoiceDialog(UiContext &context, const QUuid &invoiceId, const QString &description,
                      QWidget *parent = nullptr);

public Q_SLOTS:
    /// Voids the invoice. A refusal (no reason, or the invoice can no longer be voided) keeps the dialog
    /// open with the core's error.
    void accept() override;

Q_SIGNALS:
    void invoiceVoided(const QUuid &invoiceId);

private:
    UiContext &m_context;
    QUuid m_invoiceId;
    QLineEdit *m_reason;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
