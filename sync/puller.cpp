#include "puller.h"

#include "audit/auditchanges.h"
#include "crashpoint.h"
#include "db/database.h"
#include "db/statement.h"
#include "db/store.h"
#include "db/tablecatalog.h"
#include "db/transaction.h"
#include "deviceid.h"
#include "pgconnection.h"
#include "servervalues.h"
#include "util/timeutil.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlQuery>

#include <memory>
#include <optional>
#include <unordered_map>

Q_LOGGING_CATEGORY(lcPull, "fieldbook.sync.pull")

namespace fb::sync {

struct Puller::FeedRow
{
    QString xid;
    qint64 seq = 0;
    QString kind;
    QString entityType;
    QString entityId;
    bool own = false;
    bool hasState = false; ///< the row's state came with this change (its last one in the page)
    QJsonValue state;      ///< the row as the server has it now; null when the server no longer has it
    QJsonObject entry;     ///< an audit entry (kind 'audit', another origin)
};

namespace {

/// What local changes not yet pushed have touched in one row.
struct Pending
{
    QSet<QString> fields;
    bool created = false;
    bool deleted = false;
};

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

/// The statements a pull or a restore runs per row, each prepared once and kept: preparing an INSERT or
/// UPDATE compiles the table's triggers (scoping, search), which costs more than running it, and a page or a
/// restore runs the same few statements thousands of times. Used inside the caller's transaction only
/// (Database::exec announces a commit outside one; these are always inside a page's or a restore page's
/// transaction).
class ServerWriter::Statements
{
public:
    explicit Statements(Database &db) : m_db(db) {}

    Database &db() { return m_db; }

    /// Runs the write `sql` with `values`.
    Status exec(const QString &sql, const QVariantList &values)
    {
        auto statement = prepared(sql);
        if (!statement)
            return statement.error();
        return (*statement)->exec(values);
    }
    /// Starts the read `sql` with `values`: next() and value() on what it returns.
    Result<Statement *> query(const QString &sql, const QVariantList &values)
    {
        auto statement = prepared(sql);
        if (!statement)
            return statement.error();
        FB_TRY((*statement)->query(values));
        return *statement;
    }

    /// The INSERT of a whole row of `table`, every column in the catalogue's order.
    const QString &insertSql(const catalog::Table &table)
    {
        QString &sql = m_inserts[table.name];
        if (sql.isEmpty()) {
            QStringList marks;
            for (qsizetype i = 0; i < table.columns.size(); ++i)
                marks.append(QStringLiteral("?"));
            sql = QStringLiteral("INSERT INTO main.%1 (%2) VALUES (%3)")
                      .arg(table.name, table.columnNames().join(QLatin1Char(',')),
                           marks.join(QLatin1Char(',')));
        }
        return sql;
    }

    /// The SELECT of whole rows of `table` (every column in the catalogue's order), by id or by a JSON
    /// array of ids.
    const QString &selectSql(const catalog::Table &table, bool many)
    {
        QString &sql = (many ? m_selectsMany : m_selects)[table.name];
        if (sql.isEmpty())
            sql = QStringLiteral("SELECT %1 FROM main.%2 WHERE id %3")
                      .arg(table.columnNames().join(QLatin1Char(',')), table.name,
                           many ? QStringLiteral("IN (SELECT value FROM json_each(?))")
                                : QStringLiteral("= ?"));
        return sql;
    }

    /// After a rollback: the authors written in it are gone.
    void forgetAuthors() { m_authors.clear(); }

    /// Whether this author (id, name and kind) is written already by this writer; notes it when not.
    bool authorKnown(const QString &key)
    {
        if (m_authors.contains(key))
            return true;
        m_authors.insert(key);
        return false;
    }

private:
    Result<Statement *> prepared(const QString &sql)
    {
        auto found = m_statements.find(sql);
        if (found == m_statements.end()) {
            auto statement = Statement::prepare(m_db, sql);
            if (!statement)
                return statement.error();
            found =
                m_statements.emplace(sql, std::make_unique<Statement>(std::move(statement).value())).first;
        }
        return found->second.get();
    }

