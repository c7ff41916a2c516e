// The close-out wizard (issue 5, seed 3.7) driven through its widgets: notes, the review of what the model
// read from them, the next service, and Finish; offline; drafts kept on cancel; booking the next visit.
#include "closeout/attributereviewmodel.h"
#include "closeout/closeoutwizard.h"
#include "closeout/nextvisittext.h"
#include "support/fakellmclient.h"
#include "support/uitestsupport.h"
#include "util/jsontext.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTimeZone>

#include <memory>

using namespace fb;
using fb::ui::AttributeReviewModel;
using fb::ui::CloseOutWizard;

namespace {

const QString kNotes = QStringLiteral("Cleaned all windows. Biscuit the dog barked the whole time. Gate code "
                                      "4821. Needed the ladder for the back. They prefer Tuesdays.");
// Four attributes; the customer already has dog_name "Rex".
const QString kAnswer =
    QStringLiteral("{\"dog_name\": \"Biscuit\", \"gate_code\": \"4821\", \"ladder_needed\": "
                   "true, \"preferred_day\": \"Tuesday\"}");

struct Job
{
    test::CoreFixture::Customer customer;
    Ticket ticket;
};

Job addJob(test::UiFixture &f, bool withLineItem = false)
{
    Job job{f.addCustomer(QStringLiteral("Margaret Hill")), {}};
    auto ticket = f->tickets.create(
        {job.customer.contact.id, job.customer.address.id, nowUtc().addSecs(-2 * 3600), 90, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    job.ticket = *ticket;
    if (withLineItem) {
        LineItemCreate item;
        item.serviceId = f.addCatalog().fixed.id;
        if (!f->tickets.addLineItem(ticket->id, item))
            qFatal("cannot add a line item");
    }
    return job;
}

QPointer<CloseOutWizard> openWizard(test::UiFixture &f, const QUuid &ticketId)
{
    auto *wizard = new CloseOutWizard(f.context(), ticketId);
    wizard->open();
    if (!QTest::qWaitForWindowExposed(wizard))
        qWarning("the wizard was not exposed");
    return wizard;
}

QHash<QString, QJsonValue> attributesOf(test::UiFixture &f, const QUuid &contactId)
{
    QHash<QString, QJsonValue> values;
    auto attributes = f->attributes.getAttributes(contactId);
    if (!attributes)
        qFatal("cannot read attributes");
    for (const Attribute &attribute : std::as_const(*attributes))
        values.insert(attribute.key, attribute.value);
    return values;
}

int rowOf(QTableView *table, const QString &key)
{
    for (int row = 0; row < table->model()->rowCount(); ++row)
        if (table->model()->index(row, AttributeReviewModel::KeyColumn).data(AttributeReviewModel::KeyRole) ==
            key)
            return row;
    return -1;
}

/// The width the Detail column needs to show every name whole (QAbstractItemView's public sizeHintForColumn).
int neededKeyWidth(QTableView *table)
{
    return static_cast<QAbstractItemView *>(table)->sizeHintForColumn(AttributeReviewModel::KeyColumn);
}

QString cell(QTableView *table, const QString &key, int column)
{
    return table->model()->index(rowOf(table, key), column).data().toString();
}

void clickRow(QTableView *table, const QString &key)
{
    const int row = rowOf(table, key);
    QVERIFY2(row >= 0, qPrintable(key));
    const QRect rect = table->visualRect(table->model()->index(row, AttributeReviewModel::KeyColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(table->currentIndex().row(), row);
}

void click(QAbstractButton *button)
{
    QVERIFY2(button->isVisible() && button->isEnabled(), qPrintable(button->objectName()));
    // A radio button in a wide grid cell takes clicks on its circle and label only, at the left.
    const QPoint at = qobject_cast<QRadioButton *>(button)
                          ? QPoint(button->height() / 2, button->height() / 2)
                          : button->rect().center();
    QTest::mouseClick(button, Qt::LeftButton, {}, at);
}

/// Replaces the text of a focused-or-not line edit as a user would: select all, type, Enter.
void retype(QLineEdit *edit, const QString &text, bool enter = true)
{
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, text);
    if (enter)
        QTest::keyClick(edit, Qt::Key_Return);
}

/// Selects the row of `key`, presses Edit value, types `value` in the cell's editor and Enter.
void editValue(CloseOutWizard *wizard, QTableView *table, const QString &key, const QString &value)
{
    clickRow(table, key);
    FIND_CHILD(edit, QPushButton, wizard, "editButton");
    click(edit);
    QLineEdit *editor = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        editor = qobject_cast<QLineEdit *>(
            table->indexWidget(table->model()->index(rowOf(table, key), AttributeReviewModel::NewColumn)));
        return editor != nullptr;
    }));
    retype(editor, value);
    // The delegate commits an Enter once the editor has seen the key (a queued call).
    QTRY_VERIFY(
        !table->indexWidget(table->model()->index(rowOf(table, key), AttributeReviewModel::NewColumn)));
}

void decide(CloseOutWizard *wizard, QTableView *table, const QString &key, const char *buttonName)
{
    clickRow(table, key);
    auto *button = wizard->findChild<QPushButton *>(QString::fromLatin1(buttonName));
    QVERIFY(button);
    click(button);
}

} // namespace

