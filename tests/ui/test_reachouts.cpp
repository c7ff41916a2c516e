// ReachOutsPage: cancelling a reach-out after a confirmation (and keeping it when the technician says no),
// marking one sent, overdue ones highlighted, the selected reach-out's message shown, all from the keyboard.

#include "reachouts/reachoutlistmodel.h"
#include "reachouts/reachoutspage.h"
#include "support/uitestsupport.h"
#include "util/timeutil.h"

#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace fb;
using fb::test::UiFixture;

namespace {

ScheduledMessage schedule(UiFixture &f, const QUuid &contactId, const QDateTime &when,
                          const std::optional<QString> &content = std::nullopt)
{
    ScheduledMessageCreate data;
    data.contactId = contactId;
    if (content)
        data.customContent = content;
    else
        data.templateName = QStringLiteral("service_reminder");
    data.scheduledFor = when;
    auto message = f->messages.schedule(data);
    if (!message)
        qFatal("cannot schedule: %s", qPrintable(message.error().toString()));
    return *message;
}

/// The stored status as its text ("pending"): QCOMPARE prints it on a mismatch.
QString statusOf(UiFixture &f, const QUuid &id)
{
    auto message = f->messages.getById(id);
    if (!message)
        qFatal("cannot read the message: %s", qPrintable(message.error().toString()));
    return toString(message->status);
}

int rowOf(QAbstractItemModel *model, const QUuid &id)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, 0).data(ui::ReachOutListModel::IdRole).toUuid() == id)
            return row;
    return -1;
}

/// A page shown and active, so its page-level shortcuts fire.
struct ShownPage
{
    explicit ShownPage(UiFixture &f) : page(f.context())
    {
        page.resize(1000, 600);
        page.show();
        page.activateWindow();
    }
    ui::ReachOutsPage page;
};

} // namespace

class TestReachOuts final : public QObject
{
    Q_OBJECT

    /// Selects the reach-out once the list (read on the read thread) holds it.
    static void select(QTableView *view, const QUuid &id)
    {
        QVERIFY2(QTest::qWaitFor([view, id] { return rowOf(view->model(), id) >= 0; }),
                 "the reach-out is not in the list");
        const int row = rowOf(view->model(), id);
        view->setFocus();
        view->setCurrentIndex(view->model()->index(row, 0));
    }

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void cancelAsksFirstAndNoKeepsIt()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const auto tomas = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        const ScheduledMessage first = schedule(f, margaret.contact.id, nowUtc().addDays(3));
        const ScheduledMessage second = schedule(f, tomas.contact.id, nowUtc().addDays(9));

        ShownPage shown(f);
        QVERIFY(QTest::qWaitForWindowActive(&shown.page));
        FIND_CHILD(view, QTableView, &shown.page, "reachOutsView");
        select(view, first.id);

