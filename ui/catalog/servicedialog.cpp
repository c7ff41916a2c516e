#include "servicedialog.h"

#include "common/feedback.h"
#include "common/fielderror.h"
#include "common/moneytext.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "models/validation.h"
#include "servicelistmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
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

ServiceDialog::ServiceDialog(UiContext &context, const QUuid &serviceId, QWidget *parent)
    : EditDialog(parent), m_context(context), m_serviceId(serviceId), m_form(new QFormLayout),
      m_name(lineEdit("nameEdit", this)), m_description(new QPlainTextEdit(this)),
      m_pricingType(new QComboBox(this)), m_price(lineEdit("priceEdit", this)),
      m_unitPrice(lineEdit("unitPriceEdit", this)), m_unitLabel(lineEdit("unitLabelEdit", this)),
      m_flexibleHint(new QLabel(tr("The price is typed on each job."), this)),
      m_active(new QCheckBox(tr("Offered (shown when adding work to a ticket)"), this))
{
    setObjectName(QStringLiteral("serviceDialog"));
    setWindowTitle(serviceId.isNull() ? tr("New service") : tr("Edit service"));
    setMinimumWidth(56 * kSpacing);
    buildForm();
    buildButtons();
    if (!serviceId.isNull())
        load();
    showPricingFields();
    markUnchanged();
    m_name->setFocus();
}

void ServiceDialog::buildForm()
{
    m_name->setPlaceholderText(tr("What the customer sees on the invoice (required)"));
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setTabChangesFocus(true);
    m_description->setMaximumHeight(m_description->fontMetrics().lineSpacing() * 3 + 2 * kSpacing);
    m_pricingType->setObjectName(QStringLiteral("pricingTypeCombo"));
    for (const PricingType type : {PricingType::Fixed, PricingType::PerUnit, PricingType::Flexible})
        m_pricingType->addItem(ServiceListModel::pricingLabel(type), toString(type));
    m_price->setPlaceholderText(moneyPlaceholder(12000));
    m_unitPrice->setPlaceholderText(moneyPlaceholder(450));
    m_unitLabel->setPlaceholderText(tr("metre, window, room..."));
    m_flexibleHint->setObjectName(QStringLiteral("flexibleHint"));
    m_active->setObjectName(QStringLiteral("activeCheck"));
    m_active->setChecked(true);

    m_form->setSpacing(kSpacing);
    m_form->addRow(tr("&Name:"), addField(QStringLiteral("name"), tr("Name"), m_name));
    m_form->addRow(tr("&Description:"),
                   addField(QStringLiteral("description"), tr("Description"), m_description));
    m_form->addRow(tr("&Pricing:"), m_pricingType);
    m_form->addRow(tr("P&rice:"), addField(QStringLiteral("default_price"), tr("Price"), m_price));
    m_form->addRow(tr("&Unit price:"), addField(QStringLiteral("unit_price"), tr("Unit price"), m_unitPrice));
    m_form->addRow(tr("Uni&t:"), addField(QStringLiteral("unit_label"), tr("Unit"), m_unitLabel));
    m_form->addRow(QString(), m_flexibleHint);
    m_form->addRow(QString(), m_active);
    connect(m_pricingType, &QComboBox::currentIndexChanged, this, &ServiceDialog::showPricingFields);
}

QWidget *ServiceDialog::addField(const QString &key, const QString &words, QWidget *input)
{
    auto *error = new FieldError(input, this);
    m_fields.insert(key, {words, input, error});
    // What was wrong is no longer said once the field is being corrected.
    if (auto *edit = qobject_cast<QLineEdit *>(input))
        connect(edit, &QLineEdit::textEdited, error, &FieldError::clearError);
    return error->under(input);
}

void ServiceDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setToolTip(withShortcut(tr("Save the service"), QKeySequence::Save));
    connect(buttons, &QDialogButtonBox::accepted, this, &ServiceDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &ServiceDialog::reject);
    new QShortcut(QKeySequence::Save, this, this, &ServiceDialog::save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addLayout(m_form);
    layout->addWidget(buttons);
}

