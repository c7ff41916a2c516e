#pragma once

#include "util/money.h"

#include <QDialog>
#include <QUuid>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace fb::ui {

class ContactResultsModel;
class UiContext;

/// A new invoice without a job: a customer found by search (results while typing) and an amount
/// (InvoiceService::createStandalone). Opened with open(); on success it closes and emits invoiceCreated().
class StandaloneInvoiceDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StandaloneInvoiceDialog)

public:
    explicit StandaloneInvoiceDialog(UiContext &context, QWidget *parent = nullptr);

    QUuid contactId() const { return m_contactId; }

    /// The amount as typed, read exactly (Money::parse) after dropping the locale's currency symbol and
    /// reading its decimal separator as a point: "$1234.50" and "1234,50" in a comma locale are both
    /// 123450 cents. Group separators are not guessed at: "1,234.50" is refused with the reason, never read
    /// as a different amount.
    static Result<Money> parseAmount(const QString &text);

public Q_SLOTS:
    /// Creates the invoice. Bad input or a refusal keeps the dialog open with the error.
    void accept() override;

Q_SIGNALS:
    void invoiceCreated(const QUuid &invoiceId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(const QString &text);
    void onContactPicked();

    UiContext &m_context;
    QUuid m_contactId;
    ContactResultsModel *m_results;
    QLineEdit *m_search;
    QListView *m_resultsView;
    QLabel *m_picked;
    QLineEdit *m_amount;
    QPushButton *m_createButton = nullptr;
};

} // namespace fb::ui
