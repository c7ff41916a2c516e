// InvoicesPage and its dialogs: invoices made from a completed job and standalone, sent, paid and voided with
// a reason through the widgets; the status filter and the totals; the invoice's PDF, read back with
// pdftotext.

#include "invoices/invoicelistmodel.h"
#include "invoices/invoicespage.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "util/timeutil.h"

#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::UiFixture;

namespace {

using Columns = ui::InvoiceListModel;

/// A completed job: a fixed $120.00 window cleaning and 12 metres of gutter at $4.50, $174.00 in all.
Ticket completedJob(UiFixture &f, const UiFixture::Catalog &catalog,
                    const test::CoreFixture::Customer &customer, bool complete = true)
{
    TicketCreate data;
    data.contactId = customer.contact.id;
    data.addressId = customer.address.id;
    data.scheduledAt = QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc());
    auto ticket = f->tickets.create(data);
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    LineItemCreate fixed;
    fixed.serviceId = catalog.fixed.id;
    LineItemCreate gutters;
    gutters.serviceId = catalog.perUnit.id;
    gutters.quantity = 12;
    if (!f->tickets.addLineItem(ticket->id, fixed) || !f->tickets.addLineItem(ticket->id, gutters))
        qFatal("cannot add line items");
    if (complete && !f->tickets.finalizeCloseOut(ticket->id, {}, NextServiceAction::NoFollowup))
        qFatal("cannot complete the ticket");
    return *f->tickets.getById(ticket->id);
}

Invoice standalone(UiFixture &f, const QUuid &contactId, qint64 cents)
{
    auto invoice = f->invoices.createStandalone(contactId, Money::fromCents(cents));
    if (!invoice)
        qFatal("cannot create an invoice: %s", qPrintable(invoice.error().toString()));
    return *invoice;
}

/// Makes `dialog` the active window: offscreen, a dialog opened with open() does not become it by itself,
/// and qWaitForWindowActive() may already pass while its parent is active (they share activation).
bool activate(QWidget *dialog)
{
    dialog->activateWindow();
    return QTest::qWaitFor([dialog] { return QApplication::activeWindow() == dialog; });
}

/// Selects the list's row of invoice `id` as a user would, with the keyboard on the view.
/// The list is read on the read thread: waits (up to 5 s) until it lists the invoice.
bool selectRow(QTableView *view, const QUuid &id)
{
    QAbstractItemModel *model = view->model();
    const auto rowOf = [model, id] {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, Columns::Number).data(Columns::IdRole).toUuid() == id)
                return row;
        }
        return -1;
    };
    if (!QTest::qWaitFor([&rowOf] { return rowOf() >= 0; }))
        return false;
    view->setFocus();
    view->setCurrentIndex(model->index(rowOf(), Columns::Number));
    return true;
}

/// The text of the one error box open now (waiting for it), closing it.
QString waitForError()
{
    if (!test::waitForTopLevel<QMessageBox>(QStringLiteral("errorMessage")))
        return QStringLiteral("(no error shown)");
    return test::takeErrorMessages().join(QLatin1Char('\n'));
}

InvoiceStatus statusOf(UiFixture &f, const QUuid &id)
{
    auto invoice = f->invoices.getById(id);
    if (!invoice)
        qFatal("cannot read an invoice");
    return invoice->status;
}

} // namespace

