#pragma once

#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace fb::ui {

/// Step 1 of the close-out: the confirmed duration and the technician's notes.
class CloseOutNotesPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloseOutNotesPage)

public:
    explicit CloseOutNotesPage(QWidget *parent = nullptr);

    int durationMinutes() const;
    void setDurationMinutes(int minutes);
    QString notes() const;
    void setNotes(const QString &notes);
    /// Where the prefilled duration came from ("Clocked 09:02 to 10:47"), under the field.
    void setDurationHint(const QString &hint);
    /// A line above the fields (a restored draft, a ticket that can no longer be closed out); empty hides it.
    void setBanner(const QString &text);
    /// A ticket that is closed already cannot go on.
    void setBlocked(bool blocked);

    bool isComplete() const override;
    /// The keyboard in the notes, at their end.
    void focusNotes();

protected:
    /// Ctrl+Enter in the notes goes on to the next page (Enter alone starts a new line).
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLabel *m_banner;
    QSpinBox *m_duration;
    QLabel *m_durationHint;
    QPlainTextEdit *m_notes;
    bool m_blocked = false;
};

} // namespace fb::ui
