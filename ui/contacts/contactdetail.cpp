#include "contactdetail.h"

#include "addresslistmodel.h"
#include "attributelistmodel.h"
#include "attributevaluedialog.h"
#include "common/badgedelegate.h"
#include "common/feedback.h"
#include "common/humanize.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "contactinvoicesmodel.h"
#include "contactnotesmodel.h"
#include "contactticketsmodel.h"
#include "contactviews.h"
#include "core.h"
#include "history/historywidget.h"
#include "suggestionlistmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

const QKeySequence kAddNoteKey(Qt::CTRL | Qt::Key_Return);

QPushButton *button(const char *name, const QString &text, const QString &icon, QWidget *parent)
{
    auto *b =
        icon.isEmpty() ? new QPushButton(text, parent) : new QPushButton(themedIcon(icon), text, parent);
    b->setObjectName(QLatin1String(name));
    b->setAutoDefault(false);
    return b;
}

QVBoxLayout *tabLayout(QWidget *tab)
{
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(kSpacing, kSpacing, kSpacing, kSpacing);
    layout->setSpacing(kSpacing);
    return layout;
}

QHBoxLayout *buttonRow(std::initializer_list<QWidget *> buttons)
{
    auto *row = new QHBoxLayout;
    row->setSpacing(kSpacing);
    for (QWidget *b : buttons)
        row->addWidget(b);
    row->addStretch();
    return row;
}

/// Selects `row` (clamped to the rows there are) when the list lost its current row in a reload. A row that
/// stayed keeps the cursor (RowDiffModel); one that went (an accepted suggestion) hands it to the next row,
/// ready for the next decision, or to the one at the same place.
void restoreRow(QAbstractItemView *view, int row)
{
    const int rows = view->model()->rowCount();
    if (rows == 0 || row < 0 || view->currentIndex().isValid())
        return;
    view->setCurrentIndex(view->model()->index(std::min(row, rows - 1), 0));
}
} // namespace

ContactDetail::ContactDetail(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_addresses(new AddressListModel(this)),
      m_attributes(new AttributeListModel(this)), m_suggestions(new SuggestionListModel(this)),
      m_notes(new ContactNotesModel(this)), m_tickets(new ContactTicketsModel(this)),
      m_invoices(new ContactInvoicesModel(this)), m_name(new QLabel(this)), m_info(new QLabel(this)),
      m_contactNotes(new QLabel(this)), m_loadError(new QLabel(this)), m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("contactDetail"));

    m_name->setObjectName(QStringLiteral("contactNameLabel"));
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.4);
    nameFont.setWeight(QFont::DemiBold);
    m_name->setFont(nameFont);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setObjectName(QStringLiteral("contactInfoLabel"));
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_contactNotes->setObjectName(QStringLiteral("contactNotesLabel"));
    m_contactNotes->setWordWrap(true);
    m_contactNotes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_loadError->setObjectName(QStringLiteral("contactLoadError"));
    m_loadError->setWordWrap(true);
    m_loadError->hide();

    m_tabs->setObjectName(QStringLiteral("contactTabs"));
    m_tabs->setDocumentMode(true);
    m_profileTab = buildProfileTab();
    m_notesTab = buildNotesTab();
    m_ticketsTab = buildTicketsTab();
    m_invoicesTab = buildInvoicesTab();
    m_history = new HistoryWidget(m_context, m_tabs);
    m_tabs->addTab(m_profileTab, tr("&Profile"));
    m_tabs->addTab(m_notesTab, tr("&Notes"));
    m_tabs->addTab(m_ticketsTab, tr("&Tickets"));
    m_tabs->addTab(m_invoicesTab, tr("In&voices"));
    m_tabs->addTab(m_history, tr("&History"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kSpacing, 0, 0, 0);
    layout->setSpacing(kSpacing);
    layout->addWidget(m_name);
    layout->addWidget(m_info);
    layout->addWidget(m_contactNotes);
    layout->addWidget(m_loadError);
    layout->addWidget(m_tabs, 1);
    updateButtons();
}

