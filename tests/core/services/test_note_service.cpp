#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM main.notes")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))};
}

QStringList contents(const Result<QList<Note>> &notes)
{
    if (!notes)
        return {QStringLiteral("error: ") + notes.error().toString()};
    QStringList result;
    for (const Note &note : *notes)
        result.append(note.content);
    return result;
}

Ticket createTicket(test::CoreFixture &f, const test::CoreFixture::Customer &customer)
{
    auto ticket = f->tickets.create({customer.contact.id, customer.address.id,
                                     QDateTime(QDate(2030, 3, 4), QTime(9, 0), QTimeZone::utc()),
                                     std::nullopt, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

} // namespace

class TestNoteService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createOnContactTicketOrBoth()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const Ticket ticket = createTicket(f, customer);

        auto onContact = f->notes.create({customer.contact.id, {}, QStringLiteral("Prefers text messages")});
        VERIFY_OK(onContact);
        QCOMPARE(onContact->userId, f.alice());
        QVERIFY(onContact->ticketId.isNull());
        auto onTicket = f->notes.create({{}, ticket.id, QStringLiteral("Bring the long ladder")});
        VERIFY_OK(onTicket);
        QVERIFY(onTicket->contactId.isNull());
        auto onBoth = f->notes.create({customer.contact.id, ticket.id, QStringLiteral("Dog in the yard")});
        VERIFY_OK(onBoth);

        auto stored = f->notes.getById(onBoth->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->content, QStringLiteral("Dog in the yard"));
        QCOMPARE(stored->contactId, customer.contact.id);
        QCOMPARE(stored->ticketId, ticket.id);
        QCOMPARE(stored->createdAt, onBoth->createdAt);

        QCOMPARE(contents(f->notes.listForContact(customer.contact.id)),
                 (QStringList{QStringLiteral("Dog in the yard"), QStringLiteral("Prefers text messages")}));
        QCOMPARE(contents(f->notes.listForTicket(ticket.id)),
                 (QStringList{QStringLiteral("Dog in the yard"), QStringLiteral("Bring the long ladder")}));

        auto history = f->audit().entityHistory(QStringLiteral("note"), onTicket->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().action, AuditAction::Create);
    }

    void listsNewestFirst()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto other = f.addCustomer(QStringLiteral("Tomas Ruiz"));
        QStringList written;
        for (int i = 1; i <= 4; ++i) {
            written.prepend(QStringLiteral("Visit %1").arg(i));
            VERIFY_OK(f->notes.create({customer.contact.id, {}, written.first()}));
        }
        VERIFY_OK(f->notes.create({other.contact.id, {}, QStringLiteral("Someone else")}));
        QCOMPARE(contents(f->notes.listForContact(customer.contact.id)), written);
        QCOMPARE(contents(f->notes.listForContact(other.contact.id)),
                 QStringList{QStringLiteral("Someone else")});
        QCOMPARE(contents(f->notes.listForTicket(QUuid::createUuid())), QStringList());
    }

    void keepsTextExactly()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const QString text = QStringLiteral("  Gate code: 4417\n\tCafé → side door  ");
        auto note = f->notes.create({customer.contact.id, {}, text});
        VERIFY_OK(note);
        QCOMPARE(f->notes.getById(note->id)->content, text);
        const QString largest(64 * 1024, QLatin1Char('n'));
        auto big = f->notes.create({customer.contact.id, {}, largest});
        VERIFY_OK(big);
        QCOMPARE(f->notes.getById(big->id)->content.size(), largest.size());
    }

    void validation_data()
    {
        QTest::addColumn<QString>("broken");
        QTest::addColumn<QString>("field");
        QTest::newRow("neither contact nor ticket")
            << QStringLiteral("orphan") << QStringLiteral("contact_id");
        QTest::newRow("unknown contact") << QStringLiteral("unknown contact") << QStringLiteral("contact_id");
        QTest::newRow("deleted contact") << QStringLiteral("deleted contact") << QStringLiteral("contact_id");
        QTest::newRow("unknown ticket") << QStringLiteral("unknown ticket") << QStringLiteral("ticket_id");
        QTest::newRow("empty content") << QStringLiteral("empty") << QStringLiteral("content");
        QTest::newRow("blank content") << QStringLiteral("blank") << QStringLiteral("content");
        QTest::newRow("content over 64 KiB") << QStringLiteral("long") << QStringLiteral("content");
        QTest::newRow("content over 64 KiB in UTF-8")
            << QStringLiteral("long utf8") << QStringLiteral("content");
    }

    void validation()
    {
        QFETCH(QString, broken);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        const auto gone = f.addCustomer(QStringLiteral("Gone Away"));
        VERIFY_OK(f->contacts.remove(gone.contact.id));
        NoteCreate data{customer.contact.id, {}, QStringLiteral("Dog in the yard")};
        if (broken == QStringLiteral("orphan"))
            data.contactId = QUuid();
        else if (broken == QStringLiteral("unknown contact"))
            data.contactId = QUuid::createUuid();
        else if (broken == QStringLiteral("deleted contact"))
            data.contactId = gone.contact.id;
        else if (broken == QStringLiteral("unknown ticket"))
            data.ticketId = QUuid::createUuid();
        else if (broken == QStringLiteral("empty"))
            data.content.clear();
        else if (broken == QStringLiteral("blank"))
            data.content = QStringLiteral(" \n\t ");
        else if (broken == QStringLiteral("long"))
            data.content = QString(64 * 1024 + 1, QLatin1Char('n'));
        else if (broken == QStringLiteral("long utf8"))
            data.content = QString(22'000, QChar(0x20AC)); // 66,000 bytes
        const auto before = writes(f);
        auto note = f->notes.create(data);
        QVERIFY(!note);
        QCOMPARE(note.error().code, ErrorCode::Validation);
        QCOMPARE(note.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void otherUsersNotesAreInvisible()
    {
        test::CoreFixture f;
        const auto customer = f.addCustomer();
        auto note = f->notes.create({customer.contact.id, {}, QStringLiteral("Private")});
        VERIFY_OK(note);
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        QVERIFY(!f->notes.getById(note->id));
        QVERIFY(f->notes.listForContact(customer.contact.id)->isEmpty());
        const auto before = writes(f);
        auto foreign =
            f->notes.create({customer.contact.id, {}, QStringLiteral("On someone else's customer")});
        QVERIFY(!foreign);
        QCOMPARE(foreign.error().field, QStringLiteral("contact_id"));
        QCOMPARE(writes(f), before);
    }
};

QTEST_GUILESS_MAIN(TestNoteService)
#include "test_note_service.moc"
