#pragma once

#include "models/enums.h"

#include <QColor>
#include <QString>

class QLabel;

namespace fb::ui {

/// How a status reads to a person ("In progress") and its badge colour (readable white text on it in both
/// colour schemes). One place, so the schedule, the ticket screen and the lists agree.
QString statusLabel(TicketStatus status);
QString statusLabel(InvoiceStatus status);
QString statusLabel(MessageStatus status);
QColor badgeColor(TicketStatus status);
QColor badgeColor(InvoiceStatus status);
QColor badgeColor(MessageStatus status);

/// Styles `label` as a rounded badge with `text` on `color`.
void setBadge(QLabel *label, const QString &text, const QColor &color);

} // namespace fb::ui
