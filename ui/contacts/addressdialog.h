#pragma once

#include "models/address.h"
#include "util/result.h"

#include <QDialog>

class QLineEdit;
class QPlainTextEdit;

namespace fb::ui {

/// Edits one address of a customer in ContactDialog. Nothing is saved here: ContactDialog saves the customer
/// and all its addresses together. OK checks the address with the core's own rules (the same messages the
/// service gives) so a mistake is named while the address is still open.
class AddressDialog final : public QDialog
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
};

} // namespace fb::ui
