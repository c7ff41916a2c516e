// Issue 15, items 6, 7 and 8 at the usual scale: a customer found by any phone format in Ctrl+K, saying what
// matched; check boxes and radio buttons visible in the dark palette; the first Down in a list selects its
// first row; Ctrl+P without an invoice says why. (The fit at 200% is test_scale.)
#include "common/theme.h"
#include "contacts/contactlistmodel.h"
#include "contacts/contactspage.h"
#include "invoices/invoicespage.h"
#include "shell/mainwindow.h"
#include "shell/searchdialog.h"
#include "support/uitestsupport.h"

#include <QCheckBox>
#include <QFont>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRadioButton>
#include <QStyleOptionButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtTest>

using namespace fb;
using namespace fb::test;

namespace {

Contact customer(UiFixture &f, const QString &name, const QString &phone, const QString &street,
                 const QString &city)
{
    auto contact = f->contacts.create({name, std::nullopt, phone, std::nullopt});
    if (!contact)
        qFatal("cannot create %s: %s", qPrintable(name), qPrintable(contact.error().toString()));
    AddressCreate address;
    address.contactId = contact->id;
    address.street = street;
    address.city = city;
    address.state = QStringLiteral("IL");
    address.zip = QStringLiteral("61101");
    if (!f->addresses.create(address))
        qFatal("cannot create an address");
    return *contact;
}

/// A second address of `contact`, labelled "Rental": 77 Quarry Court, Belvidere.
void addRental(UiFixture &f, const QUuid &contact)
{
    AddressCreate rental;
    rental.contactId = contact;
    rental.label = QStringLiteral("Rental");
    rental.street = QStringLiteral("77 Quarry Court");
    rental.city = QStringLiteral("Belvidere");
    rental.state = QStringLiteral("IL");
    rental.zip = QStringLiteral("61008");
    if (!f->addresses.create(rental))
        qFatal("cannot create the rental address");
}

QStringList texts(const QListWidget *list)
{
    QStringList all;
    for (int i = 0; i < list->count(); ++i)
        all << list->item(i)->text();
    return all;
}

/// The highest contrast of any pixel of `indicator` in `image` against `background`: the indicator's border
/// (or fill) as the eye finds it against the window.
double indicatorContrast(const QImage &image, const QRect &indicator, const QColor &background)
{
    double best = 1.0;
    for (int y = indicator.top(); y <= indicator.bottom(); ++y) {
        for (int x = indicator.left(); x <= indicator.right(); ++x) {
            if (image.rect().contains(x, y))
                best = std::max(best, ui::contrastRatio(image.pixelColor(x, y), background));
        }
    }
    return best;
}

} // namespace

