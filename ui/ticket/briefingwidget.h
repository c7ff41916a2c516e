#pragma once

#include <QFrame>

class QFormLayout;
class QLabel;

namespace fb::ui {

struct Briefing;

/// The briefing at the top of the ticket screen (objectName "briefing"): facts as "Label: text" rows, then
/// the last visit's notes; "Nothing noted yet for this customer" when there is nothing.
class BriefingWidget final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BriefingWidget)

public:
    explicit BriefingWidget(QWidget *parent = nullptr);

    void setBriefing(const Briefing &briefing);
    /// Everything the briefing says, one line per row (for the screen reader name and for tests).
    QString text() const;

private:
    QFormLayout *m_facts;
    QLabel *m_empty;
    QLabel *m_lastVisitHeading;
    QLabel *m_lastVisit;
};

} // namespace fb::ui
