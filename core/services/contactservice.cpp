#include "services/contactservice.h"

#include "db/database.h"
#include "db/scoping.h"
#include "db/statement.h"
#include "db/store.h"
#include "db/transaction.h"
#include "events/eventbus.h"
#include "models/rowaccess.h"
#include "models/validation.h"
#include "services/addressservice.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace fb {

namespace {

const QString kTable = QStringLiteral("contacts");
// A search document's rowid (local migration 015) puts its contact in name order by the first two characters:
// their classes in its high bits, the contact's rowid in these low bits.
constexpr qint64 kContactRowidBits = 0x7FFFFF;
constexpr int kNamePrefixShift = 23;

std::optional<QString> trimmedOrNull(const std::optional<QString> &value)
{
    if (!value)
        return std::nullopt;
    const QString trimmed = value->trimmed();
    return trimmed.isEmpty() ? std::nullopt : std::optional<QString>(trimmed);
}

/// The contacts `sql` reads, through a statement the connection keeps prepared (Database::read), as
/// readTickets does: a search as the technician types runs the same few texts again and again.
Result<QList<Contact>> readContacts(Database &db, const QString &sql, const QVariantList &values)
{
    QList<Contact> contacts;
    QStringList columns; // their names once per read, not once per row
    FB_TRY(db.read(sql, values, [&](const Statement &statement) {
        if (columns.isEmpty())
            for (int i = 0; i < statement.columnCount(); ++i)
                columns.append(statement.columnName(i));
        Row row;
        for (int i = 0; i < columns.size(); ++i)
            row.insert(columns.at(i), statement.value(i));
        contacts.append(Contact::fromRow(row));
        return true;
    }));
    return contacts;
}

/// The filter as conditions on `c`. Only fixed clauses are appended, never values. Each is a non-correlated
/// IN: the open tickets (or sent invoices) are read once into a set, not queried once per customer.
QString filterConditions(const ContactFilter &filter)
{
    QString sql;
    if (filter.openTickets) {
        sql += QStringLiteral(" AND c.id IN (SELECT t.contact_id FROM %1 AND t.status IN ('scheduled', "
                              "'in_progress'))")
                   .arg(scoping::visibleRows(QStringLiteral("tickets"), QStringLiteral("t")));
    }
    if (filter.unpaidInvoices) {
        sql += QStringLiteral(" AND c.id IN (SELECT i.contact_id FROM %1 AND i.status = 'sent')")
                   .arg(scoping::visibleRows(QStringLiteral("invoices"), QStringLiteral("i")));
    }
    return sql;
}

/// An address's column in words, for "the ZIP code must not be empty".
QString addressFieldWords(const QString &column)
{
    static const QHash<QString, QString> words{
        {QStringLiteral("label"), QStringLiteral("the label")},
        {QStringLiteral("street"), QStringLiteral("the street")},
        {QStringLiteral("city"), QStringLiteral("the city")},
        {QStringLiteral("state"), QStringLiteral("the state")},
        {QStringLiteral("zip"), QStringLiteral("the ZIP code")},
        {QStringLiteral("notes"), QStringLiteral("the notes")},
    };
    return words.value(column);
}

/// "Address 2 (12 Oak St)": the address as the technician sees it in the form.
QString addressName(int position, const Address &address)
{
    const QString street = address.street.trimmed();
    const QString label = address.label.value_or(QString()).trimmed();
    const QString shown = !street.isEmpty() ? street : label;
    return shown.isEmpty() ? QStringLiteral("Address %1").arg(position)
                           : QStringLiteral("Address %1 (%2)").arg(position).arg(shown);
}

/// The error of the form's address `index` (in the list, or among the removed ones), naming it. A failure of
/// the database itself is not the address's fault and is returned as it is.
Error aboutAddress(const Error &error, int index, const Address &address, bool removed)
{
    if (error.code == ErrorCode::Database)
        return error;
    QString reason = error.message;
    if (const QString words = addressFieldWords(error.field); !words.isEmpty())
        reason = QStringLiteral("%1 %2").arg(words, error.message);
    else if (!error.field.isEmpty())
        reason = error.toString();
    const QString message =
        removed ? QStringLiteral("The removed address %1: %2")
                      .arg(address.street.trimmed().isEmpty() ? address.oneLine() : address.street.trimmed(),
                           reason)
                : QStringLiteral("%1: %2").arg(addressName(index + 1, address), reason);
    const QString field = removed ? QStringLiteral("removed_addresses[%1]").arg(index)
                                  : QStringLiteral("addresses[%1]").arg(index);
    return Error{error.code, error.field.isEmpty() ? field : QStringLiteral("%1.%2").arg(field, error.field),
                 message};
}

} // namespace

