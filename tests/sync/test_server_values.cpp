// The server's convention read into the local one (sync/servervalues.h): exact money, times cut (never
// rounded) to the millisecond whatever their precision and offset, and nothing invented from an unreadable
// value.
#include "servervalues.h"

#include <QJsonValue>
#include <QTest>

using namespace fb;
using namespace fb::sync;

class TestServerValues final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void times_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("local");
        QTest::newRow("PostgreSQL, microseconds") << "2026-12-05T14:05:58.123456+00:00"
                                                  << "2026-12-05T14:05:58.123Z";
        QTest::newRow("cut, not rounded") << "2026-12-31T23:59:59.999999+00:00"
                                          << "2026-12-31T23:59:59.999Z";
        QTest::newRow("the laptop's own") << "2026-12-05T14:05:58.123Z"
                                          << "2026-12-05T14:05:58.123Z";
        QTest::newRow("no fraction") << "2026-12-05T14:05:58+00:00"
                                     << "2026-12-05T14:05:58.000Z";
        QTest::newRow("a space, short offset") << "2026-12-05 14:05:58.1+00"
                                               << "2026-12-05T14:05:58.100Z";
        QTest::newRow("another offset") << "2026-12-05T20:05:58.5+05:30"
                                        << "2026-12-05T14:35:58.500Z";
        QTest::newRow("a negative offset") << "2026-12-05T09:05:58-05:00"
                                           << "2026-12-05T14:05:58.000Z";
        QTest::newRow("no such day") << "2026-02-30T10:00:00+00:00"
                                     << "";
        QTest::newRow("no such hour") << "2026-02-03T25:00:00Z"
                                      << "";
        QTest::newRow("the end of a day (ISO 8601)") << "2026-02-03T24:00:00Z"
                                                     << "2026-02-04T00:00:00.000Z";
        QTest::newRow("not a time") << "next Tuesday"
                                    << "";
    }

    void times()
    {
        QFETCH(QString, server);
        QFETCH(QString, local);
        QCOMPARE(servervalues::timeFromServer(server), local);
    }

    void money()
    {
        QCOMPARE(servervalues::centsFromServer(QJsonValue(QStringLiteral("156.00"))).toLongLong(), 15600);
        QCOMPARE(servervalues::centsFromServer(QJsonValue(QStringLiteral("156.5"))).toLongLong(), 15650);
        QCOMPARE(servervalues::centsFromServer(QJsonValue(QStringLiteral("-0.05"))).toLongLong(), -5);
        QCOMPARE(servervalues::centsFromServer(QJsonValue(156.07)).toLongLong(), 15607);
        QVERIFY(
            !servervalues::centsFromServer(QJsonValue(QStringLiteral("1.005"))).isValid()); // never rounded
        QVERIFY(!servervalues::centsFromServer(QJsonValue(QStringLiteral("12,50"))).isValid());
    }
};

QTEST_GUILESS_MAIN(TestServerValues)
#include "test_server_values.moc"
