// bench_sync: the push's throughput against its physical limit, run by hand in a Release build (not a test).
//
//   1. fills one local database with N pending changes (contacts, addresses, tickets, line items and the
//      catalog service they use, each with its audit entry) through the services, in one transaction with
//      synchronous=OFF for the fill only;
//   2. per measured run, a fresh server database (PgTestDatabase): sync::Pusher::pushAll as the technician's
//      login role, default batch size, timed from the first outbox read to the last local acknowledgement
//      (connecting is not timed);
//   3. per measured run, another fresh server database: the very rows the push wrote (taken back with
//      COPY ... TO STDOUT, outside the timing) loaded with COPY FROM STDIN (PQputCopyData), one transaction,
//      as the administrative role (PostgreSQL refuses COPY FROM on tables with row-level security to any
//      role subject to it);
//   4. one extra, unmeasured push with a libpq trace: round trips, transactions, bytes, and how long the
//      client waited for the server. --trace FILE keeps it: its Query texts can be replayed under EXPLAIN.
//
// Server rows = state rows (contacts, addresses, services, tickets, line_items) + audit_log rows; both ways
// also fire the foreign-key and same-owner checks and the capture triggers that fill fieldbook_changes (not
// counted), with app.fieldbook_device set as a push sets it (see copyRows()).
// The ratio is taken per run (push, then COPY right after, under the same machine load), median of the runs.
//
// Then the pull and restore benchmarks (bench_sync_pull.cpp) on the same data; every figure ends the run as a
// `FIGURE <name> <value> <unit> goal <op> <target> <met|missed>` line (issue 16).
//
//   eval "$(bash scripts/pg-throwaway.sh start)"   # or let tests/support start a throwaway cluster
//   build/rel/tests/bench/bench_sync [--changes 10000] [--runs 3] [--trace FILE] [--only
//   push,pull,scale,restore100k]
#include "bench_sync_support.h"
#include "core.h"
#include "db/transaction.h"
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "util/timeutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QUrl>

#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using namespace fb;
using namespace fb::bench;

qint64 scalar(Core &core, const QString &sql)
{
    auto query = take(core.db().exec(sql), "count");
    return query.next() ? query.value(0).toLongLong() : -1;
}

// The tables the push writes, in foreign-key order (users comes from addTechnician in every fresh database).
const char *const kStateTables[] = {"contacts", "addresses", "services", "tickets", "line_items"};

// --- 1. the local backlog
// ------------------------------------------------------------------------------------

struct Local
{
    std::unique_ptr<Core> core;
    QUuid user;
    qint64 pending = 0;
};

