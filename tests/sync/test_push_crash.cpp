// Kill -9 at every step of a push (issue 3), with the real `fieldbook sync` on a demo database: for each
// crash point the process dies by SIGKILL, then a normal sync finishes the job, and afterwards every local
// audit entry is on the server exactly once, every local row equals the server's field by field, and the
// outbox is fully acknowledged. The crash points are the push's test hook (FIELDBOOK_SYNC_CRASH_AT,
// sync/pusher.cpp): before the batch is sent, while the server runs it, before COMMIT, after COMMIT but
// before the local acknowledgement, and after it; with FIELDBOOK_SYNC_BATCH_SIZE=50 also between batches.
#include "core.h"
#include "pgconnection.h"
#include "support/pgtestserver.h"
#include "support/testsupport.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace fb;

namespace {

// Every table the push mirrors, audit_log included.
const QStringList kTables{
    QStringLiteral("contacts"), QStringLiteral("addresses"),  QStringLiteral("services"),
    QStringLiteral("tickets"),  QStringLiteral("line_items"), QStringLiteral("invoices"),
    QStringLiteral("notes"),    QStringLiteral("attributes"), QStringLiteral("scheduled_messages"),
    QStringLiteral("audit_log")};

template <typename T> T must(Result<T> result, const char *what)
{
    if (!result)
        qFatal("%s: %s", what, qPrintable(result.error().toString()));
    return std::move(result).value();
}

std::unique_ptr<sync::PgConnection> connectOrDie(const QString &url)
{
    return must(sync::PgConnection::connect(url), "connecting to the test server");
}

/// Local cents as the server's DECIMAL(10,2) prints them: 1999 -> "19.99", 5 -> "0.05".
QString decimalText(qint64 cents)
{
    return QStringLiteral("%1.%2").arg(cents / 100).arg(cents % 100, 2, 10, QLatin1Char('0'));
}

/// JSON text in one canonical form (keys sorted, numbers as doubles), so "{\"b\":1, \"a\":2}" from jsonb and
/// "{\"a\":2,\"b\":1}" from SQLite compare equal.
QString canonicalJson(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument parsed = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("<invalid JSON: %1>").arg(text);
    return QString::fromUtf8(QJsonDocument(parsed.array()).toJson(QJsonDocument::Compact));
}

/// A table's rows of one user as text in the local representation, keyed by id; null values are null
/// QVariants.
struct Snapshot
{
    QStringList columns;
    QMap<QString, QVariantMap> rows;
};

/// The server's rows, each column printed as the local database stores it: timestamps as ISO UTC text with
/// milliseconds, money as decimal text (compared with the local cents converted by decimalText), booleans as
/// 0/1, JSON canonicalised.
Snapshot serverSnapshot(sync::PgConnection &admin, const QString &table, const QUuid &user)
{
    const sync::PgResult columns = admin.exec(
        QStringLiteral("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                       "'public' AND table_name = $1 ORDER BY ordinal_position"),
        {table.toUtf8()});
    if (!columns.ok() || columns.rows() == 0)
        qFatal("no columns for %s on the server: %s", qPrintable(table), qPrintable(columns.message()));
    Snapshot snapshot;
    QStringList expressions;
    QStringList types;
    for (int i = 0; i < columns.rows(); ++i) {
        const QString name = columns.value(i, 0);
        const QString type = columns.value(i, 1);
        snapshot.columns.append(name);
        types.append(type);
        const QString quoted = QStringLiteral("\"%1\"").arg(name);
        if (type == QStringLiteral("timestamp with time zone"))
            expressions.append(
                QStringLiteral("to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
                    .arg(quoted));
        else if (type == QStringLiteral("boolean"))
            expressions.append(QStringLiteral("CASE WHEN %1 THEN '1' WHEN NOT %1 THEN '0' END").arg(quoted));
        else
            expressions.append(quoted + QStringLiteral("::text"));
    }
    const sync::PgResult rows = admin.exec(QStringLiteral("SELECT %1 FROM %2 WHERE user_id = $1::uuid")
                                               .arg(expressions.join(QStringLiteral(", ")), table),
                                           {idText(user).toUtf8()});
    if (!rows.ok())
        qFatal("reading %s on the server: %s", qPrintable(table), qPrintable(rows.message()));
    const int idColumn = int(snapshot.columns.indexOf(QStringLiteral("id")));
    for (int r = 0; r < rows.rows(); ++r) {
        QVariantMap row;
        for (int c = 0; c < snapshot.columns.size(); ++c) {
            QVariant value;
            if (!rows.isNull(r, c))
                value = types.at(c) == QStringLiteral("jsonb") ? canonicalJson(rows.value(r, c))
                                                               : rows.value(r, c);
            row.insert(snapshot.columns.at(c), value);
        }
        snapshot.rows.insert(rows.value(r, idColumn), row);
    }
    return snapshot;
}

/// The local rows (soft-deleted ones included) converted to the server's text forms where the server's type
/// differs: money cents -> decimal text, JSON canonicalised.
Snapshot localSnapshot(Database &local, const QString &table, const QUuid &user,
                       const QMap<QString, QString> &serverTypes)
{
    Snapshot snapshot;
    auto query =
        must(local.exec(QStringLiteral("SELECT * FROM main.%1 WHERE user_id = ?").arg(table), {idText(user)}),
             "reading a local table");
    const QSqlRecord record = query.record();
    for (int c = 0; c < record.count(); ++c)
        snapshot.columns.append(record.fieldName(c));
    while (query.next()) {
        QVariantMap row;
        for (int c = 0; c < record.count(); ++c) {
            const QString column = record.fieldName(c);
            const QVariant raw = query.value(c);
            QVariant value;
            if (!raw.isNull()) {
                const QString type = serverTypes.value(column);
                if (type == QStringLiteral("numeric"))
                    value = decimalText(raw.toLongLong());
                else if (type == QStringLiteral("jsonb"))
                    value = canonicalJson(raw.toString());
                else
                    value = raw.toString();
            }
            row.insert(column, value);
        }
        snapshot.rows.insert(row.value(QStringLiteral("id")).toString(), row);
    }
    return snapshot;
}

QMap<QString, QString> serverTypes(sync::PgConnection &admin, const QString &table)
{
    const sync::PgResult columns = admin.exec(
        QStringLiteral("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                       "'public' AND table_name = $1"),
        {table.toUtf8()});
    QMap<QString, QString> types;
    for (int i = 0; i < columns.rows(); ++i)
        types.insert(columns.value(i, 0), columns.value(i, 1));
    return types;
}

QString show(const QVariant &value)
{
    return value.isNull() ? QStringLiteral("NULL") : QStringLiteral("'%1'").arg(value.toString());
}

/// Every difference between the user's local rows and the server's, table by table, field by field: missing
/// or extra rows, different column sets, different values. Empty when the server mirrors the device.
QStringList differences(Database &local, const QString &adminUrl, const QUuid &user)
{
    auto admin = connectOrDie(adminUrl);
    QStringList found;
    for (const QString &table : kTables) {
        const Snapshot server = serverSnapshot(*admin, table, user);
        const Snapshot device = localSnapshot(local, table, user, serverTypes(*admin, table));
        QStringList serverColumns = server.columns;
        QStringList deviceColumns = device.columns;
        serverColumns.sort();
        deviceColumns.sort();
        if (serverColumns != deviceColumns)
            found.append(
                QStringLiteral("%1: columns differ: local %2, server %3")
                    .arg(table, deviceColumns.join(QLatin1Char(',')), serverColumns.join(QLatin1Char(','))));
        for (auto it = device.rows.cbegin(); it != device.rows.cend(); ++it) {
            if (!server.rows.contains(it.key())) {
                found.append(QStringLiteral("%1 %2: missing on the server").arg(table, it.key()));
                continue;
            }
            const QVariantMap there = server.rows.value(it.key());
            for (auto field = it->cbegin(); field != it->cend(); ++field) {
                const QVariant other = there.value(field.key());
                if (field->isNull() != other.isNull() || field->toString() != other.toString())
                    found.append(QStringLiteral("%1 %2 .%3: local %4, server %5")
                                     .arg(table, it.key(), field.key(), show(*field), show(other)));
            }
        }
        for (auto it = server.rows.cbegin(); it != server.rows.cend(); ++it)
            if (!device.rows.contains(it.key()))
                found.append(
                    QStringLiteral("%1 %2: on the server but not on the device").arg(table, it.key()));
    }
    return found;
}

int localCount(Database &db, const QString &sql, const QVariantList &values = {})
{
    auto query = must(db.exec(sql, values), "counting locally");
    return query.next() ? query.value(0).toInt() : -1;
}

QStringList localAuditIds(Database &db, const QUuid &user)
{
    auto query = must(db.exec(QStringLiteral("SELECT id FROM main.audit_log WHERE user_id = ? ORDER BY id"),
                              {idText(user)}),
                      "reading local audit ids");
    QStringList ids;
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
}

struct Run
{
    QProcess::ExitStatus status = QProcess::NormalExit;
    int exitCode = -1;
    QString out;
    QString err;
};

/// Runs the real executable with `extra` added to a clean environment (no crash point unless asked).
Run fieldbook(const QStringList &arguments, const QMap<QString, QString> &extra = {})
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("FIELDBOOK_SYNC_CRASH_AT"));
    environment.remove(QStringLiteral("FIELDBOOK_SYNC_BATCH_SIZE"));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        environment.insert(it.key(), it.value());
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(FIELDBOOK_BINARY), arguments);
    if (!process.waitForStarted() || !process.waitForFinished(300000))
        qFatal("fieldbook %s did not finish", qPrintable(arguments.join(QLatin1Char(' '))));
    return {process.exitStatus(), process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

/// What the test reads from the device's file between runs of the executable.
struct DeviceState
{
    int outbox = 0;
    int acknowledged = 0;
    int quarantined = 0;
    QStringList auditIds;
};

DeviceState readDevice(const QString &path, const QUuid &user)
{
    auto core = must(Core::open(path, test::uniqueConnectionName()), "opening the demo database");
    Database &db = core->db();
    DeviceState state;
    const QVariantList forUser{idText(user)};
    state.outbox =
        localCount(db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ?"), forUser);
    state.acknowledged = localCount(
        db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND pushed_at IS NOT NULL"),
        forUser);
    state.quarantined = localCount(
        db,
        QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND quarantined_at IS NOT NULL"),
        forUser);
    state.auditIds = localAuditIds(db, user);
    return state;
}

} // namespace

class TestPushCrash final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedAtEachStepThenResynced_data()
    {
        QTest::addColumn<QString>("point");
        QTest::addColumn<int>("batchSize");          // 0: the default, which takes the demo's backlog at once
        QTest::addColumn<bool>("batchOnServer");     // whether the first batch is committed when it dies
        QTest::addColumn<bool>("batchAcknowledged"); // whether the device acknowledged it
        QTest::newRow("before-send") << QStringLiteral("before-send") << 0 << false << false;
        QTest::newRow("during") << QStringLiteral("during") << 0 << false << false;
        QTest::newRow("before-commit") << QStringLiteral("before-commit") << 0 << false << false;
        QTest::newRow("after-commit") << QStringLiteral("after-commit") << 0 << true << false;
        QTest::newRow("after-ack") << QStringLiteral("after-ack") << 0 << true << true;
        QTest::newRow("after-commit of the first of several batches")
            << QStringLiteral("after-commit") << 50 << true << false;
        QTest::newRow("between batches (after-ack of the first)")
            << QStringLiteral("after-ack") << 50 << true << true;
    }

    void killedAtEachStepThenResynced()
    {
        QFETCH(QString, point);
        QFETCH(int, batchSize);
        QFETCH(bool, batchOnServer);
        QFETCH(bool, batchAcknowledged);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("demo.db"));
        const Run demo = fieldbook({QStringLiteral("demo"), QStringLiteral("--db"), path,
                                    QStringLiteral("--contacts"), QStringLiteral("10")});
        QVERIFY2(demo.status == QProcess::NormalExit && demo.exitCode == 0, qPrintable(demo.err));

        QUuid user;
        QString email;
        {
            auto core = must(Core::open(path, test::uniqueConnectionName()), "opening the demo database");
            const auto users = must(core->users.list(), "listing profiles");
            QCOMPARE(users.size(), 1);
            user = users.first().id;
            email = users.first().email;
        }
        test::PgTestDatabase server;
        const auto tech = server.addTechnician(user, email, QStringLiteral("Demo Technician"));
        const DeviceState before = readDevice(path, user);
        const int total = before.outbox;
        QCOMPARE(before.acknowledged, 0);
        const int batch = batchSize > 0 ? batchSize : total;
        if (batchSize > 0)
            QVERIFY2(total > 2 * batchSize, "the demo backlog must span several batches");
        else
            QVERIFY2(total <= 2000, "the demo backlog must fit the default batch");

        QMap<QString, QString> environment{{QStringLiteral("FIELDBOOK_SYNC_CRASH_AT"), point}};
        if (batchSize > 0)
            environment.insert(QStringLiteral("FIELDBOOK_SYNC_BATCH_SIZE"), QString::number(batchSize));
        const QStringList sync{QStringLiteral("sync"), QStringLiteral("--db"), path,
                               QStringLiteral("--server"), tech.url};
        const Run crashed = fieldbook(sync, environment);
        QCOMPARE(crashed.status, QProcess::CrashExit);
        QCOMPARE(crashed.exitCode, int(SIGKILL));

        // Where the crash left things: the first batch committed or not, acknowledged or not, nothing else.
        const DeviceState afterCrash = readDevice(path, user);
        QCOMPARE(afterCrash.acknowledged, batchAcknowledged ? batch : 0);
        const QStringList onServer = server.adminQuery(
            QStringLiteral("SELECT id::text FROM audit_log WHERE user_id = '%1' ORDER BY id")
                .arg(idText(user)));
        QCOMPARE(int(onServer.size()), batchOnServer ? batch : 0);

        // A normal sync finishes the job.
        const Run resumed = fieldbook(
            sync, batchSize > 0 ? QMap<QString, QString>{{QStringLiteral("FIELDBOOK_SYNC_BATCH_SIZE"),
                                                          QString::number(batchSize)}}
                                : QMap<QString, QString>{});
        QVERIFY2(resumed.status == QProcess::NormalExit && resumed.exitCode == 0,
                 qPrintable(resumed.out + resumed.err));
        QVERIFY2(
            resumed.out.contains(QStringLiteral("pushed %1 change(s)").arg(total - afterCrash.acknowledged)),
            qPrintable(resumed.out));

        // Every local audit entry on the server exactly once (same ids, same count, one arrival each)...
        const DeviceState after = readDevice(path, user);
        QCOMPARE(after.auditIds.size(), total);
        QCOMPARE(server.adminQuery(
                     QStringLiteral("SELECT id::text FROM audit_log WHERE user_id = '%1' ORDER BY id")
                         .arg(idText(user))),
                 after.auditIds);
        QCOMPARE(server.adminQuery(QStringLiteral("SELECT count(*) FROM fieldbook_changes")),
                 QStringList{QString::number(total)});
        // ...every entity row equal to the server's, field by field...
        {
            auto core = must(Core::open(path, test::uniqueConnectionName()), "opening the demo database");
            const QStringList diff = differences(core->db(), server.adminUrl(), user);
            QVERIFY2(diff.isEmpty(), qPrintable(diff.mid(0, 20).join(QLatin1Char('\n'))));
        }
        // ...and the outbox fully acknowledged, nothing set aside.
        QCOMPARE(after.acknowledged, total);
        QCOMPARE(after.quarantined, 0);
    }
};

QTEST_GUILESS_MAIN(TestPushCrash)
#include "test_push_crash.moc"
