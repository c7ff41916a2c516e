// ReadWorker, the window's read thread: closing the window never waits for a read. The first page of
// customers is read ahead on it at start, and a search over a large file may still run when the technician
// quits: the read in flight is interrupted and the reads queued behind it are not started.
#include "common/readworker.h"
#include "core.h"
#include "support/testsupport.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTest>

#include <atomic>
#include <memory>

using namespace fb;

class TestReadWorker final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aQuitInterruptsTheReadInFlightAndDropsTheQueue()
    {
        test::CoreFixture f;
        QObject receiver;
        QSemaphore started;
        auto outcome = std::make_shared<QString>();
        auto queuedRan = std::make_shared<std::atomic<bool>>(false);
        QElapsedTimer destroying;
        {
            auto worker = std::make_unique<ui::ReadWorker>(f.path());
            // A read that would run for minutes: a count to ten billion.
            worker->post<int>(
                f.alice(), &receiver,
                [&started, outcome](Result<Core *> core) {
                    if (!core) {
                        *outcome = core.error().toString();
                        started.release();
                        return 0;
                    }
                    started.release();
                    // Two statements: the quit must stop the one it finds running and the next one too.
                    for (int i = 0; i < 2; ++i) {
                        auto counted = (*core)->db().exec(QStringLiteral(
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i "
                            "< 10000000000) SELECT count(*) FROM n"));
                        *outcome += counted ? QStringLiteral("finished;")
                                            : counted.error().toString() + QLatin1Char(';');
                    }
                    return 0;
                },
                [](int) {});
            worker->post<int>(
                f.alice(), &receiver,
                [queuedRan](Result<Core *>) {
                    *queuedRan = true;
                    return 0;
                },
                [](int) {});
            QVERIFY(started.tryAcquire(1, 10000));
            QTest::qWait(50); // the count is running
            destroying.start();
        }
        const qint64 quitMs = destroying.elapsed();
        // Interrupted, not finished: the quit took a moment, not the minutes the read needed.
        QVERIFY2(outcome->count(QStringLiteral("interrupt"), Qt::CaseInsensitive) == 2, qPrintable(*outcome));
        QVERIFY2(quitMs < 5000, qPrintable(QString::number(quitMs)));
        QVERIFY(!*queuedRan);
    }
};

QTEST_MAIN(TestReadWorker)
#include "test_read_worker.moc"