void fill(Local &local, int changes)
{
    Core &core = *local.core;
    // Each service call is its own savepoint inside one transaction: one fsync-free commit for the whole
    // fill.
    check(core.db().execScript(QStringLiteral("PRAGMA synchronous = OFF")), "synchronous=OFF");
    {
        Transaction tx(core.db());
        check(tx.began(), "begin the fill");
        const Service service =
            take(core.catalog.createService({QStringLiteral("Furnace tune-up"),
                                             QStringLiteral("Annual inspection and clean"),
                                             PricingType::Fixed,
                                             Money::fromCents(12950),
                                             {},
                                             {},
                                             true}),
                 "create the service");
        // Pending so far: the technician's profile and the service.
        const int base = int(scalar(core, QStringLiteral("SELECT count(*) FROM sync_outbox")));
        const int perKind = std::max(1, (changes - base) / 4);
        const int lineItems = changes - base - 3 * perKind;
        if (lineItems < 0)
            die(QStringLiteral("--changes must be at least %1").arg(base + 3));
        const QDateTime start = nowUtc();
        QUuid lastTicket;
        for (int i = 0; i < perKind; ++i) {
            const QString n = QString::number(i);
            const Contact contact = take(
                core.contacts.create({QStringLiteral("Customer %1").arg(n),
                                      QStringLiteral("customer%1@example.com").arg(n),
                                      QStringLiteral("(555) 01%1").arg(i % 100000, 5, 10, QLatin1Char('0')),
                                      {}}),
                "create a contact");
            const Address address =
                take(core.addresses.create({contact.id,
                                            QStringLiteral("Home"),
                                            QStringLiteral("%1 Maple Street").arg(100 + i),
                                            QStringLiteral("Springfield"),
                                            QStringLiteral("IL"),
                                            QStringLiteral("62701"),
                                            {}}),
                     "create an address");
            const Ticket ticket =
                take(core.tickets.create({contact.id, address.id, start.addSecs(3600LL * (24 + i % 500)), 60,
                                          QStringLiteral("Gate code 4411")}),
                     "create a ticket");
            lastTicket = ticket.id;
            if (i < lineItems)
                take(core.tickets.addLineItem(ticket.id, {service.id, {}, 1, {}, {}, 45}), "add a line item");
        }
        for (int i = perKind; i < lineItems; ++i)
            take(core.tickets.addLineItem(lastTicket, {service.id, {}, 1, {}, {}, 45}), "add a line item");
        check(tx.commit(), "commit the fill");
    }
    check(core.db().execScript(QStringLiteral("PRAGMA synchronous = FULL")), "synchronous=FULL");
    core.bus().deliverPending();
    local.pending = scalar(core, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE pushed_at IS NULL"));
}

/// Puts every outbox entry back in the queue, so each run pushes the same backlog.
void resetOutbox(Local &local)
{
    check(local.core->db().execScript(QStringLiteral("UPDATE sync_outbox SET pushed_at = NULL, attempts = 0, "
                                                     "quarantined_at = NULL, quarantine_reason = NULL; "
                                                     "DELETE FROM sync_state;")),
          "reset the outbox");
}

// --- 2. the push
// ---------------------------------------------------------------------------------------------

struct ServerCounts
{
    qint64 state = 0;
    qint64 audit = 0;
    qint64 rows() const { return state + audit; }
};

ServerCounts countRows(const test::PgTestDatabase &server)
{
    ServerCounts counts;
    for (const char *table : kStateTables)
        counts.state += server.adminQuery(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table)))
                            .value(0)
                            .toLongLong();
    counts.audit = server.adminQuery(QStringLiteral("SELECT count(*) FROM audit_log")).value(0).toLongLong();
    return counts;
}

struct PushRun
{
    test::PgTestDatabase::Technician tech;
    double seconds = 0;
    ServerCounts counts;
    sync::PushReport report;
};

std::unique_ptr<sync::PgConnection> connectAs(const QString &url)
{
    return take(sync::PgConnection::connect(url), "connect to the server");
}

PushRun push(Local &local, test::PgTestDatabase &server, const QString &traceFile = {})
{
    resetOutbox(local);
    const auto technician = server.addTechnician(local.user, QStringLiteral("bench@example.com"));
    auto connection = connectAs(technician.url);
    FILE *trace = nullptr;
    if (!traceFile.isEmpty()) {
        trace = std::fopen(qPrintable(traceFile), "w");
        if (!trace)
            die(QStringLiteral("cannot write %1").arg(traceFile));
        PQtrace(connection->handle(), trace);
    }
    PushRun run;
    run.tech = technician;
    sync::Pusher pusher(local.core->db(), local.user);
    QElapsedTimer timer;
    timer.start();
    run.report = take(pusher.pushAll(*connection), "push");
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    if (trace) {
        PQuntrace(connection->handle());
        std::fclose(trace);
    }
    if (run.report.remaining != 0 || run.report.quarantined != 0 || run.report.pushed != local.pending)
        die(QStringLiteral("the push left %1 pending and %2 quarantined of %3")
                .arg(run.report.remaining)
                .arg(run.report.quarantined)
                .arg(local.pending));
    run.counts = countRows(server);
    if (run.counts.audit != local.pending)
        die(QStringLiteral("the server holds %1 audit rows, expected %2")
                .arg(run.counts.audit)
                .arg(local.pending));
    return run;
}

/// Round trips (Query and Sync messages the client sent) and committed transactions in a libpq trace.
struct TraceCounts
{
    int roundTrips = 0;
    int commits = 0;
    qint64 bytesSent = 0;
    double serverSeconds = 0; ///< from each Query/Sync sent to the ReadyForQuery that answered it
};