QWidget *ContactDetail::buildProfileTab()
{
    auto *tab = new QWidget(m_tabs);
    tab->setObjectName(QStringLiteral("profileTab"));

    m_addressView = new QListView(tab);
    m_addressView->setObjectName(QStringLiteral("contactAddressesView"));
    m_addressView->setModel(m_addresses);
    m_addressView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_addressView->setMaximumHeight(10 * kSpacing);

    buildAttributeList(tab);
    buildSuggestionBox(tab);

    auto *layout = tabLayout(tab);
    layout->addWidget(sectionLabel(tr("Addresses"), m_addressView, tab));
    layout->addWidget(m_addressView);
    layout->addWidget(sectionLabel(tr("Confirmed attributes"), m_attributeView, tab));
    layout->addWidget(m_attributeView, 2);
    layout->addWidget(m_noAttributes);
    layout->addLayout(buttonRow({m_editAttribute, m_removeAttribute}));
    layout->addWidget(m_suggestionBox, 2);
    return tab;
}

void ContactDetail::buildAttributeList(QWidget *tab)
{
    // Confirmed attributes: Enter or F2 changes the value, Delete removes it.
    m_attributeView = contactTableView("attributesView", tab);
    m_attributeView->setModel(m_attributes);
    m_attributeView->horizontalHeader()->setSectionResizeMode(AttributeListModel::Key,
                                                              QHeaderView::ResizeToContents);
    m_noAttributes = new QLabel(tr("No confirmed attributes yet: they come from close-outs and accepted "
                                   "suggestions."),
                                tab);
    m_noAttributes->setObjectName(QStringLiteral("noAttributesHint"));
    m_noAttributes->setWordWrap(true);
    m_editAttribute = button("editAttributeButton", tr("&Change..."), QStringLiteral("document-edit"), tab);
    m_editAttribute->setToolTip(
        withShortcut(tr("Change the selected attribute's value"), QKeySequence(Qt::Key_F2)));
    m_removeAttribute = button("removeAttributeButton", tr("Re&move"), QStringLiteral("list-remove"), tab);
    m_removeAttribute->setToolTip(
        withShortcut(tr("Remove the selected attribute (its history keeps it)"), QKeySequence::Delete));
    connect(m_editAttribute, &QPushButton::clicked, this, &ContactDetail::editAttribute);
    connect(m_removeAttribute, &QPushButton::clicked, this, &ContactDetail::removeAttribute);
    connect(m_attributeView, &QTableView::doubleClicked, this, &ContactDetail::editAttribute);
    onEnter(m_attributeView, this, [this] { editAttribute(); });
    onKeys(m_attributeView, {QKeySequence(Qt::Key_F2)}, this, [this] { editAttribute(); });
    onKeys(m_attributeView, {QKeySequence::Delete}, this, [this] { removeAttribute(); });
    connect(m_attributeView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ContactDetail::updateButtons);
}

