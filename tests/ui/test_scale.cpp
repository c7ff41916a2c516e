// Issue 15, item 7: at 200% (QT_SCALE_FACTOR=2) on a 1366x768 screen, 683x384 logical pixels, the main
// window and every dialog fit the available screen, every button can be reached (on the window, or in a part
// that scrolls), and no label's text is cut off. The screen is the offscreen platform's, configured before
// the application starts (main() below), so the test does not depend on the machine's display.
#include "catalog/servicedialog.h"
#include "closeout/closeoutwizard.h"
#include "common/theme.h"
#include "contacts/addressdialog.h"
#include "contacts/attributevaluedialog.h"
#include "contacts/contactdialog.h"
#include "invoices/standaloneinvoicedialog.h"
#include "invoices/ticketinvoicedialog.h"
#include "invoices/voidinvoicedialog.h"
#include "schedule/newticketdialog.h"
#include "schedule/rescheduledialog.h"
#include "shell/firstrundialog.h"
#include "shell/mainwindow.h"
#include "shell/searchdialog.h"
#include "support/uitestsupport.h"
#include "syncapi/appsettings.h"
#include "syncsettingsbackend.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QJsonValue>
#include <QLabel>
#include <QScreen>
#include <QTemporaryDir>
#include <QWizard>
#include <QtTest>

using namespace fb;
using namespace fb::test;

namespace {

bool scrolls(const QWidget *widget, const QWidget *window)
{
    for (const QWidget *w = widget->parentWidget(); w && w != window; w = w->parentWidget()) {
        if (qobject_cast<const QAbstractScrollArea *>(w))
            return true;
    }
    return false;
}

/// What is wrong with `window` on its screen: its frame outside the available geometry, a visible button
/// outside the window and not in a part that scrolls, a label whose text is cut off. Empty when it fits.
QStringList problems(QWidget *window, const QString &name)
{
    QStringList found;
    const QRect available = window->screen()->availableGeometry();
    if (!available.contains(window->frameGeometry()))
        found << QStringLiteral("%1: the frame %2,%3 %4x%5 is not within the available %6x%7")
                     .arg(name)
                     .arg(window->frameGeometry().x())
                     .arg(window->frameGeometry().y())
                     .arg(window->frameGeometry().width())
                     .arg(window->frameGeometry().height())
                     .arg(available.width())
                     .arg(available.height());
    for (QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
        if (!button->isVisibleTo(window) || scrolls(button, window))
            continue;
        const QRect where(button->mapTo(window, QPoint(0, 0)), button->size());
        if (!window->rect().contains(where))
            found << QStringLiteral("%1: the button “%2” (%3) lies outside the window")
                         .arg(name, button->text(), button->objectName());
    }
    for (QLabel *label : window->findChildren<QLabel *>()) {
        if (!label->isVisibleTo(window) || label->text().isEmpty() || !label->pixmap().isNull())
            continue;
        const bool cut = label->wordWrap() ? label->height() < label->heightForWidth(label->width())
                                           : label->width() < label->minimumSizeHint().width();
        if (cut)
            found << QStringLiteral("%1: the label “%2” is cut off (%3x%4)")
                         .arg(name, label->text().left(60))
                         .arg(label->width())
                         .arg(label->height());
    }
    return found;
}

/// Shows `window` (a dialog or the main window), lets it settle and checks it.
QStringList showAndCheck(QWidget *window, const QString &name)
{
    window->show();
    if (!QTest::qWaitForWindowExposed(window))
        return {name + QStringLiteral(": never shown")};
    QTest::qWait(20);
    return problems(window, name);
}

} // namespace