    Database &m_db;
    QSet<QString> m_authors;
    std::unordered_map<QString, std::unique_ptr<Statement>> m_statements;
    QHash<QString, QString> m_inserts;
    QHash<QString, QString> m_selects;
    QHash<QString, QString> m_selectsMany;
};

namespace {

using Statements = ServerWriter::Statements;

bool sameValue(catalog::ColumnKind kind, const QVariant &a, const QVariant &b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() == b.isNull();
    if (a.metaType() == b.metaType() && kind != catalog::ColumnKind::Json)
        return a == b;                     // integers with integers, text with text: no conversion
    if (kind == catalog::ColumnKind::Json) // the same JSON, however it is spaced
        return QJsonDocument::fromJson("[" + a.toString().toUtf8() + "]") ==
               QJsonDocument::fromJson("[" + b.toString().toUtf8() + "]");
    return a.toString() == b.toString();
}

/// The local pending changes of the rows `ids`, keyed by entity id.
Result<QHash<QString, Pending>> pendingChanges(Database &local, const QString &user, const QSet<QString> &ids)
{
    QHash<QString, Pending> pending;
    if (ids.isEmpty())
        return pending;
    QJsonArray list;
    for (const QString &id : ids)
        list.append(id);
    auto query = local.exec(QStringLiteral("SELECT o.entity_id, a.action, a.changes, a.user_id, a.created_at "
                                           "FROM main.sync_outbox o "
                                           "JOIN main.audit_log a ON a.id = o.audit_id "
                                           "WHERE o.user_id = ? AND o.pushed_at IS NULL AND o.entity_id IN "
                                           "(SELECT value FROM json_each(?))"),
                            {user, QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact))});
    if (!query)
        return query.error();
    while (query->next()) {
        Pending &row = pending[query->value(0).toString()];
        const QString action = query->value(1).toString();
        if (action == QLatin1String("create"))
            row.created = true;
        else if (action == QLatin1String("delete"))
            row.deleted = true;
        const QJsonObject changes =
            audit::fullChanges(query->value(2).toString(), query->value(0).toString(),
                               query->value(3).toString(), query->value(4).toString());
        for (auto it = changes.begin(); it != changes.end(); ++it)
            row.fields.insert(it.key());
        if (row.deleted)
            row.fields.insert(QStringLiteral("deleted_at"));
    }
    return pending;
}

/// A row's values in the catalogue's column order (Table::columns).
using Values = QVariantList;

Values valuesOf(const Statement &statement, qsizetype columns)
{
    Values values;
    values.reserve(columns);
    for (int i = 0; i < columns; ++i)
        values.append(statement.value(i));
    return values;
}

/// The local row `id` of `table`; empty when this file does not have it.
Result<Values> localRow(Statements &local, const catalog::Table &table, const QString &id)
{
    auto query = local.query(local.selectSql(table, false), {id});
    if (!query)
        return query.error();
    Values row;
    auto found = (*query)->next();
    if (!found)
        return found.error();
    if (*found) {
        row = valuesOf(**query, table.columns.size());
        auto end = (*query)->next(); // the id is the key: this ends the read
        if (!end)
            return end.error();
    }
    return row;
}

/// The local rows of `table` among `ids`, by id: one statement for a page's rows of a table.
Result<QHash<QString, Values>> localRows(Statements &local, const catalog::Table &table,
                                         const QStringList &ids)
{
    QHash<QString, Values> rows;
    if (ids.isEmpty())
        return rows;
    auto query = local.query(
        local.selectSql(table, true),
        {QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact))});
    if (!query)
        return query.error();
    rows.reserve(ids.size());
    const qsizetype idColumn = table.columnNames().indexOf(QStringLiteral("id"));
    for (;;) {
        auto found = (*query)->next();
        if (!found)
            return found.error();
        if (!*found)
            break;
        Values row = valuesOf(**query, table.columns.size());
        const QString id = row.at(idColumn).toString();
        rows.insert(id, std::move(row));
    }
    return rows;
}

