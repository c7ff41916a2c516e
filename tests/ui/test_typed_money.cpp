// Money a person types is read by one function (Money::parseTyped) on every screen: the catalog's service
// dialog, the ticket's price and the standalone invoice accept the same amounts and refuse the same ones, in
// the locale of the user. The locale is set by each row (QLocale::setDefault), never the machine's.

#include "catalog/servicedialog.h"
#include "common/feedback.h"
#include "common/moneytext.h"
#include "invoices/standaloneinvoicedialog.h"
#include "support/uitestsupport.h"
#include "ticket/ticketpage.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QScopeGuard>
#include <QTest>

using namespace fb;
using fb::test::UiFixture;

namespace {

/// The cents each screen saved for `typed`, or -1 where it refused it; `errors` collects what they said.
struct Outcome
{
    qint64 catalog = -1;
    qint64 ticket = -1;
    qint64 invoice = -1;
    QStringList errors;
};

qint64 throughCatalog(UiFixture &f, const QString &typed, QStringList &errors)
{
    ui::ServiceDialog dialog(f.context(), QUuid());
    dialog.show();
    auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("nameEdit"));
    auto *price = dialog.findChild<QLineEdit *>(QStringLiteral("priceEdit"));
    auto *error = dialog.findChild<QLabel *>(QStringLiteral("priceEditError"));
    if (!name || !price || !error)
        qFatal("the service dialog has no name, price or price error");
    name->setText(QStringLiteral("Typed %1").arg(typed));
    price->setText(typed);
    dialog.save();
    errors << test::takeErrorMessages();
    if (error->isVisible()) {
        errors << error->text();
        return -1;
    }
    auto services = f->catalog.listServices(true);
    for (const Service &service : *services)
        if (service.name == name->text())
            return service.defaultPrice ? service.defaultPrice->cents() : -2;
    return -2;
}

qint64 throughTicket(UiFixture &f, const Ticket &ticket, const Service &flexible, const QString &typed,
                     QStringList &errors)
{
    ui::TicketPage page(f.context());
    page.showTicket(ticket.id);
    page.show();
    auto *combo = page.findChild<QComboBox *>(QStringLiteral("serviceCombo"));
    auto *price = page.findChild<QLineEdit *>(QStringLiteral("priceEdit"));
    auto *add = page.findChild<QPushButton *>(QStringLiteral("addLineItemButton"));
    if (!combo || !price || !add)
        qFatal("the ticket page has no service, price or add");
    combo->setCurrentIndex(combo->findData(QVariant::fromValue(flexible.id)));
    const qsizetype before = f->tickets.lineItems(ticket.id)->size();
    price->setText(typed);
    QTest::mouseClick(add, Qt::LeftButton);
    // The job screen says it under the quick-add, not in a message box.
    errors << test::takeErrorMessages();
    if (const auto *said = page.findChild<QLabel *>(QStringLiteral("quickAddError"));
        said && !said->text().isEmpty())
        errors << said->text();
    const auto items = f->tickets.lineItems(ticket.id);
    if (items->size() == before)
        return -1;
    return items->last().unitPrice ? items->last().unitPrice->cents() : -2;
}

qint64 throughInvoice(UiFixture &f, const Contact &customer, const QString &typed, QStringList &errors)
{
    ui::StandaloneInvoiceDialog dialog(f.context());
    dialog.show();
    auto *search = dialog.findChild<QLineEdit *>(QStringLiteral("invoiceContactSearch"));
    auto *results = dialog.findChild<QListView *>(QStringLiteral("invoiceContactResults"));
    auto *amount = dialog.findChild<QLineEdit *>(QStringLiteral("invoiceAmountEdit"));
    if (!search || !results || !amount)
        qFatal("the invoice dialog has no search, results or amount");
    search->setText(customer.name);
    results->setCurrentIndex(results->model()->index(0, 0));
    amount->setText(typed);
    const qsizetype before = f->invoices.list()->size();
    dialog.accept();
    errors << test::takeErrorMessages();
    // A refused amount is said under the field (issue 15).
    if (auto *line = dialog.findChild<QLabel *>(QStringLiteral("invoiceAmountEditError"));
        line && line->isVisible())
        errors << line->text();
    const auto invoices = f->invoices.list();
    if (invoices->size() == before)
        return -1;
    return invoices->first().totalAmount.cents();
}

Outcome typeEverywhere(const QString &typed)
{
    UiFixture f;
    const auto catalog = f.addCatalog();
    const auto customer = f.addCustomer();
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                     QDateTime::currentDateTimeUtc().addSecs(3600), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket");
    Outcome outcome;
    outcome.catalog = throughCatalog(f, typed, outcome.errors);
    outcome.ticket = throughTicket(f, *ticket, catalog.flexible, typed, outcome.errors);
    outcome.invoice = throughInvoice(f, customer.contact, typed, outcome.errors);
    return outcome;
}

} // namespace

