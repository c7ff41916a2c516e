// A dispatcher (issue 14, item 2): `fieldbook server-add-dispatcher` creates a login that reads and writes
// every technician's rows with nothing but psql, whose writes the server audits with the dispatcher as the
// author, and who cannot rewrite the history, hard-delete a job or write rows for anyone but a technician.
// Technicians still see only their own rows. Against a real PostgreSQL, with the real executable for the
// command.
#include "pgconnection.h"
#include "support/fieldbookprocess.h"
#include "support/pgtestserver.h"
#include "support/syncassertions.h"
#include "util/timeutil.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <memory>
#include <optional>

using namespace fb;

namespace {

using test::must;

using Run = test::FieldbookRun;
using test::fieldbook;

QString uniqueLogin(const QString &prefix)
{
    return prefix + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

QString loginUrl(const QString &login, const QString &password, const QString &database)
{
    return QStringLiteral("postgresql://%1:%2@%3:%4/%5")
        .arg(login, password, test::PgTestServer::instance().host(),
             QString::number(test::PgTestServer::instance().port()), database);
}

/// An ISO 8601 time from an audit entry, at millisecond precision, whatever its precision and offset.
QDateTime isoTime(const QJsonValue &value)
{
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

/// The README's SQL ("A dispatcher"): what a dispatcher types in psql. %1 and %2 stand for the ids a
/// dispatcher would paste.
const QString kFindCustomer = QStringLiteral(
    "SELECT c.id AS contact, a.id AS address, c.name, a.street, u.name AS technician\n"
    "FROM contacts c JOIN addresses a ON a.contact_id = c.id JOIN users u ON u.id = c.user_id\n"
    "WHERE c.name ILIKE '%%1%' AND c.deleted_at IS NULL;");
const QString kBookJob = QStringLiteral(
    "INSERT INTO tickets (user_id, contact_id, address_id, scheduled_at, scheduled_duration_minutes, notes)\n"
    "SELECT c.user_id, c.id, a.id, '2026-12-08 10:00 America/Chicago', 90, 'Furnace rattles'\n"
    "FROM contacts c JOIN addresses a ON a.contact_id = c.id\n"
    "WHERE c.id = '%1' AND a.id = '%2'\n"
    "RETURNING id;");
const QString kMoveJob =
    QStringLiteral("UPDATE tickets SET scheduled_at = '2026-12-09 14:00 America/Chicago' WHERE id = '%1';");
const QString kCancelJob = QStringLiteral("UPDATE tickets SET status = 'cancelled' WHERE id = '%1';");
const QDateTime kBookedAt = QDateTime::fromString(QStringLiteral("2026-12-08T16:00:00Z"), Qt::ISODate);
const QDateTime kMovedTo = QDateTime::fromString(QStringLiteral("2026-12-09T20:00:00Z"), Qt::ISODate);

/// A technician's login and a few of their rows, written as the technician.
struct Technician
{
    test::PgTestDatabase::Technician login;
    QString contact;
    QString address;
    QString ticket;
    QString goneContact; ///< soft-deleted
};

} // namespace

class TestDispatcher final : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::PgTestDatabase> m_server;
    Technician m_a;
    Technician m_b;
    QString m_dispatcherId;
    QString m_dispatcherLogin;
    QString m_dispatcherPassword;
    QStringList m_roles; ///< login roles made through the command line, dropped at the end

    QString adminOne(const QString &sql) const { return m_server->adminQuery(sql).value(0); }

    QStringList addDispatcherArguments(const QString &email, const QString &login) const
    {
        return {QStringLiteral("server-add-dispatcher"),
                QStringLiteral("--server"),
                m_server->adminUrl(),
                QStringLiteral("--email"),
                email,
                QStringLiteral("--name"),
                QStringLiteral("Dana Dispatch"),
                QStringLiteral("--login"),
                login};
    }

    std::unique_ptr<sync::PgConnection> connectAsDispatcher() const
    {
        return must(
            sync::PgConnection::connect(loginUrl(m_dispatcherLogin, m_dispatcherPassword, m_server->name())),
            "connecting as the dispatcher");
    }

    /// One statement as the dispatcher would run it in psql: its own login, no app.current_user_id,
    /// autocommit.
    sync::PgResult asDispatcher(const QString &sql) const { return connectAsDispatcher()->exec(sql); }

    /// One committed transaction as `tech` under its own identity, or the one it claims (rolled back when
    /// `sql` fails). A technician's soft delete needs app.include_deleted, as the push sets it.
    sync::PgResult asTechnician(const test::PgTestDatabase::Technician &tech, const QString &sql,
                                const QString &identity = {}, bool includeDeleted = false) const
    {
        auto connection = must(sync::PgConnection::connect(tech.url), "connecting as a technician");
        if (!connection->exec(QStringLiteral("BEGIN")).ok())
            qFatal("BEGIN failed");
        const auto identified =
            connection->exec(QStringLiteral("SELECT set_config('app.current_user_id', $1, true), "
                                            "set_config('app.include_deleted', $2, true)"),
                             {(identity.isEmpty() ? idText(tech.id) : identity).toUtf8(),
                              includeDeleted ? QByteArray("on") : QByteArray("off")});
        if (!identified.ok())
            qFatal("set_config failed: %s", qPrintable(identified.message()));
        const auto result = connection->exec(sql);
        (void)connection->exec(result.ok() ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
        return result;
    }

    /// A customer with an address, a job and a soft-deleted contact, written by the technician with psql.
    Technician seed(const test::PgTestDatabase::Technician &tech, const QString &tag) const
    {
        Technician seeded{tech, {}, {}, {}, {}};
        const QString user = idText(tech.id);
        const auto insert = [&](const QString &sql, bool includeDeleted = false) {
            const auto result = asTechnician(tech, sql, {}, includeDeleted);
            if (!result.ok())
                qFatal("seeding: %s\n%s", qPrintable(result.message()), qPrintable(sql));
            return result.value(0, 0);
        };
        seeded.contact =
            insert(QStringLiteral("INSERT INTO contacts (user_id, name, phone) VALUES ('%1', '%2 "
                                  "customer', '555-0100') RETURNING id")
                       .arg(user, tag));
        seeded.address =
            insert(QStringLiteral("INSERT INTO addresses (user_id, contact_id, street, city, state, "
                                  "zip) VALUES ('%1', '%2', '1 Elm St', 'Springfield', 'IL', "
                                  "'62701') RETURNING id")
                       .arg(user, seeded.contact));
        seeded.ticket =
            insert(QStringLiteral("INSERT INTO tickets (user_id, contact_id, address_id, scheduled_at) "
                                  "VALUES ('%1', '%2', '%3', '2026-12-01 09:00+00') RETURNING id")
                       .arg(user, seeded.contact, seeded.address));
        seeded.goneContact = insert(
            QStringLiteral("INSERT INTO contacts (user_id, name) VALUES ('%1', '%2 gone') RETURNING id")
                .arg(user, tag));
        insert(
            QStringLiteral("UPDATE contacts SET deleted_at = now() WHERE id = '%1'").arg(seeded.goneContact),
            true);
        return seeded;
    }

    /// The audit entries of `entity` with `action`, as the administrator sees them: user_id, author_login and
    /// changes.
    QList<std::tuple<QString, QString, QJsonObject>> auditOf(const QString &entity,
                                                             const QString &action) const
    {
        auto admin =
            must(sync::PgConnection::connect(m_server->adminUrl()), "connecting as the administrator");
        const auto rows =
            admin->exec(QStringLiteral("SELECT user_id::text, author_login::text, changes::text FROM "
                                       "audit_log WHERE entity_id = $1::uuid AND action = $2 "
                                       "ORDER BY created_at"),
                        {entity.toUtf8(), action.toUtf8()});
        if (!rows.ok())
            qFatal("reading the audit log: %s", qPrintable(rows.message()));
        QList<std::tuple<QString, QString, QJsonObject>> entries;
        for (int row = 0; row < rows.rows(); ++row)
            entries.append({rows.value(row, 0), rows.value(row, 1),
                            QJsonDocument::fromJson(rows.value(row, 2).toUtf8()).object()});
        return entries;
    }

    /// Counts of users, login roles named `login` and bindings: what a refused command must leave as it was.
    QString footprint(const QString &login) const
    {
        return adminOne(QStringLiteral("SELECT (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM "
                                       "fieldbook_logins) || '/' || (SELECT count(*) FROM pg_roles WHERE "
                                       "rolname = '%1')")
                            .arg(QString(login).replace(QLatin1Char('\''), QStringLiteral("''"))));
    }

    /// A job booked by the dispatcher for `tech` with the README's SQL.
    QString book(const Technician &tech) const
    {
        const auto booked = asDispatcher(kBookJob.arg(tech.contact, tech.address));
        if (!booked.ok() || booked.rows() != 1)
            qFatal("booking: %s", qPrintable(booked.message()));
        return booked.value(0, 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::PgTestDatabase>();
        m_a = seed(m_server->addTechnician(QUuid::createUuid(), QStringLiteral("a@example.com"),
                                           QStringLiteral("Tech A")),
                   QStringLiteral("A"));
        m_b = seed(m_server->addTechnician(QUuid::createUuid(), QStringLiteral("b@example.com"),
                                           QStringLiteral("Tech B")),
                   QStringLiteral("B"));
        m_dispatcherLogin = uniqueLogin(QStringLiteral("office_"));
        m_roles.append(m_dispatcherLogin);
        m_dispatcherPassword = QStringLiteral("dispatch-") + QUuid::createUuid().toString(QUuid::Id128);
        const Run added =
            fieldbook(addDispatcherArguments(QStringLiteral("dana@example.com"), m_dispatcherLogin),
                      m_dispatcherPassword.toUtf8() + '\n');
        QVERIFY2(added.exitCode == 0, qPrintable(added.all()));
        m_dispatcherId = added.out.trimmed();
        QVERIFY2(!QUuid::fromString(m_dispatcherId).isNull(), qPrintable(added.out));
    }

    void cleanupTestCase()
    {
        m_server.reset();
        auto admin = must(
            sync::PgConnection::connect(test::PgTestServer::instance().adminUrl(QStringLiteral("postgres"))),
            "connecting to the test cluster");
        for (const QString &role : std::as_const(m_roles))
            (void)admin->exec(QStringLiteral("DROP ROLE IF EXISTS %1").arg(role));
    }

    void addDispatcherCreatesALoginThatWorks()
    {
        QCOMPARE(adminOne(QStringLiteral("SELECT name || ' <' || email || '>' FROM users WHERE id = '%1'")
                              .arg(m_dispatcherId)),
                 QStringLiteral("Dana Dispatch <dana@example.com>"));
        QCOMPARE(adminOne(QStringLiteral("SELECT user_id::text || ' ' || kind FROM fieldbook_logins WHERE "
                                         "login_role = '%1'")
                              .arg(m_dispatcherLogin)),
                 m_dispatcherId + QStringLiteral(" dispatcher"));
        // A member of the dispatcher group only, with no right that would bypass the policies, and the
        // password stored as a SCRAM verifier.
        QCOMPARE(
            adminOne(QStringLiteral("SELECT pg_has_role('%1', 'fieldbook_dispatcher', 'MEMBER') AND NOT "
                                    "pg_has_role('%1', 'fieldbook_technician', 'MEMBER') AND NOT rolsuper "
                                    "AND NOT rolbypassrls AND NOT rolcreaterole AND rolcanlogin AND "
                                    "rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = "
                                    "'%1'")
                         .arg(m_dispatcherLogin)),
            QStringLiteral("t"));
        // The login works with that password, and is the dispatcher.
        QCOMPARE(asDispatcher(QStringLiteral("SELECT session_user::text")).value(0, 0), m_dispatcherLogin);
    }

    void addDispatcherRefusesBadInput_data()
    {
        QTest::addColumn<QStringList>("arguments"); // {login} is a fresh login name
        QTest::addColumn<QString>("error"); // how stderr starts after "fieldbook server-add-dispatcher: "
        const QStringList good{QStringLiteral("--email"), QStringLiteral("new@example.com"),
                               QStringLiteral("--name"),  QStringLiteral("Nina New"),
                               QStringLiteral("--login"), QStringLiteral("{login}")};
        QTest::newRow("a login with upper case and a dash")
            << QStringList{QStringLiteral("--email"), QStringLiteral("new@example.com"),
                           QStringLiteral("--name"),  QStringLiteral("Nina New"),
                           QStringLiteral("--login"), QStringLiteral("Office-1")}
            << QStringLiteral("login: 'Office-1' is not a role name");
        QTest::newRow("SQL in the login")
            << QStringList{QStringLiteral("--email"), QStringLiteral("new@example.com"),
                           QStringLiteral("--name"),  QStringLiteral("Nina New"),
                           QStringLiteral("--login"), QStringLiteral("x; DROP TABLE users")}
            << QStringLiteral("login: 'x; DROP TABLE users' is not a role name");
        QTest::newRow("no --email") << good.mid(2) << QStringLiteral("--email is required");
        QTest::newRow("a password on the command line")
            << good + QStringList{QStringLiteral("--password"), QStringLiteral("on-the-command-line")}
            << QStringLiteral(
                   "--password is not accepted: every user of this computer can read a command line "
                   "while it runs");
        QTest::newRow("a technician's e-mail")
            << QStringList{QStringLiteral("--email"), QStringLiteral("a@example.com"),
                           QStringLiteral("--name"),  QStringLiteral("Nina New"),
                           QStringLiteral("--login"), QStringLiteral("{login}")}
            << QStringLiteral("email: a@example.com is already the e-mail of another user on the server");
        QTest::newRow("a technician's login")
            << QStringList{QStringLiteral("--email"), QStringLiteral("new@example.com"),
                           QStringLiteral("--name"),  QStringLiteral("Nina New"),
                           QStringLiteral("--login"), QStringLiteral("{tech login}")}
            << QStringLiteral("login: {tech login} is already a technician's login");
        QTest::newRow("a technician's user id")
            << good + QStringList{QStringLiteral("--id"), QStringLiteral("{tech id}"),
                                  QStringLiteral("--email"), QStringLiteral("a@example.com")}
            << QStringLiteral("id: user {tech id} is a technician");
    }

    void addDispatcherRefusesBadInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        const QString login = uniqueLogin(QStringLiteral("refused_"));
        m_roles.append(login);
        const QString password = QStringLiteral("a-good-long-secret");
        for (QString &argument : arguments)
            argument.replace(QStringLiteral("{login}"), login)
                .replace(QStringLiteral("{tech login}"), m_a.login.login)
                .replace(QStringLiteral("{tech id}"), idText(m_a.login.id));
        error.replace(QStringLiteral("{tech login}"), m_a.login.login)
            .replace(QStringLiteral("{tech id}"), idText(m_a.login.id));
        const QString before = footprint(login);
        const QString technicianBefore = adminOne(
            QStringLiteral("SELECT pg_has_role('%1', 'fieldbook_dispatcher', 'MEMBER')::text || "
                           "(SELECT string_agg(kind || user_id::text, ',') FROM fieldbook_logins WHERE "
                           "login_role = '%1')")
                .arg(m_a.login.login));

        const Run refused = fieldbook(QStringList{QStringLiteral("server-add-dispatcher"),
                                                  QStringLiteral("--server"), m_server->adminUrl()} +
                                          arguments,
                                      password.toUtf8() + '\n');
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.out.isEmpty());
        QCOMPARE(refused.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(refused.err.startsWith(QStringLiteral("fieldbook server-add-dispatcher: ") + error),
                 qPrintable(refused.err));
        QVERIFY(!refused.all().contains(password));
        QVERIFY(!refused.all().contains(QStringLiteral("on-the-command-line")));
        // Nothing half-written: no user, no role, no binding; the technician's login is as it was.
        QCOMPARE(footprint(login), before);
        QCOMPARE(
            adminOne(QStringLiteral("SELECT pg_has_role('%1', 'fieldbook_dispatcher', 'MEMBER')::text || "
                                    "(SELECT string_agg(kind || user_id::text, ',') FROM fieldbook_logins "
                                    "WHERE login_role = '%1')")
                         .arg(m_a.login.login)),
            technicianBefore);
    }

    // A server whose schema predates dispatchers is told to run server-init, and is left as it was.
    void addDispatcherNeedsSchema4()
    {
        const QString name = uniqueLogin(QStringLiteral("fbold_"));
        auto cluster = must(
            sync::PgConnection::connect(test::PgTestServer::instance().adminUrl(QStringLiteral("postgres"))),
            "connecting to the test cluster");
        QVERIFY(cluster->exec(QStringLiteral("CREATE DATABASE %1").arg(name)).ok());
        const QString url = test::PgTestServer::instance().adminUrl(name);
        {
            auto old = must(sync::PgConnection::connect(url), "connecting to the old server");
            const QStringList files =
                QDir(QStringLiteral(":/migrations/server")).entryList(QDir::Files, QDir::Name);
            for (const QString &file : files.mid(0, 3)) {
                QFile source(QStringLiteral(":/migrations/server/") + file);
                QVERIFY(source.open(QIODevice::ReadOnly));
                QVERIFY2(old->execScript("BEGIN;\n" + source.readAll() +
                                         "\nINSERT INTO fieldbook_schema_version (version) VALUES (" +
                                         file.left(3).toUtf8() + ");\nCOMMIT;\n")
                             .ok(),
                         qPrintable(file));
            }
        }
        const QString login = uniqueLogin(QStringLiteral("early_"));
        m_roles.append(login);
        const Run refused =
            fieldbook({QStringLiteral("server-add-dispatcher"), QStringLiteral("--server"), url,
                       QStringLiteral("--email"), QStringLiteral("e@example.com"), QStringLiteral("--name"),
                       QStringLiteral("Early"), QStringLiteral("--login"), login},
                      QByteArray("a-good-long-secret\n"));
        (void)cluster->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(refused.err.trimmed(),
                 QStringLiteral("fieldbook server-add-dispatcher: the server's schema is "
                                "version 3 and a dispatcher needs version 4: run fieldbook "
                                "server-init to upgrade it"));
        QCOMPARE(
            cluster
                ->exec(QStringLiteral("SELECT count(*) FROM pg_roles WHERE rolname = $1"), {login.toUtf8()})
                .value(0, 0),
            QStringLiteral("0"));
    }

    void dispatcherReadsEveryTechniciansRows_data()
    {
        QTest::addColumn<QString>("table");
        for (const char *table : {"contacts", "addresses", "tickets"})
            QTest::newRow(table) << QString::fromLatin1(table);
    }

    void dispatcherReadsEveryTechniciansRows()
    {
        QFETCH(QString, table);
        for (const Technician *tech : {&m_a, &m_b}) {
            const QString sql = QStringLiteral("SELECT count(*) FROM %1 WHERE user_id = '%2'")
                                    .arg(table, idText(tech->login.id));
            const QString all = adminOne(sql);
            QVERIFY(all.toInt() > 0);
            const auto seen = asDispatcher(sql);
            QVERIFY2(seen.ok(), qPrintable(seen.message()));
            QCOMPARE(seen.value(0, 0), all); // soft-deleted contacts included
        }
    }

    // The README's SQL: book a job for technician A, move it. Each write is in the audit log with the
    // dispatcher as its author, in the documented convention.
    void dispatcherBooksAndMovesAJobAudited()
    {
        const auto found = asDispatcher(kFindCustomer.arg(QStringLiteral("a cust")));
        QVERIFY2(found.ok(), qPrintable(found.message()));
        QCOMPARE(found.rows(), 1);
        QCOMPARE(found.value(0, 0), m_a.contact);
        QCOMPARE(found.value(0, 1), m_a.address);
        QCOMPARE(found.value(0, 4), QStringLiteral("Tech A"));
        const QString ticket = book(m_a);
        QCOMPARE(adminOne(QStringLiteral("SELECT user_id::text || ' ' || contact_id::text || ' ' || "
                                         "address_id::text FROM tickets WHERE id = '%1'")
                              .arg(ticket)),
                 QStringLiteral("%1 %2 %3").arg(idText(m_a.login.id), m_a.contact, m_a.address));
        const auto created = auditOf(ticket, QStringLiteral("create"));
        QCOMPARE(created.size(), 1);
        const auto &[creator, createdBy, createChanges] = created.first();
        QCOMPARE(creator, m_dispatcherId);
        QCOMPARE(createdBy, m_dispatcherLogin);
        const QJsonObject row = createChanges.value(QStringLiteral("created")).toObject();
        QCOMPARE(row.value(QStringLiteral("id")).toString(), ticket);
        QCOMPARE(row.value(QStringLiteral("user_id")).toString(), idText(m_a.login.id));
        QCOMPARE(row.value(QStringLiteral("contact_id")).toString(), m_a.contact);
        QCOMPARE(isoTime(row.value(QStringLiteral("scheduled_at"))), kBookedAt);
        QVERIFY(row.value(QStringLiteral("scheduled_duration_minutes")).isDouble()); // a JSON number
        QCOMPARE(row.value(QStringLiteral("scheduled_duration_minutes")).toInt(), 90);
        QCOMPARE(row.value(QStringLiteral("notes")).toString(), QStringLiteral("Furnace rattles"));

        const auto moved = asDispatcher(kMoveJob.arg(ticket));
        QVERIFY2(moved.ok(), qPrintable(moved.message()));
        QCOMPARE(adminOne(QStringLiteral("SELECT scheduled_at = '%1' FROM tickets WHERE id = '%2'")
                              .arg(kMovedTo.toString(Qt::ISODate), ticket)),
                 QStringLiteral("t"));
        const auto updated = auditOf(ticket, QStringLiteral("update"));
        QCOMPARE(updated.size(), 1);
        const auto &[mover, movedBy, moveChanges] = updated.first();
        QCOMPARE(mover, m_dispatcherId);
        QCOMPARE(movedBy, m_dispatcherLogin);
        const QJsonObject when = moveChanges.value(QStringLiteral("scheduled_at")).toObject();
        QCOMPARE(isoTime(when.value(QStringLiteral("old"))), kBookedAt);
        QCOMPARE(isoTime(when.value(QStringLiteral("new"))), kMovedTo);
        QVERIFY2(!moveChanges.contains(QStringLiteral("user_id")) &&
                     !moveChanges.contains(QStringLiteral("status")),
                 QJsonDocument(moveChanges).toJson(QJsonDocument::Compact).constData()); // only what changed

        const auto cancelled = asDispatcher(kCancelJob.arg(ticket));
        QVERIFY2(cancelled.ok(), qPrintable(cancelled.message()));
        const auto cancellations = auditOf(ticket, QStringLiteral("update"));
        QCOMPARE(cancellations.size(), 2);
        const QJsonObject status =
            std::get<2>(cancellations.last()).value(QStringLiteral("status")).toObject();
        QCOMPARE(status.value(QStringLiteral("old")).toString(), QStringLiteral("scheduled"));
        QCOMPARE(status.value(QStringLiteral("new")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(std::get<1>(cancellations.last()), m_dispatcherLogin);
    }

    void dispatcherCannotRewriteHistory_data()
    {
        QTest::addColumn<QString>("statement"); // {ticket}: a job of B's; {entry}: an audit entry about it
        QTest::newRow("update an audit entry")
            << QStringLiteral("UPDATE audit_log SET changes = '{}' WHERE id = '{entry}'");
        QTest::newRow("delete an audit entry")
            << QStringLiteral("DELETE FROM audit_log WHERE id = '{entry}'");
        QTest::newRow("delete every audit entry") << QStringLiteral("DELETE FROM audit_log");
        QTest::newRow("delete a job (only a soft delete is allowed)")
            << QStringLiteral("DELETE FROM tickets WHERE id = '{ticket}'");
        QTest::newRow("truncate the audit log") << QStringLiteral("TRUNCATE audit_log");
    }

    void dispatcherCannotRewriteHistory()
    {
        QFETCH(QString, statement);
        const QString entry =
            adminOne(QStringLiteral(
                         "SELECT id::text FROM audit_log WHERE entity_id = '%1' ORDER BY created_at LIMIT 1")
                         .arg(m_b.ticket));
        QVERIFY(!entry.isEmpty());
        const QString history =
            QStringLiteral("SELECT count(*) || ':' || md5(string_agg(a::text, ',' ORDER BY "
                           "a.id)) FROM audit_log a");
        const QString before = adminOne(history);
        const auto refused = asDispatcher(QString(statement)
                                              .replace(QStringLiteral("{entry}"), entry)
                                              .replace(QStringLiteral("{ticket}"), m_b.ticket));
        QVERIFY2(!refused.ok(), qPrintable(statement));
        QCOMPARE(refused.sqlState(), QByteArray("42501"));
        QCOMPARE(adminOne(history), before);
        QCOMPARE(adminOne(QStringLiteral("SELECT count(*) FROM tickets WHERE id = '%1'").arg(m_b.ticket)),
                 QStringLiteral("1"));
    }

    void dispatcherSoftDeletesAJob()
    {
        const QString ticket = book(m_b);
        const auto removed =
            asDispatcher(QStringLiteral("UPDATE tickets SET deleted_at = now() WHERE id = '%1'").arg(ticket));
        QVERIFY2(removed.ok(), qPrintable(removed.message()));
        QCOMPARE(
            adminOne(
                QStringLiteral("SELECT deleted_at IS NOT NULL FROM tickets WHERE id = '%1'").arg(ticket)),
            QStringLiteral("t"));
        const auto entries =
            auditOf(ticket, QStringLiteral("update")) + auditOf(ticket, QStringLiteral("delete"));
        QCOMPARE(entries.size(), 1);
        QCOMPARE(std::get<0>(entries.first()), m_dispatcherId);
        QCOMPARE(std::get<1>(entries.first()), m_dispatcherLogin);
    }

    void dispatcherWritesOnlyForTechnicians_data()
    {
        QTest::addColumn<QString>("statement"); // {me}: the dispatcher's own user id
        QTest::newRow("a contact of the dispatcher's own")
            << QStringLiteral("INSERT INTO contacts (user_id, name) VALUES ('{me}', 'Mine')");
        QTest::newRow("a contact of a user that does not exist")
            << QStringLiteral("INSERT INTO contacts (user_id, name) VALUES (gen_random_uuid(), 'Nobody''s')");
        QTest::newRow("a technician's job handed to the dispatcher")
            << QStringLiteral("UPDATE tickets SET user_id = '{me}' WHERE id = '{ticket}'");
        QTest::newRow("a job for A at B's customer") << QStringLiteral(
            "INSERT INTO tickets (user_id, contact_id, address_id, scheduled_at) VALUES ('{a}', "
            "'{b contact}', '{b address}', now())");
    }

    void dispatcherWritesOnlyForTechnicians()
    {
        QFETCH(QString, statement);
        statement.replace(QStringLiteral("{me}"), m_dispatcherId)
            .replace(QStringLiteral("{ticket}"), m_a.ticket)
            .replace(QStringLiteral("{a}"), idText(m_a.login.id))
            .replace(QStringLiteral("{b contact}"), m_b.contact)
            .replace(QStringLiteral("{b address}"), m_b.address);
        const QString rows = QStringLiteral("SELECT (SELECT count(*) FROM contacts) || '/' || (SELECT "
                                            "md5(string_agg(t::text, ',' ORDER BY t.id)) FROM tickets t)");
        const QString before = adminOne(rows);
        const auto refused = asDispatcher(statement);
        QVERIFY2(!refused.ok(), qPrintable(statement));
        QCOMPARE(adminOne(rows), before);
        QCOMPARE(
            adminOne(
                QStringLiteral("SELECT count(*) FROM contacts WHERE user_id = '%1'").arg(m_dispatcherId)),
            QStringLiteral("0"));
    }

    // After the dispatcher wrote for both, A reads none of B's rows, nor the dispatcher's entries about B.
    void technicianStillSeesOnlyOwnRows()
    {
        const QString ticketOfB = book(m_b);
        QVERIFY(asDispatcher(kMoveJob.arg(ticketOfB)).ok());
        const QString ticketOfA = book(m_a);
        const QString a = idText(m_a.login.id);
        for (const QString &table :
             {QStringLiteral("contacts"), QStringLiteral("addresses"), QStringLiteral("tickets")}) {
            const auto seen = asTechnician(
                m_a.login, QStringLiteral("SELECT count(*) FILTER (WHERE user_id <> '%1'), count(*) "
                                          "FROM %2")
                               .arg(a, table));
            QVERIFY2(seen.ok(), qPrintable(seen.message()));
            QCOMPARE(seen.value(0, 0), QStringLiteral("0"));
            QVERIFY(seen.value(0, 1).toInt() > 0);
        }
        // Audit entries A can read are about A's own rows only: none about B's, none by the dispatcher about
        // B.
        const QString entitiesOfB =
            QStringLiteral(
                "SELECT id::text FROM contacts WHERE user_id = '%1' UNION ALL SELECT id::text FROM "
                "addresses WHERE user_id = '%1' UNION ALL SELECT id::text FROM tickets WHERE user_id = '%1'")
                .arg(idText(m_b.login.id));
        QVERIFY(adminOne(QStringLiteral(
                             "SELECT count(*) FROM audit_log WHERE entity_id::text IN (%1) AND user_id = "
                             "'%2'")
                             .arg(entitiesOfB, m_dispatcherId))
                    .toInt() > 0);
        const QStringList idsOfB = m_server->adminQuery(entitiesOfB);
        const auto audit = asTechnician(
            m_a.login,
            QStringLiteral("SELECT string_agg(entity_id::text, ','), count(*) FILTER (WHERE entity_id = "
                           "'%1') FROM audit_log")
                .arg(ticketOfB));
        QVERIFY2(audit.ok(), qPrintable(audit.message()));
        QCOMPARE(audit.value(0, 1), QStringLiteral("0"));
        for (const QString &entity : audit.value(0, 0).split(QLatin1Char(','), Qt::SkipEmptyParts))
            QVERIFY2(!idsOfB.contains(entity), qPrintable(entity));
        // A sees nothing of the dispatcher's user either.
        const auto users =
            asTechnician(m_a.login, QStringLiteral("SELECT string_agg(id::text, ',') FROM users"));
        QVERIFY2(users.ok(), qPrintable(users.message()));
        QCOMPARE(users.value(0, 0), a);
        // The job the office booked for A is A's to see.
        QCOMPARE(asTechnician(m_a.login,
                              QStringLiteral("SELECT count(*) FROM tickets WHERE id = '%1'").arg(ticketOfA))
                     .value(0, 0),
                 QStringLiteral("1"));
    }

    // A technician's login never gets the dispatcher's reach: not by claiming its identity, not by leaving
    // the identity unset, not by switching roles.
    void technicianCannotActAsTheDispatcher()
    {
        const QString countB =
            QStringLiteral("SELECT count(*) FROM tickets WHERE user_id = '%1'").arg(idText(m_b.login.id));
        const auto claimed = asTechnician(m_a.login, countB, m_dispatcherId);
        QVERIFY(!claimed.ok());
        QCOMPARE(claimed.sqlState(), QByteArray("42501"));
        auto connection = must(sync::PgConnection::connect(m_a.login.url), "connecting as technician A");
        const auto unset = connection->exec(countB);
        QVERIFY2(!unset.ok() || unset.value(0, 0) == QStringLiteral("0"), qPrintable(unset.value(0, 0)));
        for (const QString &role : {QStringLiteral("fieldbook_dispatcher"), m_dispatcherLogin}) {
            const auto switched = connection->exec(QStringLiteral("SET ROLE %1").arg(role));
            QVERIFY2(!switched.ok(), qPrintable(role));
        }
        const auto written =
            asTechnician(m_a.login, QStringLiteral("UPDATE tickets SET scheduled_at = now() WHERE "
                                                   "id = '%1' RETURNING id")
                                        .arg(m_b.ticket));
        QVERIFY(!written.ok() || written.rows() == 0);
    }
};

QTEST_GUILESS_MAIN(TestDispatcher)
#include "test_dispatcher.moc"
