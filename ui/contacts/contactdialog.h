#pragma once

#include "common/fielderror.h"
#include "models/contact.h"

#include <QList>
#include <QUuid>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QVBoxLayout;

namespace fb {
struct ContactForm;
struct Error;
} // namespace fb

namespace fb::ui {

class AddressListModel;
class UiContext;

/// Creates (a null id) or edits a customer with their addresses. After accept(), contactId() is the saved
/// customer's id.
///
/// The customer and every address change are saved together when Save is pressed, in one call
/// (ContactService::save): either all of it is stored or, when the core refuses something (its error names
/// the field, or the address in words), none of it and the dialog stays open with what was typed. A refused
/// field says why under it, in words ("E-mail: 'dana@' is not a valid e-mail address"); Escape with changes
/// asks before discarding them (EditDialog), added, edited or removed addresses included.
class ContactDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactDialog)

public:
    ContactDialog(UiContext &context, const QUuid &contactId, QWidget *parent = nullptr);
    QUuid contactId() const { return m_contactId; }

public Q_SLOTS:
    /// Validates and saves through the services; closes only when everything was saved.
    void save();
    void addAddress();
    void editAddress();
    void removeAddress();

private:
    QFormLayout *buildContactForm();
    void buildAddresses(QVBoxLayout *layout);
    QVBoxLayout *buildAddressButtons();
    QDialogButtonBox *buildButtons();
    void load();
    /// What the dialog holds, for ContactService::save().
    ContactForm form() const;
    /// Points at what Save refused: the customer's field, or the address the error names.
    void showSaveError(const Error &error);
    void openAddressEditor(int row);
    void focusContactField(const QString &field);
    void updateAddressState();
    QString extraState() const override;

    UiContext &m_context;
    QUuid m_contactId;
    AddressListModel *m_addresses;
    /// Saved addresses removed in the dialog; removed from the database on Save.
    QList<Address> m_removedAddresses;
    /// Saved addresses edited in the dialog.
    QList<QUuid> m_changedAddresses;

    QLineEdit *m_name;
    QLineEdit *m_email;
    QLineEdit *m_phone;
    QPlainTextEdit *m_notes;
    QListView *m_addressView;
    QLabel *m_addressHint;
    QLabel *m_addressError;
    QPushButton *m_editAddress;
    QPushButton *m_removeAddress;
    QPushButton *m_save;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
