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
        int filter = 1;
        auto reads = std::make_shared<std::atomic<int>>(0);
        QList<int> shown;
        QList<bool> upToDate;
        ui::ListReader<int, int> reader(
            f.context(), [&filter] { return filter; },
            [reads](Result<Core *> core, const int &key) {
                ++*reads;
                // A real read on the reader's own connection: the number of customers, times ten, plus the
                // filter.
                auto counted = (*core)->db().exec(QStringLiteral("SELECT count(*) FROM contacts"));
                return counted && counted->next() ? counted->value(0).toInt() * 10 + key : -1;
            },
            [&shown, &upToDate](const int &listing, bool current) {
                shown.append(listing);
                upToDate.append(current);
            });

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
        QCOMPARE(upToDate, QList<bool>{true});
        QCOMPARE(reads->load(), 2);

        // Quiet again: one request, one read, shown.
        f.addCustomer();
        reader.request();
        QTRY_COMPARE(shown, (QList<int>{12, 22}));
        QCOMPARE(reads->load(), 3);

        // Asked again during a read with the same filter: that answer is shown, marked as already outdated,
        // and the read after it follows.
        reader.request();
        f.addCustomer();
        reader.request();
        QTRY_COMPARE(shown.size(), 4);
        QCOMPARE(shown.at(3), 32);
        QCOMPARE(upToDate.mid(2), (QList<bool>{false, true}));
        QCOMPARE(reads->load(), 5);
    }

    void noAnswerReachesAPageThatIsGone()
    {
        test::UiFixture f;
        int shown = 0;
        auto ran = std::make_shared<std::atomic<bool>>(false);
        auto reader = std::make_unique<ui::ListReader<int, int>>(
            f.context(), [] { return 0; },
            [ran](Result<Core *>, const int &) {
                *ran = true;
                return 1;
            },
            [&shown](const int &, bool) { ++shown; });
        reader->request();
        reader.reset(); // the page closed while its list was being read
        QTRY_VERIFY(ran->load());
        QTest::qWait(50); // the answer, posted when the read ended, had nowhere to go
        QCOMPARE(shown, 0);
    }
};

QTEST_MAIN(TestListReader)
#include "test_list_reader.moc"
