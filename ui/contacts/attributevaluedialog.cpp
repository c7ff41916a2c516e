#include "attributevaluedialog.h"

#include "closeout/attributereviewmodel.h"
#include "common/feedback.h"
#include "common/humanize.h"
#include "services/attributeservice.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace fb::ui {

AttributeValueDialog::AttributeValueDialog(const QString &key, const QJsonValue &value,
                                           const QJsonValue &current, QWidget *parent)
    : EditDialog(parent), m_key(key), m_like(value), m_edit(new QLineEdit(this))
{
    setObjectName(QStringLiteral("attributeValueDialog"));
    setWindowTitle(tr("Edit %1").arg(humanizeKey(key)));
    setMinimumWidth(48 * kSpacing);

    m_edit->setObjectName(QStringLiteral("attributeValueEdit"));
    m_edit->setText(editableValueText(value));
    m_edit->selectAll();
    if (value.isBool())
        m_edit->setPlaceholderText(tr("yes or no"));
    else if (value.isObject())
        m_edit->setPlaceholderText(tr("{\"field\": \"value\", ...}"));

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    if (!current.isUndefined()) {
        auto *now = new QLabel(attributeValueText(current), this);
        now->setObjectName(QStringLiteral("attributeCurrentValue"));
        now->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(tr("Saved now:"), now);
    }
    form->addRow(
        tr("&%1:").arg(humanizeKey(key)),
        m_fieldErrors.add(key, humanizeKey(key), m_edit, {QStringLiteral("attributes.%1").arg(key)}));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("attributeOkButton"));
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &AttributeValueDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AttributeValueDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addLayout(form);
    layout->addWidget(buttons);
    markUnchanged();
    m_edit->setFocus();
}

QJsonValue AttributeValueDialog::value() const
{
    return attributeValueFromText(m_edit->text(), m_like);
}

void AttributeValueDialog::accept()
{
    m_fieldErrors.clear();
    if (const Status checked = validateAttributeValue(m_key, value()); !checked) {
        if (!m_fieldErrors.show(checked.error())) {
            m_edit->setFocus();
            showError(this, tr("This value cannot be saved"), checked.error());
        }
        return;
    }
    QDialog::accept();
}

} // namespace fb::ui
