#pragma once

#include <QByteArray>
#include <QDialog>
#include <QHash>
#include <QLabel>
#include <QPointer>

class QMessageBox;

namespace fb {
struct Error;
}

namespace fb::ui {

/// The line under a form field that says what is wrong with it, in words ("Price: type an amount like
/// 12.50"), in the palette's error colour; empty and hidden while nothing is. Its objectName is the field's
/// with "Error" appended ("priceEdit" -> "priceEditError"), so a test finds it next to its field.
class FieldError final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldError)

public:
    FieldError(const QWidget *field, QWidget *parent);

    void showError(const QString &message);
    void clearError();
    bool hasError() const { return !text().isEmpty(); }

    /// `field` with this line under it, as one widget for a form row; the mnemonic of the row's label still
    /// focuses `field`.
    QWidget *under(QWidget *field);
};

/// A form's fields by the names the core's errors give them ("default_price", "email", "scheduled_at"), each
/// with its words ("Price") and its error line (FieldError). show() puts a Validation error under the field
/// it names, in words ("Price: type an amount like 12,50"), and focuses that field; the form stays as typed.
/// An error about no field of the form is left to the caller (a message box: showError()).
class FieldErrors final
{
public:
    explicit FieldErrors(QWidget *form) : m_form(form) {}

    /// Registers `input` under `key` (and any `aliases`: the core may name one field two ways) and returns it
    /// with its error line under it, for the form row. Editing the field clears what was said about it.
    QWidget *add(const QString &key, const QString &words, QWidget *input, const QStringList &aliases = {});
    /// Whether `error` was shown under one of the fields.
    bool show(const Error &error);
    /// Shows `message` under the field `key` (a message that does not come from the core): "Words: message".
    void show(const QString &key, const QString &message);
    /// Shows `sentence` under the field `key` as it is (it names the field itself).
    void say(const QString &key, const QString &sentence);
    void clear();
    FieldError *errorLine(const QString &key) const;

private:
    struct Field
    {
        QString words;
        QPointer<QWidget> input;
        FieldError *error = nullptr;
    };
    QWidget *m_form;
    QHash<QString, Field> m_fields;
};

/// A dialog where a person types values: Escape, Cancel or the window's close ask "Discard your changes?"
/// before throwing away what was typed (a window-modal box, objectName "discardChangesMessage", opened
/// without a nested event loop), and close at once when nothing was changed.
///
/// "Changed" compares the dialog's inputs (line and text edits, combo boxes, check boxes, spin boxes, date
/// and time edits, the check marks of its lists) with how they were after loading: a subclass calls
/// markUnchanged() once its fields are filled, and adds what the inputs do not show through extraState().
/// Only a digest of the state is kept, never the text (a password field is one of the inputs).
class EditDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditDialog)

public:
    explicit EditDialog(QWidget *parent = nullptr);

    /// Whether anything differs from the state markUnchanged() recorded.
    bool hasChanges() const;

public Q_SLOTS:
    /// Closes without saving, after asking when something was changed.
    void reject() override;

protected:
    /// Records the current state as the one nothing was changed from: a subclass calls it once its fields
    /// are filled (else the state when first shown counts).
    void markUnchanged();
    void showEvent(QShowEvent *event) override;
    /// State the inputs do not show (a list of addresses edited in another dialog), as text.
    virtual QString extraState() const { return {}; }

private:
    QByteArray stateDigest() const;

    QByteArray m_unchanged;
    bool m_marked = false;
    QPointer<QMessageBox> m_confirm;
};

} // namespace fb::ui
