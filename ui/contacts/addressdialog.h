#pragma once

#include "common/fielderror.h"
#include "models/address.h"
#include "util/result.h"

class QLineEdit;
class QPlainTextEdit;

namespace fb::ui {

/// Edits one address of a customer in ContactDialog. Nothing is saved here: ContactDialog saves the customer
/// and all its addresses together. OK checks the address with the core's own rules (the same messages the
/// service gives) so a mistake is named under its field, in words, while the address is still open; Escape
/// with changes asks before discarding them (EditDialog).
class AddressDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddressDialog)

public:
    explicit AddressDialog(const Address &address, QWidget *parent = nullptr);

    /// The edited address (id and contact as given).
    Address address() const;

    /// The core's validation of an address's fields, field named as the service names it.
    static Status check(const Address &address);

    /// Focuses the field the core named (street, city, state, zip, label, notes).
    void focusField(const QString &field);

    void accept() override;

private:
    Address m_address;
    QLineEdit *m_label;
    QLineEdit *m_street;
    QLineEdit *m_city;
    QLineEdit *m_state;
    QLineEdit *m_zip;
    QPlainTextEdit *m_notes;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
