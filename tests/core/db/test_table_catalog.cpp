// The table catalogue (core/db/tablecatalog.h) against the schemas it describes: a freshly migrated local
// database (every column with its storage type and nullability, every reference, soft delete, the write
// guards that scope each table, foreign-key order) and the server's migrations (which tables the server has,
// and each column's kind: UUID, NUMERIC dollars for cents, TIMESTAMPTZ, BOOLEAN, JSONB). A migration that
// adds, drops or changes a column fails here until the catalogue says the same, so scoping, the push, the
// integrity check and the pull cannot drift from the schema.
#include "db/tablecatalog.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace fb;
using catalog::ColumnKind;

namespace {

/// "name kind [null]" per column: one readable line each, so a failure shows which column differs.
QString describe(const QString &name, const QString &kind, bool nullable)
{
    return name + QLatin1Char(' ') + kind + (nullable ? QStringLiteral(" null") : QString());
}

/// How SQLite stores a kind (migration 001's conventions).
QString localType(ColumnKind kind)
{
    switch (kind) {
    case ColumnKind::Integer:
    case ColumnKind::Cents:
    case ColumnKind::Boolean:
        return QStringLiteral("INTEGER");
    default:
        return QStringLiteral("TEXT");
    }
}

/// The kind a server column type stands for.
QString serverKind(const QString &type)
{
    static const QHash<QString, QString> kinds{{QStringLiteral("UUID"), QStringLiteral("uuid")},
                                               {QStringLiteral("TEXT"), QStringLiteral("text")},
                                               {QStringLiteral("INT"), QStringLiteral("integer")},
                                               {QStringLiteral("INTEGER"), QStringLiteral("integer")},
                                               {QStringLiteral("DECIMAL"), QStringLiteral("cents")},
                                               {QStringLiteral("NUMERIC"), QStringLiteral("cents")},
                                               {QStringLiteral("TIMESTAMPTZ"), QStringLiteral("timestamp")},
                                               {QStringLiteral("BOOLEAN"), QStringLiteral("boolean")},
                                               {QStringLiteral("JSONB"), QStringLiteral("json")}};
    return kinds.value(type.toUpper(), QStringLiteral("unknown server type ") + type);
}

QStringList catalogueColumns(const catalog::Table &table, bool serverKinds)
{
    QStringList columns;
    for (const catalog::Column &column : table.columns)
        columns.append(describe(column.name,
                                serverKinds ? catalog::kindName(column.kind) : localType(column.kind),
                                column.nullable));
    return columns;
}

/// The text of every server migration, in order.
QString serverMigrations()
{
    const QString folder = QFINDTESTDATA("../../../resources/migrations/server");
    QString text;
    const QStringList files = QDir(folder).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile file(QDir(folder).filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(file.fileName()));
        text += QString::fromUtf8(file.readAll()) + QLatin1Char('\n');
    }
    if (files.isEmpty())
        qFatal("no server migrations in %s", qPrintable(folder));
    return text;
}

/// The columns of `table` as the server migrations create it ("name kind [null]"); empty when they do not.
QStringList serverColumns(const QString &migrations, const QString &table)
{
    const QRegularExpression create(QStringLiteral("^CREATE TABLE %1 \\(\\n(.*?)\\n\\);").arg(table),
                                    QRegularExpression::MultilineOption |
                                        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = create.match(migrations);
    QStringList columns;
    if (!match.hasMatch())
        return columns;
    static const QRegularExpression column(QStringLiteral("^\\s*([a-z_]+)\\s+([A-Za-z]+)(.*)$"));
    for (const QString &line : match.captured(1).split(QLatin1Char('\n'))) {
        const QRegularExpressionMatch parts = column.match(line);
        if (!parts.hasMatch() || parts.captured(1) == QStringLiteral("CONSTRAINT"))
            continue; // UNIQUE (...), CONSTRAINT ..., comments
        const QString rest = parts.captured(3);
        const bool nullable =
            !rest.contains(QStringLiteral("NOT NULL")) && !rest.contains(QStringLiteral("PRIMARY KEY"));
        columns.append(describe(parts.captured(1), serverKind(parts.captured(2)), nullable));
    }
    // Columns later migrations add, in order, after the created ones.
    const QRegularExpression added(
        QStringLiteral("^ALTER TABLE %1 ADD COLUMN ([a-z_]+)\\s+([A-Za-z]+)([^;]*);").arg(table),
        QRegularExpression::MultilineOption);
    for (auto it = added.globalMatch(migrations); it.hasNext();) {
        const QRegularExpressionMatch parts = it.next();
        const QString rest = parts.captured(3);
        columns.append(describe(parts.captured(1), serverKind(parts.captured(2)),
                                !rest.contains(QStringLiteral("NOT NULL"))));
    }
    return columns;
}

} // namespace