class TestCloseOut final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(test::takeErrorMessages().isEmpty()); }
    void cleanup()
    {
        // A failing test may leave a wizard or a message box open.
        test::takeErrorMessages();
        QList<QPointer<CloseOutWizard>> wizards;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *wizard = qobject_cast<CloseOutWizard *>(w))
                wizards.append(wizard);
        for (const QPointer<CloseOutWizard> &wizard : std::as_const(wizards))
            delete wizard.data();
    }

    void fullCloseOut()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        test::UiFixture f(&llm);
        const Job job = addJob(f);
        VERIFY_OK(f->attributes.setAttribute(
            {job.customer.contact.id, QStringLiteral("dog_name"), QJsonValue(QStringLiteral("Rex")), {}}));
        QSignalSpy changed(&f->changes(), &ChangeFeed::changed);

        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::NotesPage));
        FIND_CHILD(duration, QSpinBox, wizard.data(), "durationSpin");
        QCOMPARE(duration->value(), 90); // not clocked: the booked duration
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        QTest::keyClicks(notes, kNotes);

        // The model answers later: the page is busy, cannot go on, and the window keeps working.
        llm.holdAnswers(true);
        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::ReviewPage));
        FIND_CHILD(busy, QProgressBar, wizard.data(), "extractionBusy");
        FIND_CHILD(table, QTableView, wizard.data(), "reviewTable");
        QVERIFY(busy->isVisible());
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
        QCOMPARE(table->model()->rowCount(), 0);
        QCOMPARE(llm.requests.size(), 1);
        QVERIFY(llm.requests.first().userMessage.contains(QStringLiteral("Gate code 4821")));
        // Nothing is saved before Finish (Cancel means cancel): the ticket is as it was.
        auto midway = f->tickets.getById(job.ticket.id);
        VERIFY_OK(midway);
        QCOMPARE(midway->actualDurationMinutes, std::optional<int>());
        QCOMPARE(midway->notes, std::optional<QString>());
        QVERIFY(!midway->isClosed());

        llm.holdAnswers(false);
        llm.release();
        QTRY_COMPARE(table->model()->rowCount(), 4);
        QVERIFY(!busy->isVisible());
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());

        // The key the customer has already reads old -> new; a new key has nothing on file.
        QCOMPARE(cell(table, QStringLiteral("dog_name"), AttributeReviewModel::CurrentColumn),
                 QStringLiteral("Rex"));
        QCOMPARE(cell(table, QStringLiteral("dog_name"), AttributeReviewModel::NewColumn),
                 QStringLiteral("Biscuit"));
        QCOMPARE(table->model()
                     ->index(rowOf(table, QStringLiteral("dog_name")), AttributeReviewModel::NewColumn)
                     .data(Qt::ToolTipRole)
                     .toString(),
                 QStringLiteral("Rex \u2192 Biscuit"));
        QCOMPARE(cell(table, QStringLiteral("gate_code"), AttributeReviewModel::CurrentColumn),
                 QStringLiteral("(not set)"));

        decide(wizard, table, QStringLiteral("dog_name"), "acceptButton");
        decide(wizard, table, QStringLiteral("ladder_needed"), "acceptButton");
        editValue(wizard, table, QStringLiteral("gate_code"), QStringLiteral("4822"));
        decide(wizard, table, QStringLiteral("preferred_day"), "rejectButton");
        QCOMPARE(cell(table, QStringLiteral("gate_code"), AttributeReviewModel::NewColumn),
                 QStringLiteral("4822"));
        QCOMPARE(cell(table, QStringLiteral("gate_code"), AttributeReviewModel::DecisionColumn),
                 QStringLiteral("Edit"));
        QCOMPARE(cell(table, QStringLiteral("preferred_day"), AttributeReviewModel::DecisionColumn),
                 QStringLiteral("Reject"));
        QCOMPARE(cell(table, QStringLiteral("dog_name"), AttributeReviewModel::DecisionColumn),
                 QStringLiteral("Accept"));

        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::NextServicePage));
        FIND_CHILD(reachOut, QRadioButton, wizard.data(), "reachOutRadio");
        FIND_CHILD(months, QSpinBox, wizard.data(), "reachOutMonthsSpin");
        FIND_CHILD(none, QRadioButton, wizard.data(), "noFollowUpRadio");
        click(none);
        QVERIFY(!months->isEnabled());
        click(reachOut);
        QVERIFY(months->isEnabled());
        QCOMPARE(months->value(), 3); // the default

        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::SummaryPage));
        FIND_CHILD(summary, QLabel, wizard.data(), "summaryText");
        QVERIFY2(summary->text().contains(QStringLiteral("Dog name: Rex \u2192 Biscuit")),
                 qPrintable(summary->text()));
        QVERIFY(summary->text().contains(QStringLiteral("Gate code: 4822")));
        QVERIFY(!summary->text().contains(QStringLiteral("Preferred day: ")));
        QVERIFY(summary->text().contains(QStringLiteral("3 months")));

        QSignalSpy closed(wizard.data(), &CloseOutWizard::closedOut);
        const QDateTime finishedAt = nowUtc();
        click(wizard->button(QWizard::FinishButton));
        QCOMPARE(closed.size(), 1);
        QTRY_VERIFY(wizard.isNull()); // closed and deleted
        QVERIFY(test::takeErrorMessages().isEmpty());

        auto ticket = f->tickets.getById(job.ticket.id);
        VERIFY_OK(ticket);
        QCOMPARE(toString(ticket->status), toString(TicketStatus::Completed));

        const auto attributes = attributesOf(f, job.customer.contact.id);
        QCOMPARE(attributes.size(), 3);
        QCOMPARE(attributes.value(QStringLiteral("dog_name")), QJsonValue(QStringLiteral("Biscuit")));
        QCOMPARE(attributes.value(QStringLiteral("ladder_needed")), QJsonValue(true));
        QCOMPARE(attributes.value(QStringLiteral("gate_code")), QJsonValue(QStringLiteral("4822")));
        QVERIFY(!attributes.contains(QStringLiteral("preferred_day")));

        auto messages = f->messages.listForContact(job.customer.contact.id);
        VERIFY_OK(messages);
        QCOMPARE(messages->size(), 1);
        const QDateTime expected = addCalendarMonths(finishedAt, 3);
        QVERIFY2(qAbs(messages->first().scheduledFor.secsTo(expected)) < 3600,
                 qPrintable(messages->first().scheduledFor.toString(Qt::ISODate)));
        QCOMPARE(toString(messages->first().status), toString(MessageStatus::Pending));

        // No follow-up ticket, no invoice (nothing billable on the ticket), no draft left.
        auto tickets = f->tickets.listForContact(job.customer.contact.id);
        VERIFY_OK(tickets);
        QCOMPARE(tickets->size(), 1);
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(!draft->has_value());
        QVERIFY(changed.size() >= 1); // after Finish
        // The notes are the job's now, as a note; the model read them, so nothing waits for it.
        QCOMPARE(ticket->notes, std::optional<QString>(kNotes));
        auto notesSaved = f->notes.listForTicket(job.ticket.id);
        VERIFY_OK(notesSaved);
        QCOMPARE(notesSaved->size(), 1);
        auto pending = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(pending);
        QVERIFY(pending->isEmpty());
    }

    void offlineQueuesTheNotes_data()
    {
        QTest::addColumn<bool>("withClient");
        QTest::newRow("no model configured") << false;
        QTest::newRow("model unreachable") << true;
    }

    void offlineQueuesTheNotes()
    {
        QFETCH(bool, withClient);
        test::FakeLlmClient llm;
        llm.failWith({ErrorCode::Unavailable, {}, QStringLiteral("cannot reach the model: no network")});
        test::UiFixture f(withClient ? &llm : nullptr);
        const Job job = addJob(f);

        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        QTest::keyClicks(notes, kNotes);
        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::ReviewPage));

        FIND_CHILD(status, QLabel, wizard.data(), "extractionStatus");
        FIND_CHILD(busy, QProgressBar, wizard.data(), "extractionBusy");
        FIND_CHILD(table, QTableView, wizard.data(), "reviewTable");
        QTRY_VERIFY(!busy->isVisible());
        QVERIFY2(status->text().contains(QStringLiteral("No connection")), qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("queued")));
        QCOMPARE(table->model()->rowCount(), 0);
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());

        // A name that cannot name a detail is refused with the reason, and nothing is added.
        FIND_CHILD(key, QLineEdit, wizard.data(), "newAttributeKey");
        FIND_CHILD(value, QLineEdit, wizard.data(), "newAttributeValue");
        FIND_CHILD(add, QPushButton, wizard.data(), "addAttributeButton");
        FIND_CHILD(addError, QLabel, wizard.data(), "addAttributeError");
        QTest::keyClicks(key, QStringLiteral("4 dogs"));
        QTest::keyClicks(value, QStringLiteral("4821"));
        click(add);
        QVERIFY(addError->isVisible());
        QVERIFY2(addError->text().contains(QStringLiteral("start it with a letter")),
                 qPrintable(addError->text()));
        QCOMPARE(table->model()->rowCount(), 0);
        QCOMPARE(value->text(), QStringLiteral("4821")); // what was typed stays

        retype(key, QStringLiteral("gate_code"), false);
        click(add);
        QVERIFY(!addError->isVisible());
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(cell(table, QStringLiteral("gate_code"), AttributeReviewModel::NewColumn),
                 QStringLiteral("4821"));
        // Enter in the value field adds too, without leaving the page.
        QTest::keyClicks(key, QStringLiteral("side_gate"));
        QTest::keyClicks(value, QStringLiteral("left of the garage"));
        QTest::keyClick(value, Qt::Key_Return);
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::ReviewPage));

        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(none, QRadioButton, wizard.data(), "noFollowUpRadio");
        click(none);
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(summary, QLabel, wizard.data(), "summaryText");
        QVERIFY(summary->text().contains(QStringLiteral("Queued")));
        click(wizard->button(QWizard::FinishButton));
        QTRY_VERIFY(wizard.isNull());
        QVERIFY(test::takeErrorMessages().isEmpty());

        auto ticket = f->tickets.getById(job.ticket.id);
        VERIFY_OK(ticket);
        QCOMPARE(toString(ticket->status), toString(TicketStatus::Completed));
        const auto attributes = attributesOf(f, job.customer.contact.id);
        QCOMPARE(attributes.size(), 2);
        // Digits typed by hand are kept as text: a code must keep its leading zeros and read back as typed.
        QCOMPARE(attributes.value(QStringLiteral("gate_code")), QJsonValue(QStringLiteral("4821")));
        QCOMPARE(attributes.value(QStringLiteral("side_gate")),
                 QJsonValue(QStringLiteral("left of the garage")));
        // The notes wait in the queue for a connection; no reach-out was asked for.
        auto pending = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(pending->first().ticketId, job.ticket.id);
        QCOMPARE(pending->first().notes, kNotes);
        auto messages = f->messages.listForContact(job.customer.contact.id);
        VERIFY_OK(messages);
        QVERIFY(messages->isEmpty());
    }

    void cancelKeepsADraft()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        test::UiFixture f(&llm);
        const Job job = addJob(f);

        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        FIND_CHILD(duration, QSpinBox, wizard.data(), "durationSpin");
        QTest::keyClicks(notes, kNotes);
        QTest::keyClick(duration, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(duration, QStringLiteral("75"));
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(table, QTableView, wizard.data(), "reviewTable");
        QTRY_COMPARE(table->model()->rowCount(), 4);
        decide(wizard, table, QStringLiteral("preferred_day"), "rejectButton");
        editValue(wizard, table, QStringLiteral("gate_code"), QStringLiteral("4822"));
        FIND_CHILD(key, QLineEdit, wizard.data(), "newAttributeKey");
        FIND_CHILD(value, QLineEdit, wizard.data(), "newAttributeValue");
        QTest::keyClicks(key, QStringLiteral("side_gate"));
        QTest::keyClicks(value, QStringLiteral("left of the garage"));
        QTest::keyClick(value, Qt::Key_Return);
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(scheduleNow, QRadioButton, wizard.data(), "scheduleNowRadio");
        click(scheduleNow);

        click(wizard->button(QWizard::CancelButton));
        QTRY_VERIFY(wizard.isNull());
        auto ticket = f->tickets.getById(job.ticket.id);
        VERIFY_OK(ticket);
        QVERIFY(!ticket->isClosed());
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(draft->has_value());
        QCOMPARE(llm.requests.size(), 1);

        // The next close-out of the ticket starts from the draft: notes, duration, decisions, the hand-added
        // detail and the follow-up, without asking the model again.
        wizard = openWizard(f, job.ticket.id);
        FIND_CHILD(notesAgain, QPlainTextEdit, wizard.data(), "notesEdit");
        FIND_CHILD(durationAgain, QSpinBox, wizard.data(), "durationSpin");
        QCOMPARE(notesAgain->toPlainText(), kNotes);
        QCOMPARE(durationAgain->value(), 75);
        FIND_CHILD(banner, QLabel, wizard.data(), "notesBanner");
        QVERIFY(banner->isVisible());
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(tableAgain, QTableView, wizard.data(), "reviewTable");
        QCOMPARE(tableAgain->model()->rowCount(), 5);
        QCOMPARE(llm.requests.size(), 1);
        QCOMPARE(cell(tableAgain, QStringLiteral("preferred_day"), AttributeReviewModel::DecisionColumn),
                 QStringLiteral("Reject"));
        QCOMPARE(cell(tableAgain, QStringLiteral("gate_code"), AttributeReviewModel::NewColumn),
                 QStringLiteral("4822"));
        QCOMPARE(cell(tableAgain, QStringLiteral("side_gate"), AttributeReviewModel::NewColumn),
                 QStringLiteral("left of the garage"));
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(scheduleNowAgain, QRadioButton, wizard.data(), "scheduleNowRadio");
        QVERIFY(scheduleNowAgain->isChecked());

        // Closed by the window manager: the change is kept as well.
        click(wizard->button(QWizard::BackButton));
        click(wizard->button(QWizard::BackButton));
        FIND_CHILD(notesThird, QPlainTextEdit, wizard.data(), "notesEdit");
        notesThird->moveCursor(QTextCursor::End);
        QTest::keyClicks(notesThird, QStringLiteral(" Bring a longer hose."));
        wizard->close();
        QTRY_VERIFY(wizard.isNull());

        wizard = openWizard(f, job.ticket.id);
        FIND_CHILD(notesFourth, QPlainTextEdit, wizard.data(), "notesEdit");
        QCOMPARE(notesFourth->toPlainText(), kNotes + QStringLiteral(" Bring a longer hose."));
        // Changed notes are read again; the decisions on unchanged suggestions still stand.
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(tableFourth, QTableView, wizard.data(), "reviewTable");
        QTRY_COMPARE(llm.requests.size(), 2);
        QTRY_COMPARE(tableFourth->model()->rowCount(), 5);
        QCOMPARE(cell(tableFourth, QStringLiteral("preferred_day"), AttributeReviewModel::DecisionColumn),
                 QStringLiteral("Reject"));
        QCOMPARE(cell(tableFourth, QStringLiteral("gate_code"), AttributeReviewModel::NewColumn),
                 QStringLiteral("4822"));

        // Finishing deletes the draft.
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(none, QRadioButton, wizard.data(), "noFollowUpRadio");
        click(none);
        click(wizard->button(QWizard::NextButton));
        click(wizard->button(QWizard::FinishButton));
        QTRY_VERIFY(wizard.isNull());
        draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(!draft->has_value());
        const auto attributes = attributesOf(f, job.customer.contact.id);
        QCOMPARE(attributes.value(QStringLiteral("gate_code")), QJsonValue(QStringLiteral("4822")));
        QCOMPARE(attributes.value(QStringLiteral("side_gate")),
                 QJsonValue(QStringLiteral("left of the garage")));
        QVERIFY(!attributes.contains(QStringLiteral("preferred_day")));
    }

    void detailsAddedByHandAreNamedInWords()
    {
        test::UiFixture f; // no model configured: details by hand
        const Job job = addJob(f);
        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        QTest::keyClicks(notes, QStringLiteral("Biscuit the dog. Side gate code 4821."));
        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::ReviewPage));
        FIND_CHILD(key, QLineEdit, wizard.data(), "newAttributeKey");
        FIND_CHILD(value, QLineEdit, wizard.data(), "newAttributeValue");
        FIND_CHILD(table, QTableView, wizard.data(), "reviewTable");
        // Offline the page starts in the name field.
        QCOMPARE(QApplication::focusWidget(), key);

        // The field offers the known names: "Ga" is filled in as "Gate code".
        QTest::keyClicks(key, QStringLiteral("Ga"));
        QCOMPARE(key->text(), QStringLiteral("Gate code"));
        QTest::keyClick(key, Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), value);
        QTest::keyClicks(value, QStringLiteral("4821"));
        QTest::keyClick(value, Qt::Key_Return);
        // A name as a person writes it, typed in full.
        QCOMPARE(QApplication::focusWidget(), key);
        QTest::keyClicks(key, QStringLiteral("Dog name"));
        QTest::keyClick(key, Qt::Key_Tab);
        QTest::keyClicks(value, QStringLiteral("Biscuit"));
        QTest::keyClick(value, Qt::Key_Return);
        QCOMPARE(table->model()->rowCount(), 2);

        // Stored under the extraction's keys, shown in words, the Detail column wide enough for them.
        QVERIFY(rowOf(table, QStringLiteral("gate_code")) >= 0);
        QVERIFY(rowOf(table, QStringLiteral("dog_name")) >= 0);
        QCOMPARE(cell(table, QStringLiteral("gate_code"), AttributeReviewModel::KeyColumn),
                 QStringLiteral("Gate code"));
        QCOMPARE(cell(table, QStringLiteral("dog_name"), AttributeReviewModel::KeyColumn),
                 QStringLiteral("Dog name"));
        QVERIFY2(table->columnWidth(AttributeReviewModel::KeyColumn) >= neededKeyWidth(table),
                 qPrintable(QStringLiteral("%1 < %2")
                                .arg(table->columnWidth(AttributeReviewModel::KeyColumn))
                                .arg(neededKeyWidth(table))));

        // Enter on the empty name field goes on to the next step.
        QCOMPARE(QApplication::focusWidget(), key);
        QVERIFY(key->text().isEmpty());
        QTest::keyClick(key, Qt::Key_Return);
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::NextServicePage));

        FIND_CHILD(none, QRadioButton, wizard.data(), "noFollowUpRadio");
        click(none);
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(summary, QLabel, wizard.data(), "summaryText");
        QVERIFY2(summary->text().contains(QStringLiteral("Dog name: Biscuit")), qPrintable(summary->text()));
        click(wizard->button(QWizard::FinishButton));
        QTRY_VERIFY(wizard.isNull());
        QVERIFY(test::takeErrorMessages().isEmpty());
        const auto attributes = attributesOf(f, job.customer.contact.id);
        QCOMPARE(attributes.size(), 2);
        QCOMPARE(attributes.value(QStringLiteral("gate_code")), QJsonValue(QStringLiteral("4821")));
        QCOMPARE(attributes.value(QStringLiteral("dog_name")), QJsonValue(QStringLiteral("Biscuit")));
    }

    void theModelsDetailsReadInWordsAndFit()
    {
        test::FakeLlmClient llm;
        llm.answerWith(kAnswer);
        test::UiFixture f(&llm);
        const Job job = addJob(f);
        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        QTest::keyClicks(notes, kNotes);
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(table, QTableView, wizard.data(), "reviewTable");
        QTRY_COMPARE(table->model()->rowCount(), 4);
        QCOMPARE(cell(table, QStringLiteral("ladder_needed"), AttributeReviewModel::KeyColumn),
                 QStringLiteral("Ladder needed"));
        QCOMPARE(cell(table, QStringLiteral("preferred_day"), AttributeReviewModel::KeyColumn),
                 QStringLiteral("Preferred day"));
        // Never cut off ("gat…"): the column is as wide as its widest name needs.
        const int needed = neededKeyWidth(table);
        QVERIFY2(table->columnWidth(AttributeReviewModel::KeyColumn) >= needed,
                 qPrintable(QStringLiteral("%1 < %2")
                                .arg(table->columnWidth(AttributeReviewModel::KeyColumn))
                                .arg(needed)));
        QVERIFY(needed > table->fontMetrics().horizontalAdvance(QStringLiteral("Preferred day")));
        // The model found some: the page starts at them.
        QCOMPARE(QApplication::focusWidget(), table);
    }

    void cancelKeepsTheDraftAndWritesNothingElse()
    {
        test::UiFixture f; // no model configured: the notes would be queued
        const Job job = addJob(f);
        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        QTest::keyClicks(notes, kNotes);
        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::ReviewPage));
        QTest::keyClick(wizard.data(), Qt::Key_Escape);
        QTRY_VERIFY(wizard.isNull());

        // The draft keeps the notes ...
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(draft->has_value());
        QCOMPARE((*draft)->value(QStringLiteral("notes")).toString(), kNotes);
        // ... and nothing else was written: no note, no request for the model, the job as it was.
        auto saved = f->notes.listForTicket(job.ticket.id);
        VERIFY_OK(saved);
        QVERIFY2(saved->isEmpty(), "the notes of a cancelled close-out became a note");
        auto requests = f->extractionQueue.requests();
        VERIFY_OK(requests);
        QCOMPARE(requests->size(), 0);
        auto ticket = f->tickets.getById(job.ticket.id);
        VERIFY_OK(ticket);
        QCOMPARE(ticket->notes, std::optional<QString>());
        QCOMPARE(ticket->actualDurationMinutes, std::optional<int>());

        // Finishing it later saves the notes once and queues them once.
        wizard = openWizard(f, job.ticket.id);
        click(wizard->button(QWizard::NextButton));
        click(wizard->button(QWizard::NextButton));
        FIND_CHILD(none, QRadioButton, wizard.data(), "noFollowUpRadio");
        click(none);
        click(wizard->button(QWizard::NextButton));
        click(wizard->button(QWizard::FinishButton));
        QTRY_VERIFY(wizard.isNull());
        saved = f->notes.listForTicket(job.ticket.id);
        VERIFY_OK(saved);
        QCOMPARE(saved->size(), 1);
        QCOMPARE(saved->first().content, kNotes);
        requests = f->extractionQueue.requests(ExtractionRequestStatus::Pending);
        VERIFY_OK(requests);
        QCOMPARE(requests->size(), 1);
    }

    void quittingWithTheWizardOpenKeepsTheDraft()
    {
        test::UiFixture f;
        const Job job = addJob(f);
        // The app's window with the wizard on it, as the ticket screen opens it.
        auto window = std::make_unique<QWidget>();
        window->show();
        auto *wizard = new CloseOutWizard(f.context(), job.ticket.id, window.get());
        wizard->open();
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        FIND_CHILD(notes, QPlainTextEdit, wizard, "notesEdit");
        QTest::keyClicks(notes, QStringLiteral("Half done: the rain came. Back on Friday."));

        // Quitting: the window goes, and the wizard with it, without Cancel.
        window.reset();
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY2(draft->has_value(), "quitting lost what was typed");
        QCOMPARE((*draft)->value(QStringLiteral("notes")).toString(),
                 QStringLiteral("Half done: the rain came. Back on Friday."));
    }

    void typedNextVisits_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QDateTime>("expected"); // invalid: refused
        // Typed on Wednesday 8 May 2030 at 10:00; the visit shown before typing is on 1 Aug at 11:30.
        const auto at = [](int day, int hour, int minute) {
            return QDateTime(QDate(2030, 5, day), QTime(hour, minute), Qt::LocalTime);
        };
        QTest::newRow("tue 9") << QStringLiteral("tue 9") << at(14, 9, 0);
        QTest::newRow("tuesday 09:00") << QStringLiteral("tuesday 09:00") << at(14, 9, 0);
        QTest::newRow("wed 14:30, a week on") << QStringLiteral("wed 14:30") << at(15, 14, 30);
        QTest::newRow("Thu 2pm") << QStringLiteral("Thu 2pm") << at(9, 14, 0);
        QTest::newRow("fri 8.15") << QStringLiteral("fri 8.15") << at(10, 8, 15);
        QTest::newRow("tomorrow 8") << QStringLiteral("tomorrow 8") << at(9, 8, 0);
        QTest::newRow("day only keeps the time") << QStringLiteral("mon") << at(13, 11, 30);
        QTest::newRow("time only keeps the day")
            << QStringLiteral("16:45") << QDateTime(QDate(2030, 8, 1), QTime(16, 45), Qt::LocalTime);
        QTest::newRow("no such hour") << QStringLiteral("tue 25") << QDateTime();
        QTest::newRow("no such day") << QStringLiteral("someday 9") << QDateTime();
        QTest::newRow("one letter is no day") << QStringLiteral("t 9") << QDateTime();
        QTest::newRow("13pm") << QStringLiteral("wed 13pm") << QDateTime();
    }

    void typedNextVisits()
    {
        QFETCH(QString, typed);
        QFETCH(QDateTime, expected);
        const QDateTime now(QDate(2030, 5, 8), QTime(10, 0), Qt::LocalTime);
        QCOMPARE(now.date().dayOfWeek(), 3);
        const QDateTime shown(QDate(2030, 8, 1), QTime(11, 30), Qt::LocalTime);
        const auto parsed = ui::parseVisitText(typed, now, shown);
        if (!expected.isValid()) {
            QVERIFY2(!parsed, qPrintable(parsed ? parsed->toString(Qt::ISODate) : QString()));
            return;
        }
        QVERIFY(parsed);
        QCOMPARE(*parsed, expected);
    }

    void cancelWithoutTypingLeavesNoDraft()
    {
        test::UiFixture f;
        const Job job = addJob(f);
        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        QTest::keyClick(wizard.data(), Qt::Key_Escape);
        QTRY_VERIFY(wizard.isNull());
        auto draft = f->drafts.load(job.ticket.id);
        VERIFY_OK(draft);
        QVERIFY(!draft->has_value());
    }

    void scheduleNowBooksTheNextVisit()
    {
        test::UiFixture f;
        const Job job = addJob(f, true);
        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        click(wizard->button(QWizard::NextButton)); // no notes: nothing to read
        FIND_CHILD(status, QLabel, wizard.data(), "extractionStatus");
        QVERIFY(status->text().contains(QStringLiteral("No notes")));
        click(wizard->button(QWizard::NextButton));

        FIND_CHILD(scheduleNow, QRadioButton, wizard.data(), "scheduleNowRadio");
        FIND_CHILD(when, QDateTimeEdit, wizard.data(), "nextDateTimeEdit");
        FIND_CHILD(invoice, QCheckBox, wizard.data(), "createInvoiceCheck");
        QVERIFY(!when->isEnabled());
        click(scheduleNow);
        QVERIFY(when->isEnabled());
        const QDateTime chosen(QDate::currentDate().addDays(40), QTime(10, 30));
        when->setDateTime(chosen);
        QVERIFY(invoice->isChecked()); // billable work on the ticket

        click(wizard->button(QWizard::NextButton));
        click(wizard->button(QWizard::FinishButton));
        QTRY_VERIFY(wizard.isNull());
        QVERIFY(test::takeErrorMessages().isEmpty());

        auto tickets = f->tickets.listForContact(job.customer.contact.id);
        VERIFY_OK(tickets);
        QCOMPARE(tickets->size(), 2);
        const Ticket &next = tickets->at(0).id == job.ticket.id ? tickets->at(1) : tickets->at(0);
        QCOMPARE(toString(next.status), toString(TicketStatus::Scheduled));
        QCOMPARE(next.contactId, job.customer.contact.id);
        QCOMPARE(next.addressId, job.customer.address.id);
        QCOMPARE(next.scheduledAt, chosen.toUTC());
        QCOMPARE(next.scheduledDurationMinutes, std::optional<int>(90));
        auto closed = f->tickets.getById(job.ticket.id);
        VERIFY_OK(closed);
        QCOMPARE(toString(closed->status), toString(TicketStatus::Completed));

        auto invoices = f->invoices.listForContact(job.customer.contact.id);
        VERIFY_OK(invoices);
        QCOMPARE(invoices->size(), 1);
        QCOMPARE(invoices->first().ticketId, job.ticket.id);
        QCOMPARE(invoices->first().totalAmount.cents(), 12000);
        auto messages = f->messages.listForContact(job.customer.contact.id);
        VERIFY_OK(messages);
        QVERIFY(messages->isEmpty());
    }

    void aFailedFinishKeepsTheWizardOpen()
    {
        test::UiFixture f;
        const Job job = addJob(f);
        QPointer<CloseOutWizard> wizard = openWizard(f, job.ticket.id);
        // A wizard left open goes before the fixture's Core: destroyed, it saves its draft there.
        const auto closeLeftOpen = qScopeGuard([&wizard] { delete wizard.data(); });
        FIND_CHILD(notes, QPlainTextEdit, wizard.data(), "notesEdit");
        QTest::keyClicks(notes, QStringLiteral("All done."));
        click(wizard->button(QWizard::NextButton));
        click(wizard->button(QWizard::NextButton));
        click(wizard->button(QWizard::NextButton));
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::SummaryPage));

        // Meanwhile the ticket was cancelled (another screen): Finish says why and nothing closes.
        VERIFY_OK(f->tickets.cancel(job.ticket.id));
        click(wizard->button(QWizard::FinishButton));
        const QStringList errors = test::takeErrorMessages();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("could not be closed out")),
                 qPrintable(errors.first()));
        QVERIFY(!wizard.isNull());
        QVERIFY(wizard->isVisible());
        QCOMPARE(wizard->currentId(), int(CloseOutWizard::SummaryPage));
        QCOMPARE(notes->toPlainText(), QStringLiteral("All done."));
        auto messages = f->messages.listForContact(job.customer.contact.id);
        VERIFY_OK(messages);
        QVERIFY(messages->isEmpty());
        wizard->deleteLater();
        QTRY_VERIFY(wizard.isNull());
    }
};

QTEST_MAIN(TestCloseOut)
#include "test_closeout.moc"
