// Issue 15 item 3, errors at the field in words: every dialog where values are typed says what is wrong under
// the field, in the user's words (never a column name such as default_price), stays open with what was typed,
// and asks "Discard your changes?" on Escape only when something was changed. A quantity of 0 on a job is
// refused, not saved as 1.

#include "catalog/servicedialog.h"
#include "contacts/addressdialog.h"
#include "contacts/attributevaluedialog.h"
#include "contacts/contactdialog.h"
#include "invoices/standaloneinvoicedialog.h"
#include "invoices/voidinvoicedialog.h"
#include "schedule/newticketdialog.h"
#include "schedule/rescheduledialog.h"
#include "support/uitestsupport.h"
#include "ticket/ticketpage.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTest>

#include <functional>
#include <memory>

using namespace fb;
using fb::test::UiFixture;

namespace {

/// A column name ("default_price", "contact_id") anywhere in a text people read.
bool hasColumnName(const QString &text)
{
    static const QRegularExpression column(QStringLiteral("\\b[a-z]+_[a-z_]+\\b"));
    return column.match(text).hasMatch();
}

QMessageBox *discardQuestion()
{
    return test::visibleTopLevel<QMessageBox>(QStringLiteral("discardChangesMessage"));
}

/// Presses Escape where the user is typing in `dialog` (its focus widget, else the dialog).
void pressEscape(QWidget *dialog)
{
    QWidget *target = dialog->focusWidget() ? dialog->focusWidget() : dialog;
    QTest::keyClick(target, Qt::Key_Escape);
}

/// One dialog of the app, made fresh, and how a user changes something in it.
struct DialogCase
{
    const char *name;
    std::function<std::unique_ptr<QDialog>(UiFixture &)> make;
    std::function<void(QDialog *)> change;
};

void typeInto(QDialog *dialog, const char *field, const QString &text)
{
    auto *edit = dialog->findChild<QLineEdit *>(QLatin1String(field));
    if (!edit)
        qFatal("no line edit %s", field);
    edit->setFocus();
    QTest::keyClicks(edit, text);
}

QList<DialogCase> dialogCases()
{
    return {
        {"service", [](UiFixture &f) { return std::make_unique<ui::ServiceDialog>(f.context(), QUuid()); },
         [](QDialog *d) { typeInto(d, "nameEdit", QStringLiteral("Pressure washing")); }},
        {"customer", [](UiFixture &f) { return std::make_unique<ui::ContactDialog>(f.context(), QUuid()); },
         [](QDialog *d) { typeInto(d, "phoneEdit", QStringLiteral("815 555 0186")); }},
        {"address", [](UiFixture &) { return std::make_unique<ui::AddressDialog>(Address()); },
         [](QDialog *d) { typeInto(d, "streetEdit", QStringLiteral("4 Birch Lane")); }},
        {"attribute value",
         [](UiFixture &) {
             return std::make_unique<ui::AttributeValueDialog>(QStringLiteral("gate_code"),
                                                               QJsonValue(QStringLiteral("4512")),
                                                               QJsonValue(QJsonValue::Undefined));
         },
         [](QDialog *d) { typeInto(d, "attributeValueEdit", QStringLiteral("9")); }},
        {"new job",
         [](UiFixture &f) { return std::make_unique<ui::NewTicketDialog>(f.context(), QDate(2030, 5, 6)); },
         [](QDialog *d) { typeInto(d, "contactSearch", QStringLiteral("Marg")); }},
        {"reschedule",
         [](UiFixture &f) {
             const auto customer = f.addCustomer();
             auto ticket = f->tickets.create({customer.contact.id,
                                              customer.address.id,
                                              QDateTime(QDate(2030, 5, 6), QTime(9, 0)).toUTC(),
                                              60,
                                              {}});
             if (!ticket)
                 qFatal("cannot book a job");
             return std::make_unique<ui::RescheduleDialog>(f.context(), *ticket, QStringLiteral("09:00"));
         },
         [](QDialog *d) {
             auto *spin = d->findChild<QSpinBox *>(QStringLiteral("durationSpin"));
             spin->setFocus();
             QTest::keyClick(spin, Qt::Key_Up);
         }},
        {"standalone invoice",
         [](UiFixture &f) { return std::make_unique<ui::StandaloneInvoiceDialog>(f.context()); },
         [](QDialog *d) { typeInto(d, "invoiceAmountEdit", QStringLiteral("85")); }},
        {"void invoice",
         [](UiFixture &f) {
             return std::make_unique<ui::VoidInvoiceDialog>(f.context(), QUuid::createUuid(),
                                                            QStringLiteral("INV-1"));
         },
         [](QDialog *d) { typeInto(d, "voidReasonEdit", QStringLiteral("Wrong amount")); }},
    };
}

} // namespace

