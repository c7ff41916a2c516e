#include "closeoutnextservicepage.h"

#include "attributereviewmodel.h"
#include "common/feedback.h"
#include "common/theme.h"
#include "nextvisittext.h"
#include "util/timeutil.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fb::ui {

CloseOutNextServicePage::CloseOutNextServicePage(QWidget *parent)
    : QWizardPage(parent), m_scheduleNow(new QRadioButton(tr("Book the next &visit now:"), this)),
      m_nextVisit(new QDateTimeEdit(this)), m_visitText(new QLineEdit(this)),
      m_visitResolved(new QLabel(this)),
      m_reachOut(new QRadioButton(tr("Reach &out to the customer in"), this)), m_months(new QSpinBox(this)),
      m_noFollowUp(new QRadioButton(tr("No &follow-up"), this)),
      m_invoice(new QCheckBox(tr("Draft the &invoice for this job"), this)), m_invoiceNote(new QLabel(this))
{
    setObjectName(QStringLiteral("nextServicePage"));
    setTitle(tr("Next service"));
    setSubTitle(tr("Keep the customer coming back: book the next visit, or have a reminder sent later."));

    m_scheduleNow->setObjectName(QStringLiteral("scheduleNowRadio"));
    m_reachOut->setObjectName(QStringLiteral("reachOutRadio"));
    m_noFollowUp->setObjectName(QStringLiteral("noFollowUpRadio"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_scheduleNow);
    group->addButton(m_reachOut);
    group->addButton(m_noFollowUp);

    m_nextVisit->setObjectName(QStringLiteral("nextDateTimeEdit"));
    m_nextVisit->setCalendarPopup(true);
    m_nextVisit->setTimeSpec(Qt::LocalTime);
    m_nextVisit->setDisplayFormat(QStringLiteral("ddd d MMM yyyy, HH:mm"));
    m_nextVisit->setAccessibleName(tr("Next visit"));

    // Typed as said: "tue 9", "wed 14:30", "tomorrow 8". Enter goes on to the summary.
    m_visitText->setObjectName(QStringLiteral("nextVisitText"));
    m_visitText->setPlaceholderText(tr("type a day and time, e.g. tue 9 or wed 14:30"));
    m_visitText->setAccessibleName(tr("Next visit's day and time"));
    m_visitText->setToolTip(tr("A weekday (the next one after today), today or tomorrow, and a time: tue 9, "
                               "thursday 14:30, fri 2pm. Typing books the next visit."));
    m_visitResolved->setObjectName(QStringLiteral("nextVisitResolved"));
    connect(m_visitText, &QLineEdit::textEdited, this, [this] { readVisitText(false); });

    m_months->setObjectName(QStringLiteral("reachOutMonthsSpin"));
    m_months->setRange(1, 60); // the core's limit
    m_months->setValue(3);
    m_months->setSuffix(tr(" months"));
    m_months->setAccessibleName(tr("Months until the reach-out"));

    m_invoice->setObjectName(QStringLiteral("createInvoiceCheck"));
    m_invoiceNote->setObjectName(QStringLiteral("invoiceNote"));
    m_invoiceNote->setForegroundRole(QPalette::PlaceholderText);
    m_invoiceNote->hide();

    auto *grid = new QGridLayout;
    grid->setSpacing(kSpacing);
    grid->addWidget(m_scheduleNow, 0, 0);
    grid->addWidget(m_nextVisit, 0, 1);
    grid->addLayout(buildTypedRow(), 1, 1, 1, 2);
    grid->addLayout(buildPresetsRow(), 2, 1, 1, 2);
    grid->addWidget(m_reachOut, 3, 0);
    grid->addWidget(m_months, 3, 1);
    grid->addWidget(m_noFollowUp, 4, 0);
    grid->setColumnStretch(2, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(kSpacing);
    layout->addLayout(grid);
    layout->addSpacing(2 * kSpacing);
    layout->addWidget(m_invoice);
    layout->addWidget(m_invoiceNote);
    layout->addStretch(1);

    connect(group, &QButtonGroup::buttonToggled, this, &CloseOutNextServicePage::updateEnabled);
    m_reachOut->setChecked(true);
    updateEnabled();
}

QHBoxLayout *CloseOutNextServicePage::buildTypedRow()
{
    auto *typed = new QHBoxLayout;
    typed->setSpacing(kSpacing);
    auto *typedLabel = new QLabel(tr("&Day and time:"), this);
    typedLabel->setBuddy(m_visitText);
    typed->addWidget(typedLabel);
    typed->addWidget(m_visitText, 1);
    typed->addWidget(m_visitResolved, 1);
    return typed;
}

QHBoxLayout *CloseOutNextServicePage::buildPresetsRow()
{
    // Presets: the job's weekday and time, a week or a few on.
    auto *presets = new QHBoxLayout;
    presets->setSpacing(kSpacing);
    presets->addWidget(new QLabel(tr("Same day and time in:"), this));
    for (const auto &[weeks, text] :
         {std::pair{1, tr("&1 week")}, std::pair{2, tr("&2 weeks")}, std::pair{4, tr("&4 weeks")}}) {
        auto *preset = new QPushButton(text, this);
        preset->setObjectName(QStringLiteral("preset%1WeeksButton").arg(weeks));
        preset->setAutoDefault(false); // Enter stays Next
        preset->setToolTip(
            withShortcut(tr("Book the next visit %n week(s) after this job, same time", nullptr, weeks),
                         QKeySequence(Qt::ALT | Qt::Key(Qt::Key_0 + weeks))));
        connect(preset, &QPushButton::clicked, this, [this, weeks = weeks] { applyPreset(weeks); });
        presets->addWidget(preset);
    }
    presets->addStretch(1);
    return presets;
}

NextServiceAction CloseOutNextServicePage::action() const
{
    if (m_scheduleNow->isChecked())
        return NextServiceAction::ScheduleNow;
    if (m_reachOut->isChecked())
        return NextServiceAction::ReachOut;
    return NextServiceAction::NoFollowup;
}

void CloseOutNextServicePage::setAction(NextServiceAction action)
{
    switch (action) {
    case NextServiceAction::ScheduleNow:
        m_scheduleNow->setChecked(true);
        break;
    case NextServiceAction::ReachOut:
        m_reachOut->setChecked(true);
        break;
    case NextServiceAction::NoFollowup:
        m_noFollowUp->setChecked(true);
        break;
    }
}

QDateTime CloseOutNextServicePage::nextVisit() const
{
    return m_nextVisit->dateTime().toUTC();
}

void CloseOutNextServicePage::setNextVisit(const QDateTime &utc)
{
    m_nextVisit->setDateTime(utc.toLocalTime());
}

int CloseOutNextServicePage::reachOutMonths() const
{
    return m_months->value();
}

void CloseOutNextServicePage::setReachOutMonths(int months)
{
    m_months->setValue(months);
}

bool CloseOutNextServicePage::createInvoice() const
{
    return m_invoice->isEnabled() && m_invoice->isChecked();
}

void CloseOutNextServicePage::setCreateInvoice(bool create)
{
    m_invoice->setChecked(create);
}

void CloseOutNextServicePage::setInvoiceUnavailable(const QString &reason)
{
    m_invoice->setChecked(false);
    m_invoice->setEnabled(false);
    m_invoiceNote->setText(reason);
    m_invoiceNote->show();
}

void CloseOutNextServicePage::setPresetBase(const QDateTime &utc)
{
    m_presetBase = utc;
}

void CloseOutNextServicePage::focusStart()
{
    m_visitText->setFocus(Qt::OtherFocusReason);
    m_visitText->selectAll();
}

void CloseOutNextServicePage::readVisitText(bool complain)
{
    const QString text = m_visitText->text().trimmed();
    QPalette palette = m_visitResolved->palette();
    palette.setColor(QPalette::WindowText, this->palette().color(QPalette::WindowText));
    if (text.isEmpty()) {
        m_visitResolved->clear();
        m_visitResolved->setPalette(palette);
        return;
    }
    const QDateTime nowLocal = nowUtc().toLocalTime();
    const auto visit = parseVisitText(text, nowLocal, m_nextVisit->dateTime().toLocalTime());
    if (!visit) {
        // While typing ("t", "tu") nothing is said yet; on Enter, what to type.
        if (complain) {
            palette.setColor(QPalette::WindowText, reviewErrorColor());
            m_visitResolved->setText(
                tr("\u201c%1\u201d is not a day and time: type e.g. tue 9 or wed 14:30").arg(text));
        } else {
            m_visitResolved->clear();
        }
        m_visitResolved->setPalette(palette);
        return;
    }
    m_visitResolved->setPalette(palette);
    m_nextVisit->setDateTime(*visit);
    m_scheduleNow->setChecked(true);
    m_visitResolved->setText(QStringLiteral("\u2192 %1").arg(formatLocal(visit->toUTC())));
}

void CloseOutNextServicePage::applyPreset(int weeks)
{
    const QDateTime now = nowUtc();
    QDateTime base = (m_presetBase.isValid() ? m_presetBase : now).toLocalTime();
    QDateTime visit = base.addDays(7 * weeks);
    // A job from long ago: the same time, counted from today.
    if (visit <= now)
        visit = QDateTime(now.toLocalTime().date().addDays(7 * weeks), base.time(), Qt::LocalTime);
    m_visitText->clear();
    m_nextVisit->setDateTime(visit);
    m_scheduleNow->setChecked(true);
    m_visitResolved->setText(QStringLiteral("\u2192 %1").arg(formatLocal(visit.toUTC())));
}

bool CloseOutNextServicePage::validatePage()
{
    if (!m_visitText->text().trimmed().isEmpty() &&
        !parseVisitText(m_visitText->text(), nowUtc().toLocalTime(), m_nextVisit->dateTime().toLocalTime())) {
        readVisitText(true); // says what to type, next to the field
        m_visitText->setFocus();
        return false;
    }
    if (action() == NextServiceAction::ScheduleNow && nextVisit() <= nowUtc()) {
        showError(this, tr("The next visit cannot be booked"),
                  tr("The next visit is in the past: choose a time after now."));
        m_nextVisit->setFocus();
        return false;
    }
    return true;
}

void CloseOutNextServicePage::updateEnabled()
{
    m_nextVisit->setEnabled(m_scheduleNow->isChecked());
    m_months->setEnabled(m_reachOut->isChecked());
}

} // namespace fb::ui
