#include "db/housekeeping.h"

#include "db/database.h"
#include "db/transaction.h"
#include "util/timeutil.h"

#include <QElapsedTimer>
#include <QHash>
#include <QStringList>

#include <algorithm>

namespace fb::housekeeping {

namespace {

QString listed(const QList<qint64> &values)
{
    QStringList parts;
    parts.reserve(values.size());
    for (const qint64 value : values)
        parts.append(QString::number(value));
    return parts.join(QLatin1Char(','));
}

/// Acknowledged outbox rows, oldest first, counted per technician before they go.
Result<qint64> pruneOutbox(Database &db, int maxRows)
{
    auto query = db.exec(QStringLiteral("SELECT o.seq, o.user_id, a.rowid FROM main.sync_outbox o "
                                        "LEFT JOIN main.audit_log a ON a.id = o.audit_id "
                                        "WHERE o.pushed_at IS NOT NULL AND o.quarantined_at IS NULL "
                                        "ORDER BY o.seq LIMIT ?"),
                         {maxRows});
    if (!query)
        return query.error();
    QList<qint64> seqs;
    struct Tally
    {
        qint64 rows = 0;
        qint64 through = 0;
    };
    QHash<QString, Tally> byUser;
    while (query->next()) {
        seqs.append(query->value(0).toLongLong());
        Tally &tally = byUser[query->value(1).toString()];
        ++tally.rows;
        tally.through = std::max(tally.through, query->value(2).toLongLong());
    }
    query->finish();
    if (seqs.isEmpty())
        return 0;
    for (auto it = byUser.cbegin(); it != byUser.cend(); ++it) {
        auto counted = db.exec(
            QStringLiteral(
                "INSERT INTO main.sync_outbox_pruned (user_id, rows, through_audit_rowid) VALUES (?, ?, "
                "?) ON CONFLICT (user_id) DO UPDATE SET rows = rows + excluded.rows, "
                "through_audit_rowid = max(through_audit_rowid, excluded.through_audit_rowid)"),
            {it.key(), it->rows, it->through});
        if (!counted)
            return counted.error();
    }
    // seq values are integers read from the outbox: safe to list inline.
    auto removed =
        db.exec(QStringLiteral("DELETE FROM main.sync_outbox WHERE seq IN (%1) AND pushed_at IS NOT "
                               "NULL AND quarantined_at IS NULL")
                    .arg(listed(seqs)));
    if (!removed)
        return removed.error();
    if (removed->numRowsAffected() != seqs.size())
        return Error::database(QStringLiteral("the outbox changed while it was pruned"));
    return seqs.size();
}

/// Events every handler took (or nobody subscribed to), with their delivery records.
Result<std::pair<qint64, qint64>> pruneEvents(Database &db, int maxRows)
{
    auto query = db.exec(
        QStringLiteral("SELECT rowid FROM main.domain_events WHERE dispatched = 1 ORDER BY rowid LIMIT ?"),
        {maxRows});
    if (!query)
        return query.error();
    QList<qint64> rowids;
    while (query->next())
        rowids.append(query->value(0).toLongLong());
    query->finish();
    if (rowids.isEmpty())
        return std::pair<qint64, qint64>{0, 0};
    const QString list = listed(rowids);
    auto deliveries =
        db.exec(QStringLiteral("DELETE FROM main.event_deliveries WHERE event_id IN (SELECT event_id "
                               "FROM main.domain_events WHERE rowid IN (%1) AND dispatched = 1)")
                    .arg(list));
    if (!deliveries)
        return deliveries.error();
    const qint64 deliveryCount = deliveries->numRowsAffected();
    auto events = db.exec(
        QStringLiteral("DELETE FROM main.domain_events WHERE rowid IN (%1) AND dispatched = 1").arg(list));
    if (!events)
        return events.error();
    return std::pair<qint64, qint64>{events->numRowsAffected(), deliveryCount};
}

const QString kCompactedKey = QStringLiteral("search_index_compacted_at");

/// One step of compacting the contact search index (see kSearchMergePages), when one is due. True when it
/// did some work (more may follow), false when none was due or the index is compact.
Result<bool> compactSearchStep(Database &db)
{
    auto last = db.exec(QStringLiteral("SELECT value FROM sync_state WHERE user_id = '' AND key = ?"),
                        {kCompactedKey});
    if (!last)
        return last.error();
    if (last->next()) {
        const QDateTime at = fromStoredTime(last->value(0).toString());
        if (at.isValid() && at.msecsTo(nowUtc()) < kSearchCompactEveryMs)
            return false;
    }
    last->finish();
    FB_TRANSACTION(tx, db);
    auto before = db.exec(QStringLiteral("SELECT total_changes()"));
    if (!before || !before->next())
        return before ? Error::database(QStringLiteral("total_changes() gave no row")) : before.error();
    const qint64 changesBefore = before->value(0).toLongLong();
    before->finish();
    FB_TRY(db.exec(QStringLiteral("INSERT INTO contact_search (contact_search, rank) VALUES ('merge', ?)"),
                   {-kSearchMergePages}));
    auto after = db.exec(QStringLiteral("SELECT total_changes()"));
    if (!after || !after->next())
        return after ? Error::database(QStringLiteral("total_changes() gave no row")) : after.error();
    // The command itself counts as one change; more means it merged pages.
    const bool merged = after->value(0).toLongLong() - changesBefore > 1;
    after->finish();
    if (!merged)
        FB_TRY(db.exec(QStringLiteral("INSERT INTO sync_state (user_id, key, value) VALUES ('', ?, ?) "
                                      "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
                       {kCompactedKey, toStoredTime(nowUtc())}));
    FB_TRY(tx.commit());
    return merged;
}

Result<qint64> pragmaValue(Database &db, const QString &pragma)
{
    auto query = db.exec(QStringLiteral("PRAGMA %1").arg(pragma));
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toLongLong() : 0;
}

} // namespace

Result<PruneReport> pruneStep(Database &db, int maxRows)
{
    // The step is up to three write transactions (the prune, giving pages back, a compaction step); a write
    // of another connection waits at most for the one in progress, so the longest of them is reported.
    QElapsedTimer timer;
    timer.start();
    PruneReport report;
    report.steps = 1;
    const auto transactionEnded = [&timer, &report] {
        report.longestStepMs = std::max(report.longestStepMs, double(timer.nsecsElapsed()) / 1e6);
        timer.restart();
    };
    {
        FB_TRANSACTION(tx, db);
        auto outbox = pruneOutbox(db, maxRows);
        if (!outbox)
            return outbox.error();
        auto events = pruneEvents(db, maxRows);
        if (!events)
            return events.error();
        FB_TRY(tx.commit());
        transactionEnded();
        report.outboxRows = *outbox;
        report.events = events->first;
        report.deliveries = events->second;
    }
    // Free pages go back to the file system only in a file made with auto_vacuum = INCREMENTAL (2); in an
    // older file they stay in it and the next writes reuse them.
    qint64 freePages = 0;
    if (db.transactionDepth() == 0) {
        auto mode = pragmaValue(db, QStringLiteral("auto_vacuum"));
        if (!mode)
            return mode.error();
        if (*mode == 2) {
            auto before = pragmaValue(db, QStringLiteral("freelist_count"));
            if (!before)
                return before.error();
            if (*before > 0) {
                timer.restart();
                FB_TRY(
                    db.execScript(QStringLiteral("PRAGMA incremental_vacuum(%1)").arg(kReleasePagesPerStep)));
                transactionEnded();
                auto after = pragmaValue(db, QStringLiteral("freelist_count"));
                if (!after)
                    return after.error();
                report.pagesReleased = *before - *after;
                freePages = *after;
            }
        }
    }
    report.done = report.outboxRows < maxRows && report.events < maxRows && freePages == 0;
    if (report.done && db.transactionDepth() == 0) {
        timer.restart();
        auto compacted = compactSearchStep(db);
        transactionEnded();
        if (!compacted)
            return compacted.error();
        report.searchIndexMerged = *compacted;
        report.done = !*compacted;
    }
    return report;
}

Result<PruneReport> pruneAll(Database &db, QDeadlineTimer deadline, int maxRows)
{
    PruneReport total;
    for (;;) {
        auto step = pruneStep(db, maxRows);
        if (!step)
            return step.error();
        total.outboxRows += step->outboxRows;
        total.events += step->events;
        total.deliveries += step->deliveries;
        total.pagesReleased += step->pagesReleased;
        total.steps += 1;
        total.longestStepMs = std::max(total.longestStepMs, step->longestStepMs);
        total.done = step->done;
        if (step->done || deadline.hasExpired())
            return total;
    }
}

} // namespace fb::housekeeping
