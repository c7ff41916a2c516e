#include "models/enums.h"

#include <QStringList>

#include <array>
#include <utility>

namespace fb {

namespace {

template <typename E, std::size_t N>
QString nameOf(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[e, name] : table)
        if (e == value)
            return QString::fromLatin1(name);
    return {};
}

template <typename E, std::size_t N>
Result<E> parseFrom(const std::array<std::pair<E, const char *>, N> &table, const QString &text,
                    const QString &field)
{
    QStringList allowed;
    for (const auto &[e, name] : table) {
        if (text == QLatin1String(name))
            return e;
        allowed.append(QString::fromLatin1(name));
    }
    return Error::validation(field, QStringLiteral("unknown value '%1' (expected one of: %2)")
                                        .arg(text, allowed.join(QStringLiteral(", "))));
}

constexpr std::array<std::pair<TicketStatus, const char *>, 4> kTicketStatus{{
    {TicketStatus::Scheduled, "scheduled"},
    {TicketStatus::InProgress, "in_progress"},
    {TicketStatus::Completed, "completed"},
    {TicketStatus::Cancelled, "cancelled"},
}};
constexpr std::array<std::pair<PricingType, const char *>, 3> kPricingType{{
    {PricingType::Fixed, "fixed"},
    {PricingType::Flexible, "flexible"},
    {PricingType::PerUnit, "per_unit"},
}};
constexpr std::array<std::pair<InvoiceStatus, const char *>, 4> kInvoiceStatus{{
    {InvoiceStatus::Draft, "draft"},
    {InvoiceStatus::Sent, "sent"},
    {InvoiceStatus::Paid, "paid"},
    {InvoiceStatus::Void, "void"},
}};
constexpr std::array<std::pair<MessageStatus, const char *>, 4> kMessageStatus{{
    {MessageStatus::Pending, "pending"},
    {MessageStatus::Sent, "sent"},
    {MessageStatus::Cancelled, "cancelled"},
    {MessageStatus::Failed, "failed"},
}};
constexpr std::array<std::pair<NextServiceAction, const char *>, 3> kNextService{{
    {NextServiceAction::ScheduleNow, "schedule_now"},
    {NextServiceAction::ReachOut, "reach_out"},
    {NextServiceAction::NoFollowup, "no_followup"},
}};

} // namespace

QString toString(TicketStatus value)
{
    return nameOf(kTicketStatus, value);
}
QString toString(PricingType value)
{
    return nameOf(kPricingType, value);
}
QString toString(InvoiceStatus value)
{
    return nameOf(kInvoiceStatus, value);
}
QString toString(MessageStatus value)
{
    return nameOf(kMessageStatus, value);
}
QString toString(NextServiceAction value)
{
    return nameOf(kNextService, value);
}

Result<TicketStatus> parseTicketStatus(const QString &text, const QString &field)
{
    return parseFrom(kTicketStatus, text, field);
}
Result<PricingType> parsePricingType(const QString &text, const QString &field)
{
    return parseFrom(kPricingType, text, field);
}
Result<InvoiceStatus> parseInvoiceStatus(const QString &text, const QString &field)
{
    return parseFrom(kInvoiceStatus, text, field);
}
Result<MessageStatus> parseMessageStatus(const QString &text, const QString &field)
{
    return parseFrom(kMessageStatus, text, field);
}
Result<NextServiceAction> parseNextServiceAction(const QString &text, const QString &field)
{
    return parseFrom(kNextService, text, field);
}

} // namespace fb
