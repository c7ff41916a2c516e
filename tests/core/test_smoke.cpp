#include "support/testsupport.h"

#include <QTest>

using namespace fb;

class TestSmoke final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opensAndCreates()
    {
        test::CoreFixture f;
        auto c = f.addCustomer();
        QVERIFY(!c.contact.id.isNull());
        auto found = f->contacts.search(QStringLiteral("Elm"));
        QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().toString()));
        QCOMPARE(found->size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSmoke)
#include "test_smoke.moc"
