#pragma once

#include "common/fielderror.h"

#include <QJsonValue>

class QLineEdit;

namespace fb::ui {

/// Edits one attribute value: a confirmed attribute's, or a suggestion's before it is accepted. Nothing is
/// saved here; OK checks the value with the core's own rule (the same message the service gives) so a
/// mistake is named under the field, in words, while the dialog is still open; Escape with a changed value
/// asks before discarding it (EditDialog).
///
/// The value is typed as text and read back as the type it had ("1234" stays text for a gate code, "yes"
/// stays a boolean for "has dog"), the same rule the close-out review uses.
class AttributeValueDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttributeValueDialog)

public:
    /// `value`: the value to start from; `current`: the customer's saved value when it differs (a
    /// suggestion's edit shows what it would replace), else undefined.
    AttributeValueDialog(const QString &key, const QJsonValue &value, const QJsonValue &current,
                         QWidget *parent = nullptr);

    QString key() const { return m_key; }
    /// The typed value, of the starting value's type where it fits.
    QJsonValue value() const;

    void accept() override;

private:
    QString m_key;
    QJsonValue m_like;
    QLineEdit *m_edit;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
