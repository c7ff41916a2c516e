#pragma once

#include "models/address.h"
#include "models/contact.h"
#include "services/servicecontext.h"
#include "util/money.h"
#include "util/result.h"

#include <QDateTime>
#include <QHash>
#include <QList>

namespace fb {

class AddressService;

/// Narrows list() and search() to the customers with work to follow up. Both set: customers with both.
struct ContactFilter
{
    bool openTickets = false;    ///< a live ticket still scheduled or in progress
    bool unpaidInvoices = false; ///< a live invoice sent and not yet paid (a draft is not billed yet)
};

/// What the customers list shows beside a customer, read for a page of customers at once.
struct ContactActivity
{
    QDateTime lastVisit; ///< the latest in-progress or completed ticket's scheduled time; invalid if none
    int openTickets = 0;
    int unpaidInvoices = 0;
    Money unpaidTotal;
};

/// What a search found in a customer (ContactService::searchHits), so a result can show it.
enum class SearchMatch
{
    Name,
    Email,
    Phone,   ///< the phone, as typed or by its digits ("8155550186" finds "(815) 555-0186")
    Address, ///< ContactSearchHit::address is the address that matched
    Other,   ///< the match spans fields (a name and an e-mail at once), or the query was empty
};

/// One customer found by a search, with what matched and what tells namesakes apart.
struct ContactSearchHit
{
    Contact contact;
    SearchMatch match = SearchMatch::Other;
    /// The address that matched (SearchMatch::Address); otherwise the customer's first address, if any.
    std::optional<Address> address;
};

/// One address of a customer form, as listed: a new one (null id) or a saved one, changed or not.
struct AddressEntry
{
    Address address;
    bool changed = false; ///< a saved address edited in the form: its fields are stored
};

/// A customer with their addresses as a form holds them, saved by ContactService::save() in one call.
struct ContactForm
{
    QUuid id; ///< null: a new customer
    QString name;
    QString email; ///< empty: none (clears a saved one)
    QString phone;
    QString notes;
    QList<AddressEntry> addresses;   ///< in the order shown: "Address 2" in an error is the second
    QList<Address> removedAddresses; ///< saved addresses removed in the form
};

/// Which address of a ContactForm an error of ContactService::save() is about.
struct AddressAtFault
{
    int index = -1;       ///< in ContactForm::addresses, or in removedAddresses when `removed`; -1: none
    bool removed = false; ///< the removal of a saved address was refused (a ticket still uses it)
};

/// Customers (seed 3.6). Reads are scoped to the current user's live contacts by the database layer; every
/// mutation is audited and recorded for sync in the same transaction; events are delivered after the commit.
class ContactService final
{
public:
    ContactService(ServiceContext context, AddressService &addresses);

    Result<Contact> create(const ContactCreate &data);
    /// Creates or updates the customer and applies every address change of the form (removals, then changes
    /// and new ones), in one transaction: all of it is stored, or none of it. An error about an address says
    /// which one in words ("Address 2 (12 Oak St): the ZIP code must not be empty"); addressAtFault() tells a
    /// form which one to point at. An error about the customer's own fields names the field, as create()
    /// does.
    Result<Contact> save(const ContactForm &form);
    static AddressAtFault addressAtFault(const Error &error);
    Result<Contact> getById(const QUuid &id) const;
    Result<ContactWithAddresses> getWithAddresses(const QUuid &id) const;
    /// Changes the fields that are set; returns the contact unchanged when nothing differs.
    Result<Contact> update(const QUuid &id, const ContactUpdate &data);
    /// Soft delete: the contact disappears from every read, its history stays.
    Status remove(const QUuid &id);
    /// Undoes remove(): the contact, with its addresses, tickets and history, is back in every read. Audited
    /// as an update of deleted_at; InvalidState for a live contact, NotFound for another user's.
    Result<Contact> restore(const QUuid &id);
    /// Newest first.
    Result<QList<Contact>> list(int limit = 100, const ContactFilter &filter = {}) const;
    /// Substring search over name, e-mail, phone and addresses (FTS5 trigram index), ordered by name. A query
    /// that looks like a phone number (digits with the separators people type: space - ( ) . + /) also
    /// matches by its digits alone, so "815 555 0186" and "+1 815-555-0186" find "(815) 555-0186": of more
    /// than ten digits only the last ten are looked for (a country code or trunk prefix typed or stored is
    /// not required on the other side).
    Result<QList<Contact>> search(const QString &query, int limit = 100,
                                  const ContactFilter &filter = {}) const;
    /// search(), with what matched in each customer (one more query for the found customers' addresses).
    Result<QList<ContactSearchHit>> searchHits(const QString &query, int limit = 100,
                                               const ContactFilter &filter = {}) const;
    /// The digits a phone-like query is looked for by, or empty when `query` does not look like a phone
    /// number or has fewer than three digits.
    static QString phoneDigits(const QString &query);
    /// The activity of each of `contactIds` that has any tickets or invoices (two grouped queries, whatever
    /// the number of ids); customers without any are absent.
    Result<QHash<QUuid, ContactActivity>> activity(const QList<QUuid> &contactIds) const;

private:
    Result<Contact> writeForm(const ContactForm &form);
    Status writeAddresses(const ContactForm &form, const QUuid &contactId);

    ServiceContext m_ctx;
    AddressService &m_addresses;
};

} // namespace fb
