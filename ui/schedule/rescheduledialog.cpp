#include "rescheduledialog.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace fb::ui {

RescheduleDialog::RescheduleDialog(UiContext &context, const Ticket &ticket, const QString &summary,
                                   QWidget *parent)
    : EditDialog(parent), m_context(context), m_ticket(ticket)
{
    setObjectName(QStringLiteral("rescheduleDialog"));
    setWindowTitle(tr("Reschedule"));

    const QDateTime local = ticket.scheduledAt.toLocalTime();
    auto *what = new QLabel(summary, this);
    what->setObjectName(QStringLiteral("ticketSummary"));
    what->setWordWrap(true);
    m_dateEdit = new QDateEdit(local.date(), this);
    m_dateEdit->setObjectName(QStringLiteral("dateEdit"));
    m_dateEdit->setCalendarPopup(true);
    m_timeEdit = new QTimeEdit(local.time(), this);
    m_timeEdit->setObjectName(QStringLiteral("timeEdit"));
    m_duration = new QSpinBox(this);
    m_duration->setObjectName(QStringLiteral("durationSpin"));
    m_duration->setRange(0, 24 * 60);
    m_duration->setSingleStep(15);
    m_duration->setSuffix(tr(" min"));
    m_duration->setValue(ticket.scheduledDurationMinutes.value_or(0));

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *ok = buttons->addButton(tr("Reschedule"), QDialogButtonBox::AcceptRole);
    ok->setObjectName(QStringLiteral("rescheduleOkButton"));
    ok->setIcon(themedIcon(QStringLiteral("x-office-calendar")));
    ok->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &RescheduleDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RescheduleDialog::reject);

    auto *form = new QFormLayout;
    form->setSpacing(kSpacing);
    form->addRow(tr("&Date:"), m_fieldErrors.add(QStringLiteral("scheduled_for"), tr("Date"), m_dateEdit));
    form->addRow(tr("&Time:"), m_fieldErrors.add(QStringLiteral("scheduled_at"), tr("Time"), m_timeEdit));
    form->addRow(tr("D&uration:"),
                 m_fieldErrors.add(QStringLiteral("scheduled_duration_minutes"), tr("Duration"), m_duration));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(2 * kSpacing);
    layout->addWidget(what);
    layout->addLayout(form);
    layout->addWidget(buttons);
    markUnchanged();
    m_dateEdit->setFocus();
}

void RescheduleDialog::accept()
{
    // Only what changed is sent: an unchanged time is not a reschedule (the core refuses those on tickets
    // that are no longer scheduled), and the audit trail records only real changes.
    m_fieldErrors.clear();
    if (!m_dateEdit->hasAcceptableInput()) {
        m_fieldErrors.show(QStringLiteral("scheduled_for"), tr("type a whole date"));
        return;
    }
    if (!m_timeEdit->hasAcceptableInput()) {
        m_fieldErrors.show(QStringLiteral("scheduled_at"), tr("type a whole time"));
        return;
    }
    TicketUpdate update;
    const QDateTime at = QDateTime(m_dateEdit->date(), m_timeEdit->time()).toUTC();
    if (at != m_ticket.scheduledAt)
        update.scheduledAt = at;
    if (m_duration->value() != m_ticket.scheduledDurationMinutes.value_or(0))
        update.scheduledDurationMinutes = m_duration->value();
    if (update.scheduledAt || update.scheduledDurationMinutes) {
        auto updated = m_context.core().tickets.update(m_ticket.id, update);
        if (!updated) {
            if (!m_fieldErrors.show(updated.error()))
                showError(this, tr("Could not reschedule the ticket"), updated.error());
            return;
        }
    }
    QDialog::accept();
    Q_EMIT rescheduled(m_ticket.id);
}

} // namespace fb::ui
