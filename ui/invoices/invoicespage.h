#pragma once

#include "models/invoice.h"

#include <QDate>
#include <QString>
#include <QUrl>
#include <QUuid>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QTableView;

namespace fb::ui {

class InvoiceListModel;
struct InvoiceListing;
template <typename Key, typename Listing> class ListReader;
class UiContext;

/// Invoices with their status and totals, newest first, optionally of one status, and what is done with
/// them: new from a completed job or standalone, send (marks sent; the sync server e-mails it), mark paid,
/// void with a reason, and a PDF opened in the system viewer. Enter or a double-click opens the invoice's
/// ticket (or its customer, for a standalone invoice).
class InvoicesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InvoicesPage)

public:
    explicit InvoicesPage(UiContext &context, QWidget *parent = nullptr);
    ~InvoicesPage() override;

    /// Opens a file in the system's viewer; true when a viewer took it.
    using UrlOpener = std::function<bool(const QUrl &)>;
    /// Replaces QDesktopServices::openUrl, e.g. in tests, where nothing must be launched.
    void setUrlOpener(UrlOpener opener);
    /// Where PDFs are saved (created when missing); defaultPdfDirectory() unless set.
    void setPdfDirectory(const QString &directory);
    QString pdfDirectory() const { return m_pdfDirectory; }
    /// Documents/Fieldbook/Invoices (the user's documents folder: invoices are files people keep and send),
    /// or the app's data folder where the platform has no documents folder.
    static QString defaultPdfDirectory();

    /// The name printed at the top of invoices: QSettings "business/name", else the technician's name.
    QString businessName() const;

    /// The selected invoice, or a null id.
    QUuid currentInvoiceId() const;
    /// Selects an invoice and focuses the list, showing all statuses when the filter hides it, with `message`
    /// under the list, once the list holds it (it is read on the read thread).
    void selectInvoice(const QUuid &invoiceId, const QString &message = {});

public Q_SLOTS:
    /// Reads the list again, on the read thread; listShown() follows.
    void reload();
    /// Opens TicketInvoiceDialog (Ctrl+Shift+N).
    void newFromTicket();
    /// Opens StandaloneInvoiceDialog.
    void newStandalone();
    /// Marks the selected draft sent.
    void sendCurrent();
    /// Marks the selected sent invoice paid.
    void markCurrentPaid();
    /// Opens VoidInvoiceDialog for the selected draft or sent invoice.
    void voidCurrent();
    /// Writes the selected invoice's PDF and opens it (Ctrl+P).
    void exportPdf();

protected:
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    /// A PDF was written to `path` (whether or not a viewer opened it).
    void pdfSaved(const QString &path);
    /// The list now shows what a read found.
    void listShown();

private:
    /// reload() now when the page is shown, else when it is next shown.
    void reloadWhenShown();
    /// New from a job, new standalone, and the status filter.
    QHBoxLayout *buildToolbar();
    void setUpView();
    /// Send, mark paid, void and PDF, with the hint on what Send does.
    QHBoxLayout *buildActionButtons();
    void setUpTotals();
    /// Toolbar, list, then the action buttons.
    void setTabOrders();
    void openCurrent();
    std::optional<InvoiceStatus> chosenStatus() const;
    void showListing(const InvoiceListing &listing, bool upToDate);
    /// Says something about the list under it, unless what an action said is there.
    void setListMessage(const QString &text);
    void showCreated(const QUuid &invoiceId);
    void showChanged(const Invoice &invoice);
    void updateActions();
    void showTotals();
    void setMessage(const QString &text);

    UiContext &m_context;
    InvoiceListModel *m_model;
    QPushButton *m_newFromTicket = nullptr;
    QPushButton *m_newStandalone = nullptr;
    QComboBox *m_filter;
    QTableView *m_view;
    QLabel *m_summary;
    QLabel *m_totals;
    QPushButton *m_send;
    QPushButton *m_markPaid;
    QPushButton *m_void;
    QPushButton *m_pdf;
    UrlOpener m_openUrl;
    QString m_pdfDirectory;
    bool m_stale = false; ///< something it lists changed (or it was never read) while it was hidden
    using InvoiceReader = ListReader<std::optional<InvoiceStatus>, InvoiceListing>;
    std::unique_ptr<InvoiceReader> m_reader;
    QUuid m_selectWhenListed; ///< selectInvoice()'s invoice, until a read lists it
    QString m_selectedMessage;
    bool m_ownChange = false;       ///< the page changed a row itself since the last up-to-date read
    bool m_messageAboutList = true; ///< the message under the list describes the list, not an action
};

} // namespace fb::ui
