#include "services/attributeservice.h"

#include "db/store.h"
#include "db/transaction.h"
#include "models/validation.h"
#include "util/jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace fb {

namespace {

const QString kTable = QStringLiteral("attributes");
constexpr int kMaxValueBytes = 4096;

Result<QList<Attribute>> readAttributes(Result<QSqlQuery> query)
{
    if (!query)
        return query.error();
    QList<Attribute> attributes;
    while (query->next())
        attributes.append(Attribute::fromRow(rowFromQuery(*query)));
    return attributes;
}

bool isScalar(const QJsonValue &value)
{
    return value.isString() || value.isDouble() || value.isBool();
}

} // namespace

Status validateAttributeValue(const QString &key, const QJsonValue &value)
{
    const QString field = QStringLiteral("attributes.%1").arg(key);
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty() || object.size() > 10)
            return Error::validation(field, QStringLiteral("an object value needs 1 to 10 fields"));
        for (auto it = object.begin(); it != object.end(); ++it)
            if (!isScalar(it.value()))
                return Error::validation(
                    field, QStringLiteral("field '%1' must be a string, number or boolean").arg(it.key()));
    } else if (!isScalar(value)) {
        return Error::validation(field, QStringLiteral("must be a string, number, boolean or flat object"));
    }
    if (value.isString() && value.toString().trimmed().isEmpty())
        return Error::validation(field, QStringLiteral("must not be empty"));
    if (jsonValueToText(value).toUtf8().size() > kMaxValueBytes)
        return Error::validation(field, QStringLiteral("must be at most 4 KiB"));
    return {};
}

AttributeService::AttributeService(ServiceContext context) : m_ctx(context)
{
}

Result<Attribute> AttributeService::setAttribute(const AttributeCreate &data)
{
    FB_TRY(validate::attributeKey(data.key));
    FB_TRY(validateAttributeValue(data.key, data.value));
    if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), data.contactId); !contact)
        return Error::validation(QStringLiteral("contact_id"), contact.error().message);

    auto existing =
        m_ctx.db.exec(QStringLiteral("SELECT id FROM attributes WHERE contact_id = ? AND key = ?"),
                      {idText(data.contactId), data.key});
    if (!existing)
        return existing.error();
    const QUuid existingId = existing->next() ? idFromVariant(existing->value(0)) : QUuid();
    existing->finish();

    FB_TRANSACTION(tx, m_ctx.db);
    if (existingId.isNull()) {
        Attribute attribute;
        attribute.id = newId();
        attribute.userId = m_ctx.db.currentUser();
        attribute.contactId = data.contactId;
        attribute.key = data.key;
        attribute.value = data.value;
        attribute.sourceNoteId = data.sourceNoteId;
        attribute.createdAt = attribute.updatedAt = nowUtc();
        FB_TRY(m_ctx.store.insert(kTable, attribute.toRow()));
        FB_TRY(tx.commit());
        return attribute;
    }
    Attribute replacement;
    replacement.value = data.value;
    replacement.sourceNoteId = data.sourceNoteId;
    const Row row = replacement.toRow();
    // source_note_id says where the current value came from. A new value replaces the link (with none when it
    // was set by hand) rather than keep pointing at a note that does not say it; confirming the same value
    // again keeps the original link unless a note is given.
    auto current = m_ctx.store.fetch(kTable, existingId);
    if (!current)
        return current.error();
    const bool sameValue = Attribute::fromRow(*current).value == data.value;
    Row values{{QStringLiteral("value"), row.value(QStringLiteral("value"))}};
    if (!sameValue || !data.sourceNoteId.isNull())
        values.insert(QStringLiteral("source_note_id"), row.value(QStringLiteral("source_note_id")));
    if (auto changed = m_ctx.store.update(kTable, existingId, values); !changed)
        return changed.error();
    FB_TRY(tx.commit());
    auto stored = m_ctx.store.fetch(kTable, existingId);
    if (!stored)
        return stored.error();
    return Attribute::fromRow(*stored);
}

Result<QList<Attribute>> AttributeService::getAttributes(const QUuid &contactId) const
{
    return readAttributes(m_ctx.db.exec(
        QStringLiteral("SELECT * FROM attributes WHERE contact_id = ? ORDER BY key"), {idText(contactId)}));
}

Result<QList<Attribute>> AttributeService::searchByAttribute(const QString &key,
                                                             const QJsonValue &value) const
{
    if (value.isUndefined())
        return readAttributes(m_ctx.db.exec(
            QStringLiteral("SELECT * FROM attributes WHERE key = ? ORDER BY contact_id"), {key}));
    Attribute probe;
    probe.value = value;
    // Compare canonical JSON: json() normalises the stored text the same way as the probe's.
    return readAttributes(m_ctx.db.exec(
        QStringLiteral(
            "SELECT * FROM attributes WHERE key = ? AND json(value) = json(?) ORDER BY contact_id"),
        {key, probe.toRow().value(QStringLiteral("value"))}));
}

Status AttributeService::removeAttribute(const QUuid &contactId, const QString &key)
{
    auto existing =
        m_ctx.db.exec(QStringLiteral("SELECT id FROM attributes WHERE contact_id = ? AND key = ?"),
                      {idText(contactId), key});
    if (!existing)
        return existing.error();
    if (!existing->next())
        return Error::notFound(QStringLiteral("the contact has no attribute '%1'").arg(key));
    const QUuid id = idFromVariant(existing->value(0));
    existing->finish();
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.remove(kTable, id));
    return tx.commit();
}

} // namespace fb
