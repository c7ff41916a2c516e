#pragma once

#include <QUuid>
#include <QWidget>

class QLabel;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace fb {
struct Contact;
struct ContactWithAddresses;
} // namespace fb

namespace fb::ui {

class AddressListModel;
class AttributeListModel;
class ContactInvoicesModel;
class ContactNotesModel;
class ContactTicketsModel;
class HistoryWidget;
class SuggestionListModel;
class UiContext;

/// One customer, the right side of the customers screen: name and contact details above tabs for the
/// profile (addresses, confirmed attributes to edit or remove, suggested attributes to accept, edit or
/// reject), notes (read and add), tickets (Enter or a double-click opens one), invoices and the audit
/// history.
///
/// Every write goes through a service; core announces the commit (ChangeFeed) and the customers screen reads
/// again and shows the customer again, so this widget never patches its own models.
class ContactDetail final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactDetail)

public:
    explicit ContactDetail(UiContext &context, QWidget *parent = nullptr);

    /// Reads and shows the customer; false (and nothing shown) when they cannot be read, e.g. deleted.
    bool showContact(const QUuid &contactId);
    QUuid contactId() const { return m_contactId; }

public Q_SLOTS:
    /// The selected confirmed attribute: change its value (F2 or Enter), remove it (Delete).
    void editAttribute();
    void removeAttribute();
    /// The selected suggestion: accept (Enter), change then accept (F2), reject (Delete).
    void acceptSuggestion();
    void editSuggestion();
    void rejectSuggestion();
    /// Saves the typed note on the customer (Ctrl+Enter in the note field).
    void addNote();

private:
    QWidget *buildProfileTab();
    /// The confirmed attributes with their buttons: Enter or F2 changes a value, Delete removes it.
    void buildAttributeList(QWidget *tab);
    /// The suggestions to review with their buttons: Enter accepts, F2 edits, Delete rejects.
    void buildSuggestionBox(QWidget *tab);
    QWidget *buildNotesTab();
    QWidget *buildTicketsTab();
    QWidget *buildInvoicesTab();
    void clear();
    /// Name, phone and e-mail, and the customer's own notes above the tabs.
    void showHeader(const Contact &contact);
    /// Reads each part of the customer on its own (addresses, attributes, suggestions, notes, tickets,
    /// invoices); one that cannot be read is named, the others still show.
    void readParts(const ContactWithAddresses &contact);
    /// The suggestion box and the counts in the tab titles.
    void showCounts();
    /// What the customer owes, under the invoices tab's list.
    void showInvoiceSummary();
    void updateButtons();
    void openSelectedTicket();
    QUuid selectedSuggestion() const;

    UiContext &m_context;
    QUuid m_contactId;

    AddressListModel *m_addresses;
    AttributeListModel *m_attributes;
    SuggestionListModel *m_suggestions;
    ContactNotesModel *m_notes;
    ContactTicketsModel *m_tickets;
    ContactInvoicesModel *m_invoices;

    QLabel *m_name;
    QLabel *m_info;
    QLabel *m_contactNotes;
    QLabel *m_loadError;
    QTabWidget *m_tabs;
    QWidget *m_profileTab = nullptr;
    QWidget *m_notesTab = nullptr;
    QWidget *m_ticketsTab = nullptr;
    QWidget *m_invoicesTab = nullptr;
    QListView *m_addressView = nullptr;
    QTableView *m_attributeView = nullptr;
    QLabel *m_noAttributes = nullptr;
    QPushButton *m_editAttribute = nullptr;
    QPushButton *m_removeAttribute = nullptr;
    QWidget *m_suggestionBox = nullptr;
    QLabel *m_suggestionTitle = nullptr;
    QTableView *m_suggestionView = nullptr;
    QPushButton *m_acceptSuggestion = nullptr;
    QPushButton *m_editSuggestion = nullptr;
    QPushButton *m_rejectSuggestion = nullptr;
    QListView *m_noteView = nullptr;
    QPlainTextEdit *m_noteEdit = nullptr;
    QPushButton *m_addNote = nullptr;
    QTableView *m_ticketView = nullptr;
    QTableView *m_invoiceView = nullptr;
    QLabel *m_invoiceSummary = nullptr;
    HistoryWidget *m_history = nullptr;
};

} // namespace fb::ui