class TestScreens : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::selectFirstRowFirst(*qApp); }

    // Item 6: Ctrl+K finds the customer stored as "(815) 555-0186" by every way a phone is typed, and each
    // result shows the phone that matched.
    void searchFindsAPhoneTypedAnyWay()
    {
        UiFixture f;
        const Contact dana = customer(f, QStringLiteral("Dana Smith"), QStringLiteral("(815) 555-0186"),
                                      QStringLiteral("12 Elm Street"), QStringLiteral("Rockford"));
        customer(f, QStringLiteral("Dana Smith"), QStringLiteral("(779) 555-0199"),
                 QStringLiteral("3 Lake Drive"), QStringLiteral("Loves Park"));
        ui::MainWindow window(f.context(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        ui::SearchDialog *dialog = window.searchDialog();
        QVERIFY(dialog->isVisible());
        FIND_CHILD(edit, QLineEdit, dialog, "searchEdit");
        FIND_CHILD(results, QListWidget, dialog, "searchResults");
        for (const QString &typed : {QStringLiteral("8155550186"), QStringLiteral("815 555 0186"),
                                     QStringLiteral("+1 815-555-0186")}) {
            edit->clear();
            QTest::keyClicks(edit, typed);
            QTRY_COMPARE(results->count(), 1);
            QCOMPARE(results->item(0)->data(Qt::UserRole).toUuid(), dana.id);
            QCOMPARE(results->item(0)->text(),
                     QStringLiteral("Dana Smith — phone (815) 555-0186 · 12 Elm Street, Rockford, IL 61101"));
        }

        // Two customers of the same name: each result tells which one it is.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("Dana Smith"));
        QTRY_COMPARE(results->count(), 2);
        const QStringList both = texts(results);
        QVERIFY2(both.contains(QStringLiteral("Dana Smith — 12 Elm Street, Rockford, IL 61101")),
                 qPrintable(both.join(QLatin1Char('\n'))));
        QVERIFY2(both.contains(QStringLiteral("Dana Smith — 3 Lake Drive, Loves Park, IL 61101")),
                 qPrintable(both.join(QLatin1Char('\n'))));
    }

    // Item 6: a customer found by a second address shows that address, not the home one.
    void searchShowsTheAddressThatMatched()
    {
        UiFixture f;
        const Contact dana = customer(f, QStringLiteral("Dana Smith"), QStringLiteral("(815) 555-0186"),
                                      QStringLiteral("12 Elm Street"), QStringLiteral("Rockford"));
        addRental(f, dana.id);
        ui::MainWindow window(f.context(), nullptr);
        window.openSearch();
        FIND_CHILD(edit, QLineEdit, window.searchDialog(), "searchEdit");
        FIND_CHILD(results, QListWidget, window.searchDialog(), "searchResults");
        QTest::keyClicks(edit, QStringLiteral("Quarry"));
        QTRY_COMPARE(texts(results),
                     QStringList{QStringLiteral(
                         "Dana Smith — Rental: 77 Quarry Court, Belvidere, IL 61008 · (815) 555-0186")});
    }

    // Item 6 on the Contacts page: the list's search finds a phone typed any way, shows the field that
    // matched in bold with a tooltip saying so, and an address column (the one that matched, else the first)
    // that tells two customers of one name apart.
    void contactsListShowsWhatMatched()
    {
        UiFixture f;
        const Contact dana = customer(f, QStringLiteral("Dana Smith"), QStringLiteral("(815) 555-0186"),
                                      QStringLiteral("12 Elm Street"), QStringLiteral("Rockford"));
        customer(f, QStringLiteral("Dana Smith"), QStringLiteral("(779) 555-0199"),
                 QStringLiteral("3 Lake Drive"), QStringLiteral("Loves Park"));
        addRental(f, dana.id);
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        FIND_CHILD(list, QTableView, &page, "contactsView");
        const QAbstractItemModel *rows = list->model();
        const auto cell = [rows](int row, int column) { return rows->index(row, column); };
        using Model = ui::ContactListModel;

        // Each search answers from the read thread: wait for the list of what was typed.
        QSignalSpy shown(&page, &ui::ContactsPage::listShown);
        const auto shownFor = [&shown](const QString &query) {
            return !shown.isEmpty() && shown.last().at(0).toString() == query;
        };
        QTest::keyClicks(search, QStringLiteral("+1 815-555-0186"));
        QTRY_VERIFY(shownFor(QStringLiteral("+1 815-555-0186")));
        QCOMPARE(rows->rowCount(), 1);
        QCOMPARE(cell(0, Model::Phone).data().toString(), QStringLiteral("(815) 555-0186"));
        QVERIFY(cell(0, Model::Phone).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(cell(0, Model::Phone)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("Found by the phone")));
        QVERIFY(!cell(0, Model::Name).data(Qt::FontRole).value<QFont>().bold());

        // Found by the rental: that address is shown, not the home one.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("Quarry"));
        QTRY_VERIFY(shownFor(QStringLiteral("Quarry")));
        QCOMPARE(rows->rowCount(), 1);
        QCOMPARE(cell(0, Model::Address).data().toString(),
                 QStringLiteral("77 Quarry Court, Belvidere, IL 61008 (Rental)"));
        QVERIFY(cell(0, Model::Address).data(Qt::FontRole).value<QFont>().bold());

        // Two of one name: the address tells them apart.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("Dana Smith"));
        QTRY_VERIFY(shownFor(QStringLiteral("Dana Smith")));
        QCOMPARE(rows->rowCount(), 2);
        QStringList addresses{cell(0, Model::Address).data().toString(),
                              cell(1, Model::Address).data().toString()};
        addresses.sort();
        QCOMPARE(addresses, (QStringList{QStringLiteral("12 Elm Street, Rockford, IL 61101"),
                                         QStringLiteral("3 Lake Drive, Loves Park, IL 61101")}));
    }

    // Item 7: in the dark palette an empty check box and an unchecked radio button stand out from the window
    // at 3:1 at least (WCAG 2.1, 1.4.11), as the style renders them; the light palette too.
    void indicatorsHaveContrast_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("dark") << true;
        QTest::newRow("light") << false;
    }

    void indicatorsHaveContrast()
    {
        QFETCH(bool, dark);
        const QPalette paletteBefore = QApplication::palette();
        ui::applyTheme(*qApp, dark ? ui::ColorScheme::Dark : ui::ColorScheme::Light);
        const QColor window = QApplication::palette().color(QPalette::Window);
        QWidget host;
        auto *layout = new QVBoxLayout(&host);
        auto *check = new QCheckBox(&host);
        auto *radio = new QRadioButton(&host);
        layout->addWidget(check);
        layout->addWidget(radio);
        host.resize(120, 80);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        for (QAbstractButton *button :
             {static_cast<QAbstractButton *>(check), static_cast<QAbstractButton *>(radio)}) {
            const QImage image = button->grab().toImage();
            QStyleOptionButton option;
            option.initFrom(button);
            const QRect indicator = button->style()->subElementRect(
                button == check ? QStyle::SE_CheckBoxIndicator : QStyle::SE_RadioButtonIndicator, &option,
                button);
            QVERIFY(!indicator.isEmpty());
            const double contrast = indicatorContrast(image, indicator, window);
            QVERIFY2(contrast >= 3.0,
                     qPrintable(QStringLiteral("%1: %2:1 against the window %3")
                                    .arg(QString::fromLatin1(button->metaObject()->className()))
                                    .arg(contrast, 0, 'f', 2)
                                    .arg(window.name())));
        }
        QApplication::setPalette(paletteBefore);
    }

    // Item 8: in a list without a selected row, the first Down selects the first row (Qt had made it current
    // unseen when the list took the focus, and Down went on to the second).
    void firstDownSelectsTheFirstRow()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        for (int cents : {1000, 2000, 3000})
            VERIFY_OK(f->invoices.createStandalone(margaret.contact.id, Money::fromCents(cents)));
        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        QTRY_COMPARE(view->model()->rowCount(), 3);
        view->setFocus(Qt::TabFocusReason);
        QVERIFY(view->hasFocus());
        QVERIFY(!view->selectionModel()->hasSelection());
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(view->currentIndex().row(), 0);
        QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(view->selectionModel()->selectedRows().first().row(), 0);
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(view->currentIndex().row(), 1);
        QCOMPARE(view->selectionModel()->selectedRows().first().row(), 1);
    }

    // Item 8: Ctrl+P with no invoice selected says why, next to the list, instead of doing nothing.
    void ctrlPWithoutAnInvoiceSaysWhy()
    {
        UiFixture f;
        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(summary, QLabel, &page, "invoicesSummary");
        QTRY_VERIFY(summary->text().startsWith(QStringLiteral("No invoices yet")));
        QTest::keyClick(&page, Qt::Key_P, Qt::ControlModifier);
        QVERIFY(summary->isVisible());
        QVERIFY2(summary->text().contains(QStringLiteral("there is no invoice in this list")),
                 qPrintable(summary->text()));

        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        VERIFY_OK(f->invoices.createStandalone(margaret.contact.id, Money::fromCents(1000)));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        QTRY_COMPARE(view->model()->rowCount(), 1);
        view->clearSelection();
        view->setCurrentIndex({});
        QTest::keyClick(&page, Qt::Key_P, Qt::ControlModifier);
        QVERIFY2(summary->text().contains(QStringLiteral("no invoice is selected")),
                 qPrintable(summary->text()));
    }
};

QTEST_MAIN(TestScreens)
#include "test_screens.moc"
