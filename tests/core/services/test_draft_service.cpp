// Close-out drafts (issue 5): what a cancelled close-out keeps, per ticket and per technician; UI state that
// is never audited or synced.
#include "support/testsupport.h"

#include <QTest>
#include <QTimeZone>

using namespace fb;
using fb::test::scalar;

namespace {

Ticket createTicket(test::CoreFixture &f)
{
    const auto customer = f.addCustomer();
    auto ticket =
        f->tickets.create({customer.contact.id, customer.address.id,
                           QDateTime(QDate(2030, 3, 4), QTime(9, 0), QTimeZone::utc()), 60, std::nullopt});
    if (!ticket)
        qFatal("cannot create a ticket: %s", qPrintable(ticket.error().toString()));
    return *ticket;
}

QList<qint64> audited(test::CoreFixture &f)
{
    return {scalar(f, QStringLiteral("SELECT count(*) FROM audit_log")),
            scalar(f, QStringLiteral("SELECT count(*) FROM sync_outbox"))};
}

} // namespace

class TestDraftService final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saveLoadReplaceRemove()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f);
        const auto before = audited(f);

        auto none = f->drafts.load(ticket.id);
        VERIFY_OK(none);
        QVERIFY(!none->has_value());

        const QJsonObject first{{QStringLiteral("notes"), QStringLiteral("Dog called Biscuit")},
                                {QStringLiteral("durationMinutes"), 75}};
        VERIFY_OK(f->drafts.save(ticket.id, first));
        auto loaded = f->drafts.load(ticket.id);
        VERIFY_OK(loaded);
        QVERIFY(loaded->has_value());
        QCOMPARE(**loaded, first);

        const QJsonObject second{{QStringLiteral("notes"), QStringLiteral("Gate code 4821")}};
        VERIFY_OK(f->drafts.save(ticket.id, second));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.closeout_drafts")), 1);
        loaded = f->drafts.load(ticket.id);
        VERIFY_OK(loaded);
        QCOMPARE(loaded->value(), second);

        // Survives a restart: it is in the file, not in memory.
        auto reopened = f.reopen();
        VERIFY_OK(reopened->setCurrentUser(f.alice()));
        auto fromDisk = reopened->drafts.load(ticket.id);
        VERIFY_OK(fromDisk);
        QCOMPARE(fromDisk->value(), second);

        VERIFY_OK(f->drafts.remove(ticket.id));
        loaded = f->drafts.load(ticket.id);
        VERIFY_OK(loaded);
        QVERIFY(!loaded->has_value());
        VERIFY_OK(f->drafts.remove(ticket.id)); // nothing to remove is fine

        // UI state: no audit entry, nothing to push.
        QCOMPARE(audited(f), before);
    }

    void onlyForAVisibleTicket()
    {
        test::CoreFixture f;
        auto saved = f->drafts.save(newId(), {{QStringLiteral("notes"), QStringLiteral("x")}});
        QVERIFY(!saved.ok());
        QCOMPARE(saved.error().code, ErrorCode::Validation);
        QCOMPARE(saved.error().field, QStringLiteral("ticket_id"));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.closeout_drafts")), 0);
    }

    void tooLargeIsRefused()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f);
        const QString huge(DraftService::kMaxDraftBytes, QLatin1Char('x'));
        auto saved = f->drafts.save(ticket.id, {{QStringLiteral("notes"), huge}});
        QVERIFY(!saved.ok());
        QCOMPARE(saved.error().field, QStringLiteral("draft"));
        QCOMPARE(scalar(f, QStringLiteral("SELECT count(*) FROM main.closeout_drafts")), 0);
    }

    void scopedToTheTechnician()
    {
        test::CoreFixture f;
        const Ticket ticket = createTicket(f);
        VERIFY_OK(f->drafts.save(ticket.id, {{QStringLiteral("notes"), QStringLiteral("Alice's")}}));

        const QUuid bob = f.addUser(QStringLiteral("Bob Bell"), QStringLiteral("bob@example.com"));
        VERIFY_OK(f->setCurrentUser(bob));
        // Bob neither sees Alice's draft nor can overwrite or delete it, even with raw SQL.
        auto seen = f->drafts.load(ticket.id);
        VERIFY_OK(seen);
        QVERIFY(!seen->has_value());
        QVERIFY(!f->drafts.save(ticket.id, {{QStringLiteral("notes"), QStringLiteral("Bob's")}}).ok());
        VERIFY_OK(f->drafts.remove(ticket.id));
        auto raw = f->db().exec(QStringLiteral("DELETE FROM main.closeout_drafts"));
        QVERIFY(!raw.ok());
        QCOMPARE(raw.error().code, ErrorCode::Forbidden);
        auto stolen =
            f->db().exec(QStringLiteral("UPDATE main.closeout_drafts SET user_id = ?"), {idText(bob)});
        QVERIFY(!stolen.ok());
        QCOMPARE(stolen.error().code, ErrorCode::Forbidden);
        auto forged =
            f->db().exec(QStringLiteral("INSERT INTO main.closeout_drafts (ticket_id, user_id, json, "
                                        "updated_at) VALUES (?, ?, '{}', '2030-01-01T00:00:00.000Z')"),
                         {idText(newId()), idText(f.alice())});
        QVERIFY(!forged.ok());
        QCOMPARE(forged.error().code, ErrorCode::Forbidden);

        VERIFY_OK(f->setCurrentUser(f.alice()));
        auto mine = f->drafts.load(ticket.id);
        VERIFY_OK(mine);
        QVERIFY(mine->has_value());
        QCOMPARE(mine->value().value(QStringLiteral("notes")).toString(), QStringLiteral("Alice's"));

        // Without a current user nothing is read.
        f->db().setCurrentUser(QUuid());
        auto anonymous = f->drafts.load(ticket.id);
        QVERIFY(!anonymous.ok());
        QCOMPARE(anonymous.error().code, ErrorCode::Forbidden);
    }
};

QTEST_GUILESS_MAIN(TestDraftService)
#include "test_draft_service.moc"
