#pragma once

#include "db/store.h"
#include "models/enums.h"

#include <QDateTime>
#include <QUuid>

#include <optional>

namespace fb {

struct ScheduledMessageCreate
{
    QUuid contactId;
    std::optional<QString> templateName;
    std::optional<QString> customContent;
    QDateTime scheduledFor;
};

struct ScheduledMessage
{
    QUuid id;
    QUuid userId;
    QUuid contactId;
    std::optional<QString> templateName;
    std::optional<QString> customContent;
    QDateTime scheduledFor;
    MessageStatus status = MessageStatus::Pending;
    QDateTime sentAt;
    std::optional<QString> errorMessage;
    QDateTime createdAt;

    static ScheduledMessage fromRow(const Row &row);
    Row toRow() const;
};

} // namespace fb
