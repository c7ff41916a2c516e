#include "db/schema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <tuple>

namespace fb::schema {

QList<Migration> bundledMigrations()
{
    // Files are named NNN_description.sql; NNN is the schema version they bring the database to.
    static const QRegularExpression name(QStringLiteral("^(\\d{3})_[a-z0-9_]+\\.sql$"));
    QList<Migration> migrations;
    const QDir dir(QStringLiteral(":/migrations/local"));
    const auto entries = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &entry : entries) {
        const auto match = name.match(entry);
        if (match.hasMatch())
            migrations.append({match.captured(1).toInt(), dir.filePath(entry)});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

int latestVersion()
{
    const auto migrations = bundledMigrations();
    return migrations.isEmpty() ? 0 : migrations.last().version;
}

Result<FileHeader> readFileHeader(const QString &path)
{
    FileHeader header;
    QFile file(path);
    if (!file.exists() || file.size() == 0)
        return header;
    if (!file.open(QIODevice::ReadOnly))
        return Error::database(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    // https://www.sqlite.org/fileformat.html#the_database_header
    const QByteArray bytes = file.read(100);
    static const QByteArray magic("SQLite format 3\0", 16);
    if (bytes.size() < 100 || !bytes.startsWith(magic))
        return Error::database(QStringLiteral("%1 is not a SQLite database file").arg(path));
    header.empty = false;
    header.wal = bytes.at(18) == 2 && bytes.at(19) == 2; // file format write and read versions: 2 is WAL
    const auto byte = [&](int offset) { return quint32(quint8(bytes.at(offset))); };
    header.userVersion = int(byte(60) << 24 | byte(61) << 16 | byte(62) << 8 | byte(63)); // big-endian
    return header;
}

Result<QList<SchemaObject>> expectedSchema()
{
    // A private in-memory database through SQLite's own API: no Qt connection name to manage, nothing on
    // disk, and no Fieldbook set-up (the triggers name current_user_id(), which SQLite resolves only when
    // they run).
    sqlite3 *raw = nullptr;
    const int opened = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3 *)> db(raw, sqlite3_close);
    if (opened != SQLITE_OK)
        return Error::database(QStringLiteral("cannot open an in-memory database: %1")
                                   .arg(QString::fromUtf8(sqlite3_errstr(opened))));
    for (const Migration &migration : bundledMigrations()) {
        QFile file(migration.file);
        if (!file.open(QIODevice::ReadOnly))
            return Error::database(QStringLiteral("cannot read migration %1").arg(migration.file));
        char *message = nullptr;
        if (sqlite3_exec(db.get(), file.readAll().constData(), nullptr, nullptr, &message) != SQLITE_OK) {
            const QString text = QString::fromUtf8(message ? message : sqlite3_errmsg(db.get()));
            sqlite3_free(message);
            return Error::database(QStringLiteral("migration %1 failed on an empty database: %2")
                                       .arg(QFileInfo(migration.file).fileName(), text));
        }
    }
    sqlite3_stmt *raw_statement = nullptr;
    if (sqlite3_prepare_v2(db.get(),
                           "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                           "name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
                           -1, &raw_statement, nullptr) != SQLITE_OK)
        return Error::database(QString::fromUtf8(sqlite3_errmsg(db.get())));
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> statement(raw_statement, sqlite3_finalize);
    const auto text = [&](int column) {
        return QString::fromUtf8(
            reinterpret_cast<const char *>(sqlite3_column_text(statement.get(), column)));
    };
    QList<SchemaObject> objects;
    while (sqlite3_step(statement.get()) == SQLITE_ROW)
        objects.append({text(0), text(1), text(2), text(3)});
    return objects;
}

QString normalizedSql(const QString &sql)
{
    QString out;
    out.reserve(sql.size());
    QChar quote; // the closing quote character while inside a quoted string or identifier
    bool pendingSpace = false;
    for (const QChar c : sql) {
        if (!quote.isNull()) {
            out.append(c);
            if (c == quote)
                quote = QChar(); // a doubled quote reopens at once on the next character
            continue;
        }
        if (c.isSpace()) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out.append(QLatin1Char(' '));
        pendingSpace = false;
        if (c == QLatin1Char('\'') || c == QLatin1Char('"') || c == QLatin1Char('`'))
            quote = c;
        else if (c == QLatin1Char('['))
            quote = QLatin1Char(']');
        out.append(quote.isNull() ? c.toLower() : c);
    }
    return out;
}

namespace {

/// What a trigger enforces, in its own words: the message of its RAISE(ABORT, '...'), if it has one.
QString enforcedRule(const SchemaObject &object)
{
    static const QRegularExpression raise(QStringLiteral("RAISE\\s*\\(\\s*ABORT\\s*,\\s*'((?:[^']|'')*)'"),
                                          QRegularExpression::CaseInsensitiveOption);
    const auto match = raise.match(object.sql);
    return match.hasMatch() ? match.captured(1).replace(QStringLiteral("''"), QStringLiteral("'"))
                            : QString();
}

QString named(const SchemaObject &object)
{
    QString text = QStringLiteral("the %1 %2").arg(object.type, object.name);
    if ((object.type == QStringLiteral("index") || object.type == QStringLiteral("trigger")) &&
        !object.table.isEmpty())
        text += QStringLiteral(" on %1").arg(object.table);
    return text;
}

} // namespace

QString SchemaDifference::describe() const
{
    switch (kind) {
    case Kind::Missing: {
        QString text = named(expected) + QStringLiteral(" is missing");
        if (const QString rule = enforcedRule(expected); !rule.isEmpty())
            text += QStringLiteral(": nothing enforces \"%1\" any more").arg(rule);
        return text;
    }
    case Kind::Changed:
        return named(expected) + QStringLiteral(" differs from the one this Fieldbook creates");
    case Kind::Extra:
        return named(actual) + QStringLiteral(" is not part of this Fieldbook's schema");
    }
    return {};
}

QList<SchemaDifference> compare(const QList<SchemaObject> &expected, const QList<SchemaObject> &actual)
{
    const auto key = [](const SchemaObject &object) -> QString {
        return object.type + QLatin1Char('\n') + object.name;
    };
    QHash<QString, SchemaObject> present;
    for (const SchemaObject &object : actual)
        present.insert(key(object), object);
    // A virtual table's shadow tables (FTS5's <name>_data, _idx, _content, _docsize, _config) are defined by
    // the SQLite that created them, which may be older or newer than this one: only their presence counts.
    QStringList shadowPrefixes;
    for (const SchemaObject &object : expected)
        if (normalizedSql(object.sql).startsWith(QStringLiteral("create virtual table")))
            shadowPrefixes.append(object.name + QLatin1Char('_'));
    const auto isShadow = [&](const SchemaObject &object) {
        return object.type == QStringLiteral("table") &&
               std::any_of(shadowPrefixes.cbegin(), shadowPrefixes.cend(),
                           [&](const QString &prefix) { return object.name.startsWith(prefix); });
    };
    QList<SchemaDifference> differences;
    for (const SchemaObject &object : expected) {
        const auto it = present.constFind(key(object));
        if (it == present.constEnd())
            differences.append({SchemaDifference::Kind::Missing, object, {}});
        else if (!isShadow(object) && normalizedSql(it->sql) != normalizedSql(object.sql))
            differences.append({SchemaDifference::Kind::Changed, object, *it});
        present.remove(key(object));
    }
    for (const SchemaObject &object : std::as_const(present))
        differences.append({SchemaDifference::Kind::Extra, {}, object});
    std::sort(differences.begin(), differences.end(),
              [](const SchemaDifference &a, const SchemaDifference &b) {
                  const SchemaObject &x = a.kind == SchemaDifference::Kind::Extra ? a.actual : a.expected;
                  const SchemaObject &y = b.kind == SchemaDifference::Kind::Extra ? b.actual : b.expected;
                  return std::tie(a.kind, x.type, x.name) < std::tie(b.kind, y.type, y.name);
              });
    return differences;
}

} // namespace fb::schema
