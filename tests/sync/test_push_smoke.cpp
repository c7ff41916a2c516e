#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"

#include <QTest>

using namespace fb;

class TestPushSmoke final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pushesAContact()
    {
        test::CoreFixture f;
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(f.alice(), QStringLiteral("alice@example.com"));
        f.addCustomer(QStringLiteral("Rosa Diaz"));
        auto connection = sync::PgConnection::connect(tech.url);
        QVERIFY(connection.ok());
        sync::Pusher pusher(f->db(), f.alice());
        auto report = pusher.pushAll(**connection);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().message));
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT name FROM contacts")), QStringList{QStringLiteral("Rosa Diaz")});
    }
};

QTEST_GUILESS_MAIN(TestPushSmoke)
#include "test_push_smoke.moc"
