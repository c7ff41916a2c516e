#pragma once

#include <QDialog>
#include <QUuid>

class QLabel;
class QPushButton;
class QTableView;

namespace fb::ui {

class UiContext;
class UninvoicedTicketsModel;

/// A new invoice for a completed job: lists the jobs without a live invoice (newest first) and makes a draft
/// from the one picked (InvoiceService::createFromTicket). Opened with open(); on success it closes and emits
/// invoiceCreated().
class TicketInvoiceDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketInvoiceDialog)

public:
    explicit TicketInvoiceDialog(UiContext &context, QWidget *parent = nullptr);

    /// Picks a job, e.g. the ticket the user came from; false when it is not one left to bill.
    bool selectTicket(const QUuid &ticketId);

public Q_SLOTS:
    /// Invoices the picked job. A refusal keeps the dialog open with the core's error.
    void accept() override;

Q_SIGNALS:
    void invoiceCreated(const QUuid &invoiceId);

private:
    void load();
    QUuid currentTicketId() const;

    UiContext &m_context;
    UninvoicedTicketsModel *m_model;
    QTableView *m_view;
    QLabel *m_empty;
    QPushButton *m_createButton = nullptr;
};

} // namespace fb::ui
