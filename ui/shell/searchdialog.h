#pragma once

#include <QDialog>
#include <QUuid>

class QLineEdit;
class QListWidget;
class QLabel;

namespace fb::ui {

class UiContext;

/// The global search (Ctrl+K): customers by name, e-mail or phone, and by their addresses' street or city
/// (the core's trigram index). Results follow each keystroke; Up/Down pick one and Enter opens it
/// (UiContext::openContactRequested), Esc closes.
class SearchDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SearchDialog(UiContext &context, QWidget *parent = nullptr);
    /// Clears the last search and shows the dialog with the focus in the search field.
    void start();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(const QString &text);
    void openCurrent();

    UiContext &m_context;
    QLineEdit *m_edit;
    QListWidget *m_results;
    QLabel *m_hint;
};

} // namespace fb::ui
