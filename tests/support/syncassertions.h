#pragma once

// Comparing what reached the server with what the device holds, shared by the sync suites: every row of every
// mirrored table, field by field, in the local representation; audit ids; outbox counts.
#include "audit/auditchanges.h"
#include "db/database.h"
#include "db/tablecatalog.h"
#include "pgconnection.h"
#include "pusher.h"
#include "support/pgtestserver.h"
#include "util/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSqlRecord>
#include <QStringList>
#include <QTest>
#include <QVariantMap>

#include <memory>

namespace fb::test {

// Every table the push mirrors, audit_log included.
inline const QStringList kTables{
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

inline void must(const Status &status, const char *what)
{
    if (!status)
        qFatal("%s: %s", what, qPrintable(status.error().toString()));
}

inline std::unique_ptr<sync::PgConnection> connectOrDie(const QString &url)
{
    return must(sync::PgConnection::connect(url), "connecting to the test server");
}

/// Local cents as the server's DECIMAL(10,2) prints them: 1999 -> "19.99", 5 -> "0.05".
inline QString decimalText(qint64 cents)
{
    return QStringLiteral("%1.%2").arg(cents / 100).arg(cents % 100, 2, 10, QLatin1Char('0'));
}

/// JSON text in one canonical form (keys sorted, numbers as doubles), so "{\"b\":1, \"a\":2}" from jsonb and
/// "{\"a\":2,\"b\":1}" from SQLite compare equal.
inline QString canonicalJson(const QString &text)
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
inline Snapshot serverSnapshot(sync::PgConnection &admin, const QString &table, const QUuid &user)
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
inline Snapshot localSnapshot(Database &local, const QString &table, const QUuid &user,
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
        // Audit entries go to the server in its convention (money as decimal text, booleans, JSON embedded).
        if (table == QStringLiteral("audit_log") && !query.value(QStringLiteral("changes")).isNull()) {
            // As every reader does (a 'create' entry written here is stored lean): the full form is compared.
            const QJsonObject changes =
                audit::fullChanges(query.value(QStringLiteral("changes")).toString(),
                                   query.value(QStringLiteral("entity_id")).toString(),
                                   query.value(QStringLiteral("user_id")).toString(),
                                   query.value(QStringLiteral("created_at")).toString());
            const catalog::Table *info =
                catalog::tableForEntity(query.value(QStringLiteral("entity_type")).toString());
            row.insert(QStringLiteral("changes"),
                       canonicalJson(QString::fromUtf8(
                           QJsonDocument(sync::convention::changesToServer(
                                             info && info->onServer ? info : nullptr, changes))
                               .toJson(QJsonDocument::Compact))));
        }
        snapshot.rows.insert(row.value(QStringLiteral("id")).toString(), row);
    }
    return snapshot;
}

inline QMap<QString, QString> serverTypes(sync::PgConnection &admin, const QString &table)
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

inline QString show(const QVariant &value)
{
    return value.isNull() ? QStringLiteral("NULL") : QStringLiteral("'%1'").arg(value.toString());
}

/// Every difference between the user's local rows and the server's, table by table, field by field: missing
/// or extra rows, different column sets, different values. Empty when the server mirrors the device.
inline QStringList differences(Database &local, const QString &adminUrl, const QUuid &user)
{
    auto admin = connectOrDie(adminUrl);
    QStringList found;
    for (const QString &table : kTables) {
        const Snapshot server = serverSnapshot(*admin, table, user);
        const Snapshot device = localSnapshot(local, table, user, serverTypes(*admin, table));
        // Where an entry came from (which device pushed it, which login wrote it) is NULL on the device that
        // wrote it and filled in on the server, by design: compared as columns, not as values.
        const QStringList provenance =
            table == QStringLiteral("audit_log")
                ? QStringList{QStringLiteral("origin"), QStringLiteral("author_login")}
                : QStringList{};
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
                if (provenance.contains(field.key()))
                    continue;
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

inline int localCount(Database &db, const QString &sql, const QVariantList &values = {})
{
    auto query = must(db.exec(sql, values), "counting locally");
    return query.next() ? query.value(0).toInt() : -1;
}

inline int outboxTotal(Database &db, const QUuid &user)
{
    return localCount(db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ?"),
                      {idText(user)});
}

inline int outboxAcknowledged(Database &db, const QUuid &user)
{
    return localCount(
        db, QStringLiteral("SELECT count(*) FROM sync_outbox WHERE user_id = ? AND pushed_at IS NOT NULL"),
        {idText(user)});
}

inline QStringList localAuditIds(Database &db, const QUuid &user, bool acknowledgedOnly = false)
{
    auto query = must(
        db.exec(QStringLiteral("SELECT a.id FROM main.audit_log a JOIN sync_outbox o ON o.audit_id = a.id "
                               "WHERE a.user_id = ? %1 ORDER BY a.id")
                    .arg(acknowledgedOnly ? QStringLiteral("AND o.pushed_at IS NOT NULL") : QString()),
                {idText(user)}),
        "reading local audit ids");
    QStringList ids;
    while (query.next())
        ids.append(query.value(0).toString());
    return ids;
}

} // namespace fb::test