ContactService::ContactService(ServiceContext context, AddressService &addresses)
    : m_ctx(context), m_addresses(addresses)
{
}

Result<Contact> ContactService::save(const ContactForm &form)
{
    const Result<Contact> saved = [&]() -> Result<Contact> {
        // The outermost transaction: create(), update() and the address service commit savepoints inside it,
        // and the bus delivers their events only after this one commits.
        FB_TRANSACTION(tx, m_ctx.db);
        auto written = writeForm(form);
        if (written)
            FB_TRY(tx.commit());
        return written;
    }();
    if (saved)
        m_ctx.bus.deliverPending();
    return saved;
}

AddressAtFault ContactService::addressAtFault(const Error &error)
{
    static const QRegularExpression pattern(QStringLiteral("^(removed_addresses|addresses)\\[(\\d+)\\]"));
    const QRegularExpressionMatch match = pattern.match(error.field);
    if (!match.hasMatch())
        return {};
    return {match.captured(2).toInt(), match.captured(1) == QLatin1String("removed_addresses")};
}

Result<Contact> ContactService::writeForm(const ContactForm &form)
{
    QUuid id = form.id;
    if (id.isNull()) {
        auto created = create({form.name, form.email, form.phone, form.notes});
        if (!created)
            return created.error();
        id = created->id;
    } else if (auto updated = update(id, {form.name, form.email, form.phone, form.notes}); !updated) {
        // Every field is sent: update() stores (and audits) only what differs; an empty text clears.
        return updated.error();
    }
    FB_TRY(writeAddresses(form, id));
    return getById(id);
}

Status ContactService::writeAddresses(const ContactForm &form, const QUuid &contactId)
{
    for (int i = 0; i < form.removedAddresses.size(); ++i) {
        const Address &address = form.removedAddresses.at(i);
        if (auto removed = m_addresses.remove(address.id); !removed)
            return aboutAddress(removed.error(), i, address, true);
    }
    for (int i = 0; i < form.addresses.size(); ++i) {
        const Address &address = form.addresses.at(i).address;
        Status written;
        if (address.id.isNull()) {
            if (auto created = m_addresses.create({contactId, address.label, address.street, address.city,
                                                   address.state, address.zip, address.notes});
                !created)
                written = created.error();
        } else if (form.addresses.at(i).changed) {
            if (auto updated = m_addresses.update(
                    address.id, {address.label.value_or(QString()), address.street, address.city,
                                 address.state, address.zip, address.notes.value_or(QString())});
                !updated)
                written = updated.error();
        }
        if (!written)
            return aboutAddress(written.error(), i, address, false);
    }
    return {};
}

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
    auto query =
        m_ctx.db.exec(QStringLiteral("SELECT a.* FROM %1 AND a.contact_id = ? ORDER BY a.created_at, a.rowid")
                          .arg(scoping::visibleRows(QStringLiteral("addresses"), QStringLiteral("a"))),
                      {idText(id)});
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

Result<Contact> ContactService::restore(const QUuid &id)
{
    // No event, as remove() raises none: nothing downstream reacts to a contact's deletion either.
    FB_TRANSACTION(tx, m_ctx.db);
    auto row = m_ctx.store.restore(kTable, id);
    if (!row)
        return row.error();
    FB_TRY(tx.commit());
    return Contact::fromRow(*row);
}

Result<QList<Contact>> ContactService::list(int limit, const ContactFilter &filter) const
{
    return readContacts(
        m_ctx.db,
        // Newest first, through the index in that order (local migration 014): the read stops at `limit`.
        QStringLiteral("SELECT c.* FROM %1%2 ORDER BY c.created_at DESC, c.rowid DESC LIMIT ?")
            .arg(scoping::visibleRows(kTable, QStringLiteral("c"), QStringLiteral("idx_contacts_created")),
                 filterConditions(filter)),
        {limit});
}

