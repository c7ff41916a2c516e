#include "briefingwidget.h"

#include "briefing.h"
#include "common/feedback.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

QLabel *wrappingLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText); // customer text is never markup
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

BriefingWidget::BriefingWidget(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("briefing"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);

    auto *title = new QLabel(tr("Before you start"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);

    m_empty = new QLabel(tr("Nothing noted yet for this customer"), this);
    m_empty->setObjectName(QStringLiteral("briefingEmptyLabel"));

    m_facts = new QFormLayout;
    m_facts->setHorizontalSpacing(2 * kSpacing);
    m_facts->setVerticalSpacing(kSpacing / 2);
    m_facts->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_facts->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_lastVisitHeading = new QLabel(this);
    m_lastVisitHeading->setObjectName(QStringLiteral("lastVisitHeading"));
    m_lastVisitHeading->setFont(bold);
    m_lastVisit = wrappingLabel({}, this);
    m_lastVisit->setObjectName(QStringLiteral("lastVisitNotes"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, kSpacing, 2 * kSpacing, kSpacing);
    layout->setSpacing(kSpacing);
    layout->addWidget(title);
    layout->addWidget(m_empty);
    layout->addLayout(m_facts);
    layout->addWidget(m_lastVisitHeading);
    layout->addWidget(m_lastVisit);
}

void BriefingWidget::setBriefing(const Briefing &briefing)
{
    while (m_facts->rowCount() > 0)
        m_facts->removeRow(0);
    for (const auto &[label, text] : briefing.facts) {
        auto *name = new QLabel(tr("%1:").arg(label), this);
        name->setTextFormat(Qt::PlainText);
        m_facts->addRow(name, wrappingLabel(text, this));
    }
    m_empty->setVisible(briefing.isEmpty());
    m_lastVisitHeading->setText(briefing.lastVisitHeading + QLatin1Char(':'));
    m_lastVisit->setText(briefing.lastVisitText);
    m_lastVisitHeading->setVisible(!briefing.lastVisitText.isEmpty());
    m_lastVisit->setVisible(!briefing.lastVisitText.isEmpty());
    setAccessibleDescription(text());
}

QString BriefingWidget::text() const
{
    QStringList lines;
    if (!m_empty->isHidden())
        lines.append(m_empty->text());
    for (int row = 0; row < m_facts->rowCount(); ++row) {
        auto *label = qobject_cast<QLabel *>(m_facts->itemAt(row, QFormLayout::LabelRole)->widget());
        auto *field = qobject_cast<QLabel *>(m_facts->itemAt(row, QFormLayout::FieldRole)->widget());
        if (label && field)
            lines.append(label->text() + QLatin1Char(' ') + field->text());
    }
    if (!m_lastVisit->isHidden()) {
        lines.append(m_lastVisitHeading->text());
        lines.append(m_lastVisit->text());
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace fb::ui
