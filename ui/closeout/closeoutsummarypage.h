#pragma once

#include <QWizardPage>

class QLabel;

namespace fb::ui {

/// Step 4 of the close-out: what Finish will save.
class CloseOutSummaryPage final : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CloseOutSummaryPage)

public:
    explicit CloseOutSummaryPage(QWidget *parent = nullptr);

    /// Rich text built by the wizard (user text escaped).
    void setSummary(const QString &html);

private:
    QLabel *m_summary;
};

} // namespace fb::ui