void ServiceDialog::load()
{
    auto service = m_context.core().catalog.getById(m_serviceId);
    if (!service) {
        m_save->setEnabled(false);
        showError(this, tr("Could not open the service"), service.error());
        return;
    }
    const QLocale locale;
    m_name->setText(service->name);
    m_description->setPlainText(service->description.value_or(QString()));
    m_pricingType->setCurrentIndex(m_pricingType->findData(toString(service->pricingType)));
    if (service->defaultPrice)
        m_price->setText(service->defaultPrice->toTypedString(locale));
    if (service->unitPrice)
        m_unitPrice->setText(service->unitPrice->toTypedString(locale));
    m_unitLabel->setText(service->unitLabel.value_or(QString()));
    m_active->setChecked(service->isActive);
}

PricingType ServiceDialog::pricingType() const
{
    auto type = parsePricingType(m_pricingType->currentData().toString());
    return type ? *type : PricingType::Fixed;
}

void ServiceDialog::showPricingFields()
{
    const PricingType type = pricingType();
    // The rows are the fields with their error lines under them.
    m_form->setRowVisible(m_price->parentWidget(), type == PricingType::Fixed);
    m_form->setRowVisible(m_unitPrice->parentWidget(), type == PricingType::PerUnit);
    m_form->setRowVisible(m_unitLabel->parentWidget(), type == PricingType::PerUnit);
    m_form->setRowVisible(m_flexibleHint, type == PricingType::Flexible);
}

/// The amount typed in the field the core calls `key`: none when empty, else read as the user's locale
/// writes money; an error names `key`, for showSaveError() to put under the field.
Result<std::optional<Money>> ServiceDialog::amountIn(const QString &key) const
{
    const Field &field = m_fields.value(key);
    const QString text = static_cast<const QLineEdit *>(field.input)->text();
    if (text.trimmed().isEmpty())
        return std::optional<Money>();
    auto money = readMoney(text, field.words);
    if (!money)
        return Error::validation(key, money.error().message);
    return std::optional<Money>(*money);
}

Result<QUuid> ServiceDialog::write()
{
    // Every field as the form holds it; only the prices of the chosen type are read, so a price left in a
    // hidden field is not saved.
    ServiceCreate fields;
    fields.name = m_name->text();
    fields.description = m_description->toPlainText();
    fields.pricingType = pricingType();
    if (fields.pricingType == PricingType::Fixed) {
        auto price = amountIn(QStringLiteral("default_price"));
        if (!price)
            return price.error();
        fields.defaultPrice = *price;
    } else if (fields.pricingType == PricingType::PerUnit) {
        auto price = amountIn(QStringLiteral("unit_price"));
        if (!price)
            return price.error();
        fields.unitPrice = *price;
        fields.unitLabel = m_unitLabel->text().trimmed();
    }
    fields.isActive = m_active->isChecked();

    CatalogService &catalog = m_context.core().catalog;
    if (m_serviceId.isNull()) {
        auto created = catalog.createService(fields);
        if (!created)
            return created.error();
        return created->id;
    }
    // An update keeps a stored price it is not sent: the form's whole state goes through the core's rule, so
    // an emptied price field is refused rather than the old price silently kept.
    FB_TRY(validate::pricing(fields.pricingType, fields.defaultPrice, fields.unitPrice));
    ServiceUpdate update;
    update.name = fields.name;
    update.description = fields.description;
    update.pricingType = fields.pricingType;
    update.defaultPrice = fields.defaultPrice;
    update.unitPrice = fields.unitPrice;
    update.unitLabel = fields.unitLabel;
    update.isActive = fields.isActive;
    auto updated = catalog.updateService(m_serviceId, update);
    if (!updated)
        return updated.error();
    return updated->id;
}

void ServiceDialog::showSaveError(const Error &error)
{
    const auto field = m_fields.constFind(error.field);
    if (error.code != ErrorCode::Validation || field == m_fields.constEnd()) {
        showError(this, tr("Could not save the service"), error);
        return;
    }
    field->error->showError(Error::validation(field->words, error.message).toString());
    field->input->setFocus();
}

void ServiceDialog::save()
{
    if (!m_save->isEnabled())
        return;
    for (const Field &field : std::as_const(m_fields))
        field.error->clearError();
    auto saved = write();
    if (!saved) {
        showSaveError(saved.error());
        return;
    }
    m_serviceId = *saved;
    accept();
}

} // namespace fb::ui
