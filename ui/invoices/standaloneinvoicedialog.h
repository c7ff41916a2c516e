#pragma once

#include "common/fielderror.h"
#include "util/money.h"

#include <QUuid>

class QLabel;
class QLineEdit;
class QPushButton;

namespace fb::ui {

class CustomerPicker;
class UiContext;

/// A new invoice without a job: a customer found by search (results while typing) and an amount
/// (InvoiceService::createStandalone). Opened with open(); on success it closes and emits invoiceCreated().
/// What is wrong is said under the customer or the amount, in words; Escape after typing asks before
/// discarding it (EditDialog).
class StandaloneInvoiceDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StandaloneInvoiceDialog)

public:
    explicit StandaloneInvoiceDialog(UiContext &context, QWidget *parent = nullptr);

    QUuid contactId() const;

    /// The amount as typed, read as the user's locale writes money (readMoney()): "$1,234.50" in
    /// en_US and "1.234,50 €" in German are both 123450 cents; anything else is refused with the reason,
    /// never read as a different amount.
    static Result<Money> parseAmount(const QString &text);

public Q_SLOTS:
    /// Creates the invoice. Bad input or a refusal keeps the dialog open with the error.
    void accept() override;

Q_SIGNALS:
    void invoiceCreated(const QUuid &invoiceId);

private:
    void showPicked();

    UiContext &m_context;
    CustomerPicker *m_customer;
    QLabel *m_picked;
    QLineEdit *m_amount;
    QPushButton *m_createButton = nullptr;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