Result<QList<Contact>> ContactService::search(const QString &query, int limit,
                                              const ContactFilter &filter) const
{
    const QString needle = query.trimmed();
    if (needle.isEmpty())
        return list(limit, filter);
    // The result is the first `limit` matches in name order, the current user's live contacts. The scoped
    // `contacts` view has no rowid (a view's rowid reads as NULL), so these read main.contacts with exactly
    // the view's conditions.
    if (needle.size() < 3) {
        // The trigram index answers substrings of three characters or more. One or two characters match
        // often: walk the contacts in name order (idx_contacts_name), test each one's document as the
        // view makes it (the index keeps no copy, migration 015), and stop after `limit` matches.
        QString pattern = needle;
        pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        return readContacts(
            m_ctx.db,
            QStringLiteral(
                "SELECT c.* FROM main.contacts c CROSS JOIN contact_search_source v "
                "ON v.contact_id = c.id WHERE c.user_id = current_user_id() AND c.deleted_at IS NULL "
                "AND v.body LIKE ? ESCAPE '\\'%1 ORDER BY c.name COLLATE NOCASE, c.rowid LIMIT ?")
                .arg(filterConditions(filter)),
            {QString(QLatin1Char('%') + pattern + QLatin1Char('%')), limit});
    }
    // A document's rowid puts it in name order by the first two characters of the name (local migration 015),
    // and the index gives its matches in rowid order, so the search reads matches until it has `limit` and
    // the rest of the last one's tie group (the names that begin with the same two characters), then sorts
    // what it read by the whole name. A search that matches thousands of customers reads a few hundred of
    // them.
    QString phrase = needle;
    phrase.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    QString match = QStringLiteral("\"%1\"").arg(phrase);
    // A phone number however typed: its digits, which each document holds beside the phone as stored
    // (migration 009). The query as typed is kept as an alternative ("12-14 Main" is a street).
    if (const QString digits = phoneDigits(needle); !digits.isEmpty() && digits != needle)
        match += QStringLiteral(" OR \"%1\"").arg(digits);
    QByteArray ids("[");
    int taken = 0;
    qint64 lastPrefix = -1;
    FB_TRY(m_ctx.db.read(
        QStringLiteral("SELECT s.rowid FROM contact_search s CROSS JOIN main.contacts c "
                       "ON c.rowid = (s.rowid & %1) WHERE s.contact_search MATCH ? AND "
                       "c.user_id = current_user_id() AND c.deleted_at IS NULL%2 ORDER BY s.rowid")
            .arg(kContactRowidBits)
            .arg(filterConditions(filter)),
        {match}, [&](const Statement &row) {
            const qint64 document = row.value(0).toLongLong();
            const qint64 prefix = document >> kNamePrefixShift;
            if (taken >= limit && prefix != lastPrefix)
                return false;
            if (taken++ > 0)
                ids += ',';
            ids += QByteArray::number(document & kContactRowidBits);
            lastPrefix = prefix;
            return true;
        }));
    ids += ']';
    return readContacts(
        m_ctx.db,
        // The same conditions again: a write may have come between the two reads.
        QStringLiteral("SELECT c.* FROM json_each(?) m CROSS JOIN main.contacts c ON c.rowid = m.value "
                       "WHERE c.user_id = current_user_id() AND c.deleted_at IS NULL%1 "
                       "ORDER BY c.name COLLATE NOCASE, c.rowid LIMIT ?")
            .arg(filterConditions(filter)),
        {QString::fromLatin1(ids), limit});
}

QString ContactService::phoneDigits(const QString &query)
{
    static const QRegularExpression phoneLike(QStringLiteral("^\\+?[0-9 ().\\-/]+$"));
    const QString trimmed = query.trimmed();
    if (!phoneLike.match(trimmed).hasMatch())
        return {};
    QString digits;
    for (const QChar c : trimmed) {
        if (c.isDigit())
            digits.append(c);
    }
    if (digits.size() < 3)
        return {};
    // Ten digits name a number in most numbering plans; what precedes them is a country code or a trunk
    // prefix ("+1 815...", "0044 20..."), which the stored number may lack.
    return digits.size() > 10 ? digits.right(10) : digits;
}

