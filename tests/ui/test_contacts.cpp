// ContactDialog and ContactsPage driven as a user would: key clicks into the fields, clicks on the buttons,
// and the result read back through the core's services.

#include "contacts/addressdialog.h"
#include "contacts/contactdialog.h"
#include "contacts/contactspage.h"
#include "support/uitestsupport.h"

#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;
using fb::test::UiFixture;

namespace {

struct AddressInput
{
    QString label, street, city, state, zip;
};

/// Adds an address through the address editor the way a user does: Add, type, OK.
bool addAddressThroughEditor(QDialog *contactDialog, const AddressInput &input)
{
    auto *add = contactDialog->findChild<QPushButton *>(QStringLiteral("addAddressButton"));
    if (!add)
        return false;
    QTest::mouseClick(add, Qt::LeftButton);
    auto *editor = test::waitForTopLevel<ui::AddressDialog>(QStringLiteral("addressDialog"));
    if (!editor)
        return false;
    const std::pair<const char *, QString> fields[] = {{"labelEdit", input.label},
                                                       {"streetEdit", input.street},
                                                       {"cityEdit", input.city},
                                                       {"stateEdit", input.state},
                                                       {"zipEdit", input.zip}};
    for (const auto &[name, text] : fields) {
        auto *edit = editor->findChild<QLineEdit *>(QLatin1String(name));
        if (!edit)
            return false;
        QTest::keyClicks(edit, text);
    }
    QTest::mouseClick(editor->findChild<QPushButton *>(QStringLiteral("addressOkButton")), Qt::LeftButton);
    return true;
}

QStringList column(QAbstractItemModel *model, int column)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data().toString();
    return texts;
}

} // namespace

