#include "contactdialog.h"

#include "addressdialog.h"
#include "addresslistmodel.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "db/transaction.h"

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
    : QDialog(parent), m_context(context), m_contactId(contactId), m_addresses(new AddressListModel(this)),
      m_name(lineEdit("nameEdit", this)), m_email(lineEdit("emailEdit", this)),
      m_phone(lineEdit("phoneEdit", this)), m_notes(new QPlainTextEdit(this)),
      m_addressView(new QListView(this)), m_addressHint(new QLabel(this)),
      m_editAddress(new QPushButton(tr("&Edit..."), this)),
      m_removeAddress(new QPushButton(tr("&Remove"), this)), m_save(nullptr)
{
    setObjectName(QStringLiteral("contactDialog"));
    setWindowTitle(contactId.isNull() ? tr("New customer") : tr("Edit customer"));
    setMinimumWidth(70 * kSpacing);

    m_name->setPlaceholderText(tr("Full name (required)"));
    m_email->setPlaceholderText(tr("name@example.com"));
    m_phone->setPlaceholderText(tr("Phone number"));
    m_notes->setObjectName(QStringLiteral("notesEdit"));
    m_notes->setTabChangesFocus(true);
    m_notes->setMaximumHeight(m_notes->fontMetrics().lineSpacing() * 4 + 2 * kSpacing);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("E-&mail:"), m_email);
    form->addRow(tr("&Phone:"), m_phone);
    form->addRow(tr("N&otes:"), m_notes);

    // Addresses: the list and its buttons; Enter edits, Insert adds and Delete removes within the list.
    m_addressView->setObjectName(QStringLiteral("addressesView"));
    m_addressView->setModel(m_addresses);
    m_addressView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_addressView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_addressView->setMinimumHeight(12 * kSpacing);
    auto *addressesLabel = new QLabel(tr("&Addresses:"), this);
    addressesLabel->setBuddy(m_addressView);

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
    auto *addressRow = new QHBoxLayout;
    addressRow->setSpacing(kSpacing);
    addressRow->addWidget(m_addressView, 1);
    addressRow->addLayout(addressButtons);

    m_addressHint->setObjectName(QStringLiteral("addressHint"));
    m_addressHint->setWordWrap(true);
    m_addressHint->setText(tr("No address yet: add one, or this customer cannot be booked."));
    QFont hintFont = m_addressHint->font();
    hintFont.setItalic(true);
    m_addressHint->setFont(hintFont);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setToolTip(withShortcut(tr("Save the customer and their addresses"), QKeySequence::Save));
    connect(buttons, &QDialogButtonBox::accepted, this, &ContactDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &ContactDialog::reject);
    new QShortcut(QKeySequence::Save, this, this, &ContactDialog::save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(form);
    layout->addSpacing(kSpacing);
    layout->addWidget(addressesLabel);
    layout->addLayout(addressRow, 1);
    layout->addWidget(m_addressHint);
    layout->addSpacing(kSpacing);
    layout->addWidget(buttons);

    connect(m_addresses, &QAbstractItemModel::rowsInserted, this, &ContactDialog::updateAddressState);
    connect(m_addresses, &QAbstractItemModel::rowsRemoved, this, &ContactDialog::updateAddressState);
    connect(m_addresses, &QAbstractItemModel::modelReset, this, &ContactDialog::updateAddressState);
    connect(m_addressView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ContactDialog::updateAddressState);

    load();
    updateAddressState();
    m_name->setFocus();
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

Result<QUuid> ContactDialog::write(int &failedAddressRow)
{
    Core &core = m_context.core();
    failedAddressRow = -1;
    QUuid id = m_contactId;
    if (id.isNull()) {
        ContactCreate fields;
        fields.name = m_name->text();
        fields.email = m_email->text();
        fields.phone = m_phone->text();
        fields.notes = m_notes->toPlainText();
        auto created = core.contacts.create(fields);
        if (!created)
            return created.error();
        id = created->id;
    } else {
        // Every field is sent: the service stores (and audits) only what differs; an empty text clears.
        ContactUpdate fields;
        fields.name = m_name->text();
        fields.email = m_email->text();
        fields.phone = m_phone->text();
        fields.notes = m_notes->toPlainText();
        if (auto updated = core.contacts.update(id, fields); !updated)
            return updated.error();
    }

    for (int i = 0; i < m_removedAddresses.size(); ++i) {
        if (auto removed = core.addresses.remove(m_removedAddresses.at(i).id); !removed) {
            failedAddressRow = -2 - i; // a removed address: see save()
            return removed.error();
        }
    }
    for (int row = 0; row < m_addresses->rowCount(); ++row) {
        const Address &address = m_addresses->at(row);
        if (address.id.isNull()) {
            AddressCreate fields;
            fields.contactId = id;
            fields.label = address.label;
            fields.street = address.street;
            fields.city = address.city;
            fields.state = address.state;
            fields.zip = address.zip;
            fields.notes = address.notes;
            if (auto created = core.addresses.create(fields); !created) {
                failedAddressRow = row;
                return created.error();
            }
        } else if (m_changedAddresses.contains(address.id)) {
            AddressUpdate fields;
            fields.label = address.label.value_or(QString());
            fields.street = address.street;
            fields.city = address.city;
            fields.state = address.state;
            fields.zip = address.zip;
            fields.notes = address.notes.value_or(QString());
            if (auto updated = core.addresses.update(address.id, fields); !updated) {
                failedAddressRow = row;
                return updated.error();
            }
        }
    }
    return id;
}

void ContactDialog::save()
{
    if (!m_save->isEnabled())
        return;
    Core &core = m_context.core();
    int failedRow = -1;
    // Design choice: the services commit one entity each; the dialog's outer transaction turns theirs into
    // savepoints, so a refused address also takes back the customer created a moment before. Nothing is
    // half-written, and nothing is delivered to the event handlers until this commits.
    const Result<QUuid> saved = [&]() -> Result<QUuid> {
        Transaction tx(core.db());
        FB_TRY(tx.began());
        auto written = write(failedRow);
        if (written)
            FB_TRY(tx.commit());
        return written;
    }();
    if (!saved) {
        const Error &error = saved.error();
        if (failedRow >= 0) {
            const Address address = m_addresses->at(failedRow);
            m_addressView->setCurrentIndex(m_addresses->index(failedRow));
            m_addressView->setFocus();
            showError(this, tr("Could not save the address %1").arg(AddressListModel::describe(address)),
                      error);
        } else if (failedRow <= -2) {
            // The address cannot go (a ticket uses it): it is back in the list, as it still is in the
            // database.
            const Address address = m_removedAddresses.takeAt(-2 - failedRow);
            m_addresses->append(address);
            showError(this, tr("Could not remove the address %1").arg(AddressListModel::describe(address)),
                      error);
        } else {
            focusContactField(error.field);
            showError(this, tr("Could not save the customer"), error);
        }
        return;
    }
    core.bus().deliverPending();
    m_contactId = *saved;
    m_removedAddresses.clear();
    m_changedAddresses.clear();
    m_context.notifyChanged();
    accept();
}

} // namespace fb::ui