void ContactDetail::buildSuggestionBox(QWidget *tab)
{
    // Suggestions waiting for review, shown only when there are some: Enter accepts, F2 edits, Delete
    // rejects.
    m_suggestionBox = new QWidget(tab);
    m_suggestionBox->setObjectName(QStringLiteral("suggestionsBox"));
    m_suggestionView = contactTableView("suggestionsView", m_suggestionBox);
    m_suggestionView->setModel(m_suggestions);
    m_suggestionView->horizontalHeader()->setSectionResizeMode(SuggestionListModel::Key,
                                                               QHeaderView::ResizeToContents);
    m_suggestionView->horizontalHeader()->setSectionResizeMode(SuggestionListModel::Value,
                                                               QHeaderView::Stretch);
    m_suggestionView->horizontalHeader()->setStretchLastSection(false);
    m_suggestionView->horizontalHeader()->setSectionResizeMode(SuggestionListModel::Suggested,
                                                               QHeaderView::ResizeToContents);
    m_suggestionTitle = sectionLabel(QString(), m_suggestionView, m_suggestionBox);
    m_suggestionTitle->setObjectName(QStringLiteral("suggestionsTitle"));
    m_acceptSuggestion =
        button("acceptSuggestionButton", tr("&Accept"), QStringLiteral("dialog-ok"), m_suggestionBox);
    m_acceptSuggestion->setToolTip(
        withShortcut(tr("Save the suggestion as a confirmed attribute"), QKeySequence(Qt::Key_Return)));
    m_editSuggestion = button("editSuggestionButton", tr("Ed&it and accept..."),
                              QStringLiteral("document-edit"), m_suggestionBox);
    m_editSuggestion->setToolTip(
        withShortcut(tr("Correct the value, then save it"), QKeySequence(Qt::Key_F2)));
    m_rejectSuggestion =
        button("rejectSuggestionButton", tr("&Reject"), QStringLiteral("process-stop"), m_suggestionBox);
    m_rejectSuggestion->setToolTip(
        withShortcut(tr("Discard the suggestion; nothing is saved"), QKeySequence::Delete));
    connect(m_acceptSuggestion, &QPushButton::clicked, this, &ContactDetail::acceptSuggestion);
    connect(m_editSuggestion, &QPushButton::clicked, this, &ContactDetail::editSuggestion);
    connect(m_rejectSuggestion, &QPushButton::clicked, this, &ContactDetail::rejectSuggestion);
    connect(m_suggestionView, &QTableView::doubleClicked, this, &ContactDetail::editSuggestion);
    onEnter(m_suggestionView, this, [this] { acceptSuggestion(); });
    onKeys(m_suggestionView, {QKeySequence(Qt::Key_F2)}, this, [this] { editSuggestion(); });
    onKeys(m_suggestionView, {QKeySequence::Delete}, this, [this] { rejectSuggestion(); });
    connect(m_suggestionView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ContactDetail::updateButtons);
    auto *suggestionLayout = new QVBoxLayout(m_suggestionBox);
    suggestionLayout->setContentsMargins(0, kSpacing, 0, 0);
    suggestionLayout->setSpacing(kSpacing);
    suggestionLayout->addWidget(m_suggestionTitle);
    suggestionLayout->addWidget(m_suggestionView, 1);
    suggestionLayout->addLayout(buttonRow({m_acceptSuggestion, m_editSuggestion, m_rejectSuggestion}));
}

QWidget *ContactDetail::buildNotesTab()
{
    auto *tab = new QWidget(m_tabs);
    tab->setObjectName(QStringLiteral("notesTab"));
    m_noteView = new QListView(tab);
    m_noteView->setObjectName(QStringLiteral("contactNotesView"));
    m_noteView->setModel(m_notes);
    m_noteView->setWordWrap(true);
    m_noteView->setAlternatingRowColors(true);
    m_noteView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_noteView->setSpacing(kSpacing / 2);

    // A note can run to a few lines: a plain-text field, saved with Ctrl+Enter (Enter is a new line).
    m_noteEdit = new QPlainTextEdit(tab);
    m_noteEdit->setObjectName(QStringLiteral("contactNoteEdit"));
    m_noteEdit->setTabChangesFocus(true);
    m_noteEdit->setPlaceholderText(
        tr("A note about this customer: a preference, a promise, what to bring..."));
    m_noteEdit->setMaximumHeight(m_noteEdit->fontMetrics().lineSpacing() * 3 + 2 * kSpacing);
    m_addNote = button("addContactNoteButton", tr("Add note"), QStringLiteral("list-add"), tab);
    m_addNote->setToolTip(withShortcut(tr("Save the note on the customer"), kAddNoteKey));
    connect(m_addNote, &QPushButton::clicked, this, &ContactDetail::addNote);
    connect(m_noteEdit, &QPlainTextEdit::textChanged, this, &ContactDetail::updateButtons);
    for (const QKeySequence &key : {kAddNoteKey, QKeySequence(Qt::CTRL | Qt::Key_Enter)})
        new QShortcut(key, m_noteEdit, this, &ContactDetail::addNote, Qt::WidgetShortcut);

    auto *layout = tabLayout(tab);
    layout->addWidget(m_noteView, 1);
    layout->addWidget(sectionLabel(tr("Ne&w note:"), m_noteEdit, tab));
    auto *row = new QHBoxLayout;
    row->setSpacing(kSpacing);
    row->addWidget(m_noteEdit, 1);
    row->addWidget(m_addNote, 0, Qt::AlignTop);
    layout->addLayout(row);
    return tab;
}

