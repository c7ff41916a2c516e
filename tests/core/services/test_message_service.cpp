#include "support/testsupport.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM main.scheduled_messages")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox")),
            scalar(f, QStringLiteral("SELECT count(*) FROM domain_events"))};
}

QDateTime at(int month, int day, int hour = 9)
{
    return QDateTime(QDate(2030, month, day), QTime(hour, 0), QTimeZone::utc());
}

ScheduledMessageCreate reminder(const QUuid &contactId, const QDateTime &when)
{
    ScheduledMessageCreate data;
    data.contactId = contactId;
    data.templateName = QStringLiteral("service_reminder");
    data.scheduledFor = when;
    return data;
}

ScheduledMessage schedule(test::CoreFixture &f, const ScheduledMessageCreate &data)
{
    auto message = f->messages.schedule(data);
    if (!message)
        qFatal("cannot schedule: %s", qPrintable(message.error().toString()));
    return *message;
}

QList<QUuid> ids(const Result<QList<ScheduledMessage>> &messages)
{
    QList<QUuid> result;
    if (!messages)
        return {QUuid()};
    for (const ScheduledMessage &message : *messages)
        result.append(message.id);
    return result;
}

QString statusOf(const Result<ScheduledMessage> &message)
{
    return message ? toString(message->status) : QStringLiteral("error: ") + message.error().toString();
}

template <typename T> QString invalidStateMismatch(const Result<T> &result)
{
    if (result.ok())
        return QStringLiteral("succeeded");
    if (result.error().code != ErrorCode::InvalidState)
        return QStringLiteral("failed with %1").arg(result.error().toString());
    return {};
}

qint64 eventCount(test::CoreFixture &f, const QString &type, const QUuid &messageId)
{
    return scalar(f,
                  QStringLiteral("SELECT count(*) FROM domain_events WHERE event_type = ? AND "
                                 "json_extract(payload, '$.message_id') = ?"),
                  {type, idText(messageId)});
}

} // namespace

