#pragma once

#include "util/result.h"

#include <QString>

namespace fb {

// The seed's enums, stored as its strings. parse*() names the field and the allowed values on bad input.

enum class TicketStatus
{
    Scheduled,
    InProgress,
    Completed,
    Cancelled
};
enum class PricingType
{
    Fixed,
    Flexible,
    PerUnit
};
enum class InvoiceStatus
{
    Draft,
    Sent,
    Paid,
    Void
};
enum class MessageStatus
{
    Pending,
    Sent,
    Cancelled,
    Failed
};
enum class NextServiceAction
{
    ScheduleNow,
    ReachOut,
    NoFollowup
};

QString toString(TicketStatus value);
QString toString(PricingType value);
QString toString(InvoiceStatus value);
QString toString(MessageStatus value);
QString toString(NextServiceAction value);

Result<TicketStatus> parseTicketStatus(const QString &text, const QString &field = QStringLiteral("status"));
Result<PricingType> parsePricingType(const QString &text,
                                     const QString &field = QStringLiteral("pricing_type"));
Result<InvoiceStatus> parseInvoiceStatus(const QString &text,
                                         const QString &field = QStringLiteral("status"));
Result<MessageStatus> parseMessageStatus(const QString &text,
                                         const QString &field = QStringLiteral("status"));
Result<NextServiceAction>
parseNextServiceAction(const QString &text, const QString &field = QStringLiteral("next_service_action"));

} // namespace fb