class TestDialogErrors final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void cleanup()
    {
        test::takeErrorMessages();
        if (QMessageBox *box = discardQuestion())
            box->close();
    }

    void escapeAsksOnlyWhenSomethingWasTyped()
    {
        for (const DialogCase &c : dialogCases()) {
            const char *name = c.name;
            UiFixture f;
            {
                // Nothing typed: Escape closes at once.
                const auto dialog = c.make(f);
                dialog->show();
                QVERIFY2(QTest::qWaitForWindowExposed(dialog.get()), name);
                pressEscape(dialog.get());
                QVERIFY2(!discardQuestion(), name);
                QVERIFY2(!dialog->isVisible(), name);
                QCOMPARE(dialog->result(), int(QDialog::Rejected));
            }
            {
                const auto dialog = c.make(f);
                dialog->show();
                QVERIFY2(QTest::qWaitForWindowExposed(dialog.get()), name);
                c.change(dialog.get());
                pressEscape(dialog.get());
                QMessageBox *question = discardQuestion();
                QVERIFY2(question, name);
                QCOMPARE(question->text(), QStringLiteral("Discard your changes?"));
                QVERIFY2(dialog->isVisible(), name);

                // Keep editing (also Enter or Escape on the question): the dialog stays as typed.
                QTest::keyClick(question, Qt::Key_Escape);
                QTRY_VERIFY2(!discardQuestion(), name);
                QVERIFY2(dialog->isVisible(), name);

                // The window's close asks too; Discard closes it.
                dialog->close();
                question = discardQuestion();
                QVERIFY2(question, name);
                QVERIFY2(dialog->isVisible(), name);
                auto *discard = question->findChild<QPushButton *>(QStringLiteral("discardButton"));
                QVERIFY2(discard, name);
                QTest::mouseClick(discard, Qt::LeftButton);
                QTRY_VERIFY2(!dialog->isVisible(), name);
                QCOMPARE(dialog->result(), int(QDialog::Rejected));
            }
        }
    }

    void changedBackIsNoChange()
    {
        UiFixture f;
        ui::ContactDialog dialog(f.context(), QUuid());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FIND_CHILD(name, QLineEdit, &dialog, "nameEdit");
        QTest::keyClicks(name, QStringLiteral("Da"));
        QTest::keyClick(name, Qt::Key_Backspace);
        QTest::keyClick(name, Qt::Key_Backspace);
        pressEscape(&dialog);
        QVERIFY(!discardQuestion());
        QVERIFY(!dialog.isVisible());
    }

    void errorsAreSaidUnderTheFieldInWords_data()
    {
        QTest::addColumn<QString>("dialogName");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("said"); // the start of what is said under the field
        QTest::newRow("service price") << "service"
                                       << "priceEdit"
                                       << "-5"
                                       << "Price: type an amount of zero or more ('-5' is negative)";
        QTest::newRow("service price, garbage") << "service"
                                                << "priceEdit"
                                                << "twelve"
                                                << "Price: type an amount like 12.50 ('twelve' is not one)";
        QTest::newRow("customer e-mail") << "customer"
                                         << "emailEdit"
                                         << "dana@"
                                         << "E-mail: 'dana@' is not a valid e-mail address";
        QTest::newRow("customer phone") << "customer"
                                        << "phoneEdit"
                                        << "call me"
                                        << "Phone: 'call me' is not a phone number";
        QTest::newRow("address without a city") << "address"
                                                << "streetEdit"
                                                << "4 Birch Lane"
                                                << "City: must not be empty";
        QTest::newRow("attribute value emptied") << "attribute value"
                                                 << "attributeValueEdit"
                                                 << ""
                                                 << "Gate code: ";
        QTest::newRow("invoice amount, three decimals")
            << "standalone invoice"
            << "invoiceAmountEdit"
            << "12.505"
            << "Amount: type an amount with at most two decimals, like 12.50 ('12.505' has more)";
        QTest::newRow("void without a reason") << "void invoice"
                                               << "voidReasonEdit"
                                               << "   "
                                               << "Reason: ";
    }
    void errorsAreSaidUnderTheFieldInWords()
    {
        QFETCH(QString, dialogName);
        QFETCH(QString, field);
        QFETCH(QString, typed);
        QFETCH(QString, said);
        UiFixture f;
        const auto customer = f.addCustomer();
        std::unique_ptr<QDialog> dialog;
        for (const DialogCase &c : dialogCases())
            if (dialogName == QLatin1String(c.name))
                dialog = c.make(f);
        QVERIFY(dialog);
        if (dialogName == QLatin1String("customer"))
            typeInto(dialog.get(), "nameEdit", QStringLiteral("Dana Whitfield"));
        if (dialogName == QLatin1String("service"))
            typeInto(dialog.get(), "nameEdit", QStringLiteral("Pressure washing"));
        if (dialogName == QLatin1String("void invoice")) {
            auto created = f->invoices.createStandalone(customer.contact.id, Money::fromCents(8500));
            VERIFY_OK(created);
            auto sent = f->invoices.send(created->id);
            VERIFY_OK(sent);
            dialog =
                std::make_unique<ui::VoidInvoiceDialog>(f.context(), created->id, QStringLiteral("INV-1"));
        }
        if (dialogName == QLatin1String("standalone invoice")) {
            typeInto(dialog.get(), "invoiceContactSearch", customer.contact.name);
            auto *results = dialog->findChild<QListView *>(QStringLiteral("invoiceContactResults"));
            QVERIFY(results);
            QTRY_VERIFY(results->model()->rowCount() > 0);
            results->setCurrentIndex(results->model()->index(0, 0));
        }
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        auto *edit = dialog->findChild<QLineEdit *>(field);
        QVERIFY(edit);
        edit->selectAll();
        edit->del();
        typeInto(dialog.get(), field.toLatin1().constData(), typed);
        const qsizetype invoicesBefore = f->invoices.list()->size();

        // Enter: the default button (Save, Create, OK, Void invoice).
        QPushButton *byDefault = nullptr;
        for (QPushButton *button : dialog->findChildren<QPushButton *>())
            if (button->isDefault())
                byDefault = button;
        QVERIFY(byDefault);
        QTest::mouseClick(byDefault, Qt::LeftButton);

        QCOMPARE(test::takeErrorMessages(), QStringList()); // no message box: the field says it
        const QList<QLabel *> lines = dialog->findChildren<QLabel *>();
        QString shown;
        for (QLabel *line : lines)
            if (line->objectName().endsWith(QLatin1String("Error")) && line->isVisible())
                shown += line->text();
        QVERIFY2(shown.startsWith(said), qPrintable(shown));
        QVERIFY2(!hasColumnName(shown), qPrintable(shown));
        // Still open, with what was typed, and nothing saved.
        QVERIFY(dialog->isVisible());
        QCOMPARE(edit->text(), typed);
        QCOMPARE(f->invoices.list()->size(), invoicesBefore);
        QVERIFY(f->catalog.listServices(true)->isEmpty());
        QCOMPARE(f->contacts.list()->size(), 1);
        if (QMessageBox *box = discardQuestion())
            box->close();
    }

    void newJobWithoutACustomerSaysSoAtTheCustomer()
    {
        UiFixture f;
        ui::NewTicketDialog dialog(f.context(), QDate(2030, 5, 6));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.accept();
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(error, QLabel, &dialog, "customerPickerError");
        QVERIFY(error->isVisible());
        QCOMPARE(error->text(), QStringLiteral("Customer: pick a customer from the list"));
        QVERIFY(dialog.isVisible());
    }

    void quantityZeroIsRefusedNotSavedAsOne()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto customer = f.addCustomer();
        auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                         QDateTime::currentDateTimeUtc().addSecs(3600), 60, std::nullopt});
        VERIFY_OK(ticket);
        ui::TicketPage page(f.context());
        page.showTicket(ticket->id);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(combo, QComboBox, &page, "serviceCombo");
        FIND_CHILD(quantity, QSpinBox, &page, "quantitySpin");
        FIND_CHILD(add, QPushButton, &page, "addLineItemButton");
        combo->setCurrentIndex(combo->findData(QVariant::fromValue(catalog.perUnit.id)));
        quantity->setFocus();
        quantity->selectAll();
        QTest::keyClicks(quantity, QStringLiteral("0"));
        QTest::mouseClick(add, Qt::LeftButton);

        // Said under the quick-add, next to its fields, not in a message box; the quantity has the keyboard.
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(error, QLabel, &page, "quickAddError");
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().startsWith(QStringLiteral("Quantity: type 1 or more")),
                 qPrintable(error->text()));
        QCOMPARE(QApplication::focusWidget(), quantity);
        QVERIFY(f->tickets.lineItems(ticket->id)->isEmpty());

        // The core says the same to anyone who asks (one rule, one message).
        LineItemCreate zero;
        zero.serviceId = catalog.perUnit.id;
        zero.quantity = 0;
        const auto refused = f->tickets.addLineItem(ticket->id, zero);
        QVERIFY(!refused);
        QCOMPARE(refused.error().field, QStringLiteral("quantity"));
        QVERIFY2(refused.error().message.startsWith(QStringLiteral("type 1 or more")),
                 qPrintable(refused.error().message));

        // 3 is taken as 3.
        quantity->setFocus();
        quantity->selectAll();
        QTest::keyClicks(quantity, QStringLiteral("3"));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(!error->isVisible()); // the new quantity took back what was said
        QCOMPARE(f->tickets.lineItems(ticket->id)->size(), 1);
        QCOMPARE(f->tickets.lineItems(ticket->id)->first().quantity, 3);
    }
};

QTEST_MAIN(TestDialogErrors)
#include "test_dialog_errors.moc"
