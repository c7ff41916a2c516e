#pragma once

#include "models/contact.h"

#include <QDialog>
#include <QList>
#include <QUuid>

class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;

namespace fb {
struct Error;
}

namespace fb::ui {

class AddressListModel;
class UiContext;

/// Creates (a null id) or edits a customer with their addresses. After accept(), contactId() is the saved
/// customer's id.
///
/// The customer and every address change are saved together when Save is pressed, in one transaction:
/// either all of it is stored or, when the core refuses something (its error names the field), none of it and
/// the dialog stays open with what was typed.
class ContactDialog final : public QDialog
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
    void load();
    /// The writes, in order: the customer, then removed, changed and new addresses. The caller holds the
    /// transaction. On failure `failedAddressRow` names the address at fault (-1: the customer's fields).
    Result<QUuid> write(int &failedAddressRow);
    void openAddressEditor(int row);
    void focusContactField(const QString &field);
    void updateAddressState();

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
    QPushButton *m_editAddress;
    QPushButton *m_removeAddress;
    QPushButton *m_save;
};

} // namespace fb::ui