class TestContacts final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup()
    {
        // No dialog or message box of one test may linger into the next.
        test::takeErrorMessages();
    }

    void createCustomerWithAddress()
    {
        UiFixture f;
        ui::ContactDialog dialog(f.context(), {});
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FIND_CHILD(name, QLineEdit, &dialog, "nameEdit");
        FIND_CHILD(email, QLineEdit, &dialog, "emailEdit");
        FIND_CHILD(phone, QLineEdit, &dialog, "phoneEdit");
        FIND_CHILD(addresses, QListView, &dialog, "addressesView");
        FIND_CHILD(hint, QLabel, &dialog, "addressHint");
        FIND_CHILD(save, QPushButton, &dialog, "saveButton");

        QTest::keyClicks(name, QStringLiteral("Dana Whitfield"));
        QTest::keyClicks(email, QStringLiteral("dana@example.com"));
        QTest::keyClicks(phone, QStringLiteral("555-0142"));
        // A new customer without an address cannot be booked: the dialog says so until one is added.
        QVERIFY(hint->isVisible());
        QVERIFY(addAddressThroughEditor(&dialog, {QStringLiteral("Home"), QStringLiteral("4 Birch Lane"),
                                                  QStringLiteral("Shelbyville"), QStringLiteral("IL"),
                                                  QStringLiteral("62565")}));
        QTRY_VERIFY(!test::visibleTopLevel<ui::AddressDialog>(QStringLiteral("addressDialog")));
        QCOMPARE(addresses->model()->rowCount(), 1);
        QCOMPARE(addresses->model()->index(0, 0).data().toString(),
                 QStringLiteral("Home: 4 Birch Lane, Shelbyville, IL 62565"));
        QVERIFY(!hint->isVisible());
        // Nothing is written before Save.
        VERIFY_OK(f->contacts.list());
        QVERIFY(f->contacts.list()->isEmpty());

        QSignalSpy changed(&f->changes(), &ChangeFeed::changed);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(test::announced(changed, QStringLiteral("contact")), 1);

        auto saved = f->contacts.getWithAddresses(dialog.contactId());
        VERIFY_OK(saved);
        QCOMPARE(saved->contact.name, QStringLiteral("Dana Whitfield"));
        QCOMPARE(saved->contact.email.value_or(QString()), QStringLiteral("dana@example.com"));
        QCOMPARE(saved->contact.phone.value_or(QString()), QStringLiteral("555-0142"));
        QCOMPARE(saved->addresses.size(), 1);
        const Address &address = saved->addresses.first();
        QCOMPARE(address.label.value_or(QString()), QStringLiteral("Home"));
        QCOMPARE(address.oneLine(), QStringLiteral("4 Birch Lane, Shelbyville, IL 62565"));
    }

    void badInputNamesTheFieldAndSavesNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("phone");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad e-mail") << "Dana Whitfield"
                                    << "dana@example"
                                    << ""
                                    << "email";
        QTest::newRow("e-mail with a space") << "Dana Whitfield"
                                             << "dana @example.com"
                                             << ""
                                             << "email";
        QTest::newRow("no name") << ""
                                 << "dana@example.com"
                                 << ""
                                 << "name";
        QTest::newRow("only spaces for a name") << "   "
                                                << ""
                                                << ""
                                                << "name";
        QTest::newRow("bad phone") << "Dana Whitfield"
                                   << ""
                                   << "call me"
                                   << "phone";
    }
    void badInputNamesTheFieldAndSavesNothing()
    {
        QFETCH(QString, name);
        QFETCH(QString, email);
        QFETCH(QString, phone);
        QFETCH(QString, field);
        UiFixture f;
        ui::ContactDialog dialog(f.context(), {});
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FIND_CHILD(nameEdit, QLineEdit, &dialog, "nameEdit");
        FIND_CHILD(emailEdit, QLineEdit, &dialog, "emailEdit");
        FIND_CHILD(phoneEdit, QLineEdit, &dialog, "phoneEdit");
        FIND_CHILD(save, QPushButton, &dialog, "saveButton");
        QTest::keyClicks(nameEdit, name);
        QTest::keyClicks(emailEdit, email);
        QTest::keyClicks(phoneEdit, phone);
        QVERIFY(addAddressThroughEditor(&dialog, {{},
                                                  QStringLiteral("4 Birch Lane"),
                                                  QStringLiteral("Shelbyville"),
                                                  QStringLiteral("IL"),
                                                  QStringLiteral("62565")}));
        QTRY_VERIFY(!test::visibleTopLevel<ui::AddressDialog>(QStringLiteral("addressDialog")));
        QSignalSpy changed(&f->changes(), &ChangeFeed::changed);
        const qint64 auditBefore = scalar(f, QStringLiteral("SELECT count(*) FROM audit_log"));

        QTest::mouseClick(save, Qt::LeftButton);
        // Said under the field, in words (issue 15): "E-mail: ...", not a message box naming a column.
        QCOMPARE(test::takeErrorMessages(), QStringList());
        const QHash<QString, QString> words{{QStringLiteral("email"), QStringLiteral("E-mail")},
                                            {QStringLiteral("name"), QStringLiteral("Name")},
                                            {QStringLiteral("phone"), QStringLiteral("Phone")}};
        auto *line = dialog.findChild<QLabel *>(field + QStringLiteral("EditError"));
        QVERIFY(line && line->isVisible());
        QVERIFY2(line->text().startsWith(words.value(field) + QStringLiteral(": ")),
                 qPrintable(line->text()));
        QCOMPARE(dialog.focusWidget(), dialog.findChild<QWidget *>(field + QStringLiteral("Edit")));
        // Still open with what was typed, and nothing stored: neither the customer nor the address.
        QVERIFY(dialog.isVisible());
        QCOMPARE(nameEdit->text(), name);
        QVERIFY(f->contacts.list()->isEmpty());
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.addresses")), 0);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")), auditBefore);
        QCOMPARE(changed.count(), 0);

        // Corrected, it saves.
        nameEdit->clear();
        emailEdit->clear();
        phoneEdit->clear();
        QTest::keyClicks(nameEdit, QStringLiteral("Dana Whitfield"));
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(!dialog.isVisible());
        QCOMPARE(f->contacts.list()->size(), 1);
        QCOMPARE(f->addresses.listForContact(dialog.contactId())->size(), 1);
    }

    void incompleteAddressIsNamedInTheEditor()
    {
        UiFixture f;
        ui::ContactDialog dialog(f.context(), {});
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(addAddressThroughEditor(&dialog, {{},
                                                  QStringLiteral("4 Birch Lane"),
                                                  QStringLiteral("Shelbyville"),
                                                  QStringLiteral("IL"),
                                                  QString()}));
        QCOMPARE(test::takeErrorMessages(), QStringList());
        // The editor stays open to finish the address, saying what is missing under the field; nothing was
        // added.
        auto *editor = test::visibleTopLevel<ui::AddressDialog>(QStringLiteral("addressDialog"));
        QVERIFY(editor);
        FIND_CHILD(zipError, QLabel, editor, "zipEditError");
        QVERIFY(zipError->isVisible());
        QCOMPARE(zipError->text(), QStringLiteral("ZIP: must not be empty"));
        FIND_CHILD(addresses, QListView, &dialog, "addressesView");
        QCOMPARE(addresses->model()->rowCount(), 0);
        FIND_CHILD(zip, QLineEdit, editor, "zipEdit");
        QTest::keyClicks(zip, QStringLiteral("62565"));
        QTest::keyClick(zip, Qt::Key_Return);
        QTRY_VERIFY(!test::visibleTopLevel<ui::AddressDialog>(QStringLiteral("addressDialog")));
        QCOMPARE(addresses->model()->rowCount(), 1);
    }

    void editName()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        ui::ContactDialog dialog(f.context(), customer.contact.id);
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FIND_CHILD(name, QLineEdit, &dialog, "nameEdit");
        FIND_CHILD(addresses, QListView, &dialog, "addressesView");
        QCOMPARE(name->text(), QStringLiteral("Margaret Hill"));
        QCOMPARE(addresses->model()->rowCount(), 1);

        QTest::keyClick(name, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(name, QStringLiteral("Margaret Hill-Moreno"));
        QTest::keyClick(name, Qt::Key_Return); // Save is the default button
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.contactId(), customer.contact.id);

        auto saved = f->contacts.getWithAddresses(customer.contact.id);
        VERIFY_OK(saved);
        QCOMPARE(saved->contact.name, QStringLiteral("Margaret Hill-Moreno"));
        QCOMPARE(saved->contact.email, customer.contact.email);
        QCOMPARE(saved->addresses.size(), 1);
        QCOMPARE(saved->addresses.first().id, customer.address.id);
        // One audited change: the name (the untouched address is not rewritten).
        auto history = f->audit().entityHistory(QStringLiteral("contact"), customer.contact.id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 2);
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM audit_log WHERE entity_type = 'address'")),
                 1);
    }

    void refusedAddressRemovalTakesBackTheWholeSave()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        TicketCreate ticket;
        ticket.contactId = customer.contact.id;
        ticket.addressId = customer.address.id;
        ticket.scheduledAt = QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc());
        VERIFY_OK(f->tickets.create(ticket));

        ui::ContactDialog dialog(f.context(), customer.contact.id);
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FIND_CHILD(name, QLineEdit, &dialog, "nameEdit");
        FIND_CHILD(addresses, QListView, &dialog, "addressesView");
        FIND_CHILD(remove, QPushButton, &dialog, "removeAddressButton");
        FIND_CHILD(save, QPushButton, &dialog, "saveButton");
        QTest::keyClick(name, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(name, QStringLiteral("Renamed"));
        addresses->setCurrentIndex(addresses->model()->index(0, 0));
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(addresses->model()->rowCount(), 0);

        QTest::mouseClick(save, Qt::LeftButton);
        const QStringList errors = test::takeErrorMessages();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("ticket")), qPrintable(errors.first()));
        QVERIFY(dialog.isVisible());
        // The address is back in the list, selected, with the reason under it; the rename went back with the
        // refused removal.
        QCOMPARE(addresses->model()->rowCount(), 1);
        QCOMPARE(addresses->currentIndex().row(), 0);
        FIND_CHILD(addressError, QLabel, &dialog, "addressError");
        QVERIFY(addressError->isVisible());
        QVERIFY2(addressError->text().contains(QStringLiteral("used by 1 ticket")),
                 qPrintable(addressError->text()));
        QCOMPARE(f->contacts.getById(customer.contact.id)->name, QStringLiteral("Margaret Hill"));
        QCOMPARE(f->addresses.listForContact(customer.contact.id)->size(), 1);

        // Without the removal, the rename saves.
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(!dialog.isVisible());
        QCOMPARE(f->contacts.getById(customer.contact.id)->name, QStringLiteral("Renamed"));
    }

    void searchFiltersWhileTyping()
    {
        UiFixture f;
        f.addCustomer(QStringLiteral("Margaret Hill"));
        f.addCustomer(QStringLiteral("Tomas Ruiz"));
        auto priya = f->contacts.create({QStringLiteral("Priya Natarajan"), {}, {}, {}});
        VERIFY_OK(priya);
        AddressCreate address;
        address.contactId = priya->id;
        address.street = QStringLiteral("88 Quarry Road");
        address.city = QStringLiteral("Capital City");
        address.state = QStringLiteral("IL");
        address.zip = QStringLiteral("62702");
        VERIFY_OK(f->addresses.create(address));

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        FIND_CHILD(list, QTableView, &page, "contactsView");
        QCOMPARE(list->model()->rowCount(), 3);

        // Searches answer from the read thread: the list follows within moments.
        QTest::keyClicks(search, QStringLiteral("Tom"));
        QTRY_COMPARE(column(list->model(), 0), QStringList{QStringLiteral("Tomas Ruiz")});
        // Addresses are searched too.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("quarry"));
        QTRY_COMPARE(column(list->model(), 0), QStringList{QStringLiteral("Priya Natarajan")});
        QTest::keyClicks(search, QStringLiteral("zzz"));
        QTRY_COMPARE(list->model()->rowCount(), 0);
        // Erasing the search brings the whole list back.
        for (int i = 0; i < 9; ++i)
            QTest::keyClick(search, Qt::Key_Backspace);
        QCOMPARE(search->text(), QString());
        QCOMPARE(list->model()->rowCount(), 3);
    }

    void detailShowsAddressesAttributesAndOpensTickets()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        f.addCustomer(QStringLiteral("Tomas Ruiz"));
        AttributeCreate attribute;
        attribute.contactId = customer.contact.id;
        attribute.key = QStringLiteral("gate_code");
        attribute.value = QStringLiteral("4312");
        VERIFY_OK(f->attributes.setAttribute(attribute));
        TicketCreate ticket;
        ticket.contactId = customer.contact.id;
        ticket.addressId = customer.address.id;
        ticket.scheduledAt = QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc());
        auto created = f->tickets.create(ticket);
        VERIFY_OK(created);

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        // The main window's global search lands here: the search field is cleared to show the customer.
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        QTest::keyClicks(search, QStringLiteral("Tomas"));
        page.showContact(customer.contact.id);
        QCOMPARE(page.currentContactId(), customer.contact.id);
        // The search typed just before answers from the read thread: its answer no longer counts.
        QVERIFY(test::drainReads(f.context()));
        QCOMPARE(search->text(), QString());
        QCOMPARE(page.currentContactId(), customer.contact.id);
        FIND_CHILD(name, QLabel, &page, "contactNameLabel");
        FIND_CHILD(addresses, QListView, &page, "contactAddressesView");
        FIND_CHILD(attributes, QTableView, &page, "attributesView");
        FIND_CHILD(tickets, QTableView, &page, "contactTicketsView");
        QVERIFY(name->isVisible());
        QCOMPARE(name->text(), QStringLiteral("Margaret Hill"));
        QCOMPARE(addresses->model()->index(0, 0).data().toString(),
                 QStringLiteral("Home: 12 Elm Street, Springfield, IL 62701"));
        QCOMPARE(attributes->model()->index(0, 0).data().toString(), QStringLiteral("Gate code"));
        QCOMPARE(attributes->model()->index(0, 1).data().toString(), QStringLiteral("4312"));
        QCOMPARE(tickets->model()->rowCount(), 1);
        QCOMPARE(tickets->model()->index(0, 1).data().toString(), QStringLiteral("Scheduled"));

        QSignalSpy open(&f.context(), &ui::UiContext::openTicketRequested);
        FIND_CHILD(tabs, QTabWidget, &page, "contactTabs");
        FIND_CHILD(ticketsTab, QWidget, &page, "ticketsTab");
        QCOMPARE(tabs->tabText(tabs->indexOf(ticketsTab)), QStringLiteral("&Tickets (1)"));
        QTest::keyClick(&page, Qt::Key_T, Qt::AltModifier);
        QCOMPARE(tabs->currentWidget(), ticketsTab);
        tickets->setFocus();
        tickets->setCurrentIndex(tickets->model()->index(0, 0));
        QTest::keyClick(tickets, Qt::Key_Return);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toUuid(), created->id);
    }

    void newCustomerFromThePage()
    {
        UiFixture f;
        f.addCustomer(QStringLiteral("Margaret Hill"));
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");

        // Ctrl+Shift+N (Ctrl+N is the main window's New ticket).
        QTest::keyClick(&page, Qt::Key_N, Qt::ControlModifier | Qt::ShiftModifier);
        auto *dialog = test::waitForTopLevel<ui::ContactDialog>(QStringLiteral("contactDialog"));
        QVERIFY(dialog);
        FIND_CHILD(name, QLineEdit, dialog, "nameEdit");
        QTest::keyClicks(name, QStringLiteral("Dana Whitfield"));
        QVERIFY(addAddressThroughEditor(dialog, {{},
                                                 QStringLiteral("4 Birch Lane"),
                                                 QStringLiteral("Shelbyville"),
                                                 QStringLiteral("IL"),
                                                 QStringLiteral("62565")}));
        QTRY_VERIFY(!test::visibleTopLevel<ui::AddressDialog>(QStringLiteral("addressDialog")));
        FIND_CHILD(save, QPushButton, dialog, "saveButton");
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<ui::ContactDialog>(QStringLiteral("contactDialog")));

        // The list reloaded and the new customer is the one shown.
        QCOMPARE(list->model()->rowCount(), 2);
        auto found = f->contacts.search(QStringLiteral("Dana"));
        VERIFY_OK(found);
        QCOMPARE(found->size(), 1);
        QCOMPARE(page.currentContactId(), found->first().id);
    }

    void editFromTheListWithEnter()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        FIND_CHILD(list, QTableView, &page, "contactsView");
        // Down from the search field picks the first customer; Enter edits it.
        QTest::keyClick(search, Qt::Key_Down);
        QCOMPARE(page.currentContactId(), customer.contact.id);
        QTest::keyClick(list, Qt::Key_Return);
        auto *dialog = test::waitForTopLevel<ui::ContactDialog>(QStringLiteral("contactDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->contactId(), customer.contact.id);
        FIND_CHILD(phone, QLineEdit, dialog, "phoneEdit");
        QCOMPARE(phone->text(), QStringLiteral("555-0100"));
        phone->clear();
        QTest::keyClicks(phone, QStringLiteral("555-0199"));
        FIND_CHILD(save, QPushButton, dialog, "saveButton");
        QTest::mouseClick(save, Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<ui::ContactDialog>(QStringLiteral("contactDialog")));
        QCOMPARE(f->contacts.getById(customer.contact.id)->phone.value_or(QString()),
                 QStringLiteral("555-0199"));
        QCOMPARE(list->model()->index(0, 1).data().toString(), QStringLiteral("555-0199"));
    }

    void reloadsOnDataChanged()
    {
        UiFixture f;
        ui::ContactsPage page(f.context());
        FIND_CHILD(list, QTableView, &page, "contactsView");
        QCOMPARE(list->model()->rowCount(), 0);
        f.addCustomer(QStringLiteral("Margaret Hill"));
        QCOMPARE(list->model()->rowCount(), 1);
    }
};

QTEST_MAIN(TestContacts)
#include "test_contacts.moc"
