// The Sync screen's conflicts (issue 14, item 4): each field both the technician and the office changed, in
// words, newest first, with which value was kept; conflicts the sync worker records on its connection appear
// without a restart.
#include "common/uicontext.h"
#include "support/fixedclock.h"
#include "support/uitestsupport.h"
#include "syncpanel/conflictsmodel.h"
#include "syncpanel/syncpanel.h"

#include <QLabel>
#include <QTableView>
#include <QTest>

#include <optional>

using namespace fb;
using fb::test::UiFixture;

namespace {

const QDate kTuesday(2026, 12, 8);

QDateTime local(const QDate &day, int hour, int minute = 0)
{
    return QDateTime(day, QTime(hour, minute)).toUTC();
}

QString json(const QDateTime &time)
{
    return QStringLiteral("\"%1\"").arg(toStoredTime(time));
}

/// A conflict as the push's acknowledgement stores it (values: JSON text in the local convention).
void addConflict(Core &core, const QUuid &user, const QString &type, const QUuid &id, const QString &field,
                 const QVariant &theirs, const QVariant &mine, const QString &outcome,
                 const QDateTime &detected)
{
    auto added = core.db().exec(
        QStringLiteral(
            "INSERT INTO main.sync_conflicts (id, user_id, entity_type, entity_id, field, base, theirs, "
            "mine, outcome, audit_id, detected_at, theirs_author) "
            "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 'Dana Smith')"),
        {idText(newId()), idText(user), type, idText(id), field, theirs, mine, outcome, idText(newId()),
         toStoredTime(detected)});
    if (!added)
        qFatal("cannot add a conflict: %s", qPrintable(added.error().toString()));
}

QStringList rowText(QTableView *view, int row)
{
    QStringList cells;
    for (int column = 0; column < view->model()->columnCount(); ++column)
        cells << view->model()->index(row, column).data().toString();
    return cells;
}

} // namespace

class TestConflicts final : public QObject
{
    Q_OBJECT

    std::optional<test::FixedClock> m_clock;

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void init() { m_clock.emplace(local(kTuesday, 8)); }
    void cleanup() { m_clock.reset(); }

    void theSyncScreenListsConflictsInWordsNewestFirst()
    {
        UiFixture f;
        const auto catalog = f.addCatalog();
        const auto customer = f.addCustomer(QStringLiteral("Rosa Diaz"));
        auto job = f->tickets.create({customer.contact.id, customer.address.id, local(kTuesday, 10), 60, {}});
        VERIFY_OK(job);
        LineItemCreate item;
        item.serviceId = catalog.fixed.id;
        auto line = f->tickets.addLineItem(job->id, item);
        VERIFY_OK(line);

        addConflict(f.core(), f.alice(), QStringLiteral("ticket"), job->id, QStringLiteral("scheduled_at"),
                    json(local(kTuesday.addDays(1), 14)), json(local(kTuesday, 11)), QStringLiteral("theirs"),
                    local(kTuesday, 9));
        addConflict(f.core(), f.alice(), QStringLiteral("line_item"), line->id, QStringLiteral("total_price"),
                    QStringLiteral("9900"), QStringLiteral("15600"), QStringLiteral("mine"),
                    local(kTuesday, 11));
        addConflict(f.core(), f.alice(), QStringLiteral("ticket"), job->id, QStringLiteral("notes"),
                    QStringLiteral("null"), QStringLiteral("\"Side gate\""), QStringLiteral("deleted"),
                    local(kTuesday, 10));

        ui::SyncPanel panel(f.context(), nullptr);
        panel.resize(1200, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        FIND_CHILD(view, QTableView, &panel, "conflictsView");
        FIND_CHILD(title, QLabel, &panel, "conflictsTitle");
        QCOMPARE(view->model()->rowCount(), 3);
        QCOMPARE(rowText(view, 0), (QStringList{QStringLiteral("Tue 8 Dec, 11:00 AM"),
                                                QStringLiteral("Line item Window cleaning"),
                                                QStringLiteral("total"), QStringLiteral("$99.00"),
                                                QStringLiteral("$156.00"), QStringLiteral("yours kept")}));
        QCOMPARE(rowText(view, 1),
                 (QStringList{QStringLiteral("Tue 8 Dec, 10:00 AM"),
                              QStringLiteral("Job on Tue 8 Dec for Rosa Diaz"), QStringLiteral("notes"),
                              QStringLiteral("—"), QStringLiteral("Side gate"),
                              QStringLiteral("deleted at the office")}));
        QCOMPARE(rowText(view, 2),
                 (QStringList{QStringLiteral("Tue 8 Dec, 9:00 AM"),
                              QStringLiteral("Job on Tue 8 Dec for Rosa Diaz"), QStringLiteral("time"),
                              QStringLiteral("Wed 9 Dec, 2:00 PM"), QStringLiteral("Tue 8 Dec, 11:00 AM"),
                              QStringLiteral("the office's kept")}));
        QCOMPARE(view->model()->index(2, ui::ConflictsModel::Theirs).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Wed 9 Dec, 2:00 PM (by Dana Smith)"));
        QVERIFY2(title->text().startsWith(QStringLiteral("Conflicts: 3 fields")), qPrintable(title->text()));

        // The sync worker records one more on its own connection: it shows, first, without a restart.
        auto sync = f.reopen();
        VERIFY_OK(sync->setCurrentUser(f.alice()));
        addConflict(*sync, f.alice(), QStringLiteral("ticket"), job->id, QStringLiteral("status"),
                    QStringLiteral("\"cancelled\""), QStringLiteral("\"completed\""), QStringLiteral("mine"),
                    local(kTuesday, 12));
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 4, 1000);
        QCOMPARE(rowText(view, 0).mid(2),
                 (QStringList{QStringLiteral("status"), QStringLiteral("Cancelled"),
                              QStringLiteral("Completed"), QStringLiteral("yours kept")}));
    }

    void noConflictsSaysSo()
    {
        UiFixture f;
        ui::SyncPanel panel(f.context(), nullptr);
        FIND_CHILD(view, QTableView, &panel, "conflictsView");
        FIND_CHILD(title, QLabel, &panel, "conflictsTitle");
        QCOMPARE(view->model()->rowCount(), 0);
        QVERIFY2(title->text().startsWith(QStringLiteral("Conflicts: none")), qPrintable(title->text()));
    }
};

QTEST_MAIN(TestConflicts)
#include "test_conflicts.moc"
