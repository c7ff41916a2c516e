// Restoring soft-deleted rows (ContactService::restore, CatalogService::restoreService,
// TicketService::restoreLineItem, all through Store::restore): the row is back in every read, the restore is
// audited and recorded for sync, a live row or another technician's row is refused with nothing written.
// One file for the three services: they share Store::restore and its rules.

#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")),
            scalar(f, QStringLiteral("SELECT count(*) FROM main.contacts WHERE deleted_at IS NULL")),
            scalar(f, QStringLiteral("SELECT count(*) FROM main.services WHERE deleted_at IS NULL")),
            scalar(f, QStringLiteral("SELECT count(*) FROM main.line_items WHERE deleted_at IS NULL"))};
}

QStringList contactNames(const Result<QList<Contact>> &contacts)
{
    if (!contacts)
        return {QStringLiteral("error: ") + contacts.error().toString()};
    QStringList result;
    for (const Contact &contact : *contacts)
        result.append(contact.name);
    return result;
}

Ticket openTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                     QDateTime(QDate(2030, 3, 4), QTime(9, 0), QTimeZone::utc()),
                                     std::nullopt, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

Service fixedService(test::CoreFixture &f, const QString &name)
{
    ServiceCreate data;
    data.name = name;
    data.pricingType = PricingType::Fixed;
    data.defaultPrice = Money::fromCents(12000);
    auto service = f->catalog.createService(data);
    if (!service)
        qFatal("cannot create a service: %s", qPrintable(service.error().toString()));
    return *service;
}

} // namespace