/// The server's state of a row as local values, in the catalogue's column order.
Result<Values> serverValues(const catalog::Table &table, const QString &id, const QJsonObject &state)
{
    Values row;
    row.reserve(table.columns.size());
    for (const catalog::Column &column : table.columns) {
        const auto found = state.constFind(column.name);
        if (found == state.constEnd())
            return Error{ErrorCode::Validation, column.name,
                         QStringLiteral("the server's %1 row %2 came without its %3")
                             .arg(table.name, id, column.name)};
        const QJsonValue value = *found;
        QVariant local = servervalues::toLocal(column.kind, value);
        if (!local.isValid())
            return Error{
                ErrorCode::Validation, column.name,
                QStringLiteral("the server's %1 row %2 has a %3 this Fieldbook cannot read (%4)")
                    .arg(table.name, id, column.name,
                         QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)))};
        row.append(std::move(local));
    }
    return row;
}

Status insertRow(Statements &local, const catalog::Table &table, const Values &row)
{
    auto inserted = local.exec(local.insertSql(table), row);
    return inserted ? Status{} : Status{inserted.error()};
}

/// Applies the server's state of one row onto `current` (the local row, empty when this file does not have
/// it); returns whether anything changed locally.
Result<bool> applyState(Statements &local, const catalog::Table &table, const QString &id,
                        const QJsonObject &state, const Values &current, const Pending &pending,
                        int &keptLocal)
{
    auto wanted = serverValues(table, id, state);
    if (!wanted)
        return wanted.error();
    if (current.isEmpty()) {
        if (pending.deleted) { // removed here, not yet pushed: the push carries the removal
            ++keptLocal;
            return false;
        }
        FB_TRY(insertRow(local, table, *wanted));
        return true;
    }
    QStringList sets;
    QVariantList values;
    for (qsizetype i = 0; i < table.columns.size(); ++i) {
        const catalog::Column &column = table.columns.at(i);
        if (column.name == QLatin1String("id"))
            continue;
        const QVariant &mine = current.at(i);
        const QVariant &theirs = wanted->at(i);
        if (sameValue(column.kind, mine, theirs))
            continue;
        if (pending.created || pending.fields.contains(column.name)) {
            ++keptLocal; // a local change waits for the push; the server's rules decide there
            continue;
        }
        sets.append(column.name + QStringLiteral(" = ?"));
        values.append(theirs);
    }
    if (sets.isEmpty())
        return false;
    values.append(id);
    auto updated = local.exec(
        QStringLiteral("UPDATE main.%1 SET %2 WHERE id = ?").arg(table.name, sets.join(QStringLiteral(", "))),
        values);
    if (!updated)
        return updated.error();
    return true;
}

/// The server no longer has the row: remove it here too, unless a local change waits for it.
Result<bool> applyRemoval(Statements &statements, const catalog::Table &table, const QString &id,
                          const Pending &pending, int &keptLocal)
{
    if (pending.created || !pending.fields.isEmpty()) {
        ++keptLocal;
        return false;
    }
    Database &local = statements.db();
    auto current = localRow(statements, table, id);
    if (!current)
        return current.error();
    if (current->isEmpty())
        return false;
    // A savepoint: a removal the local file refuses (rows of this device still point at it) leaves the row
    // and the rest of the page goes on.
    Transaction removal(local);
    if (!removal.began())
        return removal.began().error();
    auto removed =
        table.softDelete
            ? local.exec(
                  QStringLiteral("UPDATE main.%1 SET deleted_at = coalesce(deleted_at, ?) WHERE id = ?")
                      .arg(table.name),
                  {toStoredTime(nowUtc()), id})
            : local.exec(QStringLiteral("DELETE FROM main.%1 WHERE id = ?").arg(table.name), {id});
    if (!removed) {
        qCWarning(lcPull).noquote() << "kept" << table.name << id
                                    << "that the server no longer has:" << removed.error().toString();
        return false;
    }
    FB_TRY(removal.commit());
    return true;
}

