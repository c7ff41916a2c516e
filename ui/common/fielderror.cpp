#include "fielderror.h"

#include "humanize.h"
#include "util/result.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QLineEdit>
#include <QMessageBox>
#include <QPalette>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextEdit>
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

QWidget *FieldErrors::add(const QString &key, const QString &words, QWidget *input,
                          const QStringList &aliases)
{
    auto *error = new FieldError(input, m_form);
    const Field field{words, input, error};
    m_fields.insert(key, field);
    for (const QString &alias : aliases)
        m_fields.insert(alias, field);
    // What was wrong is no longer said once the field is being corrected.
    if (auto *edit = qobject_cast<QLineEdit *>(input))
        QObject::connect(edit, &QLineEdit::textEdited, error, &FieldError::clearError);
    else if (auto *text = qobject_cast<QPlainTextEdit *>(input))
        QObject::connect(text, &QPlainTextEdit::textChanged, error, &FieldError::clearError);
    else if (auto *combo = qobject_cast<QComboBox *>(input))
        QObject::connect(combo, &QComboBox::currentIndexChanged, error, &FieldError::clearError);
    else if (auto *spin = qobject_cast<QAbstractSpinBox *>(input))
        QObject::connect(spin, &QAbstractSpinBox::editingFinished, error, [error, spin] {
            if (spin->hasAcceptableInput())
                error->clearError();
        });
    return error->under(input);
}

bool FieldErrors::show(const Error &error)
{
    if (error.code != ErrorCode::Validation)
        return false;
    const auto field = m_fields.constFind(error.field);
    if (field == m_fields.constEnd())
        return false;
    show(error.field, error.message);
    return true;
}

void FieldErrors::show(const QString &key, const QString &message)
{
    const auto field = m_fields.constFind(key);
    if (field != m_fields.constEnd())
        say(key, QStringLiteral("%1: %2").arg(field->words, message));
}

void FieldErrors::say(const QString &key, const QString &sentence)
{
    const auto field = m_fields.constFind(key);
    if (field == m_fields.constEnd())
        return;
    field->error->showError(sentence);
    if (field->input)
        field->input->setFocus();
}

void FieldErrors::clear()
{
    for (const Field &field : std::as_const(m_fields))
        field.error->clearError();
}

FieldError *FieldErrors::errorLine(const QString &key) const
{
    const auto field = m_fields.constFind(key);
    return field == m_fields.constEnd() ? nullptr : field->error;
}

EditDialog::EditDialog(QWidget *parent) : QDialog(parent)
{
}

void EditDialog::markUnchanged()
{
    m_unchanged = stateDigest();
    m_marked = true;
}

void EditDialog::showEvent(QShowEvent *event)
{
    if (!m_marked)
        markUnchanged();
    QDialog::showEvent(event);
}

bool EditDialog::hasChanges() const
{
    return m_marked && stateDigest() != m_unchanged;
}

QByteArray EditDialog::stateDigest() const
{
    // Every input of this window (not of a dialog opened from it), in the order of the object tree.
    QCryptographicHash digest(QCryptographicHash::Sha256);
    const auto add = [&digest](const QString &kind, const QString &value) {
        digest.addData(kind.toUtf8());
        digest.addData(QByteArrayView("\x1f", 1));
        digest.addData(value.toUtf8());
        digest.addData(QByteArrayView("\x1e", 1));
    };
    const QList<QWidget *> widgets = findChildren<QWidget *>();
    for (const QWidget *widget : widgets) {
        if (widget->window() != this)
            continue;
        if (const auto *edit = qobject_cast<const QLineEdit *>(widget)) {
            // A spin box's or combo box's own line edit is read through its owner.
            if (!qobject_cast<const QAbstractSpinBox *>(edit->parentWidget()) &&
                !qobject_cast<const QComboBox *>(edit->parentWidget()))
                add(QStringLiteral("line"), edit->text());
        } else if (const auto *text = qobject_cast<const QPlainTextEdit *>(widget)) {
            add(QStringLiteral("plain"), text->toPlainText());
        } else if (const auto *rich = qobject_cast<const QTextEdit *>(widget)) {
            if (!rich->isReadOnly())
                add(QStringLiteral("text"), rich->toPlainText());
        } else if (const auto *combo = qobject_cast<const QComboBox *>(widget)) {
            add(QStringLiteral("combo"), QString::number(combo->currentIndex()) + combo->currentText());
        } else if (const auto *spin = qobject_cast<const QAbstractSpinBox *>(widget)) {
            add(QStringLiteral("spin"), spin->text());
        } else if (const auto *button = qobject_cast<const QAbstractButton *>(widget)) {
            if (button->isCheckable())
                add(QStringLiteral("check"), button->isChecked() ? QStringLiteral("1") : QStringLiteral("0"));
        } else if (const auto *view = qobject_cast<const QAbstractItemView *>(widget)) {
            // The ticks of a list (services to book), not where its cursor is.
            const QAbstractItemModel *model = view->model();
            for (int row = 0; model && row < model->rowCount(); ++row)
                if (const QVariant state = model->index(row, 0).data(Qt::CheckStateRole); state.isValid())
                    add(QStringLiteral("tick"), QString::number(row) + QLatin1Char(':') + state.toString());
        }
    }
    add(QStringLiteral("extra"), extraState());
    return digest.result();
}

void EditDialog::reject()
{
    if (!hasChanges()) {
        QDialog::reject();
        return;
    }
    if (m_confirm && m_confirm->isVisible()) { // asked already (a closed box may await its deletion)
        m_confirm->raise();
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, windowTitle(), tr("Discard your changes?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("discardChangesMessage"));
    box->setInformativeText(tr("What you typed in this window is not saved."));
    QPushButton *discard = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName(QStringLiteral("discardButton"));
    QPushButton *keep = box->addButton(tr("&Keep editing"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepEditingButton"));
    // Enter or Escape on the question keeps what was typed: only a deliberate Discard loses it.
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, discard](QAbstractButton *clicked) {
        if (clicked == discard)
            QDialog::reject();
    });
    m_confirm = box;
    box->open();
}

} // namespace fb::ui
