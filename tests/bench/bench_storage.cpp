// bench_storage: the database's size per customer at a company's scale (issue 16), run by hand in a Release
// build (not a test).
//
//   1. `fieldbook demo`'s data for N customers (100,000 by default: DemoDataGenerator, through core's
//      services, one transaction, events delivered after the commit), in a new file opened as the app opens
//      it (Core::open), synchronous=NORMAL as `fieldbook demo` sets it;
//   2. what the app does next in normal life: every pending change acknowledged by the local call a
//      successful push makes (outbox::acknowledge, as sync::Pusher does after the server's COMMIT), the
//      events delivered (EventBus::deliverPending), then the housekeeping a sync cycle runs afterwards
//      (housekeeping::pruneAll: acknowledged outbox rows and delivered events go, the freed pages are given
//      back to the file system in bounded steps);
//   3. the file measured after its last connection closed (SQLite checkpoints the WAL into the file then, as
//      when the app quits; no VACUUM), per table and index with SQLite's dbstat virtual table.
//
// The audit trail is hashed (every column of every entry, in rowid order) before and after: it must be whole.
#include "core.h"
#include "db/housekeeping.h"
#include "demodata.h"
#include "syncapi/outbox.h"
#include "util/timeutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDate>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <vector>

namespace {

using namespace fb;

QTemporaryDir *g_workDir = nullptr;

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_storage: %s\n", qPrintable(what));
    if (g_workDir)
        g_workDir->remove();
    std::exit(1);
}

template <typename T> T take(Result<T> result, const char *what)
{
    if (!result)
        die(QString::fromLatin1(what) + QStringLiteral(": ") + result.error().toString());
    return std::move(result).value();
}

void check(const Status &status, const char *what)
{
    if (!status)
        die(QString::fromLatin1(what) + QStringLiteral(": ") + status.error().toString());
}

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

qint64 scalar(Core &core, const QString &sql)
{
    auto query = take(core.db().exec(sql), "counting");
    return query.next() ? query.value(0).toLongLong() : 0;
}

/// Every column of every audit entry, in rowid order: equal hashes mean the trail is whole and unchanged.
QByteArray auditHash(Core &core, qint64 &entries)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto query = take(core.db().exec(QStringLiteral("SELECT id, user_id, entity_type, entity_id, action, "
                                                    "changes, created_at, author_login, origin FROM "
                                                    "main.audit_log ORDER BY rowid")),
                      "reading the audit trail");
    entries = 0;
    while (query.next()) {
        for (int i = 0; i < 9; ++i) {
            hash.addData(query.value(i).isNull() ? QByteArrayLiteral("\x01NULL")
                                                 : query.value(i).toByteArray());
            hash.addData(QByteArray(1, '\0'));
        }
        ++entries;
    }
    return hash.result().toHex();
}

struct Object
{
    QString name;
    QString table; // the table an index belongs to (== name for a table)
    bool index = false;
    qint64 bytes = 0;
};

struct FileSize
{
    qint64 fileBytes = 0;
    qint64 freeBytes = 0;
    std::vector<Object> objects; // largest first
};

