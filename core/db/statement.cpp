#include "statement.h"

#include "database.h"

#include <QSqlDriver>

#include <sqlite3.h>

#include <utility>

namespace fb {

namespace {

sqlite3 *handleOf(Database &db)
{
    // Qt's documented way to the driver's connection (QSqlDriver::handle()): a QVariant holding sqlite3*.
    const QVariant handle = db.connection().driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

/// SQLite's error as an Error: a scoping trigger's refusal is Forbidden (as Database::exec reports it), any
/// other constraint (a foreign key, NOT NULL, CHECK, UNIQUE, a trigger's RAISE) Validation: the row was
/// refused; everything else (full, locked, I/O) is a failure of the file.
Error errorFromText(const QString &text, int rc = SQLITE_ERROR)
{
    Error error = Error::database(text);
    if (text.contains(QStringLiteral("scoping:")) || text.contains(QStringLiteral("no current user")))
        error.code = ErrorCode::Forbidden;
    else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        error.code = ErrorCode::Validation;
    return error;
}

} // namespace

Result<Statement> Statement::prepare(Database &db, const QString &sql)
{
    sqlite3 *handle = handleOf(db);
    if (!handle)
        return Error::database(QStringLiteral("the local file's connection is not SQLite's"));
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    const int rc = sqlite3_prepare_v3(handle, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT,
                                      &statement, nullptr);
    if (rc != SQLITE_OK)
        return errorFromText(QString::fromUtf8(sqlite3_errmsg(handle)));
    return Statement(db, statement);
}

Statement::Statement(Database &db, sqlite3_stmt *statement) : m_db(&db), m_statement(statement)
{
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_statement(std::exchange(other.m_statement, nullptr))
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_db = other.m_db;
        m_statement = std::exchange(other.m_statement, nullptr);
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_statement);
}

Error Statement::error(int rc) const
{
    sqlite3 *handle = sqlite3_db_handle(m_statement);
    return errorFromText(handle ? QString::fromUtf8(sqlite3_errmsg(handle))
                                : QString::fromUtf8(sqlite3_errstr(rc)),
                         handle ? sqlite3_extended_errcode(handle) : rc);
}

Status Statement::bind(const QVariantList &values)
{
    sqlite3_reset(m_statement);
    for (int i = 0; i < values.size(); ++i) {
        const QVariant &value = values.at(i);
        int rc = SQLITE_OK;
        if (value.isNull()) {
            rc = sqlite3_bind_null(m_statement, i + 1);
        } else {
            switch (value.metaType().id()) {
            case QMetaType::LongLong:
            case QMetaType::Int:
            case QMetaType::UInt:
            case QMetaType::Long:
            case QMetaType::Bool:
                rc = sqlite3_bind_int64(m_statement, i + 1, value.toLongLong());
                break;
            case QMetaType::Double:
                rc = sqlite3_bind_double(m_statement, i + 1, value.toDouble());
                break;
            case QMetaType::QByteArray: {
                const QByteArray bytes = value.toByteArray();
                rc = sqlite3_bind_blob64(m_statement, i + 1, bytes.constData(), sqlite3_uint64(bytes.size()),
                                         SQLITE_TRANSIENT);
                break;
            }
            case QMetaType::QString:
                if (value.toString().isNull()) { // as Qt's driver binds a null QString: NULL
                    rc = sqlite3_bind_null(m_statement, i + 1);
                    break;
                }
                [[fallthrough]];
            default: {
                const QByteArray text = value.toString().toUtf8();
                rc = sqlite3_bind_text64(m_statement, i + 1, text.constData(), sqlite3_uint64(text.size()),
                                         SQLITE_TRANSIENT, SQLITE_UTF8);
                break;
            }
            }
        }
        if (rc != SQLITE_OK)
            return error(rc);
    }
    return {};
}

Status Statement::exec(const QVariantList &values)
{
    FB_TRY(bind(values));
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) // a write's RETURNING rows are not read
        rc = sqlite3_step(m_statement);
    if (rc != SQLITE_DONE) {
        Error failed = error(rc);
        sqlite3_reset(m_statement);
        m_db->statementFailed();
        return failed;
    }
    sqlite3_reset(m_statement);
    m_db->afterStatement(); // outside a transaction, this write was its own commit: announce it
    return {};
}

Status Statement::query(const QVariantList &values)
{
    return bind(values);
}

Result<bool> Statement::next()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(m_statement); // the read ends: its locks and snapshot go
        return false;
    }
    Error failed = error(rc);
    sqlite3_reset(m_statement);
    return failed;
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_statement);
}

QString Statement::columnName(int column) const
{
    return QString::fromUtf8(sqlite3_column_name(m_statement, column));
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
}

QVariant Statement::value(int column) const
{
    switch (sqlite3_column_type(m_statement, column)) {
    case SQLITE_INTEGER:
        return QVariant(qlonglong(sqlite3_column_int64(m_statement, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_statement, column));
    case SQLITE_TEXT:
        return QVariant(
            QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column)),
                              sqlite3_column_bytes(m_statement, column)));
    case SQLITE_BLOB:
        return QVariant(QByteArray(static_cast<const char *>(sqlite3_column_blob(m_statement, column)),
                                   sqlite3_column_bytes(m_statement, column)));
    default:
        return QVariant(QMetaType(QMetaType::QString)); // NULL, as Qt's SQLite driver reads it
    }
}

StatementColumns::StatementColumns(const Statement &statement) : m_statement(statement)
{
    for (int i = 0; i < statement.columnCount(); ++i)
        m_names.append(statement.columnName(i));
}

QVariant StatementColumns::value(QLatin1String name) const
{
    int column = -1;
    if (m_asked < m_slots.size() && m_slots[m_asked].name == name.data()) {
        column = m_slots[m_asked].column;
    } else {
        for (int i = 0; i < m_names.size() && column < 0; ++i)
            column = m_names.at(i) == name ? i : -1;
        const Slot slot{name.data(), column};
        if (m_asked < m_slots.size())
            m_slots[m_asked] = slot;
        else
            m_slots.push_back(slot);
    }
    ++m_asked;
    return column < 0 ? QVariant() : m_statement.value(column);
}

} // namespace fb