TraceCounts countTrace(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        die(QStringLiteral("cannot read %1").arg(path));
    TraceCounts counts;
    // Lines are "<timestamp> F|B <length> <message> ..."; a Query message's text spans lines, whose SQL never
    // starts with a timestamp.
    const auto stamp = [](const QByteArray &text) {
        return QDateTime::fromString(QString::fromLatin1(text), QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    };
    QDateTime sent;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() < 4 || (fields[1] != "F" && fields[1] != "B"))
            continue;
        if (fields[1] == "F") {
            counts.bytesSent += fields[2].toLongLong();
            if (fields[3].startsWith("Query") || fields[3].startsWith("Sync")) {
                ++counts.roundTrips;
                sent = stamp(fields[0].left(23));
            }
        } else if (fields[3].startsWith("CommandComplete") && line.contains("\"COMMIT\"")) {
            ++counts.commits;
        } else if (fields[3].startsWith("ReadyForQuery") && sent.isValid()) {
            counts.serverSeconds += double(sent.msecsTo(stamp(fields[0].left(23)))) / 1000;
            sent = {};
        }
    }
    return counts;
}

// --- 3. COPY, the physical limit
// -----------------------------------------------------------------------------

struct CopyData
{
    QByteArray table;
    QByteArray columns; // "(a, b, c)"
    QByteArray text;    // COPY text format
    qint64 rows = 0;
};

std::vector<CopyData> takeCopyData(test::PgTestDatabase &server)
{
    auto admin = connectAs(server.adminUrl());
    std::vector<CopyData> data;
    std::vector<const char *> tables(std::begin(kStateTables), std::end(kStateTables));
    tables.push_back("audit_log");
    for (const char *table : tables) {
        CopyData copy;
        copy.table = table;
        const sync::PgResult columns = admin->exec(
            QStringLiteral("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
                           "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped"),
            {QByteArray(table)});
        if (!columns.ok())
            die(columns.message());
        copy.columns = "(" + columns.value(0, 0).toUtf8() + ")";
        PGconn *conn = admin->handle();
        const QByteArray sql = "COPY " + copy.table + " " + copy.columns + " TO STDOUT";
        PGresult *started = PQexec(conn, sql.constData());
        if (PQresultStatus(started) != PGRES_COPY_OUT)
            die(QString::fromUtf8(PQerrorMessage(conn)));
        PQclear(started);
        char *buffer = nullptr;
        int size = 0;
        while ((size = PQgetCopyData(conn, &buffer, 0)) > 0) {
            copy.text.append(buffer, size);
            ++copy.rows;
            PQfreemem(buffer);
        }
        while (PGresult *rest = PQgetResult(conn))
            PQclear(rest);
        data.push_back(std::move(copy));
    }
    return data;
}

struct CopyRun
{
    double seconds = 0;
    ServerCounts counts;
};

void ok(PGconn *conn, PGresult *result, ExecStatusType expected)
{
    if (PQresultStatus(result) != expected)
        die(QStringLiteral("COPY: %1").arg(QString::fromUtf8(PQerrorMessage(conn))));
    PQclear(result);
}