QWidget *ContactDetail::buildTicketsTab()
{
    auto *tab = new QWidget(m_tabs);
    tab->setObjectName(QStringLiteral("ticketsTab"));
    m_ticketView = contactTableView("contactTicketsView", tab);
    m_ticketView->setModel(m_tickets);
    m_ticketView->setItemDelegateForColumn(ContactTicketsModel::Status, new BadgeDelegate(m_ticketView));
    m_ticketView->horizontalHeader()->setSectionResizeMode(ContactTicketsModel::When,
                                                           QHeaderView::ResizeToContents);
    m_ticketView->horizontalHeader()->setSectionResizeMode(ContactTicketsModel::Status,
                                                           QHeaderView::ResizeToContents);
    m_ticketView->setToolTip(withShortcut(tr("Open a ticket"), QKeySequence(Qt::Key_Return)));
    connect(m_ticketView, &QTableView::doubleClicked, this, &ContactDetail::openSelectedTicket);
    onEnter(m_ticketView, this, [this] { openSelectedTicket(); });
    tabLayout(tab)->addWidget(m_ticketView);
    return tab;
}

QWidget *ContactDetail::buildInvoicesTab()
{
    auto *tab = new QWidget(m_tabs);
    tab->setObjectName(QStringLiteral("invoicesTab"));
    m_invoiceView = contactTableView("contactInvoicesView", tab);
    m_invoiceView->setModel(m_invoices);
    m_invoiceView->setItemDelegateForColumn(ContactInvoicesModel::Status, new BadgeDelegate(m_invoiceView));
    m_invoiceView->horizontalHeader()->setSectionResizeMode(ContactInvoicesModel::Date,
                                                            QHeaderView::ResizeToContents);
    m_invoiceView->horizontalHeader()->setSectionResizeMode(ContactInvoicesModel::Status,
                                                            QHeaderView::ResizeToContents);
    m_invoiceSummary = new QLabel(tab);
    m_invoiceSummary->setObjectName(QStringLiteral("contactInvoicesSummary"));
    m_invoiceSummary->setWordWrap(true);
    auto *layout = tabLayout(tab);
    layout->addWidget(m_invoiceView, 1);
    layout->addWidget(m_invoiceSummary);
    return tab;
}

void ContactDetail::clear()
{
    m_contactId = QUuid();
    m_addresses->setAddresses({});
    m_attributes->setAttributes({});
    m_suggestions->setSuggestions({}, {});
    m_notes->setNotes({});
    m_tickets->setTickets({}, {});
    m_invoices->setInvoices({});
    updateButtons();
}

bool ContactDetail::showContact(const QUuid &contactId)
{
    if (contactId.isNull()) {
        clear();
        return false;
    }
    auto contact = m_context.core().contacts.getWithAddresses(contactId);
    if (!contact) {
        clear();
        return false;
    }
    const bool sameContact = contactId == m_contactId;
    const int attributeRow = sameContact ? m_attributeView->currentIndex().row() : -1;
    const int suggestionRow = sameContact ? m_suggestionView->currentIndex().row() : -1;
    if (!sameContact)
        m_noteEdit->clear(); // a half-typed note belongs to the customer it was typed for
    m_contactId = contactId;

    showHeader(contact->contact);
    readParts(*contact);
    showCounts();
    showInvoiceSummary();

    m_history->showEntity(QStringLiteral("contact"), contactId);
    restoreRow(m_attributeView, attributeRow);
    restoreRow(m_suggestionView, suggestionRow);
    updateButtons();
    return true;
}

void ContactDetail::showHeader(const Contact &contact)
{
    m_name->setText(contact.name);
    QStringList info;
    if (contact.phone)
        info << *contact.phone;
    if (contact.email)
        info << *contact.email;
    m_info->setText(info.isEmpty() ? tr("No phone or e-mail") : info.join(QStringLiteral("  \u00b7  ")));
    m_contactNotes->setText(contact.notes.value_or(QString()));
    m_contactNotes->setVisible(contact.notes.has_value());
}

