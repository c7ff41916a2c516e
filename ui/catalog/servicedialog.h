#pragma once

#include "models/service.h"

#include <QDialog>
#include <QUuid>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace fb::ui {

class UiContext;

/// Creates (a null id) or edits a catalog service. The price fields follow the pricing type: a price for
/// fixed, a unit price and its unit for per unit, none for flexible (priced on the job). Amounts are parsed
/// exactly (Money::parse); the core's error names the field and the dialog stays open.
class ServiceDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceDialog)

public:
    ServiceDialog(UiContext &context, const QUuid &serviceId, QWidget *parent = nullptr);
    /// After accept(): the saved service's id.
    QUuid serviceId() const { return m_serviceId; }

public Q_SLOTS:
    void save();

private:
    PricingType pricingType() const;
    void showPricingFields();
    Result<QUuid> write();
    void focusField(const QString &field);

    UiContext &m_context;
    QUuid m_serviceId;
    QFormLayout *m_form;
    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    QComboBox *m_pricingType;
    QLineEdit *m_price;
    QLineEdit *m_unitPrice;
    QLineEdit *m_unitLabel;
    QLabel *m_flexibleHint;
    QCheckBox *m_active;
    QPushButton *m_save;
};

} // namespace fb::ui