class TestTableCatalog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_f = std::make_unique<test::CoreFixture>(); }
    void cleanup() { m_f.reset(); }

    void tables_data()
    {
        QTest::addColumn<QString>("table");
        for (const catalog::Table &table : catalog::tables())
            QTest::newRow(qPrintable(table.name)) << table.name;
    }

    void columnsMatchTheLocalSchema_data() { tables_data(); }
    void columnsMatchTheLocalSchema()
    {
        QFETCH(QString, table);
        QStringList actual;
        bool hasDeletedAt = false;
        select(QStringLiteral(
                   "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?, 'main') ORDER BY cid"),
               table, [&](const QSqlQuery &q) {
                   // An INTEGER PRIMARY KEY aside, SQLite lets a PRIMARY KEY column hold NULL unless it says
                   // NOT NULL; the ids are never NULL (length(id) = 36), so a key counts as required.
                   actual.append(describe(q.value(0).toString(), q.value(1).toString(),
                                          q.value(2).toInt() == 0 && q.value(3).toInt() == 0));
                   hasDeletedAt = hasDeletedAt || q.value(0).toString() == QStringLiteral("deleted_at");
               });
        const catalog::Table &info = *catalog::table(table);
        QCOMPARE(catalogueColumns(info, false), actual);
        QCOMPARE(info.softDelete, hasDeletedAt);
    }

    void referencesMatchTheLocalSchema_data() { tables_data(); }
    void referencesMatchTheLocalSchema()
    {
        QFETCH(QString, table);
        QStringList actual;
        select(QStringLiteral("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?, 'main')"),
               table, [&](const QSqlQuery &q) {
                   actual.append(
                       QStringLiteral("%1 -> %2(%3)")
                           .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString()));
               });
        QStringList listed;
        const catalog::Table &info = *catalog::table(table);
        for (const catalog::Reference &reference : info.references) {
            listed.append(QStringLiteral("%1 -> %2(id)").arg(reference.column, reference.table));
            const catalog::Column *column = info.column(reference.column);
            QVERIFY2(column && column->kind == ColumnKind::Uuid, qPrintable(reference.column));
        }
        actual.sort();
        listed.sort();
        QCOMPARE(listed, actual);
    }

    void parentsComeFirst()
    {
        QStringList seen;
        for (const catalog::Table &table : catalog::tables()) {
            for (const catalog::Reference &reference : table.references)
                QVERIFY2(
                    !catalog::table(reference.table) || seen.contains(reference.table),
                    qPrintable(
                        QStringLiteral("%1 refers to %2, listed after it").arg(table.name, reference.table)));
            seen.append(table.name);
        }
    }

    /// The catalogue is exactly the user-scoped entity tables: those with an id and the write guards of
    /// migration 001 (closeout_drafts, keyed by its ticket, is UI state that is neither audited nor synced).
    void everyScopedEntityTableIsListed()
    {
        QStringList guarded;
        select(QStringLiteral(
                   "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' AND EXISTS (SELECT 1 "
                   "FROM pragma_table_info(t.name) WHERE name = 'id') AND (SELECT count(*) FROM "
                   "sqlite_master g WHERE g.type = 'trigger' AND g.tbl_name = t.name AND g.name IN "
                   "(t.name || '_scope_insert', t.name || '_scope_update', t.name || '_scope_delete')) = 3"),
               {}, [&](const QSqlQuery &q) { guarded.append(q.value(0).toString()); });
        QStringList listed;
        QStringList entityTypes;
        for (const catalog::Table &table : catalog::tables()) {
            listed.append(table.name);
            entityTypes.append(table.entityType);
            // The guards compare user_id with the connection's user.
            QCOMPARE(table.ownership, catalog::Ownership::UserIdColumn);
            QCOMPARE(table.ownerColumn, QStringLiteral("user_id"));
        }
        guarded.sort();
        listed.sort();
        QCOMPARE(listed, guarded);
        entityTypes.removeDuplicates();
        QCOMPARE(entityTypes.size(), catalog::tables().size());
    }

    void kindsMatchTheServerSchema_data() { tables_data(); }
    void kindsMatchTheServerSchema()
    {
        QFETCH(QString, table);
        const QString migrations = serverMigrations();
        const QRegularExpression altered(
            QStringLiteral("ALTER TABLE\\s+%1\\s+(DROP|ALTER|RENAME|ADD (?!COLUMN))").arg(table));
        QVERIFY2(!altered.match(migrations).hasMatch(),
                 "a server migration changes this table after creating it: teach this test to read it");
        const catalog::Table &info = *catalog::table(table);
        const QStringList server = serverColumns(migrations, table);
        QCOMPARE(info.onServer, !server.isEmpty());
        if (info.onServer)
            QCOMPARE(catalogueColumns(info, true), server);
    }

    void findsTablesByNameAndEntityType()
    {
        QCOMPARE(catalog::tableForEntity(QStringLiteral("line_item"))->name, QStringLiteral("line_items"));
        QCOMPARE(catalog::table(QStringLiteral("addresses"))->entityType, QStringLiteral("address"));
        QVERIFY(!catalog::table(QStringLiteral("users")));
        QVERIFY(!catalog::tableForEntity(QStringLiteral("user")));
    }

private:
    void select(const QString &sql, const QVariant &value,
                const std::function<void(const QSqlQuery &)> &onRow)
    {
        auto query = m_f->core().db().exec(sql, value.isValid() ? QVariantList{value} : QVariantList{});
        QVERIFY2(query.ok(), qPrintable(query.ok() ? QString() : query.error().toString()));
        while (query->next())
            onRow(*query);
    }

    std::unique_ptr<test::CoreFixture> m_f;
};

QTEST_GUILESS_MAIN(TestTableCatalog)
#include "test_table_catalog.moc"
