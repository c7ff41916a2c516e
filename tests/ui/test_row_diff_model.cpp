// RowDiffModel: when a screen reads its rows again after a change, the rows that stayed keep the selection,
// the current row and the scroll position; the model ends equal to the new list whatever the change (rows
// added, removed, moved, edited), checked by Qt's own model tester.
#include "common/rowdiffmodel.h"

#include <QAbstractItemModelTester>
#include <QAbstractListModel>
#include <QListView>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace fb::ui;

namespace {

struct Item
{
    QString key;
    QString text;
};

class ItemModel final : public RowDiffModel<QAbstractListModel>
{
public:
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_items.size());
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::DisplayRole || !index.isValid())
            return {};
        return m_items.at(index.row()).text;
    }
    void setItems(QList<Item> items)
    {
        replaceRows(m_items, std::move(items), [](const Item &item) { return item.key; });
    }
    /// As a screen whose rows say whether they changed: only those are announced.
    void setItemsComparing(QList<Item> items)
    {
        replaceRows(
            m_items, std::move(items), [](const Item &item) { return item.key; },
            [](const Item &old, const Item &fresh) { return old.text == fresh.text; });
    }
    QStringList texts() const
    {
        QStringList list;
        for (const Item &item : m_items)
            list << item.text;
        return list;
    }

private:
    QList<Item> m_items;
};

QList<Item> items(const QStringList &keys, const QString &suffix = {})
{
    QList<Item> list;
    for (const QString &key : keys)
        list.append({key, key + suffix});
    return list;
}

} // namespace

class TestRowDiffModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsReadAgainUnchangedAreNotAnnounced()
    {
        ItemModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setItemsComparing(items({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                       QStringLiteral("d"), QStringLiteral("e")}));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // Read again as they were (a change elsewhere that none of them shows): nothing to redraw or measure.
        model.setItemsComparing(items({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                       QStringLiteral("d"), QStringLiteral("e")}));
        QCOMPARE(changed.count(), 0);

        // "b" and "c" edited, "e" edited, "f" added: the edited rows only, runs of them together.
        model.setItemsComparing({{QStringLiteral("a"), QStringLiteral("a")},
                                 {QStringLiteral("b"), QStringLiteral("b2")},
                                 {QStringLiteral("c"), QStringLiteral("c2")},
                                 {QStringLiteral("d"), QStringLiteral("d")},
                                 {QStringLiteral("e"), QStringLiteral("e2")},
                                 {QStringLiteral("f"), QStringLiteral("f")}});
        QCOMPARE(model.texts(),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b2"), QStringLiteral("c2"),
                              QStringLiteral("d"), QStringLiteral("e2"), QStringLiteral("f")}));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 4);
        QCOMPARE(changed.at(1).at(1).toModelIndex().row(), 4);
    }

    void theSelectedRowStaysSelectedWhenOthersComeAndGo()
    {
        ItemModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QListView view;
        view.setModel(&model);
        model.setItems(
            items({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")}));
        view.setCurrentIndex(model.index(2, 0)); // "c"

        // "a" removed, "x" added before "c", "c" edited, "d" moved before "b".
        model.setItems({{QStringLiteral("x"), QStringLiteral("x")},
                        {QStringLiteral("d"), QStringLiteral("d")},
                        {QStringLiteral("b"), QStringLiteral("b")},
                        {QStringLiteral("c"), QStringLiteral("c (moved to Wed 14:00)")}});

        QCOMPARE(model.texts(), QStringList({QStringLiteral("x"), QStringLiteral("d"), QStringLiteral("b"),
                                             QStringLiteral("c (moved to Wed 14:00)")}));
        QCOMPARE(view.currentIndex().data().toString(), QStringLiteral("c (moved to Wed 14:00)"));
        QCOMPARE(view.selectionModel()->selectedIndexes().size(), 1);
        QCOMPARE(view.selectionModel()->selectedIndexes().first().row(), 3);
    }

    void theScrollPositionStaysWhenARowBelowChanges()
    {
        ItemModel model;
        QListView view;
        view.resize(200, 100);
        view.setModel(&model);
        QStringList keys;
        for (int i = 0; i < 200; ++i)
            keys << QStringLiteral("row %1").arg(i, 3, 10, QLatin1Char('0'));
        model.setItems(items(keys));
        view.show();
        view.scrollTo(model.index(120, 0), QAbstractItemView::PositionAtTop);
        const int scrolled = view.verticalScrollBar()->value();
        QVERIFY(scrolled > 0);

        QList<Item> changed = items(keys);
        changed[150].text = QStringLiteral("edited by the office");
        model.setItems(changed);
        QCOMPARE(view.verticalScrollBar()->value(), scrolled);
        QCOMPARE(model.texts().at(150), QStringLiteral("edited by the office"));
    }

    void anyChangeEndsEqualToTheNewList()
    {
        ItemModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QRandomGenerator random(20261205); // fixed seed: the same lists on every run
        for (int round = 0; round < 300; ++round) {
            QStringList keys;
            for (int i = 0; i < 12; ++i)
                if (random.bounded(3) != 0)
                    keys << QString::number(i);
            for (qsizetype i = keys.size() - 1; i > 0; --i)
                keys.swapItemsAt(i, random.bounded(int(i + 1)));
            const QString suffix = QStringLiteral(" v%1").arg(round);
            model.setItems(items(keys, suffix));
            QStringList expected;
            for (const QString &key : keys)
                expected << key + suffix;
            QCOMPARE(model.texts(), expected);
        }
    }
};

QTEST_MAIN(TestRowDiffModel)
#include "test_row_diff_model.moc"