void ContactDetail::readParts(const ContactWithAddresses &contact)
{
    const Core &core = m_context.core();
    const QUuid &contactId = contact.contact.id;
    m_addresses->setAddresses(contact.addresses);

    // Each part read on its own: one that cannot be read is named, the others still show.
    QStringList failures;
    auto attributes = core.attributes.getAttributes(contactId);
    if (!attributes)
        failures << tr("attributes: %1").arg(attributes.error().toString());
    const QList<Attribute> confirmed = attributes ? *attributes : QList<Attribute>();
    m_attributes->setAttributes(confirmed);
    auto suggestions = m_context.core().extractionQueue.openSuggestions(contactId);
    if (!suggestions)
        failures << tr("suggestions: %1").arg(suggestions.error().toString());
    m_suggestions->setSuggestions(suggestions ? *suggestions : QList<AttributeSuggestion>(), confirmed);
    auto notes = core.notes.listForContact(contactId);
    if (!notes)
        failures << tr("notes: %1").arg(notes.error().toString());
    m_notes->setNotes(notes ? *notes : QList<Note>());
    auto tickets = core.tickets.listForContact(contactId);
    if (!tickets)
        failures << tr("tickets: %1").arg(tickets.error().toString());
    m_tickets->setTickets(tickets ? *tickets : QList<Ticket>(), contact.addresses);
    auto invoices = core.invoices.listForContact(contactId);
    if (!invoices)
        failures << tr("invoices: %1").arg(invoices.error().toString());
    m_invoices->setInvoices(invoices ? *invoices : QList<Invoice>());
    m_loadError->setText(tr("Could not read %1").arg(failures.join(QStringLiteral("; "))));
    m_loadError->setVisible(!failures.isEmpty());
}

void ContactDetail::showCounts()
{
    const int suggestionCount = m_suggestions->rowCount();
    m_suggestionBox->setVisible(suggestionCount > 0);
    // Plurals spelled out: without a translation loaded, %n plurals read "2 suggestion(s)".
    m_suggestionTitle->setText(suggestionCount == 1
                                   ? tr("1 suggestion from job notes to review")
                                   : tr("%1 suggestions from job notes to review").arg(suggestionCount));
    m_noAttributes->setVisible(m_attributes->rowCount() == 0);
    m_tabs->setTabText(m_tabs->indexOf(m_profileTab), suggestionCount > 0
                                                          ? tr("&Profile (%1 to review)").arg(suggestionCount)
                                                          : tr("&Profile"));
    m_tabs->setTabText(m_tabs->indexOf(m_notesTab), tr("&Notes (%1)").arg(m_notes->rowCount()));
    m_tabs->setTabText(m_tabs->indexOf(m_ticketsTab), tr("&Tickets (%1)").arg(m_tickets->rowCount()));
    m_tabs->setTabText(m_tabs->indexOf(m_invoicesTab), tr("In&voices (%1)").arg(m_invoices->rowCount()));
}

void ContactDetail::showInvoiceSummary()
{
    qint64 unpaid = 0;
    int unpaidCount = 0;
    for (const Invoice &invoice : m_invoices->invoices()) {
        if (invoice.status == InvoiceStatus::Sent) {
            unpaid += invoice.totalAmount.cents();
            ++unpaidCount;
        }
    }
    if (m_invoices->rowCount() == 0)
        m_invoiceSummary->setText(tr("No invoices yet."));
    else if (unpaidCount == 0)
        m_invoiceSummary->setText(tr("Nothing owed."));
    else if (unpaidCount == 1)
        m_invoiceSummary->setText(tr("1 invoice sent and not yet paid: %1").arg(formatMoney(unpaid)));
    else
        m_invoiceSummary->setText(
            tr("%1 invoices sent and not yet paid: %2").arg(unpaidCount).arg(formatMoney(unpaid)));
}

