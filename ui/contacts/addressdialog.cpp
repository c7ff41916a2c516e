#include "addressdialog.h"

#include "common/feedback.h"
#include "models/validation.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

QLineEdit *lineEdit(const char *name, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    return edit;
}

std::optional<QString> optionalText(const QString &text)
{
    return text.trimmed().isEmpty() ? std::nullopt : std::optional<QString>(text);
}

} // namespace

AddressDialog::AddressDialog(const Address &address, QWidget *parent)
    : EditDialog(parent), m_address(address), m_label(lineEdit("labelEdit", this)),
      m_street(lineEdit("streetEdit", this)), m_city(lineEdit("cityEdit", this)),
      m_state(lineEdit("stateEdit", this)), m_zip(lineEdit("zipEdit", this)),
      m_notes(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("addressDialog"));
    setWindowTitle(address.street.isEmpty() ? tr("New address") : tr("Edit address"));
    m_notes->setObjectName(QStringLiteral("addressNotesEdit"));
    m_notes->setTabChangesFocus(true);
    m_notes->setPlaceholderText(tr("Gate code, where to park, the dog's name..."));
    m_notes->setMaximumHeight(m_notes->fontMetrics().lineSpacing() * 4 + 2 * kSpacing);
    m_label->setPlaceholderText(tr("Home, Office, Rental..."));

    m_label->setText(address.label.value_or(QString()));
    m_street->setText(address.street);
    m_city->setText(address.city);
    m_state->setText(address.state);
    m_zip->setText(address.zip);
    m_notes->setPlainText(address.notes.value_or(QString()));

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Label:"), m_fieldErrors.add(QStringLiteral("label"), tr("Label"), m_label));
    form->addRow(tr("&Street:"), m_fieldErrors.add(QStringLiteral("street"), tr("Street"), m_street));
    form->addRow(tr("&City:"), m_fieldErrors.add(QStringLiteral("city"), tr("City"), m_city));
    form->addRow(tr("S&tate:"), m_fieldErrors.add(QStringLiteral("state"), tr("State"), m_state));
    form->addRow(tr("&ZIP:"), m_fieldErrors.add(QStringLiteral("zip"), tr("ZIP"), m_zip));
    form->addRow(tr("&Notes:"), m_fieldErrors.add(QStringLiteral("notes"), tr("Notes"), m_notes));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("addressOkButton"));
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &AddressDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddressDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(56 * kSpacing);
    markUnchanged();
    m_street->setFocus();
}

Address AddressDialog::address() const
{
    Address a = m_address;
    a.label = optionalText(m_label->text());
    a.street = m_street->text();
    a.city = m_city->text();
    a.state = m_state->text();
    a.zip = m_zip->text();
    a.notes = optionalText(m_notes->toPlainText());
    return a;
}

Status AddressDialog::check(const Address &address)
{
    // The order and the field names of AddressService::create.
    FB_TRY(validate::shortText(address.label, QStringLiteral("label")));
    FB_TRY(validate::requiredText(address.street, QStringLiteral("street")));
    FB_TRY(validate::requiredText(address.city, QStringLiteral("city")));
    FB_TRY(validate::requiredText(address.state, QStringLiteral("state")));
    FB_TRY(validate::requiredText(address.zip, QStringLiteral("zip")));
    FB_TRY(validate::longText(address.notes, QStringLiteral("notes")));
    return {};
}

void AddressDialog::focusField(const QString &field)
{
    QWidget *widget = m_street;
    if (field == QLatin1String("label"))
        widget = m_label;
    else if (field == QLatin1String("city"))
        widget = m_city;
    else if (field == QLatin1String("state"))
        widget = m_state;
    else if (field == QLatin1String("zip"))
        widget = m_zip;
    else if (field == QLatin1String("notes"))
        widget = m_notes;
    widget->setFocus();
}

void AddressDialog::accept()
{
    m_fieldErrors.clear();
    if (const Status checked = check(address()); !checked) {
        if (!m_fieldErrors.show(checked.error())) {
            focusField(checked.error().field);
            showError(this, tr("This address is not complete"), checked.error());
        }
        return;
    }
    QDialog::accept();
}

} // namespace fb::ui
