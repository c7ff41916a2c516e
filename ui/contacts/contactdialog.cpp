#include "contactdialog.h"

#include "addressdialog.h"
#include "addresslistmodel.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

QLineEdit *lineEdit(const char *name, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    return edit;
}

} // namespace

ContactDialog::ContactDialog(UiContext &context, const QUuid &contactId, QWidget *parent)
    : EditDialog(parent), m_context(context), m_contactId(contactId), m_addresses(new AddressListModel(this)),
      m_name(lineEdit("nameEdit", this)), m_email(lineEdit("emailEdit", this)),
      m_phone(lineEdit("phoneEdit", this)), m_notes(new QPlainTextEdit(this)),
      m_addressView(new QListView(this)), m_addressHint(new QLabel(this)), m_addressError(new QLabel(this)),
      m_editAddress(new QPushButton(tr("&Edit..."), this)),
      m_removeAddress(new QPushButton(tr("&Remove"), this)), m_save(nullptr)
{
    setObjectName(QStringLiteral("contactDialog"));
    setWindowTitle(contactId.isNull() ? tr("New customer") : tr("Edit customer"));
    setMinimumWidth(70 * kSpacing);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(buildContactForm());
    layout->addSpacing(kSpacing);
    buildAddresses(layout);
    layout->addSpacing(kSpacing);
    layout->addWidget(buildButtons());

    connect(m_addresses, &QAbstractItemModel::rowsInserted, this, &ContactDialog::updateAddressState);
    connect(m_addresses, &QAbstractItemModel::rowsRemoved, this, &ContactDialog::updateAddressState);
    connect(m_addresses, &QAbstractItemModel::modelReset, this, &ContactDialog::updateAddressState);
    connect(m_addressView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ContactDialog::updateAddressState);

    load();
    updateAddressState();
    markUnchanged();
    m_name->setFocus();
}

QFormLayout *ContactDialog::buildContactForm()
{
    m_name->setPlaceholderText(tr("Full name (required)"));
    m_email->setPlaceholderText(tr("name@example.com"));
    m_phone->setPlaceholderText(tr("Phone number"));
    m_notes->setObjectName(QStringLiteral("notesEdit"));
    m_notes->setTabChangesFocus(true);
    m_notes->setMaximumHeight(m_notes->fontMetrics().lineSpacing() * 4 + 2 * kSpacing);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Name:"), m_fieldErrors.add(QStringLiteral("name"), tr("Name"), m_name));
    form->addRow(tr("E-&mail:"), m_fieldErrors.add(QStringLiteral("email"), tr("E-mail"), m_email));
    form->addRow(tr("&Phone:"), m_fieldErrors.add(QStringLiteral("phone"), tr("Phone"), m_phone));
    form->addRow(tr("N&otes:"), m_fieldErrors.add(QStringLiteral("notes"), tr("Notes"), m_notes));
    return form;
}

void ContactDialog::buildAddresses(QVBoxLayout *layout)
{
    // Addresses: the list and its buttons; Enter edits, Insert adds and Delete removes within the list.
    m_addressView->setObjectName(QStringLiteral("addressesView"));
    m_addressView->setModel(m_addresses);
    m_addressView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_addressView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_addressView->setMinimumHeight(12 * kSpacing);
    auto *addressesLabel = new QLabel(tr("&Addresses:"), this);
    addressesLabel->setBuddy(m_addressView);

    auto *addressRow = new QHBoxLayout;
    addressRow->setSpacing(kSpacing);
    addressRow->addWidget(m_addressView, 1);
    addressRow->addLayout(buildAddressButtons());

    m_addressHint->setObjectName(QStringLiteral("addressHint"));
    m_addressHint->setWordWrap(true);
    m_addressHint->setText(tr("No address yet: add one, or this customer cannot be booked."));
    QFont hintFont = m_addressHint->font();
    hintFont.setItalic(true);
    m_addressHint->setFont(hintFont);

    // Why Save refused an address, under the list where that address is selected.
    m_addressError->setObjectName(QStringLiteral("addressError"));
    m_addressError->setWordWrap(true);
    m_addressError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont errorFont = m_addressError->font();
    errorFont.setBold(true);
    m_addressError->setFont(errorFont);
    m_addressError->hide();

    layout->addWidget(addressesLabel);
    layout->addLayout(addressRow, 1);
    layout->addWidget(m_addressHint);
    layout->addWidget(m_addressError);
}

