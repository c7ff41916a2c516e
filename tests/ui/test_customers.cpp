// The customers screen (issue 6, part 1) driven as a user would: typing a search, ticking filters, reviewing
// suggested attributes, editing the profile, adding a note and deleting a customer, each result read back
// through the core's services.

#include "contacts/attributevaluedialog.h"
#include "contacts/contactlistmodel.h"
#include "contacts/contactspage.h"
#include "history/historywidget.h"
#include "support/fakellmclient.h"
#include "support/uitestsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::UiFixture;

namespace {

const QString kNotes = QStringLiteral("New gate code 4312. Dog named Biscuit. Needs a ladder for the back.");
const QString kAnswer = QStringLiteral("{\"pet\": {\"type\": \"dog\", \"name\": \"Biscuit\"}, "
                                       "\"gate_code\": \"4312\", \"ladder_needed\": true}");

Contact addCustomerAt(UiFixture &f, const QString &name, const QString &street, const QString &city)
{
    auto contact = f->contacts.create({name, {}, {}, {}});
    if (!contact)
        qFatal("cannot create %s", qPrintable(name));
    AddressCreate address;
    address.contactId = contact->id;
    address.street = street;
    address.city = city;
    address.state = QStringLiteral("IL");
    address.zip = QStringLiteral("62565");
    if (!f->addresses.create(address))
        qFatal("cannot add an address");
    return *contact;
}

Ticket book(UiFixture &f, const test::CoreFixture::Customer &customer, const QDateTime &at)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id, at, 60, std::nullopt});
    if (!ticket)
        qFatal("cannot book: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

void complete(UiFixture &f, const Ticket &ticket)
{
    if (!f->tickets.clockIn(ticket.id) || !f->tickets.initiateCloseOut(ticket.id, 60, std::nullopt) ||
        !f->tickets.finalizeCloseOut(ticket.id, {}, NextServiceAction::NoFollowup))
        qFatal("cannot complete a ticket");
}

void setAttribute(UiFixture &f, const QUuid &contactId, const QString &key, const QJsonValue &value)
{
    if (!f->attributes.setAttribute({contactId, key, value, {}}))
        qFatal("cannot set %s", qPrintable(key));
}

/// A close-out without a model queues its notes; the queue's pass (with a fake model) turns the answer into
/// suggestions, as the sync worker does once the model can be reached. Returns the close-out's note.
QUuid suggestFromCloseOut(UiFixture &f, const test::CoreFixture::Customer &customer)
{
    const Ticket ticket = book(f, customer, QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc()));
    auto closeOut = f->tickets.initiateCloseOut(ticket.id, 45, kNotes);
    if (!closeOut || closeOut->extraction.state != ExtractionOutcome::State::Queued)
        qFatal("the close-out did not queue its notes");
    test::FakeLlmClient llm;
    llm.answerWith(kAnswer);
    bool done = false;
    f->extractionQueue.runPending(llm, [&done](const ExtractionRunSummary &) { done = true; });
    if (!QTest::qWaitFor([&] { return done; }) || f->extractionQueue.openSuggestions()->size() != 3)
        qFatal("the queue made no suggestions");
    return closeOut->noteId;
}

QStringList column(QAbstractItemModel *model, int column)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data().toString();
    return texts;
}

/// Selects the row whose first column reads `text`; false when there is none.
bool selectRow(QAbstractItemView *view, const QString &text)
{
    const int row = int(column(view->model(), 0).indexOf(text));
    if (row < 0)
        return false;
    view->setCurrentIndex(view->model()->index(row, 0));
    return true;
}

QJsonValue attribute(UiFixture &f, const QUuid &contactId, const QString &key)
{
    auto attributes = f->attributes.getAttributes(contactId);
    if (!attributes)
        return QJsonValue::Undefined;
    for (const Attribute &a : *attributes) {
        if (a.key == key)
            return a.value;
    }
    return QJsonValue::Undefined;
}

} // namespace

