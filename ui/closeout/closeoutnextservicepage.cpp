#include "closeoutnextservicepage.h"

#include "common/feedback.h"
#include "util/timeutil.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fb::ui {

CloseOutNextServicePage::CloseOutNextServicePage(QWidget *parent)
    : QWizardPage(parent), m_scheduleNow(new QRadioButton(tr("Book the next &visit now:"), this)),
      m_nextVisit(new QDateTimeEdit(this)),
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
    grid->addWidget(m_reachOut, 1, 0);
    grid->addWidget(m_months, 1, 1);
    grid->addWidget(m_noFollowUp, 2, 0);
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

bool CloseOutNextServicePage::validatePage()
{
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
