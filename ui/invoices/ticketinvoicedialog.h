#pragma once

#include <QDialog>
#include <QUuid>

#include <memory>

class QLabel;
class QPushButton;
class QTableView;

namespace fb::ui {

class UiContext;
class UninvoicedTicketsModel;
struct UninvoicedListing;
template <typename Key, typename Listing> class ListReader;

/// A new invoice for a completed job: lists the jobs without a live invoice (newest first) and makes a draft
/// from the one picked (InvoiceService::createFromTicket). Opened with open(); on success it closes and emits
/// invoiceCreated().
class TicketInvoiceDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketInvoiceDialog)

public:
    /// The jobs are read on the read thread; until they come the dialog says so.
    explicit TicketInvoiceDialog(UiContext &context, QWidget *parent = nullptr);
    ~TicketInvoiceDialog() override;

public Q_SLOTS:
    /// Invoices the picked job. A refusal keeps the dialog open with the core's error.
    void accept() override;

Q_SIGNALS:
    void invoiceCreated(const QUuid &invoiceId);

private:
    void load();
    void showListing(const UninvoicedListing &listing);
    QUuid currentTicketId() const;

    UiContext &m_context;
    UninvoicedTicketsModel *m_model;
    QTableView *m_view;
    QLabel *m_empty;
    QPushButton *m_createButton = nullptr;
    using Reader = ListReader<int, UninvoicedListing>; ///< one list, no filter
    std::unique_ptr<Reader> m_reader;
};

} // namespace fb::ui
