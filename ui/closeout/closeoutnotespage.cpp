#include "closeoutnotespage.h"

#include "common/feedback.h"

#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QWizard>

namespace fb::ui {

CloseOutNotesPage::CloseOutNotesPage(QWidget *parent)
    : QWizardPage(parent), m_banner(new QLabel(this)), m_duration(new QSpinBox(this)),
      m_durationHint(new QLabel(this)), m_notes(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("notesPage"));
    setTitle(tr("Time and notes"));
    setSubTitle(
        tr("Confirm how long the job took and write down what you noticed. Details about the customer "
           "(a dog's name, a gate code, a ladder) are picked out for you to review next."));

    m_banner->setObjectName(QStringLiteral("notesBanner"));
    m_banner->setWordWrap(true);
    m_banner->hide();

    m_duration->setObjectName(QStringLiteral("durationSpin"));
    // The core's limit: one day.
    m_duration->setRange(0, 24 * 60);
    m_duration->setSingleStep(5);
    m_duration->setSuffix(tr(" min"));
    m_duration->setAccessibleName(tr("Duration in minutes"));
    m_durationHint->setObjectName(QStringLiteral("durationHint"));
    m_durationHint->setForegroundRole(QPalette::PlaceholderText);

    m_notes->setObjectName(QStringLiteral("notesEdit"));
    m_notes->setPlaceholderText(tr("What was done, what you noticed, what to remember next time"));
    // Tab moves on (to the wizard's buttons): the notes are prose, never indented.
    m_notes->setTabChangesFocus(true);
    m_notes->setAccessibleName(tr("Notes"));
    m_notes->setToolTip(tr("Ctrl+Enter: next step"));
    m_notes->installEventFilter(this);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    auto *durationLabel = new QLabel(tr("&Duration:"), this);
    durationLabel->setBuddy(m_duration);
    auto *durationColumn = new QVBoxLayout;
    durationColumn->setSpacing(0);
    durationColumn->addWidget(m_duration);
    durationColumn->addWidget(m_durationHint);
    form->addRow(durationLabel, durationColumn);

    auto *notesLabel = new QLabel(tr("N&otes:"), this);
    notesLabel->setBuddy(m_notes);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(kSpacing);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    layout->addWidget(notesLabel);
    layout->addWidget(m_notes, 1);
}

int CloseOutNotesPage::durationMinutes() const
{
    return m_duration->value();
}

void CloseOutNotesPage::setDurationMinutes(int minutes)
{
    m_duration->setValue(minutes);
}

QString CloseOutNotesPage::notes() const
{
    return m_notes->toPlainText();
}

void CloseOutNotesPage::setNotes(const QString &notes)
{
    m_notes->setPlainText(notes);
}

void CloseOutNotesPage::setDurationHint(const QString &hint)
{
    m_durationHint->setText(hint);
    m_durationHint->setVisible(!hint.isEmpty());
}

void CloseOutNotesPage::setBanner(const QString &text)
{
    m_banner->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

void CloseOutNotesPage::setBlocked(bool blocked)
{
    m_blocked = blocked;
    m_duration->setEnabled(!blocked);
    m_notes->setReadOnly(blocked);
    Q_EMIT completeChanged();
}

void CloseOutNotesPage::focusNotes()
{
    m_notes->setFocus(Qt::OtherFocusReason);
    m_notes->moveCursor(QTextCursor::End);
}

bool CloseOutNotesPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_notes && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            key->modifiers().testFlag(Qt::ControlModifier)) {
            if (wizard() && isComplete())
                wizard()->next();
            return true;
        }
    }
    return QWizardPage::eventFilter(watched, event);
}

bool CloseOutNotesPage::isComplete() const
{
    return !m_blocked;
}

} // namespace fb::ui