        // Del asks; "Keep it" keeps the reach-out pending.
        QTest::keyClick(view, Qt::Key_Delete);
        auto *box = test::waitForTopLevel<QMessageBox>(QStringLiteral("cancelReachOutConfirmation"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("Margaret Hill")), qPrintable(box->text()));
        FIND_CHILD(keep, QPushButton, box, "keepReachOutButton");
        QTest::mouseClick(keep, Qt::LeftButton);
        QTRY_VERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("cancelReachOutConfirmation")));
        QCOMPARE(statusOf(f, first.id), toString(MessageStatus::Pending));
        QCOMPARE(statusOf(f, second.id), toString(MessageStatus::Pending));

        // The button asks too; confirming cancels only that one.
        FIND_CHILD(cancelButton, QToolButton, &shown.page, "cancelReachOutButton");
        QVERIFY(cancelButton->isEnabled());
        QTest::mouseClick(cancelButton, Qt::LeftButton);
        box = test::waitForTopLevel<QMessageBox>(QStringLiteral("cancelReachOutConfirmation"));
        QVERIFY(box);
        FIND_CHILD(confirm, QPushButton, box, "confirmCancelReachOutButton");
        QTest::mouseClick(confirm, Qt::LeftButton);
        QCOMPARE(statusOf(f, first.id), toString(MessageStatus::Cancelled));
        QCOMPARE(statusOf(f, second.id), toString(MessageStatus::Pending));

        // The list says so at once, and once it is read again the next pending one is selected, ready for the
        // next key.
        QAbstractItemModel *model = view->model();
        QCOMPARE(model->index(rowOf(model, first.id), ui::ReachOutListModel::Status).data().toString(),
                 QStringLiteral("Cancelled"));
        QVERIFY(!cancelButton->isEnabled());
        QTRY_COMPARE(shown.page.selectedMessageId(), second.id);
        QCOMPARE(rowOf(model, second.id), 0);
        QVERIFY(test::takeErrorMessages().isEmpty());

        // A cancelled one cannot be cancelled again: no question asked.
        select(view, first.id);
        QVERIFY(!cancelButton->isEnabled());
        QTest::keyClick(view, Qt::Key_Delete);
        QTest::qWait(0);
        QVERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("cancelReachOutConfirmation")));
    }

    void cancelOfOneSentMeanwhileSaysWhy()
    {
        UiFixture f;
        const auto margaret = f.addCustomer();
        const ScheduledMessage message = schedule(f, margaret.contact.id, nowUtc().addDays(3));
        ShownPage shown(f);
        QVERIFY(QTest::qWaitForWindowActive(&shown.page));
        FIND_CHILD(view, QTableView, &shown.page, "reachOutsView");
        select(view, message.id);
        QTest::keyClick(view, Qt::Key_Delete);
        auto *box = test::waitForTopLevel<QMessageBox>(QStringLiteral("cancelReachOutConfirmation"));
        QVERIFY(box);
        // The server sent it while the question was open.
        VERIFY_OK(f->messages.markSent(message.id));
        FIND_CHILD(confirm, QPushButton, box, "confirmCancelReachOutButton");
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_VERIFY(test::visibleTopLevel<QMessageBox>(QStringLiteral("errorMessage")));
        const QStringList errors = test::takeErrorMessages();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("pending")), qPrintable(errors.first()));
        QCOMPARE(statusOf(f, message.id), toString(MessageStatus::Sent));
    }

    void markSentFromTheKeyboardAndTheButton()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const ScheduledMessage first = schedule(f, margaret.contact.id, nowUtc().addDays(-2));
        const ScheduledMessage second = schedule(f, margaret.contact.id, nowUtc().addDays(20));
        ShownPage shown(f);
        QVERIFY(QTest::qWaitForWindowActive(&shown.page));
        FIND_CHILD(view, QTableView, &shown.page, "reachOutsView");
        FIND_CHILD(markSent, QToolButton, &shown.page, "markSentButton");

        select(view, first.id);
        QTest::keyClick(view, Qt::Key_Return, Qt::ControlModifier);
        auto sent = f->messages.getById(first.id);
        VERIFY_OK(sent);
        QCOMPARE(toString(sent->status), toString(MessageStatus::Sent));
        QVERIFY(sent->sentAt.isValid());
        QCOMPARE(statusOf(f, second.id), toString(MessageStatus::Pending));
        // No question for this one: marking sent only records what the technician did.
        QVERIFY(!test::visibleTopLevel<QMessageBox>(QStringLiteral("cancelReachOutConfirmation")));

        QTRY_COMPARE(shown.page.selectedMessageId(), second.id);
        QVERIFY(markSent->isEnabled());
        QTest::mouseClick(markSent, Qt::LeftButton);
        QCOMPARE(statusOf(f, second.id), toString(MessageStatus::Sent));
        QVERIFY(!markSent->isEnabled());
        QVERIFY(test::takeErrorMessages().isEmpty());
    }

    void shortcutsAreInTheTooltips()
    {
        UiFixture f;
        ui::ReachOutsPage page(f.context());
        FIND_CHILD(markSent, QToolButton, &page, "markSentButton");
        FIND_CHILD(cancel, QToolButton, &page, "cancelReachOutButton");
        QVERIFY2(markSent->toolTip().contains(
                     QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)),
                 qPrintable(markSent->toolTip()));
        QVERIFY2(
            cancel->toolTip().contains(QKeySequence(QKeySequence::Delete).toString(QKeySequence::NativeText)),
            qPrintable(cancel->toolTip()));
        // Nothing selected in an empty list: nothing to act on.
        QVERIFY(!markSent->isEnabled());
        QVERIFY(!cancel->isEnabled());
    }

    void overdueIsHighlighted()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const ScheduledMessage overdue = schedule(f, margaret.contact.id, nowUtc().addSecs(-3600));
        const ScheduledMessage upcoming = schedule(f, margaret.contact.id, nowUtc().addDays(1));
        ui::ReachOutsPage page(f.context());
        QSignalSpy shown(&page, &ui::ReachOutsPage::listShown);
        page.show(); // the list is read when the page is shown, on the read thread
        QVERIFY(shown.wait());
        FIND_CHILD(view, QTableView, &page, "reachOutsView");
        QAbstractItemModel *model = view->model();
        const int overdueRow = rowOf(model, overdue.id);
        const int upcomingRow = rowOf(model, upcoming.id);
        for (int column = 0; column < model->columnCount(); ++column) {
            QVERIFY(model->index(overdueRow, column).data(ui::ReachOutListModel::OverdueRole).toBool());
            QVERIFY(model->index(overdueRow, column).data(Qt::BackgroundRole).value<QColor>().isValid());
            QVERIFY(!model->index(upcomingRow, column).data(ui::ReachOutListModel::OverdueRole).toBool());
            QVERIFY(!model->index(upcomingRow, column).data(Qt::BackgroundRole).isValid());
        }
        FIND_CHILD(summary, QLabel, &page, "reachOutsSummary");
        QCOMPARE(summary->text(), QStringLiteral("2 pending, 1 overdue."));
    }

    void detailShowsTheMessage()
    {
        UiFixture f;
        const auto margaret = f.addCustomer(QStringLiteral("Margaret Hill"));
        const QString text =
            QStringLiteral("Hi Margaret,\nit's been six months: time for the gutters again?");
        const ScheduledMessage custom = schedule(f, margaret.contact.id, nowUtc().addDays(2), text);
        const ScheduledMessage templated = schedule(f, margaret.contact.id, nowUtc().addDays(5));
        ShownPage shown(f);
        QVERIFY(QTest::qWaitForWindowActive(&shown.page));
        FIND_CHILD(view, QTableView, &shown.page, "reachOutsView");
        FIND_CHILD(detail, QPlainTextEdit, &shown.page, "reachOutDetailText");
        FIND_CHILD(title, QLabel, &shown.page, "reachOutDetailTitle");
        QVERIFY(detail->isReadOnly());

        select(view, custom.id);
        QCOMPARE(detail->toPlainText(), text);
        QVERIFY2(title->text().contains(QStringLiteral("Margaret Hill")), qPrintable(title->text()));
        // The arrow keys move the selection and the message follows.
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(shown.page.selectedMessageId(), templated.id);
        QVERIFY2(detail->toPlainText().contains(QStringLiteral("Service reminder")),
                 qPrintable(detail->toPlainText()));
    }
};

QTEST_MAIN(TestReachOuts)
#include "test_reachouts.moc"
