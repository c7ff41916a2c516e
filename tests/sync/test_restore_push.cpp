// A restore reaches the server (issue 6): the push carries a restored row as an upsert with deleted_at NULL,
// which the server's policies accept for a row that is soft-deleted there (the push reads and writes with
// app.include_deleted on, as it does for the delete itself), and the restore's audit entry arrives with it.
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

Result<sync::PushReport> push(Database &db, const QUuid &user, const QString &url)
{
    auto connection = sync::PgConnection::connect(url);
    if (!connection)
        return connection.error();
    sync::Pusher pusher(db, user);
    return pusher.pushAll(**connection);
}

QString errorText(const Result<sync::PushReport> &report)
{
    return report ? QString() : report.error().toString();
}

} // namespace

class TestRestorePush final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void restoredRowsArriveLive()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        const Service service = must(
            f->catalog.createService(
                {QStringLiteral("Tune-up"), {}, PricingType::Fixed, Money::fromCents(1999), {}, {}, true}),
            "service");
        must(f->contacts.remove(customer.contact.id), "contact soft delete");
        must(f->catalog.deleteService(service.id), "service soft delete");
        auto report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(
            server.adminQuery(QStringLiteral("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL")),
            QStringList{QStringLiteral("1")});

        // Restored on the device after the server has the deletion.
        must(f->contacts.restore(customer.contact.id), "contact restore");
        must(f->catalog.restoreService(service.id), "service restore");
        report = push(f->db(), f.alice(), tech.url);
        QVERIFY2(report.ok(), qPrintable(errorText(report)));
        QCOMPARE(report->pushed, 2);
        QCOMPARE(report->quarantined, 0);
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts WHERE deleted_at IS NULL")),
                 QStringList{QStringLiteral("Rosa Diaz")});
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM services WHERE deleted_at IS NULL")),
                 QStringList{QStringLiteral("Tune-up")});
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_id = '%1' AND "
                                                  "action = 'update' AND changes->'deleted_at'->'new' = "
                                                  "'null'::jsonb")
                                       .arg(idText(customer.contact.id))),
                 QStringList{QStringLiteral("1")});
        const QStringList diff = differences(f->db(), server.adminUrl(), f.alice());
        QVERIFY2(diff.isEmpty(), qPrintable(diff.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestRestorePush)
#include "test_restore_push.moc"