class TestTypedMoney final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { ui::setBusinessCurrency(QString()); } // the locale's, whatever a test saved
    void cleanup()
    {
        test::takeErrorMessages();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        ui::setBusinessCurrency(QString());
    }

    // Issue 15 item 4: amounts are shown with the business's currency, in the locale's way of writing them;
    // without a setting the currency is the locale's.
    void amountsShowTheBusinessCurrency_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("currency"); // the setting; empty: none saved
        QTest::addColumn<qint64>("cents");
        QTest::addColumn<QString>("shown");
        QTest::newRow("German, the locale's euro") << "de_DE"
                                                   << "" << qint64(123450) << "1.234,50\u00a0\u20ac";
        QTest::newRow("US, the locale's dollar") << "en_US"
                                                 << "" << qint64(123450) << "$1,234.50";
        QTest::newRow("German, francs set") << "de_DE"
                                            << "CHF" << qint64(123450) << "1.234,50\u00a0CHF";
        QTest::newRow("US, francs set") << "en_US"
                                        << "CHF" << qint64(123450) << "CHF1,234.50";
        QTest::newRow("German, a refund") << "de_DE"
                                          << "" << qint64(-1250) << "-12,50\u00a0\u20ac";
        QTest::newRow("US, cents only") << "en_US"
                                        << "" << qint64(5) << "$0.05";
    }
    void amountsShowTheBusinessCurrency()
    {
        QFETCH(QString, locale);
        QFETCH(QString, currency);
        QFETCH(qint64, cents);
        QFETCH(QString, shown);
        QLocale::setDefault(QLocale(locale));
        ui::setBusinessCurrency(currency);
        QCOMPARE(ui::formatMoney(cents), shown);
    }

    // The business's own sign, before or after, is tolerated like the locale's.
    void theBusinessCurrencyMayBeTyped_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<qint64>("cents");
        QTest::newRow("German, after") << "de_DE"
                                       << "1.250,00 CHF" << qint64(125000);
        QTest::newRow("German, before") << "de_DE"
                                        << "CHF 12,50" << qint64(1250);
        QTest::newRow("US, before") << "en_US"
                                    << "CHF1,250.00" << qint64(125000);
        QTest::newRow("US, the dollar still") << "en_US"
                                              << "$12.50" << qint64(1250);
    }
    void theBusinessCurrencyMayBeTyped()
    {
        QFETCH(QString, locale);
        QFETCH(QString, typed);
        QFETCH(qint64, cents);
        QLocale::setDefault(QLocale(locale));
        ui::setBusinessCurrency(QStringLiteral("CHF"));
        const auto read = ui::readMoney(typed, QStringLiteral("Price"));
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(read->cents(), cents);
        // Garbage and a third decimal are still refused, saying what to type.
        const auto garbage = ui::readMoney(typed + QStringLiteral("x"), QStringLiteral("Price"));
        QVERIFY(!garbage);
        QVERIFY2(garbage.error().message.contains(Money::typedExample(QLocale())),
                 qPrintable(garbage.error().message));
    }

    void sameAmountOnEveryScreen_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<qint64>("cents");
        QTest::newRow("German decimal comma") << "de_DE"
                                              << "12,50" << qint64(1250);
        QTest::newRow("German groups") << "de_DE"
                                       << "1.234,50" << qint64(123450);
        QTest::newRow("German groups and euro") << "de_DE"
                                                << "1.234,50 \u20ac" << qint64(123450);
        QTest::newRow("French narrow no-break space") << "fr_FR"
                                                      << "1\u202f234,50\u00a0\u20ac" << qint64(123450);
        QTest::newRow("US groups and dollar") << "en_US"
                                              << "$1,234.50" << qint64(123450);
        QTest::newRow("US plain") << "en_US"
                                  << "12.50" << qint64(1250);
    }
    void sameAmountOnEveryScreen()
    {
        QFETCH(QString, locale);
        QFETCH(QString, typed);
        QFETCH(qint64, cents);
        QLocale::setDefault(QLocale(locale));
        const Outcome outcome = typeEverywhere(typed);
        QVERIFY2(outcome.errors.isEmpty(), qPrintable(outcome.errors.join(QLatin1Char('\n'))));
        QCOMPARE(outcome.catalog, cents);
        QCOMPARE(outcome.ticket, cents);
        QCOMPARE(outcome.invoice, cents);
    }

    void sameRefusalOnEveryScreen_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("example"); // what every error tells the user to type instead
        // In German the point groups thousands: "12.50" is neither twelve fifty nor 1250, and is not guessed.
        QTest::newRow("German, a point") << "de_DE"
                                         << "12.50"
                                         << "12,50";
        QTest::newRow("US, a comma") << "en_US"
                                     << "12,50"
                                     << "12.50";
        QTest::newRow("three decimals") << "en_US"
                                        << "12.505"
                                        << "12.50";
        QTest::newRow("negative") << "de_DE"
                                  << "-12,50"
                                  << "";
    }
    void sameRefusalOnEveryScreen()
    {
        QFETCH(QString, locale);
        QFETCH(QString, typed);
        QFETCH(QString, example);
        QLocale::setDefault(QLocale(locale));
        const Outcome outcome = typeEverywhere(typed);
        QCOMPARE(outcome.catalog, qint64(-1));
        QCOMPARE(outcome.ticket, qint64(-1));
        QCOMPARE(outcome.invoice, qint64(-1));
        QCOMPARE(outcome.errors.size(), 3);
        for (const QString &error : outcome.errors) {
            QVERIFY2(error.contains(QLatin1Char('\'') + typed + QLatin1Char('\'')), qPrintable(error));
            QVERIFY2(error.contains(example), qPrintable(error));
        }
    }
};

QTEST_MAIN(TestTypedMoney)
#include "test_typed_money.moc"
