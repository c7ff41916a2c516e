#include "badges.h"

#include <QLabel>

namespace fb::ui {

QString statusLabel(TicketStatus status)
{
    switch (status) {
    case TicketStatus::Scheduled:
        return QObject::tr("Scheduled");
    case TicketStatus::InProgress:
        return QObject::tr("In progress");
    case TicketStatus::Completed:
        return QObject::tr("Completed");
    case TicketStatus::Cancelled:
        return QObject::tr("Cancelled");
    }
    return {};
}

QString statusLabel(InvoiceStatus status)
{
    switch (status) {
    case InvoiceStatus::Draft:
        return QObject::tr("Draft");
    case InvoiceStatus::Sent:
        return QObject::tr("Sent");
    case InvoiceStatus::Paid:
        return QObject::tr("Paid");
    case InvoiceStatus::Void:
        return QObject::tr("Void");
    }
    return {};
}

QString statusLabel(MessageStatus status)
{
    switch (status) {
    case MessageStatus::Pending:
        return QObject::tr("Pending");
    case MessageStatus::Sent:
        return QObject::tr("Sent");
    case MessageStatus::Cancelled:
        return QObject::tr("Cancelled");
    case MessageStatus::Failed:
        return QObject::tr("Failed");
    }
    return {};
}

// Mid-tone colours: white text on each has a contrast of at least 4.5:1.
QColor badgeColor(TicketStatus status)
{
    switch (status) {
    case TicketStatus::Scheduled:
        return QColor(0x1f, 0x5f, 0xbf);
    case TicketStatus::InProgress:
        return QColor(0xa8, 0x4b, 0x00);
    case TicketStatus::Completed:
        return QColor(0x1e, 0x7a, 0x3c);
    case TicketStatus::Cancelled:
        return QColor(0x5f, 0x66, 0x70);
    }
    return Qt::gray;
}

QColor badgeColor(InvoiceStatus status)
{
    switch (status) {
    case InvoiceStatus::Draft:
        return QColor(0x5f, 0x66, 0x70);
    case InvoiceStatus::Sent:
        return QColor(0x1f, 0x5f, 0xbf);
    case InvoiceStatus::Paid:
        return QColor(0x1e, 0x7a, 0x3c);
    case InvoiceStatus::Void:
        return QColor(0x9b, 0x1c, 0x1c);
    }
    return Qt::gray;
}

QColor badgeColor(MessageStatus status)
{
    switch (status) {
    case MessageStatus::Pending:
        return QColor(0x1f, 0x5f, 0xbf);
    case MessageStatus::Sent:
        return QColor(0x1e, 0x7a, 0x3c);
    case MessageStatus::Cancelled:
        return QColor(0x5f, 0x66, 0x70);
    case MessageStatus::Failed:
        return QColor(0x9b, 0x1c, 0x1c);
    }
    return Qt::gray;
}

void setBadge(QLabel *label, const QString &text, const QColor &color)
{
    label->setText(text);
    label->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; border-radius: 4px; "
                                        "padding: 2px 8px; font-weight: 600; }")
                             .arg(color.name()));
}

} // namespace fb::ui