class TestScale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theScreenIs683x384LogicalPixels()
    {
        QCOMPARE(QGuiApplication::primaryScreen()->availableGeometry().size(), QSize(683, 384));
        QCOMPARE(qApp->devicePixelRatio(), 2.0);
    }

    void mainWindowFits()
    {
        UiFixture f;
        AppSettings settings;
        sync::SyncSettingsBackend settingsBackend(nullptr);
        ui::MainWindow window(f.context(), nullptr, &settings, &settingsBackend);
        const QStringList found = showAndCheck(&window, QStringLiteral("main window"));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
        QVERIFY(window.width() >= 600 && window.height() >= 300); // the room there is, used
    }

    void everyDialogFits()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        TicketCreate data;
        data.contactId = customer.contact.id;
        data.addressId = customer.address.id;
        data.scheduledAt = QDateTime::currentDateTimeUtc();
        auto ticket = f->tickets.create(data);
        VERIFY_OK(ticket);
        VERIFY_OK(f->tickets.clockIn(ticket->id));
        auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(4250));
        VERIFY_OK(invoice);

        AppSettings settings;
        sync::SyncSettingsBackend settingsBackend(nullptr);
        ui::MainWindow window(f.context(), nullptr, &settings, &settingsBackend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList found;

        window.openSettings();
        if (auto *dialog = waitForTopLevel<QDialog>(QStringLiteral("settingsDialog"))) {
            found << problems(dialog, QStringLiteral("settings"));
            dialog->close();
        } else {
            found << QStringLiteral("settings: not shown");
        }
        window.openSearch();
        found << showAndCheck(window.searchDialog(), QStringLiteral("search"));
        window.searchDialog()->close();

        const auto check = [&found](QDialog *dialog, const QString &name) {
            found << showAndCheck(dialog, name);
            dialog->close();
        };
        ui::NewTicketDialog newTicket(f.context(), QDate::currentDate(), &window);
        check(&newTicket, QStringLiteral("new ticket"));
        ui::RescheduleDialog reschedule(f.context(), *ticket, QStringLiteral("10:00 Margaret Hill"), &window);
        check(&reschedule, QStringLiteral("reschedule"));
        ui::ContactDialog newContact(f.context(), {}, &window);
        check(&newContact, QStringLiteral("new customer"));
        ui::ContactDialog editContact(f.context(), customer.contact.id, &window);
        check(&editContact, QStringLiteral("edit customer"));
        ui::AddressDialog address(customer.address, &window);
        check(&address, QStringLiteral("address"));
        ui::AttributeValueDialog attribute(QStringLiteral("gate_code"), QJsonValue(QStringLiteral("4512")),
                                           QJsonValue(QStringLiteral("1234")), &window);
        check(&attribute, QStringLiteral("detail value"));
        ui::ServiceDialog newService(f.context(), {}, &window);
        check(&newService, QStringLiteral("new service"));
        ui::ServiceDialog editService(f.context(), catalog.perUnit.id, &window);
        check(&editService, QStringLiteral("edit service"));
        ui::StandaloneInvoiceDialog standalone(f.context(), &window);
        check(&standalone, QStringLiteral("standalone invoice"));
        ui::TicketInvoiceDialog fromTicket(f.context(), &window);
        check(&fromTicket, QStringLiteral("invoice from a job"));
        ui::VoidInvoiceDialog voidInvoice(f.context(), invoice->id,
                                          QStringLiteral("INV-1, Margaret Hill, $42.50"), &window);
        check(&voidInvoice, QStringLiteral("void invoice"));
        ui::FirstRunDialog firstRun(f.core()); // a window of its own before the main window exists
        found << showAndCheck(&firstRun, QStringLiteral("first run"));
        firstRun.close();
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    }

    // The close-out wizard, page by page: Next on each, Finish on the last, on the screen.
    void closeOutWizardFitsOnEveryPage()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        TicketCreate data;
        data.contactId = customer.contact.id;
        data.addressId = customer.address.id;
        data.scheduledAt = QDateTime::currentDateTimeUtc();
        auto ticket = f->tickets.create(data);
        VERIFY_OK(ticket);
        VERIFY_OK(f->tickets.clockIn(ticket->id));
        ui::MainWindow window(f.context(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ui::CloseOutWizard wizard(f.context(), ticket->id, &window);
        QStringList found = showAndCheck(&wizard, QStringLiteral("close-out page 1"));
        for (int page = 2; page <= 4 && found.isEmpty(); ++page) {
            wizard.next();
            QTest::qWait(50);
            found << problems(&wizard, QStringLiteral("close-out page %1").arg(page));
        }
        const QAbstractButton *finish = wizard.button(QWizard::FinishButton);
        QVERIFY(finish->isVisible());
        QVERIFY(wizard.rect().contains(QRect(finish->mapTo(&wizard, QPoint(0, 0)), finish->size())));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
    }
};

int main(int argc, char **argv)
{
    // A 1366x768 screen at 200%, before the application exists (the platform reads both when it starts).
    QTemporaryDir dir;
    QFile screen(dir.filePath(QStringLiteral("screen.json")));
    if (!dir.isValid() || !screen.open(QIODevice::WriteOnly) ||
        screen.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, )"
                     R"("logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})") <= 0)
        qFatal("cannot write the screen's configuration");
    screen.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + QFile::encodeName(screen.fileName()));
    qputenv("QT_SCALE_FACTOR", "2");
    qputenv("FIELDBOOK_NO_KEYCHAIN", "1");
    QApplication app(argc, argv);
    ui::applyTheme(app, ui::ColorScheme::Light);
    TestScale test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_scale.moc"
