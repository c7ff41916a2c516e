#include "servicedialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
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

/// The amount typed in `edit`: none when empty, else Money::parse's exact cents (a currency symbol around
/// it is allowed, as people copy prices with one, and so is the locale's decimal point: "12,50" in German),
/// as the ticket's price field reads it.
Result<std::optional<Money>> amountIn(const QLineEdit *edit, const QString &field)
{
    QString text = edit->text().trimmed();
    const QLocale locale;
    const QString symbol = locale.currencySymbol();
    if (!symbol.isEmpty())
        text.remove(symbol);
    text = text.trimmed();
    if (locale.decimalPoint() != QStringLiteral("."))
        text.replace(locale.decimalPoint(), QStringLiteral("."));
    if (text.isEmpty())
        return std::optional<Money>();
    auto money = Money::parse(text, field);
    if (!money)
        return money.error();
    return std::optional<Money>(*money);
}

} // namespace

ServiceDialog::ServiceDialog(UiContext &context, const QUuid &serviceId, QWidget *parent)
    : QDialog(parent), m_context(context), m_serviceId(serviceId), m_form(new QFormLayout),
      m_name(lineEdit("nameEdit", this)), m_description(new QPlainTextEdit(this)),
      m_pricingType(new QComboBox(this)), m_price(lineEdit("priceEdit", this)),
      m_unitPrice(lineEdit("unitPriceEdit", this)), m_unitLabel(lineEdit("unitLabelEdit", this)),
      m_flexibleHint(new QLabel(tr("The price is typed on each job."), this)),
      m_active(new QCheckBox(tr("Offered (shown when adding work to a ticket)"), this)), m_save(nullptr)
{
    setObjectName(QStringLiteral("serviceDialog"));
    setWindowTitle(serviceId.isNull() ? tr("New service") : tr("Edit service"));
    setMinimumWidth(56 * kSpacing);

    m_name->setPlaceholderText(tr("What the customer sees on the invoice (required)"));
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setTabChangesFocus(true);
    m_description->setMaximumHeight(m_description->fontMetrics().lineSpacing() * 3 + 2 * kSpacing);
    m_pricingType->setObjectName(QStringLiteral("pricingTypeCombo"));
    for (const PricingType type : {PricingType::Fixed, PricingType::PerUnit, PricingType::Flexible})
        m_pricingType->addItem(ServiceListModel::pricingLabel(type), toString(type));
    m_price->setPlaceholderText(tr("e.g. 120.00"));
    m_unitPrice->setPlaceholderText(tr("e.g. 4.50"));
    m_unitLabel->setPlaceholderText(tr("metre, window, room..."));
    m_flexibleHint->setObjectName(QStringLiteral("flexibleHint"));
    m_active->setObjectName(QStringLiteral("activeCheck"));
    m_active->setChecked(true);

    m_form->setSpacing(kSpacing);
    m_form->addRow(tr("&Name:"), m_name);
    m_form->addRow(tr("&Description:"), m_description);
    m_form->addRow(tr("&Pricing:"), m_pricingType);
    m_form->addRow(tr("P&rice:"), m_price);
    m_form->addRow(tr("&Unit price:"), m_unitPrice);
    m_form->addRow(tr("Uni&t:"), m_unitLabel);
    m_form->addRow(QString(), m_flexibleHint);
    m_form->addRow(QString(), m_active);
    connect(m_pricingType, &QComboBox::currentIndexChanged, this, &ServiceDialog::showPricingFields);

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

    if (!serviceId.isNull()) {
        auto service = m_context.core().catalog.getById(serviceId);
        if (!service) {
            m_save->setEnabled(false);
            showError(this, tr("Could not open the service"), service.error());
        } else {
            m_name->setText(service->name);
            m_description->setPlainText(service->description.value_or(QString()));
            m_pricingType->setCurrentIndex(m_pricingType->findData(toString(service->pricingType)));
            if (service->defaultPrice)
                m_price->setText(service->defaultPrice->toDecimalString());
            if (service->unitPrice)
                m_unitPrice->setText(service->unitPrice->toDecimalString());
            m_unitLabel->setText(service->unitLabel.value_or(QString()));
            m_active->setChecked(service->isActive);
        }
    }
    showPricingFields();
    m_name->setFocus();
}