class TestRestore final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void restoredContactIsBackAndAudited()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        VERIFY_OK(f->contacts.remove(customer.contact.id));
        auto stored = f->db().exec(QStringLiteral("SELECT deleted_at FROM main.contacts WHERE id = ?"),
                                   {idText(customer.contact.id)});
        VERIFY_OK(stored);
        QVERIFY(stored->next());
        const QString deletedAt = stored->value(0).toString();
        QVERIFY(!deletedAt.isEmpty());
        const qint64 outboxBefore = scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"));

        auto restored = f->contacts.restore(customer.contact.id);
        VERIFY_OK(restored);
        QCOMPARE(restored->name, QStringLiteral("Margaret Hill"));
        QVERIFY(!restored->deletedAt.isValid());

        // Back in every read, addresses and search included.
        VERIFY_OK(f->contacts.getById(customer.contact.id));
        auto withAddresses = f->contacts.getWithAddresses(customer.contact.id);
        VERIFY_OK(withAddresses);
        QCOMPARE(withAddresses->addresses.size(), 1);
        QCOMPARE(contactNames(f->contacts.list()), QStringList{QStringLiteral("Margaret Hill")});
        QCOMPARE(contactNames(f->contacts.search(QStringLiteral("Margaret"))),
                 QStringList{QStringLiteral("Margaret Hill")});
        QCOMPARE(contactNames(f->contacts.search(QStringLiteral("Elm Street"))),
                 QStringList{QStringLiteral("Margaret Hill")});

        // Audited as an update of deleted_at by the current user, and recorded once for the push.
        auto history = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        VERIFY_OK(history);
        const AuditEntry &entry = history->first();
        QCOMPARE(entry.action, AuditAction::Update);
        QCOMPARE(entry.userId, f.alice());
        QCOMPARE(entry.changes.keys(), QStringList{QStringLiteral("deleted_at")});
        const QJsonObject change = entry.changes.value(QStringLiteral("deleted_at")).toObject();
        QVERIFY(change.value(QStringLiteral("new")).isNull());
        QCOMPARE(change.value(QStringLiteral("old")).toString(), deletedAt);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")), outboxBefore + 1);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE audit_id = ?"),
                        {idText(entry.id)}),
                 1);

        // Deleted and restored again: each step is its own entry.
        VERIFY_OK(f->contacts.remove(customer.contact.id));
        VERIFY_OK(f->contacts.restore(customer.contact.id));
        QCOMPARE(f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id)->size(), 5);
    }

    void liveRowIsRefused()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Service service = fixedService(f, QStringLiteral("Window cleaning"));
        const Ticket ticket = openTicket(f, customer);
        LineItemCreate item;
        item.serviceId = service.id;
        auto lineItem = f->tickets.addLineItem(ticket.id, item);
        VERIFY_OK(lineItem);

        const auto before = writes(f);
        auto contact = f->contacts.restore(customer.contact.id);
        QVERIFY(!contact);
        QCOMPARE(contact.error().code, ErrorCode::InvalidState);
        QVERIFY2(contact.error().message.contains(QStringLiteral("not deleted")),
                 qPrintable(contact.error().message));
        auto restoredService = f->catalog.restoreService(service.id);
        QVERIFY(!restoredService);
        QCOMPARE(restoredService.error().code, ErrorCode::InvalidState);
        auto restoredItem = f->tickets.restoreLineItem(lineItem->id);
        QVERIFY(!restoredItem);
        QCOMPARE(restoredItem.error().code, ErrorCode::InvalidState);
        QCOMPARE(writes(f), before);
    }

    void unknownAndHardDeletedAreRefused()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto before = writes(f);
        auto unknown = f->contacts.restore(newId());
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);

        // Addresses are removed, not marked deleted: nothing is left to restore.
        VERIFY_OK(f->addresses.remove(customer.address.id));
        const auto afterRemove = writes(f);
        auto address = f->store().restore(QStringLiteral("addresses"), customer.address.id);
        QVERIFY(!address);
        QCOMPARE(address.error().code, ErrorCode::InvalidState);
        QCOMPARE(writes(f), afterRemove);
    }

    void scopedToTheCurrentUser()
    {
        test::CoreFixture f;
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        const auto theirs = f.addCustomer(QStringLiteral("Bob's customer"));
        const Service theirService = fixedService(f, QStringLiteral("Bob's service"));
        VERIFY_OK(f->contacts.remove(theirs.contact.id));
        VERIFY_OK(f->catalog.deleteService(theirService.id));
        VERIFY_OK(f->setCurrentUser(f.alice()));

        const auto before = writes(f);
        auto contact = f->contacts.restore(theirs.contact.id);
        QVERIFY(!contact);
        QCOMPARE(contact.error().code, ErrorCode::NotFound);
        auto service = f->catalog.restoreService(theirService.id);
        QVERIFY(!service);
        QCOMPARE(service.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);
        QCOMPARE(scalar(f,
                        QStringLiteral(
                            "SELECT count(*) FROM main.contacts WHERE id = ? AND deleted_at IS NOT NULL"),
                        {idText(theirs.contact.id)}),
                 1);

        // Bob may.
        VERIFY_OK(f->setCurrentUser(bob));
        VERIFY_OK(f->contacts.restore(theirs.contact.id));
        VERIFY_OK(f->catalog.restoreService(theirService.id));
    }

    void restoredServiceIsBackInTheCatalog()
    {
        test::CoreFixture f;
        const Service service = fixedService(f, QStringLiteral("Window cleaning"));
        VERIFY_OK(f->catalog.deleteService(service.id));
        QVERIFY(f->catalog.listServices()->isEmpty());

        auto restored = f->catalog.restoreService(service.id);
        VERIFY_OK(restored);
        QCOMPARE(restored->defaultPrice, Money::fromCents(12000));
        auto listed = f->catalog.listServices();
        VERIFY_OK(listed);
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().id, service.id);
        auto history = f->audit().entityHistory(QStringLiteral("service"), service.id);
        QCOMPARE(history->first().action, AuditAction::Update);
        QVERIFY(history->first().changes.contains(QStringLiteral("deleted_at")));
    }

    void lineItemRestoresOnlyOnAnOpenTicket()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Service service = fixedService(f, QStringLiteral("Window cleaning"));
        const Ticket ticket = openTicket(f, customer);
        LineItemCreate item;
        item.serviceId = service.id;
        auto lineItem = f->tickets.addLineItem(ticket.id, item);
        VERIFY_OK(lineItem);
        VERIFY_OK(f->tickets.removeLineItem(lineItem->id));

        auto restored = f->tickets.restoreLineItem(lineItem->id);
        VERIFY_OK(restored);
        auto details = f->tickets.getWithDetails(ticket.id);
        VERIFY_OK(details);
        QCOMPARE(details->lineItems.size(), 1);
        QCOMPARE(details->total, Money::fromCents(12000));

        // Removed again, then the job is cancelled: the line item stays removed, nothing written.
        VERIFY_OK(f->tickets.removeLineItem(lineItem->id));
        VERIFY_OK(f->tickets.cancel(ticket.id));
        const auto before = writes(f);
        auto refused = f->tickets.restoreLineItem(lineItem->id);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::InvalidState);
        QCOMPARE(writes(f), before);
    }
};

QTEST_GUILESS_MAIN(TestRestore)
#include "test_restore.moc"
