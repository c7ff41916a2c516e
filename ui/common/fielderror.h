#pragma once

#include <QLabel>

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

} // namespace fb::ui
