#include "services/messageservice.h"

#include "db/scoping.h"
#include "db/store.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "models/rowaccess.h"
#include "models/validation.h"

namespace fb {

namespace {

const QString kTable = QStringLiteral("scheduled_messages");

Result<QList<ScheduledMessage>> readMessages(Result<QSqlQuery> query)
{
    if (!query)
        return query.error();
    QList<ScheduledMessage> messages;
    while (query->next())
        messages.append(ScheduledMessage::fromRow(rowFromQuery(*query)));
    return messages;
}

} // namespace

MessageService::MessageService(ServiceContext context) : m_ctx(context)
{
}

Result<ScheduledMessage> MessageService::schedule(const ScheduledMessageCreate &data)
{
    if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), data.contactId); !contact)
        return Error::validation(QStringLiteral("contact_id"), contact.error().message);
    if (!data.scheduledFor.isValid())
        return Error::validation(QStringLiteral("scheduled_for"), QStringLiteral("is required"));
    FB_TRY(validate::shortText(data.templateName, QStringLiteral("template_name")));
    FB_TRY(validate::longText(data.customContent, QStringLiteral("custom_content")));
    if ((!data.templateName || data.templateName->isEmpty()) &&
        (!data.customContent || data.customContent->isEmpty()))
        return Error::validation(QStringLiteral("template_name"),
                                 QStringLiteral("a message needs a template or custom content"));

    ScheduledMessage message;
    message.id = newId();
    message.userId = m_ctx.db.currentUser();
    message.contactId = data.contactId;
    message.templateName = data.templateName;
    message.customContent = data.customContent;
    message.scheduledFor = data.scheduledFor.toUTC();
    message.createdAt = nowUtc();

    auto event = newEvent<ScheduledMessageCreatedEvent>(m_ctx.db);
    event.messageId = message.id;
    event.contactId = message.contactId;
    event.scheduledFor = message.scheduledFor;
    {
        FB_TRANSACTION(tx, m_ctx.db);
        FB_TRY(m_ctx.store.insert(kTable, message.toRow()));
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return message;
}

Result<ScheduledMessage> MessageService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return ScheduledMessage::fromRow(*row);
}

Result<ScheduledMessage> MessageService::cancel(const QUuid &id)
{
    return transition(id, MessageStatus::Cancelled);
}

Result<ScheduledMessage> MessageService::markSent(const QUuid &id)
{
    return transition(id, MessageStatus::Sent);
}

Result<ScheduledMessage> MessageService::transition(const QUuid &id, MessageStatus to)
{
    auto message = getById(id);
    if (!message)
        return message.error();
    if (message->status != MessageStatus::Pending)
        return Error::invalidState(QStringLiteral("cannot mark a %1 message %2: only pending messages change")
                                       .arg(toString(message->status), toString(to)));
    Row values{{QStringLiteral("status"), toString(to)}};
    if (to == MessageStatus::Sent)
        values.insert(QStringLiteral("sent_at"), toStoredTime(nowUtc()));
    {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id, values); !changed)
            return changed.error();
        if (to == MessageStatus::Sent) {
            auto event = newEvent<ScheduledMessageSentEvent>(m_ctx.db);
            event.messageId = id;
            event.contactId = message->contactId;
            FB_TRY(m_ctx.bus.publish(event));
        }
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return getById(id);
}

Result<QList<ScheduledMessage>> MessageService::listPending() const
{
    return readMessages(m_ctx.db.exec(
        QStringLiteral("SELECT m.* FROM %1 AND m.status = 'pending' ORDER BY m.scheduled_for, m.rowid")
            .arg(scoping::visibleRows(kTable, QStringLiteral("m")))));
}

Result<QList<ScheduledMessage>> MessageService::listForContact(const QUuid &contactId) const
{
    return readMessages(m_ctx.db.exec(
        QStringLiteral("SELECT m.* FROM %1 AND m.contact_id = ? ORDER BY m.scheduled_for, m.rowid")
            .arg(scoping::visibleRows(kTable, QStringLiteral("m"))),
        {idText(contactId)}));
}

Result<QList<ScheduledMessage>> MessageService::list() const
{
    return readMessages(m_ctx.db.exec(QStringLiteral("SELECT m.* FROM %1 ORDER BY m.scheduled_for, m.rowid")
                                          .arg(scoping::visibleRows(kTable, QStringLiteral("m")))));
}

} // namespace fb
