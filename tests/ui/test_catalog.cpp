// CatalogPage and ServiceDialog: services of each pricing type made and edited through the dialog, prices
// checked in exact cents through the catalog service.

#include "catalog/catalogpage.h"
#include "support/uitestsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace fb;
using fb::test::UiFixture;

namespace {

enum Column
{
    Name,
    Pricing,
    Price,
    Offered
};

int rowNamed(QAbstractItemModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, Name).data().toString() == name)
            return row;
    }
    return -1;
}

/// Chooses the pricing type from the keyboard: the combo's entries are Fixed price, Per unit, Flexible.
void choosePricing(QComboBox *combo, int downs)
{
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i < downs; ++i)
        QTest::keyClick(combo, Qt::Key_Down);
}

} // namespace

class TestCatalog final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Prices are asserted as a US user reads them.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    void cleanup() { test::takeErrorMessages(); }

    void createEachPricingType_data()
    {
        QTest::addColumn<int>("downs");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("price");
        QTest::addColumn<QString>("unitPrice");
        QTest::addColumn<QString>("unitLabel");
        QTest::addColumn<QString>("pricing");
        QTest::addColumn<qint64>("defaultCents");
        QTest::addColumn<qint64>("unitCents");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<bool>("german"); // the technician's locale: en_US, or de_DE with a decimal comma
        // 19.99 and 0.07 are the amounts a float gets wrong.
        QTest::newRow("fixed") << 0 << "Window cleaning"
                               << "19.99"
                               << ""
                               << ""
                               << "fixed" << qint64(1999) << qint64(-1) << "$19.99" << false;
        QTest::newRow("fixed, with the currency symbol")
            << 0 << "Screen repair"
            << "$1234.5"
            << ""
            << ""
            << "fixed" << qint64(123450) << qint64(-1) << "$1,234.50" << false;
        QTest::newRow("per unit") << 1 << "Gutter clearing"
                                  << ""
                                  << "4.5"
                                  << "metre"
                                  << "per_unit" << qint64(-1) << qint64(450) << "$4.50 / metre" << false;
        QTest::newRow("per unit, cents") << 1 << "Bulb change"
                                         << ""
                                         << "0.07"
                                         << "bulb"
                                         << "per_unit" << qint64(-1) << qint64(7) << "$0.07 / bulb" << false;
        QTest::newRow("flexible") << 2 << "Repairs"
                                  << ""
                                  << ""
                                  << ""
                                  << "flexible" << qint64(-1) << qint64(-1) << "priced on the job" << false;
        QTest::newRow("fixed, German decimal comma")
            << 0 << "Fensterreinigung"
            << "1234,5"
            << ""
            << ""
            << "fixed" << qint64(123450) << qint64(-1) << "1.234,50\u00a0\u20ac" << true;
        QTest::newRow("per unit, German, with the symbol")
            << 1 << "Dachrinne"
            << ""
            << "4,50 \u20ac"
            << "Meter"
            << "per_unit" << qint64(-1) << qint64(450) << "4,50\u00a0\u20ac / Meter" << true;
    }
    void createEachPricingType()
    {
        QFETCH(int, downs);
        QFETCH(QString, name);
        QFETCH(QString, price);
        QFETCH(QString, unitPrice);
        QFETCH(QString, unitLabel);
        QFETCH(QString, pricing);
        QFETCH(qint64, defaultCents);
        QFETCH(qint64, unitCents);
        QFETCH(QString, shown);
        QFETCH(bool, german);
        if (german)
            QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const auto restore =
            qScopeGuard([] { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); });

        UiFixture f;
        ui::CatalogPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(newButton, QPushButton, &page, "newServiceButton");
        FIND_CHILD(view, QTableView, &page, "servicesView");
        QTest::mouseClick(newButton, Qt::LeftButton);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("serviceDialog"));
        QVERIFY(dialog);
        FIND_CHILD(nameEdit, QLineEdit, dialog, "nameEdit");
        FIND_CHILD(combo, QComboBox, dialog, "pricingTypeCombo");
        FIND_CHILD(priceEdit, QLineEdit, dialog, "priceEdit");
        FIND_CHILD(unitPriceEdit, QLineEdit, dialog, "unitPriceEdit");
        FIND_CHILD(unitLabelEdit, QLineEdit, dialog, "unitLabelEdit");
        FIND_CHILD(save, QPushButton, dialog, "saveButton");

        QTest::keyClicks(nameEdit, name);
        choosePricing(combo, downs);
        // Only the price fields of the chosen type are there.
        QCOMPARE(priceEdit->isVisible(), pricing == QLatin1String("fixed"));
        QCOMPARE(unitPriceEdit->isVisible(), pricing == QLatin1String("per_unit"));
        QCOMPARE(unitLabelEdit->isVisible(), pricing == QLatin1String("per_unit"));
        // QTest types ASCII only: a currency sign like "€" is pasted, as people paste prices.
        const auto type = [](QLineEdit *edit, const QString &text) {
            const qsizetype ascii =
                std::find_if(text.cbegin(), text.cend(), [](QChar c) { return c.unicode() > 127; }) -
                text.cbegin();
            QTest::keyClicks(edit, text.left(ascii));
            edit->insert(text.mid(ascii));
        };
        type(priceEdit, price);
        type(unitPriceEdit, unitPrice);
        type(unitLabelEdit, unitLabel);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QTRY_VERIFY(!test::visibleTopLevel<QDialog>(QStringLiteral("serviceDialog")));

        auto services = f->catalog.listServices(true);
        VERIFY_OK(services);
        QCOMPARE(services->size(), 1);
        const Service &service = services->first();
        QCOMPARE(service.name, name);
        QCOMPARE(toString(service.pricingType), pricing);
        QCOMPARE(service.defaultPrice ? service.defaultPrice->cents() : -1, defaultCents);
        QCOMPARE(service.unitPrice ? service.unitPrice->cents() : -1, unitCents);
        QCOMPARE(service.unitLabel.value_or(QString()), unitLabel);
        QVERIFY(service.isActive);

        // The list shows it, priced as its type reads, and selected.
        const int row = rowNamed(view->model(), name);
        QVERIFY(row >= 0);
        QCOMPARE(view->model()->index(row, Price).data().toString(), shown);
        QCOMPARE(view->currentIndex().row(), row);
    }

    void badPriceShowsTheError_data()
    {
        QTest::addColumn<int>("downs");
        QTest::addColumn<QString>("price");
        QTest::addColumn<QString>("message");
        // Under the field, in words: the field as the form names it, never a column name.
        QTest::newRow("three decimals")
            << 0 << "12.345"
            << "Price: type an amount with at most two decimals, like 12.50 ('12.345' has more)";
        QTest::newRow("words") << 0 << "twelve"
                               << "Price: type an amount like 12.50 ('twelve' is not one)";
        QTest::newRow("negative") << 0 << "-5"
                                  << "Price: type an amount of zero or more ('-5' is negative)";
        // The range and the required price are the core's rule (validate::pricing), in its words.
        QTest::newRow("too large") << 0 << "100000000"
                                   << "Price: must be at most 99999999.99";
        QTest::newRow("missing") << 0 << ""
                                 << "Price: is required for fixed pricing";
        QTest::newRow("per unit, comma") << 1 << "4,50"
                                         << "Unit price: type an amount like 12.50 ('4,50' is not one)";
        QTest::newRow("per unit, missing") << 1 << ""
                                           << "Unit price: is required for per-unit pricing";
    }
    void badPriceShowsTheError()
    {
        QFETCH(int, downs);
        QFETCH(QString, price);
        QFETCH(QString, message);
        UiFixture f;
        ui::CatalogPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(newButton, QPushButton, &page, "newServiceButton");
        QTest::mouseClick(newButton, Qt::LeftButton);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("serviceDialog"));
        QVERIFY(dialog);
        FIND_CHILD(nameEdit, QLineEdit, dialog, "nameEdit");
        FIND_CHILD(combo, QComboBox, dialog, "pricingTypeCombo");
        FIND_CHILD(save, QPushButton, dialog, "saveButton");
        QTest::keyClicks(nameEdit, QStringLiteral("Window cleaning"));
        choosePricing(combo, downs);
        const QString field = downs == 0 ? QStringLiteral("priceEdit") : QStringLiteral("unitPriceEdit");
        auto *priceEdit = dialog->findChild<QLineEdit *>(field);
        QVERIFY(priceEdit);
        auto *error = dialog->findChild<QLabel *>(field + QStringLiteral("Error"));
        QVERIFY(error);
        QVERIFY(!error->isVisible());
        QTest::keyClicks(priceEdit, price);
        QSignalSpy changed(&f->changes(), &ChangeFeed::changed);
        QTest::mouseClick(save, Qt::LeftButton);

        // Said next to the field, which has the focus to correct it; no message box to dismiss.
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(error->isVisible());
        QCOMPARE(error->text(), message);
        QCOMPARE(dialog->focusWidget(), priceEdit);
        QVERIFY(dialog->isVisible());
        QVERIFY(f->catalog.listServices(true)->isEmpty());
        QCOMPARE(changed.count(), 0);
        // Typing in the field takes the error away.
        QTest::keyClick(priceEdit, Qt::Key_0);
        QVERIFY(!error->isVisible());
        dialog->close();
    }

    void emptiedPriceIsRefusedOnEdit()
    {
        // An update keeps a price it is not sent; an emptied field is still refused, by the core's rule.
        UiFixture f;
        const auto catalog = f.addCatalog();
        ui::CatalogPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "servicesView");
        view->setFocus();
        view->setCurrentIndex(
            view->model()->index(rowNamed(view->model(), QStringLiteral("Gutter clearing")), Name));
        QTest::keyClick(view, Qt::Key_Return);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("serviceDialog"));
        QVERIFY(dialog);
        FIND_CHILD(unitPriceEdit, QLineEdit, dialog, "unitPriceEdit");
        FIND_CHILD(error, QLabel, dialog, "unitPriceEditError");
        FIND_CHILD(save, QPushButton, dialog, "saveButton");
        QCOMPARE(unitPriceEdit->text(), QStringLiteral("4.50"));
        unitPriceEdit->clear();
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QCOMPARE(error->text(), QStringLiteral("Unit price: is required for per-unit pricing"));
        QVERIFY(dialog->isVisible());
        QCOMPARE(f->catalog.getById(catalog.perUnit.id)->unitPrice->cents(), 450);
        dialog->close();
    }

    void editPrice()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        // A job already billed at the old price.
        const auto customer = f.addCustomer();
        TicketCreate booking;
        booking.contactId = customer.contact.id;
        booking.addressId = customer.address.id;
        booking.scheduledAt = QDateTime::currentDateTimeUtc();
        auto ticket = f->tickets.create(booking);
        VERIFY_OK(ticket);
        LineItemCreate item;
        item.serviceId = catalog.fixed.id;
        auto billed = f->tickets.addLineItem(ticket->id, item);
        VERIFY_OK(billed);
        ui::CatalogPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "servicesView");
        const int row = rowNamed(view->model(), QStringLiteral("Window cleaning"));
        QVERIFY(row >= 0);
        QCOMPARE(view->model()->index(row, Price).data().toString(), QStringLiteral("$120.00"));

        view->setFocus();
        view->setCurrentIndex(view->model()->index(row, Name));
        QTest::keyClick(view, Qt::Key_Return);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("serviceDialog"));
        QVERIFY(dialog);
        // Keys go to the dialog once it is the active window, as they would for a user (the offscreen
        // platform leaves the page active).
        dialog->activateWindow();
        QTRY_COMPARE(QApplication::activeWindow(), dialog);
        FIND_CHILD(priceEdit, QLineEdit, dialog, "priceEdit");
        QCOMPARE(priceEdit->text(), QStringLiteral("120.00"));
        QTest::keyClick(priceEdit, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(priceEdit, QStringLiteral("135.10"));
        QTest::keyClick(priceEdit, Qt::Key_Return);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QTRY_VERIFY(!test::visibleTopLevel<QDialog>(QStringLiteral("serviceDialog")));

        auto saved = f->catalog.getById(catalog.fixed.id);
        VERIFY_OK(saved);
        QCOMPARE(saved->defaultPrice->cents(), 13510);
        QCOMPARE(saved->name, QStringLiteral("Window cleaning"));
        QCOMPARE(view->model()->index(row, Price).data().toString(), QStringLiteral("$135.10"));
        // The other services are untouched.
        QCOMPARE(f->catalog.getById(catalog.perUnit.id)->unitPrice->cents(), 450);
        // A price change never alters a line item already on a job; the next one takes the new price.
        auto items = f->tickets.lineItems(ticket->id);
        VERIFY_OK(items);
        QCOMPARE(items->size(), 1);
        QCOMPARE(items->first().totalPrice.cents(), 12000);
        auto next = f->tickets.addLineItem(ticket->id, item);
        VERIFY_OK(next);
        QCOMPARE(next->totalPrice.cents(), 13510);
    }

    void servicesByPricingType()
    {
        UiFixture f;
        f.addCatalog();
        ui::CatalogPage page(f.context());
        page.show();
        FIND_CHILD(view, QTableView, &page, "servicesView");
        FIND_CHILD(filter, QComboBox, &page, "pricingTypeFilter");
        QCOMPARE(view->model()->rowCount(), 3);
        filter->setFocus();
        QTest::keyClick(filter, Qt::Key_Down); // Fixed price
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, Name).data().toString(), QStringLiteral("Window cleaning"));
        QTest::keyClick(filter, Qt::Key_Down); // Per unit
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, Name).data().toString(), QStringLiteral("Gutter clearing"));
        QTest::keyClick(filter, Qt::Key_Down); // Priced on the job
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, Name).data().toString(), QStringLiteral("Repairs"));
        QTest::keyClick(filter, Qt::Key_Home);
        QCOMPARE(view->model()->rowCount(), 3);
    }

    void inactiveServicesAreGreyedWhenShown()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        ui::CatalogPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "servicesView");
        FIND_CHILD(showInactive, QCheckBox, &page, "showInactiveCheck");
        QCOMPARE(view->model()->rowCount(), 3);

        // Switched off through the dialog's Offered box.
        view->setFocus();
        view->setCurrentIndex(view->model()->index(rowNamed(view->model(), QStringLiteral("Repairs")), Name));
        QTest::keyClick(view, Qt::Key_Return);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("serviceDialog"));
        QVERIFY(dialog);
        FIND_CHILD(active, QCheckBox, dialog, "activeCheck");
        QVERIFY(active->isChecked());
        QTest::keyClick(active, Qt::Key_Space);
        QVERIFY(!active->isChecked());
        FIND_CHILD(save, QPushButton, dialog, "saveButton");
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<QDialog>(QStringLiteral("serviceDialog")));
        QVERIFY(!f->catalog.getById(catalog.flexible.id)->isActive);

        QCOMPARE(view->model()->rowCount(), 2);
        QCOMPARE(rowNamed(view->model(), QStringLiteral("Repairs")), -1);
        QTest::mouseClick(showInactive, Qt::LeftButton);
        QCOMPARE(view->model()->rowCount(), 3);
        const int row = rowNamed(view->model(), QStringLiteral("Repairs"));
        QVERIFY(row >= 0);
        QCOMPARE(view->model()->index(row, Offered).data().toString(), QStringLiteral("Inactive"));
        const auto grey = view->model()->index(row, Name).data(Qt::ForegroundRole).value<QColor>();
        const auto normal = view->model()
                                ->index(rowNamed(view->model(), QStringLiteral("Gutter clearing")), Name)
                                .data(Qt::ForegroundRole);
        QCOMPARE(grey, QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        QVERIFY(!normal.isValid());
    }
};

QTEST_MAIN(TestCatalog)
#include "test_catalog.moc"
