#pragma once

#include "models/attribute.h"
#include "services/servicecontext.h"
#include "util/result.h"

#include <QList>

namespace fb {

/// Confirmed customer attributes: one value per (contact, key).
class AttributeService final
{
public:
    explicit AttributeService(ServiceContext context);

    /// Creates or replaces the value of `key` on the contact (an upsert keyed by contact and key).
    Result<Attribute> setAttribute(const AttributeCreate &data);
    /// The contact's attributes by key.
    Result<QList<Attribute>> getAttributes(const QUuid &contactId) const;
    /// Attributes with `key`, optionally only those whose JSON value equals `value`.
    Result<QList<Attribute>> searchByAttribute(const QString &key,
                                               const QJsonValue &value = QJsonValue::Undefined) const;
    Status removeAttribute(const QUuid &contactId, const QString &key);

private:
    ServiceContext m_ctx;
};

/// Values an attribute may hold: a string, number or boolean, or a small flat object of those.
Status validateAttributeValue(const QString &key, const QJsonValue &value);

} // namespace fb
