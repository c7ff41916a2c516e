#include "services/addressservice.h"

#include "db/scoping.h"
#include "db/store.h"
#include "db/transaction.h"
#include "models/rowaccess.h"
#include "models/validation.h"

namespace fb {

namespace {
const QString kTable = QStringLiteral("addresses");
}

AddressService::AddressService(ServiceContext context) : m_ctx(context)
{
}

Result<Address> AddressService::create(const AddressCreate &data)
{
    if (data.contactId.isNull())
        return Error::validation(QStringLiteral("contact_id"), QStringLiteral("is required"));
    FB_TRY(validate::shortText(data.label, QStringLiteral("label")));
    FB_TRY(validate::requiredText(data.street, QStringLiteral("street")));
    FB_TRY(validate::requiredText(data.city, QStringLiteral("city")));
    FB_TRY(validate::requiredText(data.state, QStringLiteral("state")));
    FB_TRY(validate::requiredText(data.zip, QStringLiteral("zip")));
    FB_TRY(validate::longText(data.notes, QStringLiteral("notes")));
    if (auto contact = m_ctx.store.fetch(QStringLiteral("contacts"), data.contactId); !contact)
        return Error::validation(QStringLiteral("contact_id"), contact.error().message);

    Address address;
    address.id = newId();
    address.userId = m_ctx.db.currentUser();
    address.contactId = data.contactId;
    address.label =
        data.label && !data.label->trimmed().isEmpty() ? std::optional(data.label->trimmed()) : std::nullopt;
    address.street = data.street.trimmed();
    address.city = data.city.trimmed();
    address.state = data.state.trimmed();
    address.zip = data.zip.trimmed();
    address.notes = data.notes && !data.notes->isEmpty() ? data.notes : std::nullopt;
    address.createdAt = address.updatedAt = nowUtc();

    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.insert(kTable, address.toRow()));
    FB_TRY(tx.commit());
    return address;
}

Result<Address> AddressService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return Address::fromRow(*row);
}

Result<Address> AddressService::update(const QUuid &id, const AddressUpdate &data)
{
    Row values;
    if (data.label) {
        FB_TRY(validate::shortText(data.label, QStringLiteral("label")));
        values.insert(QStringLiteral("label"), rows::value(rows::emptyToNull(data.label->trimmed())));
    }
    const std::pair<const std::optional<QString> *, const char *> required[] = {
        {&data.street, "street"}, {&data.city, "city"}, {&data.state, "state"}, {&data.zip, "zip"}};
    for (const auto &[value, column] : required) {
        if (!*value)
            continue;
        FB_TRY(validate::requiredText(**value, QString::fromLatin1(column)));
        values.insert(QString::fromLatin1(column), (*value)->trimmed());
    }
    if (data.notes) {
        FB_TRY(validate::longText(data.notes, QStringLiteral("notes")));
        values.insert(QStringLiteral("notes"), rows::value(rows::emptyToNull(*data.notes)));
    }
    if (!values.isEmpty()) {
        FB_TRANSACTION(tx, m_ctx.db);
        if (auto changed = m_ctx.store.update(kTable, id, values); !changed)
            return changed.error();
        FB_TRY(tx.commit());
    }
    return getById(id);
}

Status AddressService::remove(const QUuid &id)
{
    // main.tickets: soft-deleted tickets still reference the address, and the foreign key counts them too.
    auto used =
        m_ctx.db.exec(QStringLiteral("SELECT count(*) FROM main.tickets WHERE address_id = ?"), {idText(id)});
    if (!used)
        return used.error();
    if (used->next() && used->value(0).toInt() > 0)
        return Error::invalidState(
            QStringLiteral("this address is used by %1 ticket(s) and cannot be removed")
                .arg(used->value(0).toInt()));
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.remove(kTable, id));
    return tx.commit();
}

Result<QList<Address>> AddressService::listForContact(const QUuid &contactId) const
{
    auto query =
        m_ctx.db.exec(QStringLiteral("SELECT a.* FROM %1 AND a.contact_id = ? ORDER BY a.created_at, a.rowid")
                          .arg(scoping::visibleRows(QStringLiteral("addresses"), QStringLiteral("a"))),
                      {idText(contactId)});
    if (!query)
        return query.error();
    QList<Address> addresses;
    while (query->next())
        addresses.append(Address::fromRow(rowFromQuery(*query)));
    return addresses;
}

} // namespace fb
