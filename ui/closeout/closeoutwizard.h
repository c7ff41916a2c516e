#pragma once

#include <QUuid>
#include <QWizard>

namespace fb::ui {

class UiContext;

/// The close-out of one ticket (seed 3.7), four pages: notes and duration (then initiate_close_out), review of
/// the extracted attributes, the next service, and a summary (then finalize_close_out). Cancelling keeps what
/// was typed as a draft that the next close-out of the ticket restores.
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

private:
    UiContext &m_context;
    QUuid m_ticketId;
};

} // namespace fb::ui
