#include "support/testsupport.h"

#include <QTest>

using namespace fb;
using fb::test::scalar;

namespace {

QList<qint64> writes(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM users")),
            scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))};
}

QStringList names(const Result<QList<User>> &users)
{
    if (!users)
        return {QStringLiteral("error: ") + users.error().toString()};
    QStringList result;
    for (const User &user : *users)
        result.append(user.name);
    return result;
}

} // namespace

class TestUserService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createAndRead()
    {
        test::CoreFixture f;
        auto bob = f->users.create({QStringLiteral("  Bob Tech "), QStringLiteral(" bob@example.com "), {}});
        VERIFY_OK(bob);
        QCOMPARE(bob->name, QStringLiteral("Bob Tech"));
        QCOMPARE(bob->email, QStringLiteral("bob@example.com"));
        QVERIFY(!bob->id.isNull());
        auto stored = f->users.getById(bob->id);
        VERIFY_OK(stored);
        QCOMPARE(stored->name, QStringLiteral("Bob Tech"));
        QCOMPARE(stored->email, QStringLiteral("bob@example.com"));
        QCOMPARE(stored->createdAt, bob->createdAt);

        // The profile records its own creation; creating it does not switch to it.
        auto history = f->audit().entityHistory(QStringLiteral("user"), bob->id);
        VERIFY_OK(history);
        QCOMPARE(history->size(), 1);
        QCOMPARE(history->first().userId, bob->id);
        QCOMPARE(f->users.current()->id, f.alice());

        // A known id (e.g. the server's) is kept.
        const QUuid serverId = QUuid::createUuid();
        auto carol =
            f->users.create({QStringLiteral("Carol"), QStringLiteral("carol@example.com"), serverId});
        VERIFY_OK(carol);
        QCOMPARE(carol->id, serverId);
        QVERIFY(f->users.getById(serverId));

        auto missing = f->users.getById(QUuid::createUuid());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void duplicateEmailIsRefused_data()
    {
        QTest::addColumn<QString>("email");
        QTest::newRow("same address") << QStringLiteral("alice@example.com");
        QTest::newRow("same address, padded") << QStringLiteral("  alice@example.com ");
        QTest::newRow("same address, other case") << QStringLiteral("Alice@Example.COM");
    }

    void duplicateEmailIsRefused()
    {
        QFETCH(QString, email);
        test::CoreFixture f; // Alice is alice@example.com
        const auto before = writes(f);
        auto duplicate = f->users.create({QStringLiteral("Alice Again"), email, {}});
        QVERIFY(!duplicate);
        QCOMPARE(duplicate.error().code, ErrorCode::Validation);
        QCOMPARE(duplicate.error().field, QStringLiteral("email"));
        QCOMPARE(writes(f), before);
        QCOMPARE(names(f->users.list()), QStringList{QStringLiteral("Alice Able")});
    }

    void validation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("field");
        const QString good = QStringLiteral("bob@example.com");
        QTest::newRow("empty name") << QString() << good << QStringLiteral("name");
        QTest::newRow("blank name") << QStringLiteral("  ") << good << QStringLiteral("name");
        QTest::newRow("256-character name")
            << QString(256, QLatin1Char('b')) << good << QStringLiteral("name");
        QTest::newRow("no e-mail") << QStringLiteral("Bob") << QString() << QStringLiteral("email");
        QTest::newRow("blank e-mail")
            << QStringLiteral("Bob") << QStringLiteral("  ") << QStringLiteral("email");
        QTest::newRow("malformed e-mail")
            << QStringLiteral("Bob") << QStringLiteral("bob at example") << QStringLiteral("email");
    }

    void validation()
    {
        QFETCH(QString, name);
        QFETCH(QString, email);
        QFETCH(QString, field);
        test::CoreFixture f;
        const auto before = writes(f);
        auto user = f->users.create({name, email, {}});
        QVERIFY(!user);
        QCOMPARE(user.error().code, ErrorCode::Validation);
        QCOMPARE(user.error().field, field);
        QCOMPARE(writes(f), before);
    }

    void listByName()
    {
        test::CoreFixture f;
        f.addUser(QStringLiteral("Zed Last"), QStringLiteral("zed@example.com"));
        f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        QCOMPARE(names(f->users.list()),
                 (QStringList{QStringLiteral("Alice Able"), QStringLiteral("Bob Tech"),
                              QStringLiteral("Zed Last")}));
        // Profiles are not per user: every profile on the laptop is listed whoever is current.
        VERIFY_OK(f->users.setCurrent(f->users.list()->last().id));
        QCOMPARE(names(f->users.list()).size(), 3);
    }

    void setCurrentAndCurrent()
    {
        test::CoreFixture f;
        const QUuid bob = f.addUser(QStringLiteral("Bob Tech"), QStringLiteral("bob@example.com"));
        auto current = f->users.current();
        VERIFY_OK(current);
        QCOMPARE(current->id, f.alice());
        QCOMPARE(current->name, QStringLiteral("Alice Able"));

        VERIFY_OK(f->users.setCurrent(bob));
        QCOMPARE(f->users.current()->id, bob);
        QCOMPARE(f->db().currentUser(), bob);
        // What the current user creates is theirs, and only theirs to see.
        auto contact =
            f->contacts.create({QStringLiteral("Bob's customer"), std::nullopt, std::nullopt, std::nullopt});
        VERIFY_OK(contact);
        QCOMPARE(contact->userId, bob);
        VERIFY_OK(f->users.setCurrent(f.alice()));
        QVERIFY(f->contacts.list()->isEmpty());

        // An unknown profile is refused and the current one stays.
        const Status unknown = f->users.setCurrent(QUuid::createUuid());
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QCOMPARE(f->users.current()->id, f.alice());
    }

    void noCurrentUser()
    {
        test::CoreFixture f;
        const auto other = f.reopen(); // a fresh connection: nobody selected yet
        auto current = other->users.current();
        QVERIFY(!current);
        QCOMPARE(current.error().code, ErrorCode::NotFound);
        // Profiles can still be listed to choose one, but customer data stays closed.
        QCOMPARE(names(other->users.list()), QStringList{QStringLiteral("Alice Able")});
        auto contacts = other->contacts.list();
        QVERIFY(!contacts);
        QCOMPARE(contacts.error().code, ErrorCode::Forbidden);
        VERIFY_OK(other->users.setCurrent(f.alice()));
        QCOMPARE(other->users.current()->id, f.alice());
    }
};

QTEST_GUILESS_MAIN(TestUserService)
#include "test_user_service.moc"
