#include "services/contactservice.h"

#include "db/database.h"
#include "db/store.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "models/rowaccess.h"
#include "models/validation.h"
#include "util/timeutil.h"

namespace fb {

namespace {

const QString kTable = QStringLiteral("contacts");

std::optional<QString> trimmedOrNull(const std::optional<QString> &value)
{
    if (!value)
        return std::nullopt;
    const QString trimmed = value->trimmed();
    return trimmed.isEmpty() ? std::nullopt : std::optional<QString>(trimmed);
}

Result<QList<Contact>> readContacts(Result<QSqlQuery> query)
{
    if (!query)
        return query.error();
    QList<Contact> contacts;
    while (query->next())
        contacts.append(Contact::fromRow(rowFromQuery(*query)));
    return contacts;
}

} // namespace

ContactService::ContactService(ServiceContext context) : m_ctx(context) {}

Result<Contact> ContactService::create(const ContactCreate &data)
{
    FB_TRY(validate::name(data.name, QStringLiteral("name")));
    FB_TRY(validate::email(trimmedOrNull(data.email)));
    FB_TRY(validate::phone(trimmedOrNull(data.phone)));
    FB_TRY(validate::longText(data.notes, QStringLiteral("notes")));

    Contact contact;
    contact.id = newId();
    contact.userId = m_ctx.db.currentUser();
    contact.name = data.name.trimmed();
    contact.email = trimmedOrNull(data.email);
    contact.phone = trimmedOrNull(data.phone);
    contact.notes = data.notes && !data.notes->isEmpty() ? data.notes : std::nullopt;
    contact.createdAt = contact.updatedAt = nowUtc();

    ContactCreatedEvent event;
    event.eventId = newId();
    event.userId = contact.userId;
    event.occurredAt = contact.createdAt;
    event.contactId = contact.id;
    event.name = contact.name;
    event.email = contact.email;
    event.phone = contact.phone;

    {
        FB_TRANSACTION(tx, m_ctx.db);
        FB_TRY(m_ctx.store.insert(kTable, contact.toRow()));
        FB_TRY(m_ctx.bus.publish(event));
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return contact;
}

Result<Contact> ContactService::getById(const QUuid &id) const
{
    auto row = m_ctx.store.fetch(kTable, id);
    if (!row)
        return row.error();
    return Contact::fromRow(*row);
}

Result<ContactWithAddresses> ContactService::getWithAddresses(const QUuid &id) const
{
    auto contact = getById(id);
    if (!contact)
        return contact.error();
    auto query = m_ctx.db.exec(
        QStringLiteral("SELECT * FROM addresses WHERE contact_id = ? ORDER BY created_at, rowid"), {idText(id)});
    if (!query)
        return query.error();
    ContactWithAddresses result{*contact, {}};
    while (query->next())
        result.addresses.append(Address::fromRow(rowFromQuery(*query)));
    return result;
}

Result<Contact> ContactService::update(const QUuid &id, const ContactUpdate &data)
{
    Row values;
    if (data.name) {
        FB_TRY(validate::name(*data.name, QStringLiteral("name")));
        values.insert(QStringLiteral("name"), data.name->trimmed());
    }
    if (data.email) {
        FB_TRY(validate::email(trimmedOrNull(data.email)));
        values.insert(QStringLiteral("email"), rows::value(trimmedOrNull(data.email)));
    }
    if (data.phone) {
        FB_TRY(validate::phone(trimmedOrNull(data.phone)));
        values.insert(QStringLiteral("phone"), rows::value(trimmedOrNull(data.phone)));
    }
    if (data.notes) {
        FB_TRY(validate::longText(data.notes, QStringLiteral("notes")));
        values.insert(QStringLiteral("notes"), rows::value(rows::emptyToNull(*data.notes)));
    }
    if (values.isEmpty())
        return getById(id);

    {
        FB_TRANSACTION(tx, m_ctx.db);
        auto changes = m_ctx.store.update(kTable, id, values);
        if (!changes)
            return changes.error();
        if (!changes->isEmpty()) {
            ContactUpdatedEvent event;
            event.eventId = newId();
            event.userId = m_ctx.db.currentUser();
            event.occurredAt = nowUtc();
            event.contactId = id;
            event.changes = *changes;
            FB_TRY(m_ctx.bus.publish(event));
        }
        FB_TRY(tx.commit());
    }
    m_ctx.bus.deliverPending();
    return getById(id);
}

Status ContactService::remove(const QUuid &id)
{
    FB_TRANSACTION(tx, m_ctx.db);
    FB_TRY(m_ctx.store.softDelete(kTable, id));
    return tx.commit();
}

Result<QList<Contact>> ContactService::list(int limit) const
{
    return readContacts(m_ctx.db.exec(
        QStringLiteral("SELECT * FROM contacts ORDER BY created_at DESC, rowid DESC LIMIT ?"), {limit}));
}

Result<QList<Contact>> ContactService::search(const QString &query, int limit) const
{
    const QString needle = query.trimmed();
    if (needle.isEmpty())
        return list(limit);
    // The trigram index answers substrings of three characters or more; shorter ones use LIKE over the same
    // documents (a scan, but only for one or two typed characters). The join with the scoped `contacts` view
    // keeps results to the current user's live contacts.
    if (needle.size() >= 3) {
        QString phrase = needle;
        phrase.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return readContacts(m_ctx.db.exec(
            QStringLiteral("SELECT c.* FROM contact_search s JOIN contacts c ON c.id = s.contact_id "
                           "WHERE contact_search MATCH ? ORDER BY c.name COLLATE NOCASE, c.rowid LIMIT ?"),
            {QStringLiteral("\"%1\"").arg(phrase), limit}));
    }
    QString pattern = needle;
    pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return readContacts(m_ctx.db.exec(
        QStringLiteral("SELECT c.* FROM contact_search s JOIN contacts c ON c.id = s.contact_id "
                       "WHERE s.body LIKE ? ESCAPE '\\' ORDER BY c.name COLLATE NOCASE, c.rowid LIMIT ?"),
        {QString(QLatin1Char('%') + pattern + QLatin1Char('%')), limit}));
}

} // namespace fb
