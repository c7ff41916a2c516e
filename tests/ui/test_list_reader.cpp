// ListReader: a page's list read on the read thread. A burst of changes (a pull announces many) is one more
// read, not one per change, and a list read for a filter the technician has since changed is never shown.
#include "common/listreader.h"
#include "support/uitestsupport.h"

#include <QTest>

#include <atomic>
#include <memory>

using namespace fb;

class TestListReader final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aBurstOfRequestsIsOneMoreReadAndOnlyTheCurrentFilterIsShown()
    {
        test::UiFixture f;
        QObject page;
        int filter = 1;
        auto reads = std::make_shared<std::atomic<int>>(0);
        QList<int> shown;
        ui::ListReader<int, int> reader(
            f.context(), &page, [&filter] { return filter; },
            [reads](Result<Core *> core, const int &key) {
                ++*reads;
                // A real read on the reader's own connection: the number of customers, times ten, plus the
                // filter.
                auto counted = (*core)->db().exec(QStringLiteral("SELECT count(*) FROM contacts"));
                return counted && counted->next() ? counted->value(0).toInt() * 10 + key : -1;
            },
            [&shown](const int &listing) { shown.append(listing); });

        // Asked three times, and the filter changed, before the first answer could come back.
        reader.request();
        QVERIFY(reader.reading());
        reader.request();
        f.addCustomer();
        reader.request();
        filter = 2;
        QTRY_VERIFY(!reader.reading());
        // The first read's answer (filter 1) was dropped; one more read followed, for filter 2, with the
        // customer added meanwhile.
        QCOMPARE(shown, QList<int>{12});
        QCOMPARE(reads->load(), 2);

        // Quiet again: one request, one read, shown.
        f.addCustomer();
        reader.request();
        QTRY_COMPARE(shown, (QList<int>{12, 22}));
        QCOMPARE(reads->load(), 3);
    }

    void noAnswerReachesAPageThatIsGone()
    {
        test::UiFixture f;
        auto page = std::make_unique<QObject>();
        int shown = 0;
        auto reader = std::make_unique<ui::ListReader<int, int>>(
            f.context(), page.get(), [] { return 0; }, [](Result<Core *>, const int &) { return 1; },
            [&shown](const int &) { ++shown; });
        reader->request();
        reader.reset();
        page.reset();
        QTest::qWait(100); // the read ran and its answer had nowhere to go
        QCOMPARE(shown, 0);
    }
};

QTEST_MAIN(TestListReader)
#include "test_list_reader.moc"