class TestCustomers final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Money and dates read the same on every machine; a test that wants another locale sets it itself.
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void cleanup()
    {
        // No dialog or message box of one test may linger into the next.
        test::takeErrorMessages();
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (qobject_cast<QDialog *>(w) && w->isVisible())
                w->close();
        }
    }

    void searchFindsACustomerWhileTyping()
    {
        UiFixture f;
        addCustomerAt(f, QStringLiteral("Margaret Hill"), QStringLiteral("4 Birch Lane"),
                      QStringLiteral("Shelbyville"));
        addCustomerAt(f, QStringLiteral("Marcus Reed"), QStringLiteral("88 Quarry Road"),
                      QStringLiteral("Capital City"));
        addCustomerAt(f, QStringLiteral("Tomas Ruiz"), QStringLiteral("7 Oak Court"),
                      QStringLiteral("Ogdenville"));
        addCustomerAt(f, QStringLiteral("Priya Natarajan"), QStringLiteral("19 Pine Row"),
                      QStringLiteral("North Haverbrook"));

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        FIND_CHILD(list, QTableView, &page, "contactsView");
        FIND_CHILD(status, QLabel, &page, "contactsStatus");
        QCOMPARE(list->model()->rowCount(), 4);
        QVERIFY(search->hasFocus());

        // Every keystroke narrows the list (from the read thread, within moments), in name order: no Enter.
        const QList<std::pair<QChar, QStringList>> steps = {
            {QLatin1Char('M'),
             {QStringLiteral("Marcus Reed"), QStringLiteral("Margaret Hill"), QStringLiteral("Tomas Ruiz")}},
            {QLatin1Char('a'),
             {QStringLiteral("Marcus Reed"), QStringLiteral("Margaret Hill"), QStringLiteral("Tomas Ruiz")}},
            {QLatin1Char('r'), {QStringLiteral("Marcus Reed"), QStringLiteral("Margaret Hill")}},
            {QLatin1Char('g'), {QStringLiteral("Margaret Hill")}},
        };
        for (const auto &[key, expected] : steps) {
            QTest::keyClicks(search, QString(key));
            QTRY_COMPARE(column(list->model(), 0), expected);
        }
        QTRY_COMPARE(status->text(), QStringLiteral("1 found"));

        // Down picks the customer; their page shows beside the list.
        QTest::keyClick(search, Qt::Key_Down);
        QVERIFY(list->hasFocus());
        FIND_CHILD(name, QLabel, &page, "contactNameLabel");
        QVERIFY(name->isVisible());
        QCOMPARE(name->text(), QStringLiteral("Margaret Hill"));

        // Addresses are searched too, and a miss says so.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("quarry"));
        QTRY_COMPARE(column(list->model(), 0), QStringList{QStringLiteral("Marcus Reed")});
        QTest::keyClicks(search, QStringLiteral("x"));
        QTRY_COMPARE(status->text(), QStringLiteral("No customer matches \u201cquarryx\u201d."));
        QCOMPARE(list->model()->rowCount(), 0);
    }

    void filtersShowOnlyOpenTicketsOrUnpaidInvoices()
    {
        UiFixture f;
        const auto ann = f.addCustomer(QStringLiteral("Ann Booked"));
        const auto bill = f.addCustomer(QStringLiteral("Bill Owes"));
        const auto cal = f.addCustomer(QStringLiteral("Cal Settled"));
        const auto dee = f.addCustomer(QStringLiteral("Dee Drafted"));
        const QDateTime day(QDate(2030, 5, 6), QTime(9, 0), QTimeZone::utc());
        book(f, ann, day);
        auto owed = f->invoices.createStandalone(bill.contact.id, Money::fromCents(12000));
        VERIFY_OK(owed);
        VERIFY_OK(f->invoices.send(owed->id));
        // Settled: a cancelled ticket, a completed one and a paid invoice; drafted: an invoice not sent yet.
        VERIFY_OK(f->tickets.cancel(book(f, cal, day).id));
        complete(f, book(f, cal, day.addDays(-7)));
        auto paid = f->invoices.createStandalone(cal.contact.id, Money::fromCents(5000));
        VERIFY_OK(paid);
        VERIFY_OK(f->invoices.send(paid->id));
        VERIFY_OK(f->invoices.markPaid(paid->id));
        VERIFY_OK(f->invoices.createStandalone(dee.contact.id, Money::fromCents(7000)));

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");
        FIND_CHILD(openTickets, QCheckBox, &page, "openTicketsFilter");
        FIND_CHILD(unpaid, QCheckBox, &page, "unpaidInvoicesFilter");
        FIND_CHILD(status, QLabel, &page, "contactsStatus");
        FIND_CHILD(search, QLineEdit, &page, "contactSearch");
        QCOMPARE(list->model()->rowCount(), 4);

        QTest::mouseClick(openTickets, Qt::LeftButton);
        QVERIFY(openTickets->isChecked());
        // A filter answers from the read thread: the list follows within moments.
        QTRY_COMPARE(column(list->model(), 0), QStringList{QStringLiteral("Ann Booked")});
        QCOMPARE(status->text(), QStringLiteral("1 customer with open tickets"));

        QTest::mouseClick(openTickets, Qt::LeftButton);
        QTest::mouseClick(unpaid, Qt::LeftButton);
        QTRY_COMPARE(column(list->model(), 0), QStringList{QStringLiteral("Bill Owes")});
        // The tooltip says what is owed.
        QVERIFY2(list->model()
                     ->index(0, 0)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .contains(QStringLiteral("1 unpaid invoice")),
                 qPrintable(list->model()->index(0, 0).data(Qt::ToolTipRole).toString()));

        // Both: nobody has both.
        QTest::mouseClick(openTickets, Qt::LeftButton);
        QTRY_COMPARE(status->text(), QStringLiteral("No customer with open tickets and unpaid invoices."));
        QCOMPARE(list->model()->rowCount(), 0);

        // With a search: the filter still applies to what the search finds.
        QTest::mouseClick(openTickets, Qt::LeftButton);
        QTest::keyClicks(search, QStringLiteral("Ann"));
        QTRY_COMPARE(status->text(),
                     QStringLiteral("No customer with unpaid invoices matches \u201cAnn\u201d."));
        QCOMPARE(list->model()->rowCount(), 0);
        search->clear();
        QTest::keyClicks(search, QStringLiteral("Bill"));
        QTRY_COMPARE(column(list->model(), 0), QStringList{QStringLiteral("Bill Owes")});

        // The filter follows the data: once paid, Bill leaves the unpaid list.
        search->clear();
        VERIFY_OK(f->invoices.markPaid(owed->id));
        QTRY_COMPARE(status->text(), QStringLiteral("No customer with unpaid invoices."));
        QCOMPARE(list->model()->rowCount(), 0);

        // Off again: everyone.
        QTest::mouseClick(unpaid, Qt::LeftButton);
        QCOMPARE(list->model()->rowCount(), 4);
    }

    void sortsByNameLastVisitAndSince()
    {
        UiFixture f;
        const auto zoe = f.addCustomer(QStringLiteral("Zoe Early"));
        const auto adam = f.addCustomer(QStringLiteral("adam Recent")); // sorting ignores case
        f.addCustomer(QStringLiteral("Mia Never"));
        complete(f, book(f, zoe, QDateTime(QDate(2030, 5, 1), QTime(9, 0), QTimeZone::utc())));
        complete(f, book(f, adam, QDateTime(QDate(2030, 6, 1), QTime(9, 0), QTimeZone::utc())));

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");
        FIND_CHILD(sort, QComboBox, &page, "contactSort");
        const QStringList byName{QStringLiteral("adam Recent"), QStringLiteral("Mia Never"),
                                 QStringLiteral("Zoe Early")};
        QCOMPARE(column(list->model(), 0), byName);
        // Last visit: adam's date, none for Mia.
        QVERIFY(!list->model()->index(0, ui::ContactListModel::LastVisit).data().toString().isEmpty());
        QCOMPARE(list->model()->index(1, ui::ContactListModel::LastVisit).data().toString(), QString());

        sort->setFocus();
        QTest::keyClick(sort, Qt::Key_Down);
        QCOMPARE(sort->currentIndex(), 1);
        QCOMPARE(column(list->model(), 0),
                 (QStringList{QStringLiteral("adam Recent"), QStringLiteral("Zoe Early"),
                              QStringLiteral("Mia Never")}));
        QTest::keyClick(sort, Qt::Key_Down);
        QCOMPARE(column(list->model(), 0),
                 (QStringList{QStringLiteral("Mia Never"), QStringLiteral("adam Recent"),
                              QStringLiteral("Zoe Early")}));
        // The order survives a reload.
        QCOMPARE(column(list->model(), 0).first(), QStringLiteral("Mia Never"));
        QTest::keyClick(sort, Qt::Key_Home);
        QCOMPARE(column(list->model(), 0), byName);
    }

    void acceptingASuggestionSavesItAsAConfirmedAttribute()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        setAttribute(f, customer.contact.id, QStringLiteral("gate_code"), QStringLiteral("1111"));
        const QUuid noteId = suggestFromCloseOut(f, customer);

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.showContact(customer.contact.id);
        FIND_CHILD(suggestions, QTableView, &page, "suggestionsView");
        FIND_CHILD(attributes, QTableView, &page, "attributesView");
        FIND_CHILD(accept, QPushButton, &page, "acceptSuggestionButton");
        FIND_CHILD(tabs, QTabWidget, &page, "contactTabs");
        QVERIFY(suggestions->isVisible());
        QCOMPARE(tabs->tabText(0), QStringLiteral("&Profile (3 to review)"));
        QCOMPARE(column(suggestions->model(), 0),
                 (QStringList{QStringLiteral("Gate code"), QStringLiteral("Ladder needed"),
                              QStringLiteral("Pet")}));
        // The saved value beside the suggestion that would replace it.
        QCOMPARE(suggestions->model()->index(0, 1).data().toString(), QStringLiteral("1111 \u2192 4312"));
        QCOMPARE(suggestions->model()->index(1, 1).data().toString(), QStringLiteral("yes"));
        QVERIFY(!accept->isEnabled()); // nothing selected yet

        QSignalSpy changed(&f->changes(), &ChangeFeed::changed);
        QVERIFY(selectRow(suggestions, QStringLiteral("Gate code")));
        QVERIFY(accept->isEnabled());
        QTest::mouseClick(accept, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QCOMPARE(test::announced(changed, QStringLiteral("attribute")), 1);
        QCOMPARE(attribute(f, customer.contact.id, QStringLiteral("gate_code")),
                 QJsonValue(QStringLiteral("4312")));
        auto saved = f->attributes.getAttributes(customer.contact.id);
        VERIFY_OK(saved);
        QCOMPARE(saved->first().sourceNoteId, noteId); // linked to the close-out's note
        QCOMPARE(column(suggestions->model(), 0),
                 (QStringList{QStringLiteral("Ladder needed"), QStringLiteral("Pet")}));
        QVERIFY(column(attributes->model(), 1).contains(QStringLiteral("4312")));
        QCOMPARE(tabs->tabText(0), QStringLiteral("&Profile (2 to review)"));

        // The next one is selected: Enter accepts it from the keyboard.
        QCOMPARE(suggestions->currentIndex().row(), 0);
        suggestions->setFocus();
        QTest::keyClick(suggestions, Qt::Key_Return);
        QCOMPARE(attribute(f, customer.contact.id, QStringLiteral("ladder_needed")), QJsonValue(true));
        QCOMPARE(f->extractionQueue.openSuggestions(customer.contact.id)->size(), 1);
        QCOMPARE(column(suggestions->model(), 0), QStringList{QStringLiteral("Pet")});
    }

    void editingASuggestionSavesTheEditedValue()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        setAttribute(f, customer.contact.id, QStringLiteral("gate_code"), QStringLiteral("1111"));
        suggestFromCloseOut(f, customer);
        const auto before = f->extractionQueue.openSuggestions(customer.contact.id);
        VERIFY_OK(before);

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.showContact(customer.contact.id);
        FIND_CHILD(suggestions, QTableView, &page, "suggestionsView");
        FIND_CHILD(edit, QPushButton, &page, "editSuggestionButton");
        QVERIFY(selectRow(suggestions, QStringLiteral("Gate code")));
        const QUuid suggestionId = before->first().id;
        QCOMPARE(before->first().key, QStringLiteral("gate_code"));

        QTest::mouseClick(edit, Qt::LeftButton);
        auto *dialog =
            test::waitForTopLevel<ui::AttributeValueDialog>(QStringLiteral("attributeValueDialog"));
        QVERIFY(dialog);
        FIND_CHILD(value, QLineEdit, dialog, "attributeValueEdit");
        FIND_CHILD(current, QLabel, dialog, "attributeCurrentValue");
        QCOMPARE(value->text(), QStringLiteral("4312"));
        QCOMPARE(current->text(), QStringLiteral("1111"));

        // An empty value is refused by name and nothing is saved; the dialog stays open to correct it.
        value->clear();
        QTest::keyClick(value, Qt::Key_Return);
        // Said under the field in words (issue 15): the detail's name, not its key.
        QCOMPARE(test::takeErrorMessages(), QStringList());
        FIND_CHILD(valueError, QLabel, dialog, "attributeValueEditError");
        QVERIFY(valueError->isVisible());
        QCOMPARE(valueError->text(), QStringLiteral("Gate code: must not be empty"));
        QVERIFY(dialog->isVisible());
        QCOMPARE(attribute(f, customer.contact.id, QStringLiteral("gate_code")),
                 QJsonValue(QStringLiteral("1111")));

        QTest::keyClicks(value, QStringLiteral("0429"));
        QTest::keyClick(value, Qt::Key_Return);
        QTRY_VERIFY(!test::visibleTopLevel<ui::AttributeValueDialog>(QStringLiteral("attributeValueDialog")));
        QCOMPARE(test::takeErrorMessages(), QStringList());
        // Typed digits stay text: a gate code keeps its leading zero.
        QCOMPARE(attribute(f, customer.contact.id, QStringLiteral("gate_code")),
                 QJsonValue(QStringLiteral("0429")));
        auto decided = f->extractionQueue.suggestion(suggestionId);
        VERIFY_OK(decided);
        QCOMPARE(toString(decided->status), toString(SuggestionStatus::Edited));
        QVERIFY(!column(suggestions->model(), 0).contains(QStringLiteral("Gate code")));
    }

    void rejectingASuggestionSavesNothing()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        suggestFromCloseOut(f, customer);

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.showContact(customer.contact.id);
        FIND_CHILD(suggestions, QTableView, &page, "suggestionsView");
        FIND_CHILD(reject, QPushButton, &page, "rejectSuggestionButton");
        FIND_CHILD(attributes, QTableView, &page, "attributesView");
        const qint64 attributesBefore =
            test::scalar(f, QStringLiteral("SELECT count(*) FROM main.attributes"));
        QCOMPARE(attributesBefore, 0);

        QVERIFY(selectRow(suggestions, QStringLiteral("Pet")));
        QTest::mouseClick(reject, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QCOMPARE(column(suggestions->model(), 0),
                 (QStringList{QStringLiteral("Gate code"), QStringLiteral("Ladder needed")}));
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM main.attributes")), 0);
        QCOMPARE(test::scalar(f, QStringLiteral(
                                     "SELECT count(*) FROM attribute_suggestions WHERE status = 'rejected'")),
                 1);

        // Delete rejects from the keyboard; the last decision hides the review list.
        suggestions->setFocus();
        QTest::keyClick(suggestions, Qt::Key_Delete);
        QTest::keyClick(suggestions, Qt::Key_Delete);
        QCOMPARE(suggestions->model()->rowCount(), 0);
        QVERIFY(!suggestions->isVisible());
        QCOMPARE(test::scalar(f, QStringLiteral("SELECT count(*) FROM main.attributes")), 0);
        QCOMPARE(attributes->model()->rowCount(), 0);
        QVERIFY(f->extractionQueue.openSuggestions(customer.contact.id)->isEmpty());
    }

    void editAndRemoveAConfirmedAttribute()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        setAttribute(f, customer.contact.id, QStringLiteral("gate_code"), QStringLiteral("1111"));
        setAttribute(f, customer.contact.id, QStringLiteral("has_dog"), true);

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.showContact(customer.contact.id);
        FIND_CHILD(attributes, QTableView, &page, "attributesView");
        FIND_CHILD(edit, QPushButton, &page, "editAttributeButton");
        FIND_CHILD(remove, QPushButton, &page, "removeAttributeButton");
        FIND_CHILD(suggestions, QTableView, &page, "suggestionsView");
        QVERIFY(!suggestions->isVisible()); // nothing to review
        QCOMPARE(column(attributes->model(), 0),
                 (QStringList{QStringLiteral("Gate code"), QStringLiteral("Has dog")}));
        QVERIFY(!edit->isEnabled());

        QVERIFY(selectRow(attributes, QStringLiteral("Gate code")));
        QTest::mouseClick(edit, Qt::LeftButton);
        auto *dialog =
            test::waitForTopLevel<ui::AttributeValueDialog>(QStringLiteral("attributeValueDialog"));
        QVERIFY(dialog);
        FIND_CHILD(value, QLineEdit, dialog, "attributeValueEdit");
        QCOMPARE(value->text(), QStringLiteral("1111"));
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("2222"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("attributeOkButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<ui::AttributeValueDialog>(QStringLiteral("attributeValueDialog")));
        QCOMPARE(attribute(f, customer.contact.id, QStringLiteral("gate_code")),
                 QJsonValue(QStringLiteral("2222")));
        QCOMPARE(attributes->model()->index(0, 1).data().toString(), QStringLiteral("2222"));

        // A yes/no stays a boolean when edited as text.
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(selectRow(attributes, QStringLiteral("Has dog")));
        attributes->setFocus();
        QTest::keyClick(attributes, Qt::Key_F2);
        dialog = test::waitForTopLevel<ui::AttributeValueDialog>(QStringLiteral("attributeValueDialog"));
        QVERIFY(dialog);
        value = dialog->findChild<QLineEdit *>(QStringLiteral("attributeValueEdit"));
        QTest::keyClick(value, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(value, QStringLiteral("no"));
        // OK by mouse: offscreen, the page stays the active window, and its list would take a Return.
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("attributeOkButton")),
                          Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<ui::AttributeValueDialog>(QStringLiteral("attributeValueDialog")));
        QCOMPARE(attribute(f, customer.contact.id, QStringLiteral("has_dog")), QJsonValue(false));

        // Remove: gone from the customer, kept in the history.
        QVERIFY(selectRow(attributes, QStringLiteral("Gate code")));
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QVERIFY(attribute(f, customer.contact.id, QStringLiteral("gate_code")).isUndefined());
        QCOMPARE(column(attributes->model(), 0), QStringList{QStringLiteral("Has dog")});
        QCOMPARE(
            test::scalar(
                f,
                QStringLiteral(
                    "SELECT count(*) FROM audit_log WHERE entity_type = 'attribute' AND action = 'delete'")),
            1);
    }

    void addANote()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.showContact(customer.contact.id);
        FIND_CHILD(tabs, QTabWidget, &page, "contactTabs");
        FIND_CHILD(notesTab, QWidget, &page, "notesTab");
        FIND_CHILD(notes, QListView, &page, "contactNotesView");
        FIND_CHILD(edit, QPlainTextEdit, &page, "contactNoteEdit");
        FIND_CHILD(add, QPushButton, &page, "addContactNoteButton");

        QTest::keyClick(&page, Qt::Key_N, Qt::AltModifier);
        QCOMPARE(tabs->currentWidget(), notesTab);
        QCOMPARE(notes->model()->rowCount(), 0);
        QVERIFY(!add->isEnabled());

        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral("Prefers a call the day before."));
        QVERIFY(add->isEnabled());
        QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(test::takeErrorMessages(), QStringList());

        auto saved = f->notes.listForContact(customer.contact.id);
        VERIFY_OK(saved);
        QCOMPARE(saved->size(), 1);
        QCOMPARE(saved->first().content, QStringLiteral("Prefers a call the day before."));
        QVERIFY(saved->first().ticketId.isNull());
        QCOMPARE(notes->model()->rowCount(), 1);
        QVERIFY(notes->model()->index(0, 0).data().toString().endsWith(
            QStringLiteral("Prefers a call the day before.")));
        QCOMPARE(edit->toPlainText(), QString());
        QCOMPARE(tabs->tabText(tabs->indexOf(notesTab)), QStringLiteral("&Notes (1)"));

        // A second note with the button, newest first.
        QTest::keyClicks(edit, QStringLiteral("Gate sticks in winter."));
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(f->notes.listForContact(customer.contact.id)->size(), 2);
        QVERIFY(
            notes->model()->index(0, 0).data().toString().endsWith(QStringLiteral("Gate sticks in winter.")));
    }

    void ticketsInvoicesAndHistoryOfTheCustomer()
    {
        UiFixture f;
        const auto customer = f.addCustomer(QStringLiteral("Margaret Hill"));
        const Ticket ticket = book(f, customer, QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc()));
        auto invoice = f->invoices.createStandalone(customer.contact.id, Money::fromCents(12345));
        VERIFY_OK(invoice);
        VERIFY_OK(f->invoices.send(invoice->id));
        VERIFY_OK(f->invoices.createStandalone(customer.contact.id, Money::fromCents(500)));

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.showContact(customer.contact.id);
        FIND_CHILD(tabs, QTabWidget, &page, "contactTabs");
        FIND_CHILD(tickets, QTableView, &page, "contactTicketsView");
        FIND_CHILD(invoices, QTableView, &page, "contactInvoicesView");
        FIND_CHILD(summary, QLabel, &page, "contactInvoicesSummary");
        FIND_CHILD(history, ui::HistoryWidget, &page, "historyWidget");

        // A double-click opens the ticket.
        tabs->setCurrentWidget(page.findChild<QWidget *>(QStringLiteral("ticketsTab")));
        QSignalSpy open(&f.context(), &ui::UiContext::openTicketRequested);
        const QRect cell = tickets->visualRect(tickets->model()->index(0, 0));
        QTest::mouseClick(tickets->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(tickets->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toUuid(), ticket.id);

        // Invoices: status and total, and what is owed.
        QCOMPARE(invoices->model()->rowCount(), 2);
        QCOMPARE(column(invoices->model(), 1),
                 (QStringList{QStringLiteral("Draft"), QStringLiteral("Sent")}));
        QCOMPARE(column(invoices->model(), 2).at(1), QStringLiteral("$123.45"));
        QCOMPARE(summary->text(), QStringLiteral("1 invoice sent and not yet paid: $123.45"));
        // A German technician reads the same amount the German way.
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        page.reload();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(summary->text(), QStringLiteral("1 invoice sent and not yet paid: 123,45\u00a0\u20ac"));

        // The history tab holds the audit history viewer.
        QCOMPARE(tabs->indexOf(history), 4);
    }

    void softDeleteAfterConfirming()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        book(f, margaret, QDateTime(QDate(2030, 5, 4), QTime(9, 0), QTimeZone::utc()));

        ui::ContactsPage page(f.context());
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        FIND_CHILD(list, QTableView, &page, "contactsView");
        FIND_CHILD(remove, QPushButton, &page, "deleteContactButton");
        page.showContact(margaret.contact.id);
        QVERIFY(remove->isEnabled());

        // "Keep" keeps.
        QTest::mouseClick(remove, Qt::LeftButton);
        auto *box = test::waitForTopLevel<QMessageBox>(QStringLiteral("deleteContactConfirm"));
        QVERIFY(box);
        QCOMPARE(box->text(), QStringLiteral("Delete Margaret Hill?"));
        // It says what happens: the tickets and invoices stay in the history, an open ticket stays booked.
        QVERIFY2(box->informativeText().contains(
                     QStringLiteral("tickets (1), invoices (0), notes and history stay")),
                 qPrintable(box->informativeText()));
        QVERIFY(box->informativeText().contains(QStringLiteral("Their open ticket stays on the schedule")));
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
        QTest::mouseClick(box->button(QMessageBox::No), Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("deleteContactConfirm")));
        VERIFY_OK(f->contacts.getById(margaret.contact.id));
        QCOMPARE(list->model()->rowCount(), 2);
        QCOMPARE(page.currentContactId(), margaret.contact.id);

        // Delete from the keyboard, then confirm: gone from the list and the core, the history kept.
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        list->setFocus();
        QSignalSpy changed(&f->changes(), &ChangeFeed::changed);
        QTest::keyClick(list, Qt::Key_Delete);
        box = test::waitForTopLevel<QMessageBox>(QStringLiteral("deleteContactConfirm"));
        QVERIFY(box);
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("deleteContactConfirm")));
        QCOMPARE(test::takeErrorMessages(), QStringList());
        QCOMPARE(test::announced(changed, QStringLiteral("contact")), 1);
        auto gone = f->contacts.getById(margaret.contact.id);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, ErrorCode::NotFound);
        QCOMPARE(column(list->model(), 0), QStringList{QStringLiteral("Tomas Ruiz")});
        QCOMPARE(page.currentContactId(), tomas.contact.id); // the next customer moved up into the row
        QCOMPARE(f->tickets.listForContact(margaret.contact.id)->size(), 1);
        auto history = f->audit().entityHistory(QStringLiteral("contact"), margaret.contact.id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Delete);
    }
};

QTEST_MAIN(TestCustomers)
#include "test_customers.moc"