/// The file's size and its pages per table and index (dbstat), read on a connection of its own once every
/// other connection closed (the last one checkpointed the WAL into the file).
FileSize measure(const QString &path)
{
    FileSize size;
    if (QFileInfo::exists(path + QStringLiteral("-wal")) &&
        QFileInfo(path + QStringLiteral("-wal")).size() > 0)
        die(QStringLiteral("%1-wal is not empty: a connection is still open").arg(path));
    size.fileBytes = QFileInfo(path).size();
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        die(QStringLiteral("cannot open %1 to measure it").arg(path));
    const auto each = [&](const char *sql, const auto &row) {
        sqlite3_stmt *statement = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK)
            die(QStringLiteral("%1: %2").arg(QString::fromUtf8(sql), QString::fromUtf8(sqlite3_errmsg(db))));
        while (sqlite3_step(statement) == SQLITE_ROW)
            row(statement);
        sqlite3_finalize(statement);
    };
    each("SELECT (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM "
         "pragma_page_size)",
         [&](sqlite3_stmt *s) { size.freeBytes = sqlite3_column_int64(s, 0); });
    std::map<QString, QString> owner; // index -> table
    each("SELECT name, tbl_name, type FROM sqlite_schema WHERE type IN ('table', 'index')",
         [&](sqlite3_stmt *s) {
             owner[QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)))] =
                 QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 1)));
         });
    each("SELECT name, sum(pgsize) FROM dbstat GROUP BY name", [&](sqlite3_stmt *s) {
        Object object;
        object.name = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
        object.table = owner.count(object.name) ? owner[object.name] : object.name;
        object.index = object.table != object.name;
        object.bytes = sqlite3_column_int64(s, 1);
        size.objects.push_back(object);
    });
    sqlite3_close(db);
    std::sort(size.objects.begin(), size.objects.end(),
              [](const Object &a, const Object &b) { return a.bytes > b.bytes; });
    return size;
}

double mb(qint64 bytes)
{
    return double(bytes) / 1e6;
}

void printSize(const char *title, const FileSize &size, int contacts)
{
    std::printf("%s: %.1f MB, %.0f bytes per customer (free pages %.1f MB)\n", title, mb(size.fileBytes),
                double(size.fileBytes) / contacts, mb(size.freeBytes));
    // Per table: its own pages and its indexes' (the FTS5 table's shadow tables count as tables).
    std::map<QString, std::pair<qint64, qint64>> byTable;
    for (const Object &object : size.objects)
        (object.index ? byTable[object.table].second : byTable[object.table].first) += object.bytes;
    std::vector<std::pair<QString, std::pair<qint64, qint64>>> tables(byTable.begin(), byTable.end());
    std::sort(tables.begin(), tables.end(), [](const auto &a, const auto &b) {
        return a.second.first + a.second.second > b.second.first + b.second.second;
    });
    std::printf("  %-34s %10s %10s %10s\n", "table", "rows MB", "indexes MB", "B/customer");
    for (const auto &[table, bytes] : tables) {
        if (bytes.first + bytes.second < 64 * 1024)
            continue;
        std::printf("  %-34s %10.1f %10.1f %10.0f\n", qPrintable(table), mb(bytes.first), mb(bytes.second),
                    double(bytes.first + bytes.second) / contacts);
    }
    std::printf("  %-34s %10s\n", "index", "MB");
    for (const Object &object : size.objects)
        if (object.index && object.bytes >= 256 * 1024)
            std::printf("  %-34s %10.1f   (%s)\n", qPrintable(object.name), mb(object.bytes),
                        qPrintable(object.table));
}