QVBoxLayout *ContactDialog::buildAddressButtons()
{
    auto *add = new QPushButton(themedIcon(QStringLiteral("list-add")), tr("A&dd..."), this);
    add->setObjectName(QStringLiteral("addAddressButton"));
    add->setToolTip(withShortcut(tr("Add an address"), QKeySequence(Qt::Key_Insert)));
    m_editAddress->setObjectName(QStringLiteral("editAddressButton"));
    m_editAddress->setIcon(themedIcon(QStringLiteral("document-edit")));
    m_editAddress->setToolTip(withShortcut(tr("Edit the selected address"), QKeySequence(Qt::Key_Return)));
    m_removeAddress->setObjectName(QStringLiteral("removeAddressButton"));
    m_removeAddress->setIcon(themedIcon(QStringLiteral("list-remove")));
    m_removeAddress->setToolTip(
        withShortcut(tr("Remove the selected address"), QKeySequence(Qt::Key_Delete)));
    // Only Save is the default button: Enter in a field saves, never adds or removes an address.
    for (QPushButton *button : {add, m_editAddress, m_removeAddress})
        button->setAutoDefault(false);
    connect(add, &QPushButton::clicked, this, &ContactDialog::addAddress);
    connect(m_editAddress, &QPushButton::clicked, this, &ContactDialog::editAddress);
    connect(m_removeAddress, &QPushButton::clicked, this, &ContactDialog::removeAddress);
    connect(m_addressView, &QListView::doubleClicked, this, &ContactDialog::editAddress);
    // Widget shortcuts, so Enter on the list edits the address instead of reaching the dialog's default
    // button (Save).
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), m_addressView, this, &ContactDialog::editAddress,
                      Qt::WidgetShortcut);
    new QShortcut(QKeySequence(Qt::Key_Insert), m_addressView, this, &ContactDialog::addAddress,
                  Qt::WidgetShortcut);
    new QShortcut(QKeySequence(Qt::Key_Delete), m_addressView, this, &ContactDialog::removeAddress,
                  Qt::WidgetShortcut);

    auto *addressButtons = new QVBoxLayout;
    addressButtons->setSpacing(kSpacing);
    addressButtons->addWidget(add);
    addressButtons->addWidget(m_editAddress);
    addressButtons->addWidget(m_removeAddress);
    addressButtons->addStretch();
    return addressButtons;
}

QDialogButtonBox *ContactDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setToolTip(withShortcut(tr("Save the customer and their addresses"), QKeySequence::Save));
    connect(buttons, &QDialogButtonBox::accepted, this, &ContactDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &ContactDialog::reject);
    new QShortcut(QKeySequence::Save, this, this, &ContactDialog::save);
    return buttons;
}

void ContactDialog::load()
{
    if (m_contactId.isNull())
        return;
    auto loaded = m_context.core().contacts.getWithAddresses(m_contactId);
    if (!loaded) {
        m_save->setEnabled(false);
        showError(this, tr("Could not open the customer"), loaded.error());
        return;
    }
    const Contact &contact = loaded->contact;
    m_name->setText(contact.name);
    m_email->setText(contact.email.value_or(QString()));
    m_phone->setText(contact.phone.value_or(QString()));
    m_notes->setPlainText(contact.notes.value_or(QString()));
    m_addresses->setAddresses(loaded->addresses);
    if (m_addresses->rowCount() > 0)
        m_addressView->setCurrentIndex(m_addresses->index(0));
}

void ContactDialog::updateAddressState()
{
    const bool selected = m_addressView->currentIndex().isValid();
    m_editAddress->setEnabled(selected);
    m_removeAddress->setEnabled(selected);
    m_addressHint->setVisible(m_addresses->rowCount() == 0);
}

void ContactDialog::addAddress()
{
    openAddressEditor(-1);
}

void ContactDialog::editAddress()
{
    const QModelIndex current = m_addressView->currentIndex();
    if (current.isValid())
        openAddressEditor(current.row());
}

