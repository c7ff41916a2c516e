#pragma once

#include "common/fielderror.h"
#include "models/service.h"

#include <QHash>
#include <QUuid>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace fb::ui {

class FieldError;
class UiContext;

/// Creates (a null id) or edits a catalog service. The price fields follow the pricing type: a price for
/// fixed, a unit price and its unit for per unit, none for flexible (priced on the job). Amounts are read as
/// the user's locale writes them (Money::parseTyped). The pricing rule is the core's (validate::pricing, run
/// by CatalogService): its error is shown under the field it names, in words, and the dialog stays open.
/// Escape with typed changes asks before discarding them (EditDialog).
class ServiceDialog final : public EditDialog
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
    /// A field as a core error names it ("default_price"): its words, its input and its error line.
    struct Field
    {
        QString words;
        QWidget *input = nullptr;
        FieldError *error = nullptr;
    };

    void buildForm();
    void buildButtons();
    void load();
    QWidget *addField(const QString &key, const QString &words, QWidget *input);
    PricingType pricingType() const;
    void showPricingFields();
    Result<std::optional<Money>> amountIn(const QString &key) const;
    Result<QUuid> write();
    void showSaveError(const Error &error);

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
    QPushButton *m_save = nullptr;
    QHash<QString, Field> m_fields;
};

} // namespace fb::ui
