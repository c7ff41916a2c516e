#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM main.services")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))};
}

QStringList names(const Result<QList<Service>> &services)
{
    if (!services)
        return {QStringLiteral("error: ") + services.error().toString()};
    QStringList result;
    for (const Service &service : *services)
        result.append(service.name);
    return result;
}

ServiceCreate fixedService(const QString &name = QStringLiteral("Gutter cleaning"), qint64 cents = 15000)
{
    ServiceCreate data;
    data.name = name;
    data.pricingType = PricingType::Fixed;
    data.defaultPrice = Money::fromCents(cents);
    return data;
}

ServiceCreate flexibleService(const QString &name)
{
    ServiceCreate data;
    data.name = name;
    data.pricingType = PricingType::Flexible;
    return data;
}

} // namespace

class TestCatalogService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createEachPricingType()
    {
        test::CoreFixture f;
        ServiceCreate fixed = fixedService(QStringLiteral("  Gutter cleaning "));
        fixed.description = QStringLiteral("Front and back gutters");
        auto gutters = f->catalog.createService(fixed);
        VERIFY_OK(gutters);
        QCOMPARE(gutters->name, QStringLiteral("Gutter cleaning"));
        QCOMPARE(gutters->userId, f.alice());

        ServiceCreate perUnit;
        perUnit.name = QStringLiteral("Window pane");
        perUnit.pricingType = PricingType::PerUnit;
        perUnit.unitPrice = Money::fromCents(1999);
        perUnit.unitLabel = QStringLiteral("pane");
        auto panes = f->catalog.createService(perUnit);
        VERIFY_OK(panes);

        auto repair = f->catalog.createService(flexibleService(QStringLiteral("Repair")));
        VERIFY_OK(repair);

        auto stored = f->catalog.getById(gutters->id);
        VERIFY_OK(stored);
        QCOMPARE(toString(stored->pricingType), QStringLiteral("fixed"));
        QCOMPARE(stored->defaultPrice, Money::fromCents(15000));
        QVERIFY(!stored->unitPrice);
        QCOMPARE(stored->description, QStringLiteral("Front and back gutters"));
        QVERIFY(stored->isActive);

        stored = f->catalog.getById(panes->id);
        VERIFY_OK(stored);
        QCOMPARE(toString(stored->pricingType), QStringLiteral("per_unit"));
        QCOMPARE(stored->unitPrice, Money::fromCents(1999));
        QCOMPARE(stored->unitLabel, QStringLiteral("pane"));
        QVERIFY(!stored->defaultPrice);

        stored = f->catalog.getById(repair->id);
        VERIFY_OK(stored);
        QCOMPARE(toString(stored->pricingType), QStringLiteral("flexible"));
        QVERIFY(!stored->defaultPrice);
        QVERIFY(!stored->unitPrice);

        QCOMPARE(scalar(f, QStringLiteral("SELECT unit_price FROM main.services WHERE id = ?"),
                        {idText(panes->id)}),
                 1999);
        auto history = f->audit().entityHistory(QStringLiteral("service"), gutters->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);
    }

    void createValidation_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("field");
        QTest::newRow("fixed without default_price")
            << QStringLiteral("fixed no price") << QStringLiteral("default_price");
        QTest::newRow("fixed with only a unit_price")
            << QStringLiteral("fixed unit price") << QStringLiteral("default_price");
        QTest::newRow("per_unit without unit_price")
            << QStringLiteral("per_unit no price") << QStringLiteral("unit_price");
        QTest::newRow("per_unit with only a default_price")
            << QStringLiteral("per_unit default price") << QStringLiteral("unit_price");
        QTest::newRow("negative default_price")
            << QStringLiteral("negative default") << QStringLiteral("default_price");
        QTest::newRow("negative unit_price")
            << QStringLiteral("negative unit") << QStringLiteral("unit_price");
        QTest::newRow("default_price over 99,999,999.99")
            << QStringLiteral("huge default") << QStringLiteral("default_price");
        QTest::newRow("empty name") << QStringLiteral("empty name") << QStringLiteral("name");
        QTest::newRow("blank name") << QStringLiteral("blank name") << QStringLiteral("name");
        QTest::newRow("256-character name") << QStringLiteral("long name") << QStringLiteral("name");
        QTest::newRow("256-character unit label")
            << QStringLiteral("long label") << QStringLiteral("unit_label");
        QTest::newRow("description over 64 KiB")
            << QStringLiteral("long description") << QStringLiteral("description");
    }

    void createValidation()
    {
        QFETCH(QString, broken);
        QFETCH(QString, field);
        test::CoreFixture f;
        ServiceCreate data = fixedService();
        if (broken == QStringLiteral("fixed no price")) {
            data.defaultPrice.reset();
        } else if (broken == QStringLiteral("fixed unit price")) {
            data.defaultPrice.reset();
            data.unitPrice = Money::fromCents(100);
        } else if (broken == QStringLiteral("per_unit no price")) {
            data.pricingType = PricingType::PerUnit;
            data.defaultPrice.reset();
        } else if (broken == QStringLiteral("per_unit default price")) {
            data.pricingType = PricingType::PerUnit;
        } else if (broken == QStringLiteral("negative default")) {
            data.defaultPrice = Money::fromCents(-1);
        } else if (broken == QStringLiteral("negative unit")) {
            data.pricingType = PricingType::PerUnit;
            data.unitPrice = Money::fromCents(-500);
        } else if (broken == QStringLiteral("huge default")) {
            data.defaultPrice = Money::fromCents(Money::kMaxCents + 1);
        } else if (broken == QStringLiteral("empty name")) {
            data.name.clear();
        } else if (broken == QStringLiteral("blank name")) {
            data.name = QStringLiteral("   ");
        } else if (broken == QStringLiteral("long name")) {
            data.name = QString(256, QLatin1Char('s'));
        } else if (broken == QStringLiteral("long label")) {
            data.unitLabel = QString(256, QLatin1Char('l'));
        } else if (broken == QStringLiteral("long description")) {
            data.description = QString(64 * 1024 + 1, QLatin1Char('d'));
        }
        const auto before = writes(f);
        auto created = f->catalog.createService(data);
        QVERIFY(!created);
        QCOMPARE(created.error().code, ErrorCode::Validation);
        QCOMPARE(created.error().field, field);
        QCOMPARE(writes(f), before);
        QVERIFY(f->catalog.listServices(true)->isEmpty());
    }

    void update()
    {
        test::CoreFixture f;
        ServiceCreate data = fixedService();
        data.description = QStringLiteral("Front and back");
        const Service gutters = *f->catalog.createService(data);

        ServiceUpdate change;
        change.name = QStringLiteral("Gutter cleaning (2 storeys)");
        change.defaultPrice = Money::fromCents(17550);
        change.description = QString(); // clears
        auto updated = f->catalog.updateService(gutters.id, change);
        VERIFY_OK(updated);
        QCOMPARE(updated->name, QStringLiteral("Gutter cleaning (2 storeys)"));
        QCOMPARE(updated->defaultPrice, Money::fromCents(17550));
        QVERIFY(!updated->description);
        QCOMPARE(toString(updated->pricingType), QStringLiteral("fixed"));
        auto history = f->audit().entityHistory(QStringLiteral("service"), gutters.id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Update);
        QCOMPARE(history->first().changes.value(QStringLiteral("default_price")).toObject(),
                 (QJsonObject{{QStringLiteral("old"), 15000}, {QStringLiteral("new"), 17550}}));

        // Switching to per_unit needs a unit price; nothing changes when it is missing.
        auto before = writes(f);
        ServiceUpdate perUnit;
        perUnit.pricingType = PricingType::PerUnit;
        auto refused = f->catalog.updateService(gutters.id, perUnit);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Validation);
        QCOMPARE(refused.error().field, QStringLiteral("unit_price"));
        ServiceUpdate negative;
        negative.defaultPrice = Money::fromCents(-1);
        refused = f->catalog.updateService(gutters.id, negative);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, QStringLiteral("default_price"));
        ServiceUpdate blank;
        blank.name = QStringLiteral(" ");
        refused = f->catalog.updateService(gutters.id, blank);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, QStringLiteral("name"));
        QCOMPARE(writes(f), before);
        QCOMPARE(f->catalog.getById(gutters.id)->name, QStringLiteral("Gutter cleaning (2 storeys)"));

        perUnit.unitPrice = Money::fromCents(450);
        perUnit.unitLabel = QStringLiteral("metre");
        auto switched = f->catalog.updateService(gutters.id, perUnit);
        VERIFY_OK(switched);
        QCOMPARE(toString(switched->pricingType), QStringLiteral("per_unit"));
        QCOMPARE(switched->unitPrice, Money::fromCents(450));
        QCOMPARE(switched->unitLabel, QStringLiteral("metre"));

        // No change: nothing written.
        before = writes(f);
        ServiceUpdate same;
        same.unitPrice = Money::fromCents(450);
        VERIFY_OK(f->catalog.updateService(gutters.id, same));
        QCOMPARE(writes(f), before);

        auto missing = f->catalog.updateService(QUuid::createUuid(), same);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void inactiveServicesAreHiddenUnlessAsked()
    {
        test::CoreFixture f;
        VERIFY_OK(f->catalog.createService(fixedService(QStringLiteral("Gutter cleaning"))));
        ServiceCreate retired = flexibleService(QStringLiteral("Chimney sweep"));
        retired.isActive = false;
        const Service chimney = *f->catalog.createService(retired);
        const Service awning = *f->catalog.createService(flexibleService(QStringLiteral("awning repair")));

        QCOMPARE(names(f->catalog.listServices()),
                 (QStringList{QStringLiteral("awning repair"), QStringLiteral("Gutter cleaning")}));
        QCOMPARE(names(f->catalog.listServices(true)),
                 (QStringList{QStringLiteral("awning repair"), QStringLiteral("Chimney sweep"),
                              QStringLiteral("Gutter cleaning")}));
        QVERIFY(!f->catalog.getById(chimney.id)->isActive);

        ServiceUpdate deactivate;
        deactivate.isActive = false;
        auto inactive = f->catalog.updateService(awning.id, deactivate);
        VERIFY_OK(inactive);
        QVERIFY(!inactive->isActive);
        QCOMPARE(names(f->catalog.listServices()), QStringList{QStringLiteral("Gutter cleaning")});
        QCOMPARE(names(f->catalog.listServices(true)).size(), 3);

        ServiceUpdate reactivate;
        reactivate.isActive = true;
        VERIFY_OK(f->catalog.updateService(chimney.id, reactivate));
        QCOMPARE(names(f->catalog.listServices()),
                 (QStringList{QStringLiteral("Chimney sweep"), QStringLiteral("Gutter cleaning")}));
    }

    void softDelete()
    {
        test::CoreFixture f;
        const Service gutters = *f->catalog.createService(fixedService());
        const Service repair = *f->catalog.createService(flexibleService(QStringLiteral("Repair")));
        // A ticket that already sold the service keeps its line item.
        const auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime(QDate(2030, 3, 4), QTime(9, 0), QTimeZone::utc()),
                                         std::nullopt, std::nullopt});
        VERIFY_OK(ticket);
        LineItemCreate sold;
        sold.serviceId = gutters.id;
        VERIFY_OK(f->tickets.addLineItem(ticket->id, sold));

        VERIFY_OK(f->catalog.deleteService(gutters.id));
        QCOMPARE(names(f->catalog.listServices()), QStringList{QStringLiteral("Repair")});
        QCOMPARE(names(f->catalog.listServices(true)), QStringList{QStringLiteral("Repair")});
        auto gone = f->catalog.getById(gutters.id);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QCOMPARE(scalar(f,
                        QStringLiteral(
                            "SELECT count(*) FROM main.services WHERE id = ? AND deleted_at IS NOT NULL"),
                        {idText(gutters.id)}),
                 1);
        auto history = f->audit().entityHistory(QStringLiteral("service"), gutters.id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Delete);

        auto details = f->tickets.getWithDetails(ticket->id);
        VERIFY_OK(details);
        QCOMPARE(details->lineItems.size(), 1);
        QCOMPARE(details->total, Money::fromCents(15000));
        // A deleted service can no longer be sold, changed or deleted again.
        auto refused = f->tickets.addLineItem(ticket->id, sold);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, QStringLiteral("service_id"));
        const auto before = writes(f);
        ServiceUpdate rename;
        rename.name = QStringLiteral("Back again");
        QVERIFY(!f->catalog.updateService(gutters.id, rename));
        const Status again = f->catalog.deleteService(gutters.id);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::NotFound);
        QCOMPARE(writes(f), before);
        QVERIFY(f->catalog.getById(repair.id));
    }

    void otherUsersServicesAreInvisible()
    {
        test::CoreFixture f;
        const Service mine = *f->catalog.createService(fixedService());
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        QVERIFY(f->catalog.listServices(true)->isEmpty());
        QVERIFY(!f->catalog.getById(mine.id));
        const auto before = writes(f);
        ServiceUpdate change;
        change.defaultPrice = Money::fromCents(1);
        QVERIFY(!f->catalog.updateService(mine.id, change));
        QVERIFY(!f->catalog.deleteService(mine.id));
        QCOMPARE(writes(f), before);
        VERIFY_OK(f->setCurrentUser(f.alice()));
        QCOMPARE(f->catalog.getById(mine.id)->defaultPrice, Money::fromCents(15000));
    }
};

QTEST_GUILESS_MAIN(TestCatalogService)
#include "test_catalog_service.moc"