void ContactDialog::removeAddress()
{
    const QModelIndex current = m_addressView->currentIndex();
    if (!current.isValid())
        return;
    // Nothing is removed until Save, so Cancel brings it back: no confirmation needed.
    const Address address = m_addresses->at(current.row());
    if (!address.id.isNull()) {
        m_removedAddresses.append(address);
        m_changedAddresses.removeAll(address.id);
    }
    m_addresses->removeAt(current.row());
}

void ContactDialog::openAddressEditor(int row)
{
    Address draft;
    if (row >= 0)
        draft = m_addresses->at(row);
    auto *editor = new AddressDialog(draft, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    // The row is looked up again by id (or position for a new draft) when it closes; the list cannot change
    // meanwhile because the editor is modal to this dialog.
    connect(editor, &QDialog::accepted, this, [this, editor, row] {
        const Address edited = editor->address();
        if (row < 0) {
            m_addresses->append(edited);
            m_addressView->setCurrentIndex(m_addresses->index(m_addresses->rowCount() - 1));
        } else {
            m_addresses->replace(row, edited);
            if (!edited.id.isNull() && !m_changedAddresses.contains(edited.id))
                m_changedAddresses.append(edited.id);
        }
        m_addressView->setFocus();
    });
    editor->open();
}

void ContactDialog::focusContactField(const QString &field)
{
    if (field == QLatin1String("email"))
        m_email->setFocus();
    else if (field == QLatin1String("phone"))
        m_phone->setFocus();
    else if (field == QLatin1String("notes"))
        m_notes->setFocus();
    else
        m_name->setFocus();
}

QString ContactDialog::extraState() const
{
    // The addresses are edited in their own dialog: what the list holds, and what Save would remove.
    QStringList state;
    for (int row = 0; row < m_addresses->rowCount(); ++row) {
        const Address &a = m_addresses->at(row);
        state << QStringList{a.id.toString(), a.label.value_or(QString()), a.street, a.city, a.state,
                             a.zip,           a.notes.value_or(QString())}
                     .join(QChar(0x1f));
    }
    state << QString::number(m_removedAddresses.size());
    return state.join(QChar(0x1e));
}

ContactForm ContactDialog::form() const
{
    ContactForm form;
    form.id = m_contactId;
    form.name = m_name->text();
    form.email = m_email->text();
    form.phone = m_phone->text();
    form.notes = m_notes->toPlainText();
    for (int row = 0; row < m_addresses->rowCount(); ++row) {
        const Address &address = m_addresses->at(row);
        form.addresses.append({address, m_changedAddresses.contains(address.id)});
    }
    form.removedAddresses = m_removedAddresses;
    return form;
}

void ContactDialog::save()
{
    if (!m_save->isEnabled())
        return;
    m_addressError->hide();
    m_fieldErrors.clear();
    // One call, one transaction: a refused address also takes back the customer's changes.
    const Result<Contact> saved = m_context.core().contacts.save(form());
    if (!saved) {
        showSaveError(saved.error());
        return;
    }
    m_contactId = saved->id;
    m_removedAddresses.clear();
    m_changedAddresses.clear();
    accept();
}

void ContactDialog::showSaveError(const Error &error)
{
    const AddressAtFault fault = ContactService::addressAtFault(error);
    if (fault.index < 0) {
        if (m_fieldErrors.show(error))
            return;
        focusContactField(error.field);
        showError(this, tr("Could not save the customer"), error);
        return;
    }
    // The error names the address in words; it is shown under the list too, with that address selected.
    m_addressError->setText(error.message);
    m_addressError->show();
    if (fault.removed) {
        // The address cannot go (a ticket uses it): it is back in the list, as it still is in the database.
        const Address address = m_removedAddresses.takeAt(fault.index);
        m_addresses->append(address);
        m_addressView->setCurrentIndex(m_addresses->index(m_addresses->rowCount() - 1));
        showError(this, tr("Could not remove the address %1").arg(AddressListModel::describe(address)),
                  error.message);
    } else {
        const Address address = m_addresses->at(fault.index);
        m_addressView->setCurrentIndex(m_addresses->index(fault.index));
        m_addressView->setFocus();
        showError(this, tr("Could not save the address %1").arg(AddressListModel::describe(address)),
                  error.message);
    }
}

} // namespace fb::ui