class TestInvoices final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QStandardPaths::setTestModeEnabled(true); // QSettings() reads a test location
        QSettings().remove(QStringLiteral("business/name"));
    }

    void cleanup()
    {
        test::takeErrorMessages();
        QSettings().remove(QStringLiteral("business/name"));
    }

    void createFromClosedTicket()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        const Ticket job = completedJob(f, catalog, margaret);
        completedJob(f, catalog, tomas, /*complete=*/false); // still open: not billable yet
        const Ticket billed = completedJob(f, catalog, tomas);
        VERIFY_OK(f->invoices.createFromTicket(billed.id));

        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        FIND_CHILD(button, QPushButton, &page, "newInvoiceFromTicketButton");
        QTRY_COMPARE(view->model()->rowCount(), 1);

        // Ctrl+Shift+N, the page's shortcut, opens the picker of completed jobs without an invoice.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_N, Qt::ControlModifier | Qt::ShiftModifier);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("ticketInvoiceDialog"));
        QVERIFY(dialog);
        QVERIFY(activate(dialog));
        FIND_CHILD(jobs, QTableView, dialog, "uninvoicedTicketsView");
        QTRY_COMPARE(jobs->model()->rowCount(), 1);
        QCOMPARE(jobs->model()->index(0, 1).data().toString(), QStringLiteral("Margaret Hill"));
        QCOMPARE(jobs->model()->index(0, 3).data().toString(), QStringLiteral("$174.00"));

        // Enter on the picked job creates the draft.
        jobs->setFocus();
        QTest::keyClick(jobs, Qt::Key_Return);
        QTRY_VERIFY(!dialog->isVisible());
        QVERIFY(test::takeErrorMessages().isEmpty());
        auto drafts = f->invoices.list(InvoiceStatus::Draft);
        VERIFY_OK(drafts);
        Invoice created;
        for (const Invoice &invoice : *drafts) {
            if (invoice.ticketId == job.id)
                created = invoice;
        }
        QVERIFY2(!created.id.isNull(), "no draft for the job");
        QCOMPARE(created.contactId, margaret.contact.id);
        QCOMPARE(created.totalAmount, Money::fromCents(17400));
        // Listed (read on the read thread), selected, and named under the list.
        QTRY_COMPARE(view->model()->rowCount(), 2);
        QTRY_COMPARE(page.currentInvoiceId(), created.id);
        FIND_CHILD(summary, QLabel, &page, "invoicesSummary");
        QCOMPARE(summary->text(),
                 QStringLiteral("Invoice %1 created as a draft: check it (PDF), then send it.")
                     .arg(*created.number));
        // The list has the window's focus (offscreen, no window is made active again after a dialog).
        QCOMPARE(page.focusWidget(), static_cast<QWidget *>(view));

        // Nothing left to bill: the picker says so, and the button makes no second invoice.
        QTest::mouseClick(button, Qt::LeftButton);
        dialog = test::waitForTopLevel<QDialog>(QStringLiteral("ticketInvoiceDialog"));
        QVERIFY(dialog);
        FIND_CHILD(empty, QLabel, dialog, "noUninvoicedTicketsLabel");
        FIND_CHILD(create, QPushButton, dialog, "createInvoiceButton");
        QTRY_VERIFY2(empty->text().startsWith(QStringLiteral("Every completed job has an invoice")),
                     qPrintable(empty->text()));
        QVERIFY(empty->isVisible());
        QVERIFY(!create->isEnabled());
        dialog->reject();
        QCOMPARE(f->invoices.list()->size(), 2);
    }

    void createStandalone()
    {
        UiFixture f;
        f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        FIND_CHILD(button, QPushButton, &page, "newStandaloneInvoiceButton");

        QTest::mouseClick(button, Qt::LeftButton);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("standaloneInvoiceDialog"));
        QVERIFY(dialog);
        QVERIFY(activate(dialog));
        FIND_CHILD(search, QLineEdit, dialog, "invoiceContactSearch");
        FIND_CHILD(results, QListView, dialog, "invoiceContactResults");
        FIND_CHILD(amount, QLineEdit, dialog, "invoiceAmountEdit");
        FIND_CHILD(create, QPushButton, dialog, "createInvoiceButton");

        // No customer picked yet.
        QTest::keyClicks(amount, QStringLiteral("42.50"));
        QTest::mouseClick(create, Qt::LeftButton);
        // Said under the customer, in words (issue 15).
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(customerError, QLabel, dialog, "invoiceCustomerError");
        QCOMPARE(customerError->text(), QStringLiteral("Customer: pick the customer to bill from the list"));
        QVERIFY(dialog->isVisible());

        // Results while typing; Down picks the first.
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("tom"));
        QTRY_COMPARE(results->model()->rowCount(), 1);
        QTest::keyClick(search, Qt::Key_Down);
        QCOMPARE(results->currentIndex().data(Qt::UserRole + 1).toUuid(), tomas.contact.id);

        // An amount Money::parse cannot read exactly is refused, naming it; nothing is written.
        amount->clear();
        QTest::keyClicks(amount, QStringLiteral("42.505"));
        QTest::mouseClick(create, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(amountError, QLabel, dialog, "invoiceAmountEditError");
        const QString error = amountError->text();
        QVERIFY2(error.startsWith(QStringLiteral("Amount: ")) && error.contains(QStringLiteral("42.505")),
                 qPrintable(error));
        QVERIFY(dialog->isVisible());
        QVERIFY(f->invoices.list()->isEmpty());

        amount->clear();
        QTest::keyClicks(amount, QStringLiteral("$42.50"));
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_VERIFY(!dialog->isVisible());
        auto invoices = f->invoices.list();
        VERIFY_OK(invoices);
        QCOMPARE(invoices->size(), 1);
        QCOMPARE(invoices->first().contactId, tomas.contact.id);
        QVERIFY(invoices->first().ticketId.isNull());
        QCOMPARE(invoices->first().totalAmount, Money::fromCents(4250));
        QCOMPARE(toString(invoices->first().status), toString(InvoiceStatus::Draft));
        QTRY_COMPARE(view->model()->index(0, Columns::Total).data().toString(), QStringLiteral("$42.50"));
        QTRY_COMPARE(page.currentInvoiceId(), invoices->first().id);
    }

    void sendMarkPaidAndVoidWithAReason()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Invoice first = standalone(f, margaret.contact.id, 10000);
        const Invoice second = standalone(f, margaret.contact.id, 2500);
        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        FIND_CHILD(send, QPushButton, &page, "sendInvoiceButton");
        FIND_CHILD(markPaid, QPushButton, &page, "markPaidButton");
        FIND_CHILD(voidButton, QPushButton, &page, "voidInvoiceButton");
        FIND_CHILD(pdf, QPushButton, &page, "pdfButton");
        FIND_CHILD(summary, QLabel, &page, "invoicesSummary");
        FIND_CHILD(hint, QLabel, &page, "sendHintLabel");
        QVERIFY(hint->text().contains(QStringLiteral("sync server")));

        // Nothing selected: nothing to do.
        QVERIFY(!send->isEnabled() && !markPaid->isEnabled() && !voidButton->isEnabled() &&
                !pdf->isEnabled());

        // A draft: send or void, not paid.
        QVERIFY(selectRow(view, first.id));
        QVERIFY(send->isEnabled());
        QVERIFY(!markPaid->isEnabled());
        QVERIFY(voidButton->isEnabled());
        QVERIFY(pdf->isEnabled());
        // A read of the list is on its way (the page reads again after every change) when Send is clicked:
        // what it read before the send must not show the invoice as a draft again, with Send enabled.
        QSignalSpy shown(&page, &ui::InvoicesPage::listShown);
        QList<bool> sendEnabledWhenShown;
        connect(&page, &ui::InvoicesPage::listShown, this,
                [&] { sendEnabledWhenShown.append(send->isEnabled()); });
        page.reload();
        QTest::mouseClick(send, Qt::LeftButton);
        QCOMPARE(toString(statusOf(f, first.id)), toString(InvoiceStatus::Sent));
        QVERIFY(!send->isEnabled());
        QVERIFY(shown.wait());
        QTest::qWait(100); // and any read after it
        QVERIFY(!sendEnabledWhenShown.contains(true));
        QCOMPARE(page.currentInvoiceId(), first.id);
        QCOMPARE(view->currentIndex().siblingAtColumn(Columns::Status).data().toString(),
                 QStringLiteral("Sent"));
        // The desktop marks it sent; the e-mail is the server's.
        // Still said once the list has been read again.
        QVERIFY2(summary->text().contains(QStringLiteral("sync server e-mails it to margaret@example.com")),
                 qPrintable(summary->text()));
        QCOMPARE(page.currentInvoiceId(), first.id);
        QVERIFY(!send->isEnabled());
        QVERIFY(markPaid->isEnabled());

        // Sent -> paid; a paid invoice can be neither sent, paid again nor voided.
        QTest::mouseClick(markPaid, Qt::LeftButton);
        QCOMPARE(toString(statusOf(f, first.id)), toString(InvoiceStatus::Paid));
        QVERIFY(f->invoices.getById(first.id)->paidAt.isValid());
        QVERIFY(!send->isEnabled() && !markPaid->isEnabled() && !voidButton->isEnabled());
        QVERIFY(pdf->isEnabled());

        // Void asks why; without a reason the core refuses, and the dialog stays open with its error.
        QVERIFY(selectRow(view, second.id));
        QTest::mouseClick(voidButton, Qt::LeftButton);
        auto *dialog = test::waitForTopLevel<QDialog>(QStringLiteral("voidInvoiceDialog"));
        QVERIFY(dialog);
        QVERIFY(activate(dialog));
        FIND_CHILD(reason, QLineEdit, dialog, "voidReasonEdit");
        FIND_CHILD(confirm, QPushButton, dialog, "confirmVoidButton");
        QTest::keyClicks(reason, QStringLiteral("   "));
        QTest::mouseClick(confirm, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(reasonError, QLabel, dialog, "voidReasonEditError");
        QCOMPARE(reasonError->text(), QStringLiteral("Reason: say why the invoice is voided"));
        QVERIFY(dialog->isVisible());
        QCOMPARE(toString(statusOf(f, second.id)), toString(InvoiceStatus::Draft));

        // With a reason: void, and the reason is in the void's audit entry.
        reason->clear();
        QTest::keyClicks(reason, QStringLiteral("Customer paid cash on the day"));
        QTest::keyClick(reason, Qt::Key_Return);
        QTRY_VERIFY(!dialog->isVisible());
        QCOMPARE(toString(statusOf(f, second.id)), toString(InvoiceStatus::Void));
        QCOMPARE(*f->invoices.voidReason(second.id), QStringLiteral("Customer paid cash on the day"));
        auto history = f->audit().entityHistory(QStringLiteral("invoice"), second.id);
        VERIFY_OK(history);
        QCOMPARE(history->first()
                     .changes.value(QStringLiteral("void_reason"))
                     .toObject()
                     .value(QStringLiteral("new"))
                     .toString(),
                 QStringLiteral("Customer paid cash on the day"));
        QVERIFY(!send->isEnabled() && !markPaid->isEnabled() && !voidButton->isEnabled());
    }

    void theCoresRefusalIsShown()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Invoice draft = standalone(f, margaret.contact.id, 10000);
        ui::InvoicesPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        FIND_CHILD(send, QPushButton, &page, "sendInvoiceButton");
        FIND_CHILD(markPaid, QPushButton, &page, "markPaidButton");
        QVERIFY(selectRow(view, draft.id));

        // Sent and paid behind the page's back (another connection: the sync worker, another window) a moment
        // ago, before the window looked again (it does every 250 ms): the page still offers Send.
        auto other = f.reopen();
        VERIFY_OK(other->setCurrentUser(f.alice()));
        VERIFY_OK(other->invoices.send(draft.id));
        VERIFY_OK(other->invoices.markPaid(draft.id));
        QVERIFY(send->isEnabled());
        QTest::mouseClick(send, Qt::LeftButton);
        QCOMPARE(waitForError(),
                 QStringLiteral(
                     "Could not send the invoice: cannot send a paid invoice: only a draft can be sent"));
        QCOMPARE(toString(statusOf(f, draft.id)), toString(InvoiceStatus::Paid));
        // The page now shows the invoice as it is.
        QTRY_COMPARE(view->model()->index(0, Columns::Status).data().toString(), QStringLiteral("Paid"));
        QVERIFY(!send->isEnabled());
        QVERIFY(!markPaid->isEnabled());
    }

    void statusFilterAndTotals()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        standalone(f, margaret.contact.id, 10000);                  // draft $100.00
        const Invoice sent = standalone(f, tomas.contact.id, 5025); // sent $50.25
        const Invoice paid = standalone(f, margaret.contact.id, 2000);
        const Invoice voided = standalone(f, tomas.contact.id, 700);
        VERIFY_OK(f->invoices.send(sent.id));
        VERIFY_OK(f->invoices.send(paid.id));
        VERIFY_OK(f->invoices.markPaid(paid.id));
        VERIFY_OK(f->invoices.voidInvoice(voided.id, QStringLiteral("Duplicate")));

        ui::InvoicesPage page(f.context());
        QSignalSpy shown(&page, &ui::InvoicesPage::listShown);
        page.show();
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        FIND_CHILD(filter, QComboBox, &page, "invoiceStatusFilter");
        FIND_CHILD(totals, QLabel, &page, "invoicesTotalLabel");
        FIND_CHILD(summary, QLabel, &page, "invoicesSummary");
        // The years of invoices are read on the read thread: until they come the page says so, and the
        // window goes on answering.
        QCOMPARE(view->model()->rowCount(), 0);
        QCOMPARE(summary->text(), QStringLiteral("Reading the invoices…"));
        QVERIFY(shown.wait());
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QCOMPARE(view->model()->rowCount(), 4);
        QVERIFY(summary->text().isEmpty());
        // Void invoices owe nothing: listed, not summed. Unpaid: the draft and the sent one.
        QCOMPARE(totals->text(),
                 QStringLiteral("3 invoices: $170.25 in total, $150.25 unpaid. 1 void invoice not counted."));

        // The filter, from the keyboard: All, Draft, Sent, Paid, Void.
        filter->setFocus();
        const auto choose = [&](Qt::Key key) {
            shown.clear();
            QTest::keyClick(filter, key);
            return shown.wait();
        };
        QVERIFY(choose(Qt::Key_Down));
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, Columns::Status).data().toString(), QStringLiteral("Draft"));
        QCOMPARE(totals->text(), QStringLiteral("1 invoice: $100.00 in total, $100.00 unpaid."));
        QVERIFY(choose(Qt::Key_Down));
        QCOMPARE(view->model()->index(0, Columns::Customer).data().toString(), QStringLiteral("Tomas Ruiz"));
        QCOMPARE(totals->text(), QStringLiteral("1 invoice: $50.25 in total, $50.25 unpaid."));
        QVERIFY(choose(Qt::Key_Down));
        QCOMPARE(view->model()->index(0, Columns::Status).data().toString(), QStringLiteral("Paid"));
        QCOMPARE(totals->text(), QStringLiteral("1 invoice: $20.00 in total, $0.00 unpaid."));
        QVERIFY(choose(Qt::Key_Down));
        QCOMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, Columns::Status).data().toString(), QStringLiteral("Void"));
        QCOMPARE(totals->text(), QStringLiteral("1 void invoice, $7.00 in all, not counted as billed."));

        // Paying the sent one elsewhere: the sums follow.
        QVERIFY(choose(Qt::Key_Home));
        QCOMPARE(view->model()->rowCount(), 4);
        VERIFY_OK(f->invoices.markPaid(sent.id));
        QTRY_COMPARE(
            totals->text(),
            QStringLiteral("3 invoices: $170.25 in total, $100.00 unpaid. 1 void invoice not counted."));
    }

    void pdfHasTheCustomerAndTotal()
    {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QFAIL(
                "pdftotext is needed to read the PDF back: install poppler-utils (scripts/install-deps.sh)");

        const test::FixedClock clock(
            QDateTime(QDate(2030, 5, 4), QTime(8, 15))); // local time: the invoice's date
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Ticket job = completedJob(f, catalog, margaret);
        auto invoice = f->invoices.createFromTicket(job.id);
        VERIFY_OK(invoice);
        QSettings().setValue(QStringLiteral("business/name"), QStringLiteral("Hill Country Windows"));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath(QStringLiteral("Fieldbook/Invoices")); // made on demand
        ui::InvoicesPage page(f.context());
        page.setPdfDirectory(folder);
        QList<QUrl> opened;
        page.setUrlOpener([&opened](const QUrl &url) {
            opened.append(url);
            return true;
        });
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(view, QTableView, &page, "invoicesView");
        FIND_CHILD(summary, QLabel, &page, "invoicesSummary");
        QVERIFY(selectRow(view, invoice->id));
        const QString number = view->model()->index(0, Columns::Number).data().toString();

        // Ctrl+P in the page.
        QTest::keyClick(view, Qt::Key_P, Qt::ControlModifier);
        QVERIFY(test::takeErrorMessages().isEmpty());
        const QString path = QDir(folder).filePath(number + QStringLiteral(".pdf"));
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QCOMPARE(opened, QList<QUrl>{QUrl::fromLocalFile(path)});
        QVERIFY2(summary->text().contains(QDir::toNativeSeparators(QDir(folder).absolutePath())),
                 qPrintable(summary->text()));

        QProcess process;
        process.start(pdftotext, {QStringLiteral("-layout"), path, QStringLiteral("-")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        const QString text = QString::fromUtf8(process.readAllStandardOutput());
        for (const QString &expected :
             {QStringLiteral("Hill Country Windows"), QStringLiteral("Margaret Hill"),
              QStringLiteral("12 Elm Street"), QStringLiteral("Springfield, IL 62701"), number,
              QStringLiteral("Window cleaning"), QStringLiteral("Gutter clearing"), QStringLiteral("$4.50"),
              QStringLiteral("$54.00"), QStringLiteral("$120.00"), QStringLiteral("$174.00"),
              QStringLiteral("Date: 5/4/30")})
            QVERIFY2(text.contains(expected), qPrintable(expected + QStringLiteral(" not in:\n") + text));

        // No viewer: the file is still made, and the page says where it is.
        page.setUrlOpener([](const QUrl &) { return false; });
        QFile::remove(path);
        QTest::mouseClick(page.findChild<QPushButton *>(QStringLiteral("pdfButton")), Qt::LeftButton);
        QVERIFY(QFile::exists(path));
        QVERIFY2(summary->text().contains(QStringLiteral("No PDF viewer")), qPrintable(summary->text()));
    }

    void businessNameDefaultsToTheTechnician()
    {
        UiFixture f;
        ui::InvoicesPage page(f.context());
        QCOMPARE(page.businessName(), QStringLiteral("Alice Able"));
        QSettings().setValue(QStringLiteral("business/name"), QStringLiteral("Able Windows"));
        QCOMPARE(page.businessName(), QStringLiteral("Able Windows"));
    }
};

QTEST_MAIN(TestInvoices)
#include "test_invoices.moc"
