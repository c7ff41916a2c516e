#include "events/changefeed.h"

#include "db/database.h"
#include "db/statement.h"
#include "db/tablecatalog.h"
#include "util/timeutil.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcChanges, "fieldbook.changes")

namespace fb {

namespace {

EntityChange::Kind kindFromAction(const QString &action)
{
    if (action == QLatin1String("create"))
        return EntityChange::Kind::Created;
    if (action == QLatin1String("delete"))
        return EntityChange::Kind::Deleted;
    return EntityChange::Kind::Updated;
}

/// Tables whose rows are entities with an audit trail, announced from it with ids: the catalogue's synced
/// tables (core/db/tablecatalog.h) and the profiles; the trail itself is the source, not news. Every other
/// table (drafts, the extraction queue and its suggestions, the outbox, sync state, events) is named instead.
bool isAudited(const QString &table)
{
    if (table == QLatin1String("users") || table == QLatin1String("audit_log"))
        return true;
    const catalog::Table *entity = catalog::table(table);
    return entity && entity->onServer;
}

} // namespace

bool ChangeSet::touches(std::initializer_list<const char *> entityTypes) const
{
    if (incomplete)
        return true;
    for (const EntityChange &change : entities)
        for (const char *type : entityTypes)
            if (change.entityType == QLatin1String(type))
                return true;
    return false;
}

bool ChangeSet::touches(const QString &entityType, const QUuid &id) const
{
    if (incomplete)
        return true;
    for (const EntityChange &change : entities)
        if (change.id == id && change.entityType == entityType)
            return true;
    return false;
}

bool ChangeSet::touchesAny(const QStringList &names) const
{
    if (incomplete)
        return true;
    for (const QString &name : names)
        if (tables.contains(name))
            return true;
    for (const EntityChange &change : entities)
        if (names.contains(change.entityType))
            return true;
    return false;
}

ChangeFeed::ChangeFeed(Database &db, QObject *parent) : QObject(parent), m_db(db)
{
    qRegisterMetaType<fb::ChangeSet>();
    if (auto last = m_db.exec(QStringLiteral("SELECT coalesce(max(rowid), 0) FROM main.audit_log"));
        last && last->next())
        m_lastAuditRow = last->value(0).toLongLong();
    m_dataVersion = dataVersion();
    countedTablesChanged();
    m_db.setCommitObserver([this](const QSet<QString> &tables) { announceLocalCommit(tables); });
    connect(&m_timer, &QTimer::timeout, this, &ChangeFeed::checkOtherConnections);
}

ChangeFeed::~ChangeFeed()
{
    m_db.setCommitObserver({});
}

void ChangeFeed::watchOtherConnections(int intervalMs)
{
    if (intervalMs <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(intervalMs);
}

void ChangeFeed::checkOtherConnections()
{
    if (m_db.transactionDepth() > 0)
        return; // a transaction of this connection is open: look again on the next tick
    const qint64 version = dataVersion();
    if (version == m_dataVersion)
        return;
    m_dataVersion = version;
    ChangeSet changes;
    changes.fromOtherConnection = true;
    changes.tables = countedTablesChanged();
    readNewEntries(changes);
    if (!changes.isEmpty()) // e.g. the worker acknowledged pushed changes: nothing a screen shows
        Q_EMIT changed(changes);
}

QSet<QString> ChangeFeed::countedTablesChanged()
{
    // Kept prepared (Database::read), as readNewEntries()'s: every local commit runs both.
    QSet<QString> changedTables;
    const Status read =
        m_db.read(QStringLiteral("SELECT table_name, version FROM main.change_counters"), {},
                  [&](const Statement &row) {
                      const QString table = row.value(0).toString();
                      const qint64 version = row.value(1).toLongLong();
                      auto known = m_counters.find(table);
                      if (known == m_counters.end() || *known != version) {
                          if (known != m_counters.end()) // the first look only takes the snapshot
                              changedTables.insert(table);
                          m_counters.insert(table, version);
                      }
                      return true;
                  });
    if (!read)
        qCWarning(lcChanges) << "cannot read the change counters:" << read.error().toString();
    return changedTables;
}

void ChangeFeed::announceLocalCommit(const QSet<QString> &tables)
{
    ChangeSet changes;
    for (const QString &table : tables)
        if (!isAudited(table))
            changes.tables.insert(table);
    // Keeps the counters' snapshot current (and names a counted table another connection changed since the
    // last look, which this announcement then carries).
    changes.tables.unite(countedTablesChanged());
    readNewEntries(changes);
    // A synced table written with no audit entry (a repair, a test, a future bulk load): still announced, by
    // its entity type with no id, so no screen misses it.
    for (const QString &table : tables) {
        const catalog::Table *entity = catalog::table(table);
        if (!entity || !isAudited(table))
            continue;
        const bool listed =
            std::any_of(changes.entities.cbegin(), changes.entities.cend(),
                        [&](const EntityChange &c) { return c.entityType == entity->entityType; });
        if (!listed)
            changes.entities.append(EntityChange{entity->entityType, QUuid(), EntityChange::Kind::Updated});
    }
    if (!changes.isEmpty())
        Q_EMIT changed(changes);
}

void ChangeFeed::readNewEntries(ChangeSet &changes)
{
    bool more = false;
    const Status read = m_db.read(QStringLiteral("SELECT rowid, entity_type, entity_id, action FROM "
                                                 "main.audit_log WHERE rowid > ? ORDER BY rowid LIMIT ?"),
                                  {m_lastAuditRow, kMaxListed + 1}, [&](const Statement &row) {
                                      if (changes.entities.size() == kMaxListed) {
                                          more = true;
                                          return false;
                                      }
                                      m_lastAuditRow = row.value(0).toLongLong();
                                      changes.entities.append(
                                          EntityChange{row.value(1).toString(), idFromVariant(row.value(2)),
                                                       kindFromAction(row.value(3).toString())});
                                      return true;
                                  });
    if (!read) {
        qCWarning(lcChanges) << "cannot read the audit trail:" << read.error().toString();
        return;
    }
    if (more) {
        changes.incomplete = true;
        if (auto last = m_db.exec(QStringLiteral("SELECT max(rowid) FROM main.audit_log"));
            last && last->next())
            m_lastAuditRow = last->value(0).toLongLong();
    }
}

qint64 ChangeFeed::dataVersion()
{
    auto query = m_db.exec(QStringLiteral("PRAGMA data_version"));
    if (!query || !query->next())
        return m_dataVersion;
    return query->value(0).toLongLong();
}

} // namespace fb