void ContactDetail::updateButtons()
{
    const bool attribute = m_attributeView->currentIndex().isValid();
    m_editAttribute->setEnabled(attribute);
    m_removeAttribute->setEnabled(attribute);
    const bool suggestion = m_suggestionView->currentIndex().isValid();
    m_acceptSuggestion->setEnabled(suggestion);
    m_editSuggestion->setEnabled(suggestion);
    m_rejectSuggestion->setEnabled(suggestion);
    m_addNote->setEnabled(!m_contactId.isNull() && !m_noteEdit->toPlainText().trimmed().isEmpty());
}

void ContactDetail::editAttribute()
{
    const QModelIndex current = m_attributeView->currentIndex();
    if (!current.isValid())
        return;
    const Attribute attribute = m_attributes->at(current.row());
    auto *dialog = new AttributeValueDialog(attribute.key, attribute.value, QJsonValue::Undefined, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QUuid contactId = m_contactId;
    connect(dialog, &QDialog::accepted, this, [this, dialog, attribute, contactId] {
        // The note the value came from stays linked: an edit corrects the value, not where it was learnt.
        auto saved = m_context.core().attributes.setAttribute(
            {contactId, attribute.key, dialog->value(), attribute.sourceNoteId});
        if (!saved) {
            showError(this, tr("Could not change %1").arg(humanizeKey(attribute.key)), saved.error());
            return;
        }
    });
    dialog->open();
}

void ContactDetail::removeAttribute()
{
    const QModelIndex current = m_attributeView->currentIndex();
    if (!current.isValid())
        return;
    const QString key = m_attributes->at(current.row()).key;
    // No confirmation: the audit history keeps the value, and a question per attribute would slow down
    // tidying a profile.
    if (const Status removed = m_context.core().attributes.removeAttribute(m_contactId, key); !removed) {
        showError(this, tr("Could not remove %1").arg(humanizeKey(key)), removed.error());
        return;
    }
}

QUuid ContactDetail::selectedSuggestion() const
{
    const QModelIndex current = m_suggestionView->currentIndex();
    return current.isValid() ? current.data(SuggestionListModel::IdRole).toUuid() : QUuid();
}

void ContactDetail::acceptSuggestion()
{
    const QUuid id = selectedSuggestion();
    if (id.isNull())
        return;
    if (auto saved = m_context.core().extractionQueue.accept(id); !saved) {
        showError(this, tr("Could not accept the suggestion"), saved.error());
        return;
    }
}

void ContactDetail::editSuggestion()
{
    const QModelIndex current = m_suggestionView->currentIndex();
    if (!current.isValid())
        return;
    const AttributeSuggestion suggestion = m_suggestions->at(current.row());
    auto *dialog = new AttributeValueDialog(suggestion.key, suggestion.value,
                                            m_suggestions->currentValue(suggestion.key), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, id = suggestion.id] {
        if (auto saved = m_context.core().extractionQueue.acceptEdited(id, dialog->value()); !saved) {
            showError(this, tr("Could not save the corrected suggestion"), saved.error());
            return;
        }
    });
    dialog->open();
}

void ContactDetail::rejectSuggestion()
{
    const QUuid id = selectedSuggestion();
    if (id.isNull())
        return;
    if (const Status rejected = m_context.core().extractionQueue.reject(id); !rejected) {
        showError(this, tr("Could not reject the suggestion"), rejected.error());
        return;
    }
}

void ContactDetail::addNote()
{
    const QString text = m_noteEdit->toPlainText().trimmed();
    if (m_contactId.isNull() || text.isEmpty())
        return;
    NoteCreate note;
    note.contactId = m_contactId;
    note.content = text;
    if (auto saved = m_context.core().notes.create(note); !saved) {
        // The text stays in the field to correct or copy.
        showError(this, tr("Could not add the note"), saved.error());
        return;
    }
    m_noteEdit->clear();
}

void ContactDetail::openSelectedTicket()
{
    const QModelIndex current = m_ticketView->currentIndex();
    if (current.isValid())
        Q_EMIT m_context.openTicketRequested(current.data(ContactTicketsModel::IdRole).toUuid());
}
} // namespace fb::ui
