#include "closeoutsummarypage.h"

#include "common/feedback.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace fb::ui {

CloseOutSummaryPage::CloseOutSummaryPage(QWidget *parent) : QWizardPage(parent), m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("summaryPage"));
    setTitle(tr("Summary"));
    setSubTitle(tr("Finish saves this and completes the ticket."));
    setFinalPage(true);

    m_summary->setObjectName(QStringLiteral("summaryText"));
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_summary->setContentsMargins(kSpacing, kSpacing, kSpacing, kSpacing);

    // Many details and long notes still fit at 1366x768.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_summary);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

void CloseOutSummaryPage::setSummary(const QString &html)
{
    m_summary->setText(html);
}

} // namespace fb::ui
