#pragma once

#include "services/contactservice.h"
#include "util/result.h"

#include <QDialog>
#include <QIcon>
#include <QUuid>

class QLineEdit;
class QListWidget;
class QLabel;

namespace fb::ui {

class ContactSearch;
class UiContext;

/// The global search (Ctrl+K): customers by name, e-mail or phone, and by their addresses' street or city
/// (the core's trigram index). Results follow each keystroke, searched on the window's read thread
/// (ContactSearch: the latest keystroke wins, the GUI never waits for a search); Up/Down pick one and Enter
/// opens it (UiContext::openContactRequested), or, pressed before the results of what is typed came, the
/// first of them when they come. Esc closes.
class SearchDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SearchDialog(UiContext &context, QWidget *parent = nullptr);
    /// Clears the last search and shows the dialog with the focus in the search field.
    void start();

Q_SIGNALS:
    /// The results of `query` (what is typed, trimmed) are shown; "" for the empty search's hint.
    void resultsShown(const QString &query);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(const QString &text);
    void showResults(const QString &query, const Result<QList<ContactSearchHit>> &found);
    void openCurrent();

    UiContext &m_context;
    ContactSearch *m_search;
    bool m_openWhenShown = false; ///< Enter came while the results of what is typed were on their way
    QLineEdit *m_edit;
    QListWidget *m_results;
    QLabel *m_hint;
    /// Every result's icon: one icon, rendered once, not an SVG read and drawn per result.
    QIcon m_resultIcon;
};

} // namespace fb::ui
