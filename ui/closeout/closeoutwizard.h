#pragma once

#include "models/ticket.h"

#include <QJsonObject>
#include <QUuid>
#include <QWizard>

#include <optional>

namespace fb {
struct ExtractionOutcome;
}

namespace fb::ui {

class UiContext;
class CloseOutNotesPage;
class CloseOutReviewPage;
class CloseOutNextServicePage;
class CloseOutSummaryPage;

/// The close-out of one ticket (seed 3.7), four pages: notes and duration (then initiate_close_out), review
/// of the extracted attributes, the next service, and a summary (then finalize_close_out). Cancelling keeps
/// what was typed as a draft that the next close-out of the ticket restores.
///
/// Open it with open(), never exec(): the model may answer while the wizard waits, and nothing else may wait
/// on a nested event loop. It deletes itself when closed (Qt::WA_DeleteOnClose): hold it in a QPointer.
class CloseOutWizard final : public QWizard
{
    Q_OBJECT

public:
    enum PageId
    {
        NotesPage,
        ReviewPage,
        NextServicePage,
        SummaryPage
    };

    CloseOutWizard(UiContext &context, const QUuid &ticketId, QWidget *parent = nullptr);
    ~CloseOutWizard() override;

    QUuid ticketId() const { return m_ticketId; }

Q_SIGNALS:
    /// The ticket was completed, with its follow-up and invoice when chosen (CloseOutService::finish).
    void closedOut(const QUuid &ticketId);

protected:
    bool validateCurrentPage() override;
    void initializePage(int id) override;
    /// Every way out but Finish (Cancel, Esc, the window's close button) saves the draft.
    void done(int result) override;

private:
    struct Initiated
    {
        int minutes = 0;
        QString notes;
    };

    /// Where each page starts: the notes, the detail to add (or the model's first), the next visit's day and
    /// time, Finish.
    void focusPage(int id);
    void load();
    void refreshCurrentValues();
    bool needsInitiate() const;
    bool initiate();
    void applyOutcome(quint64 generation, const ExtractionOutcome &outcome);
    bool finish();
    QString summaryHtml() const;

    QJsonObject draftJson() const;
    void restoreDraft(const QJsonObject &draft);
    void saveDraft();

    UiContext &m_context;
    QUuid m_ticketId;
    Ticket m_ticket;
    qint64 m_totalCents = 0;
    bool m_canClose = false;

    CloseOutNotesPage *m_notesPage;
    CloseOutReviewPage *m_reviewPage;
    CloseOutNextServicePage *m_nextServicePage;
    CloseOutSummaryPage *m_summaryPage;

    /// The duration and notes step 1 last saved; going back and on with the same ones reads nothing again.
    std::optional<Initiated> m_initiated;
    /// Tells a late answer to an earlier step 1 from the current one's.
    quint64 m_generation = 0;
    /// The draft as the wizard opened: closing without a change stores nothing new.
    QJsonObject m_initialDraft;
    bool m_hadDraft = false;

    /// The close-out is stored: no draft to keep.
    bool m_finished = false;
    /// done() ran (Finish, Cancel, Esc, close): the destructor has nothing left to keep.
    bool m_done = false;
};

} // namespace fb::ui