void figure(const char *name, double value, const char *unit, const char *op, double target, bool met,
            int decimals = 0)
{
    std::printf("FIGURE %s %.*f %s goal %s %.*f %s\n", name, decimals, value, unit, op, decimals, target,
                met ? "met" : "missed");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_storage"));
    QLoggingCategory::setFilterRules(QStringLiteral("fieldbook.*.debug=false\nfieldbook.*.info=false"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The database's size per demo customer after normal use (issue 16). Release build, by hand."));
    parser.addHelpOption();
    const QCommandLineOption contactsOption(QStringLiteral("contacts"),
                                            QStringLiteral("Demo customers (default 100000)."),
                                            QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption keepOption(QStringLiteral("keep"),
                                        QStringLiteral("Leave the database file in DIR (it must exist)."),
                                        QStringLiteral("DIR"));
    parser.addOptions({contactsOption, keepOption});
    parser.process(app);
    bool isNumber = false;
    const int contacts = parser.value(contactsOption).toInt(&isNumber);
    if (!isNumber || contacts < 1 || contacts > DemoDataGenerator::kMaxContacts)
        die(QStringLiteral("--contacts must be from 1 to %1").arg(DemoDataGenerator::kMaxContacts));

    QTemporaryDir work;
    if (!work.isValid())
        die(QStringLiteral("cannot make a temporary folder"));
    g_workDir = &work;
    QString folder = work.path();
    if (parser.isSet(keepOption)) {
        folder = parser.value(keepOption);
        if (!QDir(folder).exists())
            die(QStringLiteral("--keep %1: no such folder").arg(folder));
    }
    const QString path = QDir(folder).filePath(QStringLiteral("storage-%1.db").arg(contacts));
    if (QFileInfo::exists(path))
        die(QStringLiteral("%1 exists already").arg(path));

    QByteArray hashBefore;
    qint64 entriesBefore = 0;
    qint64 outboxBefore = 0;
    qint64 eventsBefore = 0;
    {
        auto core = take(Core::open(path, QStringLiteral("bench-storage")), "opening the database");
        check(core->db().execScript(QStringLiteral("PRAGMA synchronous = NORMAL")), "synchronous=NORMAL");
        core->tickets.setExtractionQueue(nullptr); // as `fieldbook demo`: demo close-outs are not queued
        QElapsedTimer wall;
        wall.start();
        const double cpu0 = cpuSeconds();
        const DemoSummary summary =
            take(DemoDataGenerator(*core, QDate::currentDate()).generate(contacts), "making the demo data");
        std::printf("demo data for %d customers: %.1f s (%.1f s CPU)\n", contacts,
                    double(wall.elapsed()) / 1000, cpuSeconds() - cpu0);
        for (const DemoSummary::Count &count : summary.counts)
            std::printf("  %-20s %7d\n", qPrintable(count.table), count.rows);
        hashBefore = auditHash(*core, entriesBefore);
        outboxBefore = scalar(*core, QStringLiteral("SELECT count(*) FROM sync_outbox"));
        eventsBefore = scalar(*core, QStringLiteral("SELECT count(*) FROM domain_events"));
        std::printf("  %-20s %7lld\n  %-20s %7lld\n  %-20s %7lld\n", "audit_log",
                    static_cast<long long>(entriesBefore), "sync_outbox",
                    static_cast<long long>(outboxBefore), "domain_events",
                    static_cast<long long>(eventsBefore));
    }
    const FileSize asMade = measure(path);
    printSize("\nthe file as `fieldbook demo` leaves it", asMade, contacts);

    QByteArray hashAfter;
    qint64 entriesAfter = 0;
    qint64 outboxAfter = 0;
    qint64 eventsAfter = 0;
    double stepP95 = 0;
    {
        auto core = take(Core::open(path, QStringLiteral("bench-storage")), "opening the database again");
        const QUuid user =
            take(core->users.list(), "listing profiles").value(0).id;       // the demo's one technician
        check(core->setCurrentUser(user), "selecting the demo technician"); // delivers any pending event
        (void)core->bus().deliverPending();

        // Every pending change acknowledged in the push's batches, as the push does after the server's
        // COMMIT.
        QElapsedTimer wall;
        wall.start();
        for (;;) {
            auto pending =
                take(core->db().exec(QStringLiteral("SELECT seq FROM sync_outbox WHERE user_id = ? AND "
                                                    "pushed_at IS NULL AND quarantined_at IS NULL "
                                                    "ORDER BY seq LIMIT 2000"),
                                     {idText(user)}),
                     "reading the outbox");
            QList<qint64> seqs;
            while (pending.next())
                seqs.append(pending.value(0).toLongLong());
            if (seqs.isEmpty())
                break;
            check(outbox::acknowledge(core->db(), user, seqs, toStoredTime(nowUtc())), "acknowledging");
        }
        const qint64 ackMs = wall.elapsed();
        wall.restart();
        const double cpu0 = cpuSeconds();
        // pruneAll() step by step, as the sync worker's slices run it, to time each step's longest write
        // transaction (a step is up to three: the prune, giving pages back, a compaction step): a write of
        // the GUI thread waits at most about that long. The step's CPU time is its whole.
        housekeeping::PruneReport pruned;
        std::vector<double> stepMs;
        std::vector<double> stepCpuMs;
        while (!pruned.done) {
            const double stepCpu0 = cpuSeconds();
            const housekeeping::PruneReport step = take(housekeeping::pruneStep(core->db()), "pruning");
            stepCpuMs.push_back((cpuSeconds() - stepCpu0) * 1000);
            stepMs.push_back(step.longestStepMs);
            pruned.outboxRows += step.outboxRows;
            pruned.events += step.events;
            pruned.deliveries += step.deliveries;
            pruned.pagesReleased += step.pagesReleased;
            pruned.steps += step.steps;
            pruned.done = step.done;
        }
        std::sort(stepMs.begin(), stepMs.end());
        std::sort(stepCpuMs.begin(), stepCpuMs.end());
        const auto at = [](const std::vector<double> &v, double p) {
            return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
        };
        stepP95 = at(stepMs, 0.95);
        std::printf(
            "\nacknowledged %lld change(s) in %.1f s; housekeeping: %lld outbox row(s), %lld event(s), "
            "%lld delivery record(s) pruned in %d step(s) of at most %d rows each, %lld page(s) given "
            "back, %.1f s (%.1f s CPU); a step's longest write transaction: p50 %.1f ms, p95 %.1f ms, max "
            "%.1f ms wall (a whole step's CPU: p50 %.1f ms, p95 %.1f ms, max %.1f ms)\n",
            static_cast<long long>(outboxBefore), double(ackMs) / 1000,
            static_cast<long long>(pruned.outboxRows), static_cast<long long>(pruned.events),
            static_cast<long long>(pruned.deliveries), pruned.steps, housekeeping::kStepRows,
            static_cast<long long>(pruned.pagesReleased), double(wall.elapsed()) / 1000, cpuSeconds() - cpu0,
            at(stepMs, 0.5), stepP95, stepMs.empty() ? 0.0 : stepMs.back(), at(stepCpuMs, 0.5),
            at(stepCpuMs, 0.95), stepCpuMs.empty() ? 0.0 : stepCpuMs.back());
        hashAfter = auditHash(*core, entriesAfter);
        outboxAfter = scalar(*core, QStringLiteral("SELECT count(*) FROM sync_outbox"));
        eventsAfter = scalar(*core, QStringLiteral("SELECT count(*) FROM domain_events"));
    }
    const FileSize after = measure(path);
    printSize(
        "\nthe file after the push was acknowledged and the housekeeping ran (closed: WAL checkpointed)",
        after, contacts);
    if (parser.isSet(keepOption))
        std::printf("\nkept %s\n", qPrintable(path));

    const bool whole = hashAfter == hashBefore && entriesAfter == entriesBefore;
    std::printf("\naudit trail: %lld entries before, %lld after, sha256 %s %s\n",
                static_cast<long long>(entriesBefore), static_cast<long long>(entriesAfter),
                hashAfter.left(16).constData(), whole ? "(unchanged)" : "(CHANGED)");
    const double perContact = double(after.fileBytes) / contacts;
    figure("db_bytes_per_contact", perContact, "bytes", "<=", 2500, perContact <= 2500);
    figure("db_bytes_per_contact_as_made", double(asMade.fileBytes) / contacts, "bytes", "<=", 2500,
           double(asMade.fileBytes) / contacts <= 2500);
    figure("audit_trail_whole", whole ? 1 : 0, "bool", "==", 1, whole);
    figure("prune_step_p95_ms", stepP95, "ms", "<=", 50, stepP95 <= 50, 1);
    figure("outbox_rows_left", double(outboxAfter), "rows", "==", 0, outboxAfter == 0);
    figure("events_left", double(eventsAfter), "rows", "==", 0, eventsAfter == 0);
    return whole ? 0 : 1;
}