Result<QList<ContactSearchHit>> ContactService::searchHits(const QString &query, int limit,
                                                           const ContactFilter &filter) const
{
    auto found = search(query, limit, filter);
    if (!found)
        return found.error();
    QList<ContactSearchHit> hits;
    if (found->isEmpty())
        return hits;
    // The found customers' addresses in one statement, in each customer's order (the first is the home).
    QJsonArray idArray;
    for (const Contact &contact : *found)
        idArray.append(idText(contact.id));
    auto addressRows = m_ctx.db.exec(
        QStringLiteral("SELECT a.* FROM %1 AND a.contact_id IN (SELECT value FROM json_each(?)) ORDER BY "
                       "a.created_at, a.rowid")
            .arg(scoping::visibleRows(QStringLiteral("addresses"), QStringLiteral("a"))),
        {QString::fromUtf8(QJsonDocument(idArray).toJson(QJsonDocument::Compact))});
    if (!addressRows)
        return addressRows.error();
    QHash<QUuid, QList<Address>> addresses;
    while (addressRows->next()) {
        Address address = Address::fromRow(rowFromQuery(*addressRows));
        addresses[address.contactId].append(address);
    }
    // What matched, the way the index matches: a case-insensitive substring of one field (an address as its
    // document holds it: label, street, city, state, ZIP), or the phone's digits.
    const QString needle = query.trimmed();
    const QString digits = phoneDigits(needle);
    const auto contains = [&needle](const QString &text) {
        return !needle.isEmpty() && text.contains(needle, Qt::CaseInsensitive);
    };
    for (const Contact &contact : *found) {
        ContactSearchHit hit{contact, SearchMatch::Other, std::nullopt};
        const QList<Address> own = addresses.value(contact.id);
        if (!own.isEmpty())
            hit.address = own.first();
        QString phoneDigitsOnly;
        if (contact.phone) {
            for (const QChar c : *contact.phone) {
                if (c.isDigit())
                    phoneDigitsOnly.append(c);
            }
        }
        if (contains(contact.name)) {
            hit.match = SearchMatch::Name;
        } else if (contact.phone &&
                   (contains(*contact.phone) || (!digits.isEmpty() && phoneDigitsOnly.contains(digits)))) {
            hit.match = SearchMatch::Phone;
        } else if (contact.email && contains(*contact.email)) {
            hit.match = SearchMatch::Email;
        } else {
            for (const Address &address : own) {
                const QString document = QStringList{address.label.value_or(QString()), address.street,
                                                     address.city, address.state, address.zip}
                                             .join(QLatin1Char(' '));
                if (contains(document)) {
                    hit.match = SearchMatch::Address;
                    hit.address = address;
                    break;
                }
            }
        }
        hits.append(hit);
    }
    return hits;
}

Result<QHash<QUuid, ContactActivity>> ContactService::activity(const QList<QUuid> &contactIds) const
{
    QHash<QUuid, ContactActivity> result;
    if (contactIds.isEmpty())
        return result;
    // The ids as one bound JSON array: one statement for a page of customers, through idx_tickets_contact and
    // idx_invoices_contact.
    QJsonArray idArray;
    for (const QUuid &id : contactIds)
        idArray.append(idText(id));
    const QString ids = QString::fromUtf8(QJsonDocument(idArray).toJson(QJsonDocument::Compact));
    {
        auto query = m_ctx.db.exec(
            QStringLiteral("SELECT t.contact_id, MAX(CASE WHEN t.status IN ('in_progress', 'completed') THEN "
                           "t.scheduled_at END), SUM(t.status IN ('scheduled', 'in_progress')) FROM %1 AND "
                           "t.contact_id IN (SELECT value FROM json_each(?)) GROUP BY t.contact_id")
                .arg(scoping::visibleRows(QStringLiteral("tickets"), QStringLiteral("t"))),
            {ids});
        if (!query)
            return query.error();
        while (query->next()) {
            ContactActivity &activity = result[idFromVariant(query->value(0))];
            activity.lastVisit = fromStoredTime(query->value(1));
            activity.openTickets = query->value(2).toInt();
        }
    }
    auto query = m_ctx.db.exec(
        QStringLiteral("SELECT i.contact_id, count(*), SUM(i.total_amount) FROM %1 AND i.status = "
                       "'sent' AND i.contact_id IN (SELECT value FROM json_each(?)) GROUP BY "
                       "i.contact_id")
            .arg(scoping::visibleRows(QStringLiteral("invoices"), QStringLiteral("i"))),
        {ids});
    if (!query)
        return query.error();
    while (query->next()) {
        ContactActivity &activity = result[idFromVariant(query->value(0))];
        activity.unpaidInvoices = query->value(1).toInt();
        activity.unpaidTotal = Money::fromCents(query->value(2).toLongLong());
    }
    return result;
}

} // namespace fb