PricingType ServiceDialog::pricingType() const
{
    auto type = parsePricingType(m_pricingType->currentData().toString());
    return type ? *type : PricingType::Fixed;
}

void ServiceDialog::showPricingFields()
{
    const PricingType type = pricingType();
    m_form->setRowVisible(m_price, type == PricingType::Fixed);
    m_form->setRowVisible(m_unitPrice, type == PricingType::PerUnit);
    m_form->setRowVisible(m_unitLabel, type == PricingType::PerUnit);
    m_form->setRowVisible(m_flexibleHint, type == PricingType::Flexible);
}

void ServiceDialog::focusField(const QString &field)
{
    if (field == QLatin1String("default_price"))
        m_price->setFocus();
    else if (field == QLatin1String("unit_price"))
        m_unitPrice->setFocus();
    else if (field == QLatin1String("unit_label"))
        m_unitLabel->setFocus();
    else if (field == QLatin1String("description"))
        m_description->setFocus();
    else if (field == QLatin1String("pricing_type"))
        m_pricingType->setFocus();
    else
        m_name->setFocus();
}

Result<QUuid> ServiceDialog::write()
{
    const PricingType type = pricingType();
    // Only the fields of the chosen type are read: a price left in a hidden field is not saved.
    std::optional<Money> price;
    std::optional<Money> unitPrice;
    std::optional<QString> unitLabel;
    if (type == PricingType::Fixed) {
        auto parsed = amountIn(m_price, QStringLiteral("default_price"));
        if (!parsed)
            return parsed.error();
        price = *parsed;
    } else if (type == PricingType::PerUnit) {
        auto parsed = amountIn(m_unitPrice, QStringLiteral("unit_price"));
        if (!parsed)
            return parsed.error();
        unitPrice = *parsed;
        unitLabel = m_unitLabel->text().trimmed();
    }

    CatalogService &catalog = m_context.core().catalog;
    if (m_serviceId.isNull()) {
        ServiceCreate fields;
        fields.name = m_name->text();
        fields.description = m_description->toPlainText();
        fields.pricingType = type;
        fields.defaultPrice = price;
        fields.unitPrice = unitPrice;
        fields.unitLabel = unitLabel;
        fields.isActive = m_active->isChecked();
        auto created = catalog.createService(fields);
        if (!created)
            return created.error();
        return created->id;
    }
    // An update keeps a stored price that is not sent, so an emptied price field would silently keep the old
    // one: refuse it with the words the core uses when creating.
    if (type == PricingType::Fixed && !price)
        return Error::validation(QStringLiteral("default_price"),
                                 QStringLiteral("is required for fixed pricing"));
    if (type == PricingType::PerUnit && !unitPrice)
        return Error::validation(QStringLiteral("unit_price"),
                                 QStringLiteral("is required for per_unit pricing"));
    ServiceUpdate fields;
    fields.name = m_name->text();
    fields.description = m_description->toPlainText();
    fields.pricingType = type;
    fields.defaultPrice = price;
    fields.unitPrice = unitPrice;
    fields.unitLabel = unitLabel;
    fields.isActive = m_active->isChecked();
    auto updated = catalog.updateService(m_serviceId, fields);
    if (!updated)
        return updated.error();
    return updated->id;
}

void ServiceDialog::save()
{
    if (!m_save->isEnabled())
        return;
    auto saved = write();
    if (!saved) {
        focusField(saved.error().field);
        showError(this, tr("Could not save the service"), saved.error());
        return;
    }
    m_serviceId = *saved;
    m_context.notifyChanged();
    accept();
}

} // namespace fb::ui
