// The value types every screen and the sync module rely on: enums as the seed's strings, money in exact
// cents, times in UTC with milliseconds.
#include "models/enums.h"
#include "util/money.h"
#include "util/timeutil.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;

class TestModels final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enumsRoundTripTheSeedsStrings()
    {
        for (auto v : {TicketStatus::Scheduled, TicketStatus::InProgress, TicketStatus::Completed,
                       TicketStatus::Cancelled})
            QVERIFY(*parseTicketStatus(toString(v)) == v);
        for (auto v : {PricingType::Fixed, PricingType::Flexible, PricingType::PerUnit})
            QVERIFY(*parsePricingType(toString(v)) == v);
        for (auto v : {InvoiceStatus::Draft, InvoiceStatus::Sent, InvoiceStatus::Paid, InvoiceStatus::Void})
            QVERIFY(*parseInvoiceStatus(toString(v)) == v);
        for (auto v :
             {MessageStatus::Pending, MessageStatus::Sent, MessageStatus::Cancelled, MessageStatus::Failed})
            QVERIFY(*parseMessageStatus(toString(v)) == v);
        for (auto v :
             {NextServiceAction::ScheduleNow, NextServiceAction::ReachOut, NextServiceAction::NoFollowup})
            QVERIFY(*parseNextServiceAction(toString(v)) == v);
        QCOMPARE(toString(TicketStatus::InProgress), QStringLiteral("in_progress"));
        QCOMPARE(toString(PricingType::PerUnit), QStringLiteral("per_unit"));
        QCOMPARE(toString(NextServiceAction::NoFollowup), QStringLiteral("no_followup"));
    }

    void unknownEnumValuesNameTheFieldAndTheChoices_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("oneChoice");
        QTest::newRow("ticket status, wrong case") << "ticket"
                                                   << "Scheduled"
                                                   << "status"
                                                   << "in_progress";
        QTest::newRow("ticket status, made up") << "ticket"
                                                << "done"
                                                << "status"
                                                << "completed";
        QTest::newRow("pricing type with a dash") << "pricing"
                                                  << "per-unit"
                                                  << "pricing_type"
                                                  << "per_unit";
        QTest::newRow("pricing type empty") << "pricing"
                                            << ""
                                            << "pricing_type"
                                            << "flexible";
        QTest::newRow("invoice status") << "invoice"
                                        << "refunded"
                                        << "status"
                                        << "void";
        QTest::newRow("message status") << "message"
                                        << "queued"
                                        << "status"
                                        << "pending";
        QTest::newRow("next service") << "next"
                                      << "later"
                                      << "next_service_action"
                                      << "reach_out";
    }

    void unknownEnumValuesNameTheFieldAndTheChoices()
    {
        QFETCH(QString, kind);
        QFETCH(QString, text);
        QFETCH(QString, field);
        QFETCH(QString, oneChoice);
        Error error;
        if (kind == QStringLiteral("ticket"))
            error = parseTicketStatus(text).error();
        else if (kind == QStringLiteral("pricing"))
            error = parsePricingType(text).error();
        else if (kind == QStringLiteral("invoice"))
            error = parseInvoiceStatus(text).error();
        else if (kind == QStringLiteral("message"))
            error = parseMessageStatus(text).error();
        else
            error = parseNextServiceAction(text).error();
        QCOMPARE(error.code, ErrorCode::Validation);
        QCOMPARE(error.field, field);
        QVERIFY2(error.message.contains(oneChoice), qPrintable(error.message));
        QVERIFY2(error.message.contains(QLatin1Char('\'') + text + QLatin1Char('\'')),
                 qPrintable(error.message));
    }

    void moneyParsesExactly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("cents");
        QTest::newRow("whole") << "12" << qint64(1200);
        QTest::newRow("one decimal") << "12.5" << qint64(1250);
        QTest::newRow("two decimals") << "19.99" << qint64(1999);
        QTest::newRow("cents only") << "0.01" << qint64(1);
        QTest::newRow("padded") << " 7.10 " << qint64(710);
        QTest::newRow("negative") << "-3.25" << qint64(-325);
        QTest::newRow("largest") << "99999999.99" << qint64(9'999'999'999);
        // 0.1 + 0.2 style float drift never happens: 1.10 is 110 cents, not 110.00000000000001.
        QTest::newRow("float trap") << "1.10" << qint64(110);
    }

    void moneyParsesExactly()
    {
        QFETCH(QString, text);
        QFETCH(qint64, cents);
        const auto money = Money::parse(text);
        QVERIFY(money.ok());
        QCOMPARE(money->cents(), cents);
    }

    void moneyRejectsWhatIsNotAnAmount_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("three decimals") << "1.999";
        QTest::newRow("comma") << "1,50";
        QTest::newRow("currency sign") << "$5";
        QTest::newRow("empty") << "";
        QTest::newRow("letters") << "ten";
        QTest::newRow("exponent") << "1e3";
        QTest::newRow("dot only") << ".";
    }

    void moneyRejectsWhatIsNotAnAmount()
    {
        QFETCH(QString, text);
        const auto money = Money::parse(text, QStringLiteral("unit_price"));
        QVERIFY(!money.ok());
        QCOMPARE(money.error().code, ErrorCode::Validation);
        QCOMPARE(money.error().field, QStringLiteral("unit_price"));
    }

    void moneyValidatesItsRange()
    {
        QVERIFY(Money::fromCents(0).validate(QStringLiteral("total")).ok());
        QVERIFY(Money::fromCents(Money::kMaxCents).validate(QStringLiteral("total")).ok());
        const auto negative = Money::fromCents(-1).validate(QStringLiteral("total"));
        QVERIFY(!negative.ok());
        QCOMPARE(negative.error().field, QStringLiteral("total"));
        QVERIFY(!Money::fromCents(Money::kMaxCents + 1).validate(QStringLiteral("total")).ok());
        // Multiplying can neither overflow nor leave the range.
        QCOMPARE(Money::fromCents(1999).times(3, QStringLiteral("total"))->cents(), qint64(5997));
        QVERIFY(!Money::fromCents(Money::kMaxCents).times(2, QStringLiteral("total")).ok());
        QVERIFY(
            !Money::fromCents(std::numeric_limits<qint64>::max() / 2).times(3, QStringLiteral("total")).ok());
    }

    void moneyFormatsAsADecimal()
    {
        QCOMPARE(Money::fromCents(123450).toDecimalString(), QStringLiteral("1234.50"));
        QCOMPARE(Money::fromCents(5).toDecimalString(), QStringLiteral("0.05"));
        QCOMPARE(Money::fromCents(-325).toDecimalString(), QStringLiteral("-3.25"));
        QCOMPARE(Money::fromCents(0).toDecimalString(), QStringLiteral("0.00"));
    }

    void timesAreStoredInUtcWithMilliseconds()
    {
        const QDateTime local(QDate(2026, 7, 1), QTime(9, 30, 15, 123),
                              QTimeZone(QByteArrayLiteral("Europe/Berlin")));
        const QString stored = toStoredTime(local);
        QCOMPARE(stored, QStringLiteral("2026-07-01T07:30:15.123Z"));
        const QDateTime back = fromStoredTime(stored);
        QCOMPARE(back, local);
        QCOMPARE(back.timeSpec(), Qt::UTC);
        QCOMPARE(nowUtc().time().msec() >= 0, true);
        QCOMPARE(nowUtc().timeSpec(), Qt::UTC);
        QVERIFY(!fromStoredTime(QVariant()).isValid());
        QVERIFY(!fromStoredTime(QStringLiteral("yesterday")).isValid());
        // Text order is time order, so SQL can compare the stored form.
        QVERIFY(toStoredTime(local) < toStoredTime(local.addMSecs(1)));
    }

    void idsAreCanonicalLowercaseText()
    {
        const QUuid id = newId();
        const QString text = idText(id);
        QCOMPARE(text.size(), 36);
        QCOMPARE(text, text.toLower());
        QVERIFY(!text.startsWith(QLatin1Char('{')));
        QCOMPARE(idFromVariant(text), id);
        QVERIFY(idText(QUuid()).isEmpty());
        QVERIFY(idOrNull(QUuid()).isNull());
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