CopyRun copyRows(const std::vector<CopyData> &data, const QUuid &user)
{
    test::PgTestDatabase server;
    (void)server.addTechnician(user, QStringLiteral("bench@example.com")); // the users row the rows point at
    auto admin = connectAs(server.adminUrl());
    PGconn *conn = admin->handle();
    // The server honours app.fieldbook_device only from a technician's login (anyone else is audited by the
    // server whatever they claim), and COPY FROM needs a role past row-level security: this throwaway
    // database binds the administrator to the technician so the COPY session counts as the technician's push.
    const QByteArray bind =
        "INSERT INTO fieldbook_logins (login_role, user_id, kind) VALUES (session_user, '" +
        idText(user).toUtf8() + "', 'technician')";
    ok(conn, PQexec(conn, bind.constData()), PGRES_COMMAND_OK);
    CopyRun run;
    QElapsedTimer timer;
    timer.start();
    ok(conn, PQexec(conn, "BEGIN"), PGRES_COMMAND_OK);
    // Since server schema 4 every data table has a capture trigger: it appends a feed row for each row
    // written and, unless the session is a Fieldbook push, writes an audit entry of its own. The push sets
    // app.fieldbook_device in its transaction (so the server does not audit what the device audits itself);
    // COPY sets it too, so both ways do the same server work per row (feed rows for the state rows and for
    // the audit rows, foreign-key and same-owner checks) and write the same rows: the COPY'd audit_log
    // already holds the device's entries, and a second, server-written entry per row would be work the push
    // never does (and rows the push never wrote). What is compared is then only how the rows get there.
    ok(conn, PQexec(conn, "SELECT set_config('app.fieldbook_device', 'bench-copy', true)"), PGRES_TUPLES_OK);
    for (const CopyData &copy : data) {
        const QByteArray sql = "COPY " + copy.table + " " + copy.columns + " FROM STDIN";
        ok(conn, PQexec(conn, sql.constData()), PGRES_COPY_IN);
        constexpr qsizetype chunk = 64 * 1024;
        for (qsizetype at = 0; at < copy.text.size(); at += chunk)
            if (PQputCopyData(conn, copy.text.constData() + at,
                              int(std::min(chunk, copy.text.size() - at))) != 1)
                die(QString::fromUtf8(PQerrorMessage(conn)));
        if (PQputCopyEnd(conn, nullptr) != 1)
            die(QString::fromUtf8(PQerrorMessage(conn)));
        ok(conn, PQgetResult(conn), PGRES_COMMAND_OK);
        while (PGresult *rest = PQgetResult(conn))
            PQclear(rest);
    }
    ok(conn, PQexec(conn, "COMMIT"), PGRES_COMMAND_OK);
    run.seconds = double(timer.nsecsElapsed()) / 1e9;
    run.counts = countRows(server);
    return run;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Push throughput against COPY into the local PostgreSQL; pull and restore throughput "
                       "against a raw SQLite insert; a 100,000-row restore; a pull with nothing new; one "
                       "technician's pull among 50."));
    parser.addHelpOption();
    const QCommandLineOption changesOption(QStringLiteral("changes"),
                                           QStringLiteral("Pending changes (10000); also the office's "
                                                          "changes before the measured pull."),
                                           QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Measured runs (3)."),
                                        QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption traceOption(
        QStringLiteral("trace"),
        QStringLiteral("Keep the libpq trace of the counting push in <file> "
                       "(its scripts can be replayed under EXPLAIN ANALYZE)."),
        QStringLiteral("file"));
    const QCommandLineOption onlyOption(
        QStringLiteral("only"),
        QStringLiteral("Run only these parts, comma-separated: push (push vs COPY), pull (restore and pull "
                       "vs raw SQLite, the pull with nothing new), scale (50 technicians), restore100k."),
        QStringLiteral("parts"), QStringLiteral("push,pull,scale,restore100k"));
    const QCommandLineOption restoreRowsOption(QStringLiteral("restore-rows"),
                                               QStringLiteral("Rows of the wall-time restore (100000)."),
                                               QStringLiteral("n"), QStringLiteral("100000"));
    parser.addOption(changesOption);
    parser.addOption(runsOption);
    parser.addOption(traceOption);
    parser.addOption(onlyOption);
    parser.addOption(restoreRowsOption);
    parser.process(app);
    const int changes = parser.value(changesOption).toInt();
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const QStringList parts = parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts)
        if (!QStringList{QStringLiteral("push"), QStringLiteral("pull"), QStringLiteral("scale"),
                         QStringLiteral("restore100k")}
                 .contains(part))
            die(QStringLiteral("--only: unknown part \"%1\" (push, pull, scale, restore100k)").arg(part));

    QTemporaryDir dir;
    if (!dir.isValid())
        die(QStringLiteral("no temporary directory"));
    Local local;
    const auto filled = [&] {
        if (local.core)
            return;
        local.core =
            take(Core::open(dir.filePath(QStringLiteral("bench.db")), QStringLiteral("bench")), "open");
        local.user = take(local.core->users.create(
                              {QStringLiteral("Bench Technician"), QStringLiteral("bench@example.com"), {}}),
                          "create the technician")
                         .id;
        check(local.core->setCurrentUser(local.user), "select the technician");
        QElapsedTimer fillTimer;
        fillTimer.start();
        fill(local, changes);
        std::printf("bench_sync: local backlog of %lld pending changes, filled in %.2f s:\n",
                    static_cast<long long>(local.pending), double(fillTimer.elapsed()) / 1000);
        auto byType =
            take(local.core->db().exec(QStringLiteral("SELECT entity_type, count(*) FROM sync_outbox "
                                                      "GROUP BY entity_type ORDER BY entity_type")),
                 "outbox by type");
        while (byType.next())
            std::printf("  %-12s %6lld\n", qPrintable(byType.value(0).toString()),
                        byType.value(1).toLongLong());
        std::printf("server: %s\n\n",
                    qPrintable(QUrl(test::PgTestServer::instance().adminUrl(QStringLiteral("...")))
                                   .toDisplayString(QUrl::RemovePassword)));
        std::fflush(stdout);
    };

    std::vector<Figure> figures;
    if (parts.contains(QStringLiteral("push"))) {
        filled();
        std::printf("== push vs COPY: push as a technician login role (RLS on), batch size %d (Pusher "
                    "default)\n",
                    sync::Pusher::kDefaultBatchSize);
        std::vector<double> pushRates;
        std::vector<double> copyRates;
        std::vector<double>
            ratios; // each run's push against the COPY right after it: the pair shares the load
        std::vector<CopyData> copyData;
        for (int run = 1; run <= runs; ++run) {
            PushRun pushed;
            {
                test::PgTestDatabase server;
                pushed = push(local, server);
                if (copyData.empty())
                    copyData = takeCopyData(server);
            }
            const CopyRun copied = copyRows(copyData, local.user);
            if (copied.counts.state != pushed.counts.state || copied.counts.audit != pushed.counts.audit)
                die(QStringLiteral("COPY wrote %1 rows, the push %2")
                        .arg(copied.counts.rows())
                        .arg(pushed.counts.rows()));
            const double pushRate = double(pushed.counts.rows()) / pushed.seconds;
            const double copyRate = double(copied.counts.rows()) / copied.seconds;
            pushRates.push_back(pushRate);
            copyRates.push_back(copyRate);
            ratios.push_back(pushRate / copyRate);
            std::printf("run %d: push %lld rows (%lld state + %lld audit) in %.3f s = %8.0f rows/s in %d "
                        "transactions; COPY %.3f s = %8.0f rows/s; ratio %.2f\n",
                        run, static_cast<long long>(pushed.counts.rows()),
                        static_cast<long long>(pushed.counts.state),
                        static_cast<long long>(pushed.counts.audit), pushed.seconds, pushRate,
                        pushed.report.batches, copied.seconds, copyRate, pushRate / copyRate);
            std::fflush(stdout);
        }

        TraceCounts traced;
        double tracedSeconds = 0;
        {
            test::PgTestDatabase server;
            const QString path = parser.isSet(traceOption) ? parser.value(traceOption)
                                                           : dir.filePath(QStringLiteral("push.trace"));
            tracedSeconds = push(local, server, path).seconds;
            traced = countTrace(path);
        }

        const double pushRate = median(pushRates);
        const double copyRate = median(copyRates);
        const double ratio = median(ratios);
        std::printf("median of %d runs (a fresh server database each):\n", runs);
        std::printf("  push (sync::Pusher::pushAll, technician role)   %8.0f rows/s\n", pushRate);
        std::printf("  COPY FROM STDIN (admin role, one transaction)   %8.0f rows/s\n", copyRate);
        std::printf("  ratio push/COPY, median of the runs' ratios     %8.2f\n", ratio);
        std::printf("  ratio of the medians                            %8.2f\n", pushRate / copyRate);
        std::printf("  per %lld changes: %d round trips, %d transactions, %.1f MB sent (after connecting)\n",
                    static_cast<long long>(local.pending), traced.roundTrips, traced.commits,
                    double(traced.bytesSent) / 1e6);
        // The push reads and builds the next batch while the server applies the current one: that work falls
        // inside the wait; what is left is the first batch's build and the local acknowledgements.
        std::printf(
            "  traced push: %.3f s, of which %.3f s from sending a batch to its answer, %.3f s in the "
            "client alone\n\n",
            tracedSeconds, traced.serverSeconds, tracedSeconds - traced.serverSeconds);
        // Issue 16's goal for the push (issue 3 asked for 0.5).
        figures.push_back(
            {QStringLiteral("push_vs_copy"), ratio, QStringLiteral("ratio"), QStringLiteral(">="), 0.7, 2});
    }

    PullOptions pullOptions;
    pullOptions.runs = runs;
    pullOptions.officeChanges = changes;
    pullOptions.restoreRows = parser.value(restoreRowsOption).toInt();
    pullOptions.throughput = parts.contains(QStringLiteral("pull"));
    pullOptions.scale = parts.contains(QStringLiteral("scale"));
    pullOptions.bigRestore = parts.contains(QStringLiteral("restore100k"));
    runPullBenchmarks(
        pullOptions,
        [&](test::PgTestDatabase &server) {
            filled();
            const PushRun pushed = push(local, server);
            return PushedTechnician{local.user, pushed.tech, pushed.counts.audit};
        },
        figures);

    std::printf("\n");
    for (const Figure &figure : figures)
        std::printf("%s\n", qPrintable(figure.line()));
    return 0;
}
