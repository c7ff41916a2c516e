// Lists keep the order rows were written in when their timestamps tie within a millisecond. The scoped views
// have no rowid (it reads as NULL through a view), so ordered lists read scoping::visibleRows(), which does.
#include "support/testsupport.h"

#include <QTest>

using namespace fb;

class TestInsertionOrder final : public QObject
{
    Q_OBJECT

    // Gives every row of `table` the same created_at, as a fast machine (or an import) would.
    static void tieTimestamps(test::CoreFixture &f, const QString &table,
                              const QString &column = QStringLiteral("created_at"))
    {
        auto tied = f->db().exec(
            QStringLiteral("UPDATE main.%1 SET %2 = '2026-11-27T10:00:00.000Z'").arg(table, column));
        QVERIFY2(tied.ok(), qPrintable(tied.ok() ? QString() : tied.error().toString()));
    }

private Q_SLOTS:
    void viewsHaveNoRowid()
    {
        test::CoreFixture f;
        f.addCustomer();
        auto query = f->db().exec(QStringLiteral("SELECT rowid FROM contacts"));
        QVERIFY(query.ok());
        QVERIFY(query->next());
        QVERIFY(query->value(0).isNull()); // why the services order through visibleRows()
    }

    void notesNewestFirstByWriteOrder()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        QList<QUuid> written;
        for (int i = 0; i < 12; ++i) {
            auto note = f->notes.create({customer.contact.id, {}, QStringLiteral("note %1").arg(i)});
            QVERIFY(note.ok());
            written.prepend(note->id);
        }
        tieTimestamps(f, QStringLiteral("notes"));
        auto listed = f->notes.listForContact(customer.contact.id);
        QVERIFY(listed.ok());
        QList<QUuid> ids;
        for (const Note &note : *listed)
            ids.append(note.id);
        QCOMPARE(ids, written);
    }

    void addressesInWriteOrder()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        QList<QUuid> written{customer.address.id};
        for (int i = 0; i < 10; ++i) {
            AddressCreate address{customer.contact.id,
                                  QStringLiteral("Site %1").arg(i),
                                  QStringLiteral("%1 Oak Lane").arg(i),
                                  QStringLiteral("Salem"),
                                  QStringLiteral("OR"),
                                  QStringLiteral("97301"),
                                  {}};
            auto created = f->addresses.create(address);
            QVERIFY(created.ok());
            written.append(created->id);
        }
        tieTimestamps(f, QStringLiteral("addresses"));
        auto listed = f->addresses.listForContact(customer.contact.id);
        QVERIFY(listed.ok());
        QList<QUuid> ids;
        for (const Address &address : *listed)
            ids.append(address.id);
        QCOMPARE(ids, written);
    }

    void invoicesNewestFirstByWriteOrder()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        QList<QUuid> written;
        for (int i = 1; i <= 8; ++i) {
            auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(i * 100));
            QVERIFY(invoice.ok());
            written.prepend(invoice->id);
        }
        tieTimestamps(f, QStringLiteral("invoices"));
        auto listed = f->invoices.list();
        QVERIFY(listed.ok());
        QList<QUuid> ids;
        for (const Invoice &invoice : *listed)
            ids.append(invoice.id);
        QCOMPARE(ids, written);
    }

    void pendingMessagesInWriteOrderWhenDueTogether()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        QList<QUuid> written;
        const QDateTime due = QDateTime(QDate(2027, 3, 1), QTime(9, 0), Qt::UTC);
        for (int i = 0; i < 8; ++i) {
            auto message =
                f->messages.schedule({customer.contact.id, QStringLiteral("service_reminder"), {}, due});
            QVERIFY(message.ok());
            written.append(message->id);
        }
        auto listed = f->messages.listPending();
        QVERIFY(listed.ok());
        QList<QUuid> ids;
        for (const ScheduledMessage &message : *listed)
            ids.append(message.id);
        QCOMPARE(ids, written);
    }
};

QTEST_GUILESS_MAIN(TestInsertionOrder)
#include "test_insertion_order.moc"
