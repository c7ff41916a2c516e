// The value types every screen and the sync module rely on: enums as the seed's strings, money in exact
// cents, times in UTC with milliseconds.
#include "models/enums.h"
#include "models/validation.h"
#include "util/money.h"
#include "util/timeutil.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

#include <limits>

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

    // Money::parseTyped: what a person types, in their locale. The locale is set per row, never the
    // machine's.
    void moneyTypedFollowsTheLocale_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("cents");
        QTest::newRow("en_US plain") << "en_US"
                                     << "12.50" << qint64(1250);
        QTest::newRow("en_US one decimal") << "en_US"
                                           << "12.5" << qint64(1250);
        QTest::newRow("en_US whole") << "en_US"
                                     << "12" << qint64(1200);
        QTest::newRow("en_US groups") << "en_US"
                                      << "1,250.00" << qint64(125000);
        QTest::newRow("en_US two groups") << "en_US"
                                          << "1,234,567.89" << qint64(123456789);
        QTest::newRow("en_US dollar before") << "en_US"
                                             << "$1,250.00" << qint64(125000);
        QTest::newRow("en_US dollar after, spaces") << "en_US"
                                                    << " 19.99 $ " << qint64(1999);
        QTest::newRow("en_US ISO code") << "en_US"
                                        << "USD 7.05" << qint64(705);
        QTest::newRow("en_US euro sign") << "en_US"
                                         << "\u20ac5" << qint64(500);
        QTest::newRow("en_US pound sign") << "en_US"
                                          << "\u00a30.07" << qint64(7);
        QTest::newRow("en_US float trap") << "en_US"
                                          << "1.10" << qint64(110);
        QTest::newRow("en_US largest") << "en_US"
                                       << "99,999,999.99" << qint64(9'999'999'999);
        QTest::newRow("en_US no whole part") << "en_US"
                                             << ".50" << qint64(50);
        QTest::newRow("de_DE comma") << "de_DE"
                                     << "12,50" << qint64(1250);
        QTest::newRow("de_DE groups") << "de_DE"
                                      << "1.250,00" << qint64(125000);
        QTest::newRow("de_DE euro after") << "de_DE"
                                          << "1.250,00 \u20ac" << qint64(125000);
        QTest::newRow("de_DE euro after, no-break space") << "de_DE"
                                                          << "4,50\u00a0\u20ac" << qint64(450);
        QTest::newRow("de_DE thousand, no decimals") << "de_DE"
                                                     << "1.250" << qint64(125000);
        QTest::newRow("fr_FR comma") << "fr_FR"
                                     << "12,5" << qint64(1250);
        QTest::newRow("fr_FR narrow no-break space groups") << "fr_FR"
                                                            << "1\u202f250,00" << qint64(125000);
        QTest::newRow("fr_FR plain space groups") << "fr_FR"
                                                  << "1 250,00 \u20ac" << qint64(125000);
        QTest::newRow("fr_FR no-break space groups") << "fr_FR"
                                                     << "12\u00a0345,67" << qint64(1234567);
        QTest::newRow("en_IN lakh groups") << "en_IN"
                                           << "1,25,000.00" << qint64(12500000);
        QTest::newRow("en_IN crore groups") << "en_IN"
                                            << "\u20b91,23,45,678.90" << qint64(1234567890);
        QTest::newRow("en_IN thousand") << "en_IN"
                                        << "1,250.50" << qint64(125050);
        QTest::newRow("zero") << "en_US"
                              << "0" << qint64(0);
    }

    void moneyTypedFollowsTheLocale()
    {
        QFETCH(QString, locale);
        QFETCH(QString, text);
        QFETCH(qint64, cents);
        const auto money = Money::parseTyped(text, QLocale(locale), QStringLiteral("Price"));
        QVERIFY2(money.ok(), qPrintable(money ? QString() : money.error().toString()));
        QCOMPARE(money->cents(), cents);
        // What the edit field shows for a stored amount is read back as the same amount.
        const auto again = Money::parseTyped(money->toTypedString(QLocale(locale)), QLocale(locale),
                                             QStringLiteral("Price"));
        QVERIFY(again.ok());
        QCOMPARE(again->cents(), cents);
    }

    void moneyTypedRefusesWhatIsNotAnAmount_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message"); // Error::toString(): the field as the user reads it, then why
        QTest::newRow("en_US comma as decimal") << "en_US"
                                                << "12,50"
                                                << "Price: type an amount like 12.50 ('12,50' is not one)";
        QTest::newRow("en_US group misplaced")
            << "en_US"
            << "1,25,000.00"
            << "Price: type an amount like 12.50 ('1,25,000.00' is not one)";
        QTest::newRow("en_US three decimals")
            << "en_US"
            << "12.345"
            << "Price: type an amount with at most two decimals, like 12.50 ('12.345' has more)";
        QTest::newRow("en_US negative") << "en_US"
                                        << "-5"
                                        << "Price: type an amount of zero or more ('-5' is negative)";
        QTest::newRow("en_US negative after the sign")
            << "en_US"
            << "$-5.00"
            << "Price: type an amount of zero or more ('$-5.00' is negative)";
        QTest::newRow("en_US words") << "en_US"
                                     << "twelve"
                                     << "Price: type an amount like 12.50 ('twelve' is not one)";
        QTest::newRow("en_US empty") << "en_US"
                                     << "  "
                                     << "Price: type an amount like 12.50";
        QTest::newRow("en_US sign only") << "en_US"
                                         << "$"
                                         << "Price: type an amount like 12.50 ('$' is not one)";
        QTest::newRow("en_US two points") << "en_US"
                                          << "1.2.3"
                                          << "Price: type an amount like 12.50 ('1.2.3' is not one)";
        QTest::newRow("en_US exponent") << "en_US"
                                        << "1e3"
                                        << "Price: type an amount like 12.50 ('1e3' is not one)";
        QTest::newRow("en_US two signs") << "en_US"
                                         << "$5$"
                                         << "Price: type an amount like 12.50 ('$5$' is not one)";
        QTest::newRow("en_US too large") << "en_US"
                                         << "1234567890123456"
                                         << "Price: '1234567890123456' is too large for an amount";
        // The point is a group separator in German: "12.50" is not twelve fifty, and is not guessed at.
        QTest::newRow("de_DE point as decimal") << "de_DE"
                                                << "12.50"
                                                << "Price: type an amount like 12,50 ('12.50' is not one)";
        QTest::newRow("de_DE three decimals")
            << "de_DE"
            << "1,999"
            << "Price: type an amount with at most two decimals, like 12,50 ('1,999' has more)";
        QTest::newRow("fr_FR group misplaced") << "fr_FR"
                                               << "12 50,00"
                                               << "Price: type an amount like 12,50 ('12 50,00' is not one)";
        QTest::newRow("en_IN western groups") << "en_IN"
                                              << "125,000.00"
                                              << "Price: type an amount like 12.50 ('125,000.00' is not one)";
    }

    void moneyTypedRefusesWhatIsNotAnAmount()
    {
        QFETCH(QString, locale);
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto money = Money::parseTyped(text, QLocale(locale), QStringLiteral("Price"));
        QVERIFY2(!money.ok(), qPrintable(QString::number(money ? money->cents() : 0)));
        QCOMPARE(money.error().code, ErrorCode::Validation);
        QCOMPARE(money.error().field, QStringLiteral("Price"));
        QCOMPARE(money.error().toString(), message);
    }

    void moneyTypedAllowsANegativeWhereAsked()
    {
        const auto refund =
            Money::parseTyped(QStringLiteral("-12,50 \u20ac"), QLocale(QStringLiteral("de_DE")),
                              QStringLiteral("Adjustment"), Money::Negative::Allowed);
        QVERIFY(refund.ok());
        QCOMPARE(refund->cents(), qint64(-1250));
        QCOMPARE(refund->toTypedString(QLocale(QStringLiteral("de_DE"))), QStringLiteral("-12,50"));
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

    // Issue 15: one amount written for people in each locale, with the business's currency where the locale
    // puts its own.
    void moneyDisplaysInTheLocaleWithTheBusinessCurrency_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<qint64>("cents");
        QTest::addColumn<QString>("shown");
        QTest::newRow("de_DE euro") << "de_DE"
                                    << "\u20ac" << qint64(123450) << "1.234,50\u00a0\u20ac";
        QTest::newRow("en_US dollar") << "en_US"
                                      << "$" << qint64(123450) << "$1,234.50";
        QTest::newRow("en_US pounds, a refund") << "en_US"
                                                << "\u00a3" << qint64(-705) << "-\u00a37.05";
        QTest::newRow("de_DE francs, large") << "de_DE"
                                             << "CHF" << qint64(9'999'999'999) << "99.999.999,99\u00a0CHF";
    }
    void moneyDisplaysInTheLocaleWithTheBusinessCurrency()
    {
        QFETCH(QString, locale);
        QFETCH(QString, currency);
        QFETCH(qint64, cents);
        QFETCH(QString, shown);
        QCOMPARE(Money::fromCents(cents).toDisplayString(QLocale(locale), currency), shown);
    }

    // Issue 15: a quantity of 0 is refused with a reason, never read as 1.
    void quantityIsOneOrMore_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<int>("quantity"); // 0: refused
        QTest::addColumn<QString>("said");
        QTest::newRow("3") << "3" << 3 << "";
        QTest::newRow("spaces around") << " 12 " << 12 << "";
        QTest::newRow("zero") << "0" << 0 << "type 1 or more ('0' is not a quantity)";
        QTest::newRow("zeros") << "000" << 0 << "type 1 or more ('000' is not a quantity)";
        QTest::newRow("negative") << "-2" << 0 << "type a whole number of 1 or more ('-2' is not one)";
        QTest::newRow("decimal") << "1.5" << 0 << "type a whole number of 1 or more ('1.5' is not one)";
        QTest::newRow("empty") << "" << 0 << "type how many, 1 or more";
        QTest::newRow("too many") << "100000" << 0 << "type at most 99999";
    }
    void quantityIsOneOrMore()
    {
        QFETCH(QString, typed);
        QFETCH(int, quantity);
        QFETCH(QString, said);
        const auto read = validate::typedQuantity(typed);
        if (quantity == 0) {
            QVERIFY(!read);
            QCOMPARE(read.error().field, QStringLiteral("quantity"));
            QCOMPARE(read.error().message, said);
        } else {
            QVERIFY(read);
            QCOMPARE(*read, quantity);
        }
        QVERIFY(!validate::quantity(0));
        QCOMPARE(validate::quantity(0).error().message,
                 QStringLiteral("type 1 or more (0 is not a quantity)"));
        QVERIFY(validate::quantity(1));
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

    void storedTimesReadAndWriteAsQtsIsoForms()
    {
        // toStoredTime and fromStoredTime write and read the stored form themselves (the week view reads
        // thousands of times): they must agree with Qt's ISO formatting and parsing for every instant, across
        // leap days, month ends and the epoch, and for texts in other ISO forms.
        QList<QDateTime> instants{QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC),
                                  QDateTime(QDate(1969, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
                                  QDateTime(QDate(2000, 2, 29), QTime(12, 0, 0, 1), Qt::UTC),
                                  QDateTime(QDate(2100, 3, 1), QTime(0, 0), Qt::UTC),
                                  QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC),
                                  QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC)};
        QRandomGenerator rng(16);
        for (int i = 0; i < 2000; ++i)
            instants.append(QDateTime::fromMSecsSinceEpoch(
                qint64(rng.bounded(std::numeric_limits<int>::max())) * 2000 - qint64(10) * 365 * 86400000,
                Qt::UTC));
        for (const QDateTime &instant : std::as_const(instants)) {
            const QString qtText = instant.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
            QCOMPARE(toStoredTime(instant), qtText);
            const QDateTime read = fromStoredTime(qtText);
            QCOMPARE(read, instant);
            QCOMPARE(read.timeSpec(), Qt::UTC);
        }
        QVERIFY(toStoredTime(QDateTime()).isEmpty());
        // Not the stored form: read by Qt's parser, as before (or not at all).
        QCOMPARE(fromStoredTime(QStringLiteral("2026-07-01T09:30:15.123+02:00")),
                 QDateTime(QDate(2026, 7, 1), QTime(7, 30, 15, 123), Qt::UTC));
        QCOMPARE(fromStoredTime(QStringLiteral("2026-07-01T07:30:15Z")),
                 QDateTime(QDate(2026, 7, 1), QTime(7, 30, 15), Qt::UTC));
        for (const char *bad : {"2026-02-30T07:30:15.123Z", "2026-13-01T07:30:15.123Z",
                                "2026-07-01T07:60:15.123Z", "2026-07-01T07:30:15.12xZ"})
            QCOMPARE(fromStoredTime(QString::fromLatin1(bad)),
                     QDateTime::fromString(QString::fromLatin1(bad), Qt::ISODateWithMs).toUTC());
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