Status addEntry(Statements &local, const QJsonObject &entry)
{
    const QString type = entry.value(QLatin1String("entity_type")).toString();
    const QString action = entry.value(QLatin1String("action")).toString();
    if (action != QLatin1String("create") && action != QLatin1String("update") &&
        action != QLatin1String("delete")) {
        qCWarning(lcPull).noquote() << "audit entry" << entry.value(QLatin1String("id")).toString()
                                    << "has an action the local trail does not know:" << action;
        return {};
    }
    const QString created = servervalues::timeFromServer(entry.value(QLatin1String("created_at")).toString());
    const QString origin = entry.value(QLatin1String("origin")).toString();
    auto added = local.exec(
        QStringLiteral("INSERT INTO main.audit_log (id, user_id, entity_type, entity_id, action, changes, "
                       "created_at, author_login, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                       "(id) DO NOTHING"),
        {entry.value(QLatin1String("id")).toString(), entry.value(QLatin1String("user_id")).toString(), type,
         entry.value(QLatin1String("entity_id")).toString(), action,
         jsonText(servervalues::changesToLocal(catalog::tableForEntity(type),
                                               entry.value(QLatin1String("changes")).toObject())),
         created.isEmpty() ? toStoredTime(nowUtc()) : created,
         entry.value(QLatin1String("author_login")).toString(),
         origin.isEmpty() ? QStringLiteral("server") : origin});
    if (!added)
        return added.error();
    // The same author again in this transaction (a page, a restore): already written.
    if (local.authorKnown(entry.value(QLatin1String("user_id")).toString() + QChar(0x1f) +
                          entry.value(QLatin1String("author_name")).toString() + QChar(0x1f) +
                          entry.value(QLatin1String("author_kind")).toString()))
        return {};
    auto author = local.exec(
        QStringLiteral("INSERT INTO main.sync_authors (author_id, name, kind) VALUES (?, ?, ?) "
                       "ON CONFLICT (author_id) DO UPDATE SET name = excluded.name, kind = excluded.kind"),
        {entry.value(QLatin1String("user_id")).toString(),
         entry.value(QLatin1String("author_name")).toString(),
         entry.value(QLatin1String("author_kind")).toString()});
    return author ? Status{} : Status{author.error()};
}

/// An error applying a row, naming the row.
Error inContext(Error error, const catalog::Table &table, const QString &id)
{
    error.message = QStringLiteral("applying the server's %1 row %2: %3").arg(table.name, id, error.message);
    return error;
}

Status storeServerId(Database &local, const QString &user, const QString &id)
{
    auto stored = local.exec(
        QStringLiteral("INSERT INTO main.sync_state (user_id, key, value) VALUES (?, 'server_id', ?) "
                       "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
        {user, id});
    return stored ? Status{} : Status{stored.error()};
}

/// A refused pull in words: the server lacks the feed, is not the one this device synced with, or went back
/// in time (restored from a backup). Nothing was applied in any of these cases.
Error pullError(const PgResult &page, PgConnection &server)
{
    if (page.sqlState() == "42883")
        return Error{
            ErrorCode::Database,
            {},
            QStringLiteral("%1 does not have the change feed this Fieldbook pulls from (server schema "
                           "%2 or later): run fieldbook server-init on it")
                .arg(server.describe())
                .arg(Puller::kMinimumServerSchema)};
    if (page.sqlState() == "FB001")
        return Error{
            ErrorCode::InvalidState,
            {},
            QStringLiteral("%1 is not the server this laptop synced with (it was set up anew, or it "
                           "is another office's): nothing was pulled and nothing here was changed. If "
                           "this is the right server now, restore the technician into a new file "
                           "(fieldbook restore) once this laptop's changes have been pushed")
                .arg(server.describe())};
    if (page.sqlState() == "FB002")
        return Error{
            ErrorCode::InvalidState,
            {},
            QStringLiteral("%1 has gone back in time (restored from a backup?): its change feed is "
                           "behind what this laptop already pulled, so nothing was pulled and nothing "
                           "here was changed. This laptop's changes were pushed again to it; ask the "
                           "office before going on, then restore into a new file (fieldbook restore)")
                .arg(server.describe())};
    return page.toError(QStringLiteral("pull"));
}

Status storePosition(Database &local, const QString &user, const QString &position)
{
    auto stored = local.exec(
        QStringLiteral("INSERT INTO main.sync_state (user_id, key, value) VALUES (?, 'pull_position', ?) "
                       "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"),
        {user, position});
    return stored ? Status{} : Status{stored.error()};
}

} // namespace

bool isRefusal(const Error &error)
{
    return error.code == ErrorCode::Validation || error.code == ErrorCode::Forbidden;
}

Puller::Puller(Database &local, const QUuid &userId, int pageSize)
    : m_local(local), m_userId(userId), m_pageSize(pageSize)
{
}

ServerWriter::ServerWriter(Database &local) : m_statements(std::make_unique<Statements>(local))
{
}

ServerWriter::~ServerWriter() = default;

Result<bool> ServerWriter::applyRow(const catalog::Table &table, const QJsonObject &state, bool alone)
{
    int kept = 0;
    const QString id = state.value(QLatin1String("id")).toString();
    std::optional<Transaction> row; // alone: a savepoint, so a row refused here leaves the page as it was
    if (alone && !row.emplace(m_statements->db()).began())
        return row->began().error();
    auto current = localRow(*m_statements, table, id);
    if (!current)
        return inContext(current.error(), table, id);
    auto changed = applyState(*m_statements, table, id, state, *current, Pending{}, kept);
    if (!changed)
        return inContext(changed.error(), table, id);
    if (row)
        FB_TRY(row->commit());
    return changed;
}

Status ServerWriter::insertRow(const catalog::Table &table, const QJsonObject &state)
{
    const QString id = state.value(QLatin1String("id")).toString();
    auto values = serverValues(table, id, state);
    if (!values)
        return inContext(values.error(), table, id);
    if (Status inserted = fb::sync::insertRow(*m_statements, table, *values); !inserted)
        return inContext(inserted.error(), table, id);
    return {};
}

Status ServerWriter::addEntry(const QJsonObject &entry)
{
    return fb::sync::addEntry(*m_statements, entry);
}

Result<bool> Puller::applyServerRow(Database &local, const catalog::Table &table, const QJsonObject &state)
{
    return ServerWriter(local).applyRow(table, state);
}

Status Puller::addServerEntry(Database &local, const QJsonObject &entry)
{
    return ServerWriter(local).addEntry(entry);
}

Status Puller::setPosition(Database &local, const QUuid &userId, const QString &position)
{
    return storePosition(local, idText(userId), position);
}

Status Puller::checkRemovals(const catalog::Table &table, PullReport &report)
{
    const int removed = report.removed.value(table.name);
    if (m_acceptRemovals || removed <= kRemovalGuardMinimum)
        return {};
    if (!m_liveAtStart.contains(table.name)) {
        // The rows this file had when the pull began: this page's removals are rolled back with it if
        // refused.
        auto counted = m_local.exec(
            QStringLiteral("SELECT count(*) FROM main.%1 WHERE user_id = ?%2")
                .arg(table.name, table.softDelete ? QStringLiteral(" AND deleted_at IS NULL") : QString()),
            {idText(m_userId)});
        if (!counted)
            return counted.error();
        m_liveAtStart.insert(table.name, (counted->next() ? counted->value(0).toInt() : 0) + removed);
    }
    const int before = m_liveAtStart.value(table.name);
    if (removed * 2 <= before)
        return {};
    return Error{
        ErrorCode::InvalidState,
        {},
        QStringLiteral("the server would remove %1 of the %2 %3 on this laptop: nothing of that was "
                       "applied. If the office really removed them, run fieldbook sync --accept-removals")
            .arg(removed)
            .arg(before)
            .arg(table.name)};
}

Result<QString> Puller::serverId() const
{
    auto stored = m_local.exec(
        QStringLiteral("SELECT value FROM main.sync_state WHERE user_id = ? AND key = 'server_id'"),
        {idText(m_userId)});
    if (!stored)
        return stored.error();
    return stored->next() ? stored->value(0).toString() : QString();
}

Result<QString> Puller::position() const
{
    auto stored = m_local.exec(
        QStringLiteral("SELECT value FROM main.sync_state WHERE user_id = ? AND key = 'pull_position'"),
        {idText(m_userId)});
    if (!stored)
        return stored.error();
    return stored->next() ? stored->value(0).toString() : QStringLiteral("0:0");
}

/// The rows' server states, parents first; false when a row was refused and rowByRow is off (the caller
/// rolls back and goes row by row), or a savepoint could not be taken.
static Result<bool> applyStates(Database &local, Statements &statements,
                                const QHash<QString, QHash<QString, QJsonValue>> &states,
                                const QHash<QString, Pending> &pending, PullReport &report, bool rowByRow)
{
    for (const catalog::Table &table : catalog::tables()) {
        const auto found = states.constFind(table.entityType);
        if (found == states.cend())
            continue;
        QStringList ids;
        for (auto it = found->cbegin(); it != found->cend(); ++it)
            if (it->isObject())
                ids.append(it.key());
        // The page's local rows of the table in one statement; each id comes once in a page, so what it read
        // stays true while the page applies (and after a rolled-back attempt).
        auto current = localRows(statements, table, ids);
        if (!current)
            return current.error();
        for (auto it = found->cbegin(); it != found->cend(); ++it) {
            if (!it->isObject())
                continue;
            // Row by row, a row this file cannot store (its parent comes with a later page, or the office
            // wrote a value the laptop's rules refuse) is left out and named, and the page goes on. A later
            // change of that row (its parent's creation, the office's correction) brings it again.
            std::optional<Transaction> row;
            if (rowByRow && !row.emplace(local).began())
                return row->began().error();
            auto changed = applyState(statements, table, it.key(), it->toObject(), current->value(it.key()),
                                      pending.value(it.key()), report.keptLocal);
            if (!changed) {
                // Only a refusal of the row (a constraint, a value, scoping) leaves it out; a failure of the
                // file (full, locked, unreadable) is returned and the batch rolls back with its position.
                if (!isRefusal(changed.error()))
                    return inContext(changed.error(), table, it.key());
                if (!rowByRow)
                    return false;
                const Error refused = inContext(changed.error(), table, it.key());
                qCWarning(lcPull).noquote() << "left out:" << refused.message;
                report.leftOut.append(refused.message);
                continue; // the savepoint rolls back
            }
            if (row)
                FB_TRY(row->commit());
            report.rowsApplied += *changed ? 1 : 0;
        }
    }
    return true;
}

Result<bool> Puller::applyPage(Statements &statements, const QList<FeedRow> &rows, PullReport &report,
                               bool rowByRow)
{
    const QString user = idText(m_userId);

    // The last state of each row in the page, by table.
    QHash<QString, QHash<QString, QJsonValue>> states;
    QSet<QString> ids;
    for (const FeedRow &row : rows) {
        if (!row.hasState || !catalog::tableForEntity(row.entityType))
            continue;
        states[row.entityType].insert(row.entityId, row.state);
        ids.insert(row.entityId);
    }
    auto pending = pendingChanges(m_local, user, ids);
    if (!pending)
        return pending.error();

    // Parents before children for rows the server has; children before parents for rows it removed.
    const QList<catalog::Table> &tables = catalog::tables();
    // No savepoint in the common case (an open savepoint makes SQLite copy every page a statement changes
    // into its statement journal: the pull took a third longer): a refused row sends the whole batch back to
    // pullAll, which applies it again row by row, each row under its own savepoint.
    auto applied = applyStates(m_local, statements, states, *pending, report, rowByRow);
    if (!applied)
        return applied.error();
    if (!*applied)
        return false; // a row was refused: the batch again row by row
    for (auto table = tables.crbegin(); table != tables.crend(); ++table) {
        const auto found = states.constFind(table->entityType);
        if (found == states.cend())
            continue;
        for (auto it = found->cbegin(); it != found->cend(); ++it) {
            if (it->isObject())
                continue;
            auto changed =
                applyRemoval(statements, *table, it.key(), pending->value(it.key()), report.keptLocal);
            if (!changed)
                return inContext(changed.error(), *table, it.key());
            report.rowsApplied += *changed ? 1 : 0;
            report.removed[table->name] += *changed ? 1 : 0;
        }
        FB_TRY(checkRemovals(*table, report));
    }

    for (const FeedRow &row : rows) {
        if (row.kind != QLatin1String("audit") || row.own || row.entry.isEmpty())
            continue;
        FB_TRY(addEntry(statements, row.entry));
        ++report.entries;
    }
    FB_TRY(
        storePosition(m_local, user, rows.last().xid + QLatin1Char(':') + QString::number(rows.last().seq)));
    return true;
}

Result<PullReport> Puller::pullAll(PgConnection &server, const Progress &progress)
{
    PullReport report;
    auto device = deviceId(m_local, m_userId);
    if (!device)
        return device.error();
    auto stored = position();
    if (!stored)
        return stored.error();
    const QString xid = stored->section(QLatin1Char(':'), 0, 0);
    const QString seq = stored->section(QLatin1Char(':'), 1, 1);

    auto storedServer = serverId();
    if (!storedServer)
        return storedServer.error();
    QString knownServer = *storedServer;

    // One statement a page: the server's identity checked, then the page (a row of NULLs when nothing is
    // new). The next page is asked for as soon as a page has arrived (its last position is the next one's
    // start), so the server reads it while this side applies the page: the pull costs about the larger of the
    // two, not their sum. A page is applied only in its turn, so a crash anywhere still converges.
    const auto ask = [&](const QString &afterXid, const QString &afterSeq) {
        return server.sendScript(
            "SELECT p.feed_xid::text, p.feed_seq, p.kind, p.entity_type, p.entity_id::text, p.own, "
            "p.entry::text, p.state::text, i.server_id::text FROM fieldbook_server_check(" +
            (knownServer.isEmpty() ? QByteArray("NULL") : server.literal(knownServer.toUtf8())) + "::uuid, " +
            server.literal(afterXid.toUtf8()) + "::xid8, " + server.literal(afterSeq.toUtf8()) +
            "::bigint) i LEFT JOIN LATERAL fieldbook_pull(" + server.literal(idText(m_userId).toUtf8()) +
            "::uuid, " + server.literal(device->toUtf8()) + ", " + server.literal(afterXid.toUtf8()) +
            "::xid8, " + server.literal(afterSeq.toUtf8()) + "::bigint, " + QByteArray::number(m_pageSize) +
            ") p ON true");
    };
    const auto lost = [] {
        return PgResult(nullptr, {}, QStringLiteral("the connection to the server was lost"), true)
            .toError(QStringLiteral("pull"));
    };
    // Pages are applied in batches of kPagesPerCommit, each batch one durable commit with the position it
    // reached: a commit waits for the disk, and a page small enough to come quickly keeps the wait for the
    // first one short. A batch's whole pages are committed before a failure of the server or the connection
    // is returned; a failure in the middle of a page rolls its batch back (the next pull brings it again).
    std::optional<Transaction> batch;
    QList<QList<FeedRow>> batchPages; // kept until the commit, to apply again row by row if a row is refused
    PullReport atBatchStart;
    Statements statements(m_local); // prepared once for the whole pull
    const auto counted = [&](const QList<FeedRow> &rows) {
        report.read += int(rows.size());
        for (const FeedRow &row : rows)
            report.changes += row.own ? 0 : 1;
        ++report.pages;
    };
    const auto commitBatch = [&]() -> Status {
        if (!batch)
            return {};
        crashPoint("pull-applied");
        FB_TRY(batch->commit());
        batch.reset();
        batchPages.clear();
        crashPoint("pull-committed");
        return {};
    };
    const auto failed = [&](Error error) -> Result<PullReport> {
        if (Status committed = commitBatch(); !committed)
            return committed.error();
        return error;
    };
    const auto rolledBack = [&](Error error) -> Result<PullReport> {
        batch.reset();
        batchPages.clear();
        return error;
    };
    // A row of the batch was refused: the batch again from its start, row by row, leaving out only the rows
    // refused (and named in the report).
    const auto applyRowByRow = [&]() -> Status {
        batch.emplace(m_local);
        FB_TRY(batch->began());
        statements.forgetAuthors(); // what the rolled-back attempt wrote of them is gone
        report = atBatchStart;
        for (const QList<FeedRow> &kept : std::as_const(batchPages)) {
            auto applied = applyPage(statements, kept, report, true);
            if (!applied)
                return applied.error();
            counted(kept);
        }
        return {};
    };
    if (!ask(xid, seq))
        return lost();
    for (;;) {
        const PgResult page = server.takeResult();
        if (!page.ok())
            return failed(pullError(page, server));
        if (page.rows() > 0 && knownServer.isEmpty()) {
            knownServer = page.value(0, 8);
            FB_TRY(storeServerId(m_local, idText(m_userId), knownServer));
        }
        const int count = page.rows() == 1 && page.isNull(0, 0) ? 0 : page.rows();
        if (count == 0)
            break;
        QList<FeedRow> rows;
        rows.reserve(count);
        for (int i = 0; i < count; ++i) {
            FeedRow row;
            row.xid = page.value(i, 0);
            row.seq = page.value(i, 1).toLongLong();
            row.kind = page.value(i, 2);
            row.entityType = page.value(i, 3);
            row.entityId = page.value(i, 4);
            row.own = page.value(i, 5) == QLatin1String("t");
            if (!page.isNull(i, 6))
                row.entry = QJsonDocument::fromJson(page.bytes(i, 6)).object();
            if (!page.isNull(i, 7)) {
                row.hasState = true;
                const QJsonDocument state = QJsonDocument::fromJson(page.bytes(i, 7));
                row.state = state.isObject() ? QJsonValue(state.object()) : QJsonValue(QJsonValue::Null);
            }
            rows.append(std::move(row));
        }
        crashPoint("pull-fetched");
        const bool more = count >= m_pageSize;
        if (more && !ask(rows.last().xid, QString::number(rows.last().seq)))
            return failed(lost());
        // The next page was asked for: every return below takes it first, so the connection stays usable.
        const auto giveUp = [&](Error error) {
            if (more)
                (void)server.takeResult();
            return rolledBack(std::move(error));
        };
        if (!batch) {
            batch.emplace(m_local);
            if (!batch->began())
                return giveUp(batch->began().error());
            atBatchStart = report;
        }
        batchPages.append(rows);
        auto applied = applyPage(statements, rows, report, false);
        if (applied && *applied) {
            counted(rows);
        } else {
            batch.reset(); // rolled back: the page is half applied, or a row of it was refused
            if (Status again = applied ? applyRowByRow() : Status{applied.error()}; !again)
                return giveUp(again.error());
        }
        if (int(batchPages.size()) >= kPagesPerCommit || !more)
            if (Status committed = commitBatch(); !committed)
                return giveUp(committed.error());
        if (progress)
            progress(report.read);
        if (!more)
            break;
    }
    FB_TRY(commitBatch()); // a full last page was followed by an empty one
    qCInfo(lcPull).noquote() << "pulled" << report.changes << "changes," << report.rowsApplied
                             << "rows applied," << report.entries << "entries," << report.keptLocal
                             << "kept for the push";
    return report;
}

} // namespace fb::sync
