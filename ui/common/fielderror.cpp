#include "fielderror.h"

#include <QPalette>
#include <QVBoxLayout>

namespace fb::ui {

FieldError::FieldError(const QWidget *field, QWidget *parent) : QLabel(parent)
{
    setObjectName(field->objectName() + QStringLiteral("Error"));
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    QPalette colours = palette();
    colours.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28)); // red, readable on light and dark
    setPalette(colours);
    hide();
}

QWidget *FieldError::under(QWidget *field)
{
    auto *row = new QWidget(parentWidget());
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    layout->addWidget(this);
    row->setFocusProxy(field);
    return row;
}

void FieldError::showError(const QString &message)
{
    setText(message);
    show();
}

void FieldError::clearError()
{
    clear();
    hide();
}

} // namespace fb::ui