class TestMessageService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scheduleStoresAPendingMessage()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        // 11:00 at UTC+2 is 09:00 UTC.
        ScheduledMessageCreate data =
            reminder(customer.contact.id, QDateTime(QDate(2030, 9, 1), QTime(11, 0), QTimeZone(7200)));
        auto message = f->messages.schedule(data);
        VERIFY_OK(message);
        QCOMPARE(toString(message->status), QStringLiteral("pending"));
        QCOMPARE(message->userId, f.alice());
        auto stored = f->messages.getById(message->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->contactId, customer.contact.id);
        QCOMPARE(stored->templateName, QStringLiteral("service_reminder"));
        QVERIFY(!stored->customContent);
        QCOMPARE(stored->scheduledFor, at(9, 1));
        QCOMPARE(toString(stored->status), QStringLiteral("pending"));
        QVERIFY(!stored->sentAt.isValid());
        QCOMPARE(eventCount(f, QStringLiteral("ScheduledMessageCreatedEvent"), message->id), 1);
        auto history = f->audit().entityHistory(QStringLiteral("scheduled_message"), message->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);

        ScheduledMessageCreate custom;
        custom.contactId = customer.contact.id;
        custom.customContent = QStringLiteral("Time for your spring gutter check?");
        custom.scheduledFor = at(4, 1);
        auto written = f->messages.schedule(custom);
        VERIFY_OK(written);
        QCOMPARE(f->messages.getById(written->id)->customContent,
                 QStringLiteral("Time for your spring gutter check?"));
    }

    void scheduleValidation_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("field");
        QTest::newRow("neither template nor content")
            << QStringLiteral("empty") << QStringLiteral("template_name");
        QTest::newRow("empty template and content")
            << QStringLiteral("blank") << QStringLiteral("template_name");
        QTest::newRow("no time") << QStringLiteral("no time") << QStringLiteral("scheduled_for");
        QTest::newRow("unknown contact") << QStringLiteral("unknown contact") << QStringLiteral("contact_id");
        QTest::newRow("deleted contact") << QStringLiteral("deleted contact") << QStringLiteral("contact_id");
        QTest::newRow("256-character template")
            << QStringLiteral("long template") << QStringLiteral("template_name");
        QTest::newRow("content over 64 KiB")
            << QStringLiteral("long content") << QStringLiteral("custom_content");
    }

    void scheduleValidation()
    {
        QFETCH(QString, broken);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto gone = f.addCustomer(QStringLiteral("Gone Away"));
        VERIFY_OK(f->contacts.remove(gone.contact.id));
        ScheduledMessageCreate data = reminder(customer.contact.id, at(9, 1));
        if (broken == QStringLiteral("empty")) {
            data.templateName.reset();
        } else if (broken == QStringLiteral("blank")) {
            data.templateName = QString();
            data.customContent = QString();
        } else if (broken == QStringLiteral("no time")) {
            data.scheduledFor = QDateTime();
        } else if (broken == QStringLiteral("unknown contact")) {
            data.contactId = QUuid::createUuid();
        } else if (broken == QStringLiteral("deleted contact")) {
            data.contactId = gone.contact.id;
        } else if (broken == QStringLiteral("long template")) {
            data.templateName = QString(256, QLatin1Char('t'));
        } else if (broken == QStringLiteral("long content")) {
            data.customContent = QString(64 * 1024 + 1, QLatin1Char('c'));
        }
        const auto before = writes(f);
        auto message = f->messages.schedule(data);
        QVERIFY(!message);
        QCOMPARE(message.error().code, ErrorCode::Validation);
        QCOMPARE(message.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void listPendingSoonestFirst()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto other = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        const ScheduledMessage june = schedule(f, reminder(customer.contact.id, at(6, 1)));
        const ScheduledMessage january = schedule(f, reminder(other.contact.id, at(1, 15)));
        const ScheduledMessage march = schedule(f, reminder(customer.contact.id, at(3, 3)));
        const ScheduledMessage sent = schedule(f, reminder(customer.contact.id, at(2, 1)));
        const ScheduledMessage cancelled = schedule(f, reminder(other.contact.id, at(2, 2)));
        VERIFY_OK(f->messages.markSent(sent.id));
        VERIFY_OK(f->messages.cancel(cancelled.id));

        QCOMPARE(ids(f->messages.listPending()), (QList<QUuid>{january.id, march.id, june.id}));
        QCOMPARE(ids(f->messages.listForContact(customer.contact.id)),
                 (QList<QUuid>{sent.id, march.id, june.id}));
        QCOMPARE(ids(f->messages.list()),
                 (QList<QUuid>{january.id, sent.id, cancelled.id, march.id, june.id}));

        // Another technician's reach-outs are not theirs to send.
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        QCOMPARE(ids(f->messages.listPending()), QList<QUuid>());
        QCOMPARE(ids(f->messages.list()), QList<QUuid>());
        QVERIFY(!f->messages.getById(june.id));
        const auto before = writes(f);
        QVERIFY(!f->messages.markSent(june.id));
        QVERIFY(!f->messages.cancel(june.id));
        QCOMPARE(writes(f), before);
    }

    void cancel()
    {
        test::CoreFixture f;
        const ScheduledMessage message = schedule(f, reminder(f.addCustomer().contact.id, at(6, 1)));
        auto cancelled = f->messages.cancel(message.id);
        VERIFY_OK(cancelled);
        QCOMPARE(toString(cancelled->status), QStringLiteral("cancelled"));
        QVERIFY(!cancelled->sentAt.isValid());
        QCOMPARE(statusOf(f->messages.getById(message.id)), QStringLiteral("cancelled"));
        auto history = f->audit().entityHistory(QStringLiteral("scheduled_message"), message.id);
        VERIFY_OK(history);
        QCOMPARE(history->first().action, AuditAction::Update);
        QCOMPARE(eventCount(f, QStringLiteral("ScheduledMessageSentEvent"), message.id), 0);
    }

    void markSent()
    {
        test::CoreFixture f;
        const ScheduledMessage message = schedule(f, reminder(f.addCustomer().contact.id, at(6, 1)));
        const QDateTime before = nowUtc();
        auto sent = f->messages.markSent(message.id);
        VERIFY_OK(sent);
        QCOMPARE(toString(sent->status), QStringLiteral("sent"));
        QVERIFY(sent->sentAt.isValid());
        QVERIFY(sent->sentAt >= before && sent->sentAt <= nowUtc());
        QCOMPARE(eventCount(f, QStringLiteral("ScheduledMessageSentEvent"), message.id), 1);
        QVERIFY(f->messages.listPending()->isEmpty());
    }

    void onlyPendingMessagesChange()
    {
        test::CoreFixture f;
        const QUuid contact = f.addCustomer().contact.id;
        const ScheduledMessage sent = schedule(f, reminder(contact, at(6, 1)));
        const ScheduledMessage cancelled = schedule(f, reminder(contact, at(7, 1)));
        VERIFY_OK(f->messages.markSent(sent.id));
        VERIFY_OK(f->messages.cancel(cancelled.id));
        const QDateTime sentAt = f->messages.getById(sent.id)->sentAt;

        const auto before = writes(f);
        QCOMPARE(invalidStateMismatch(f->messages.cancel(sent.id)), QString());
        QCOMPARE(invalidStateMismatch(f->messages.markSent(sent.id)), QString());
        QCOMPARE(invalidStateMismatch(f->messages.markSent(cancelled.id)), QString());
        QCOMPARE(invalidStateMismatch(f->messages.cancel(cancelled.id)), QString());
        QCOMPARE(writes(f), before);
        QCOMPARE(statusOf(f->messages.getById(sent.id)), QStringLiteral("sent"));
        QCOMPARE(f->messages.getById(sent.id)->sentAt, sentAt);
        QCOMPARE(statusOf(f->messages.getById(cancelled.id)), QStringLiteral("cancelled"));
        QVERIFY(!f->messages.getById(cancelled.id)->sentAt.isValid());

        auto missing = f->messages.cancel(QUuid::createUuid());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestMessageService)
#include "test_message_service.moc"
