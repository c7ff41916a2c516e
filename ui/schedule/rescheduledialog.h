#pragma once

#include "common/fielderror.h"
#include "models/ticket.h"

class QDateEdit;
class QSpinBox;
class QTimeEdit;

namespace fb::ui {

class UiContext;

/// Moves a scheduled ticket to another date and time, or changes its expected duration. Opened with open();
/// a change the core refuses keeps the dialog open with the core's error under the field it concerns, in
/// words; Escape after changing anything asks before discarding it (EditDialog).
class RescheduleDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RescheduleDialog)

public:
    /// `summary` names the job for the user ("10:00 Margaret Hill").
    RescheduleDialog(UiContext &context, const Ticket &ticket, const QString &summary,
                     QWidget *parent = nullptr);

public Q_SLOTS:
    void accept() override;

Q_SIGNALS:
    void rescheduled(const QUuid &ticketId);

private:
    UiContext &m_context;
    Ticket m_ticket;
    QDateEdit *m_dateEdit = nullptr;
    QTimeEdit *m_timeEdit = nullptr;
    QSpinBox *m_duration = nullptr;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
