#pragma once

#include "util/result.h"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace fb {

class Database;

/// One statement prepared once and run many times through SQLite's own API, for loops that write or read
/// thousands of rows (a pull's page, a restore): values are bound as SQLite's own types (text as UTF-8,
/// integers, NULL) and read back the same way, without Qt SQL's per-run conversions (its driver binds text as
/// UTF-16, which SQLite converts again on every step). Inside a Transaction, its commit announces the tables
/// written (Database::setCommitObserver); a write outside one is announced as Database::exec announces it.
/// Destroy it before the Database. Database::run() and Database::read() keep one per SQL text for the
/// statements every write and the busiest reads run (prepared once per connection, not once per call).
class Statement final
{
public:
    static Result<Statement> prepare(Database &db, const QString &sql);

    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    /// Binds `values` positionally (null, integers, booleans as 0/1, doubles, text; anything else as its
    /// text) and runs the statement to its end (a write).
    Status exec(const QVariantList &values);
    /// Binds `values` and starts a read: next() steps to each row, value() reads its columns.
    Status query(const QVariantList &values);
    /// The next row of a query(); false at its end.
    Result<bool> next();
    /// Column `column` of the current row: qlonglong, double, QString, QByteArray, or a null QVariant.
    QVariant value(int column) const;
    /// The result's columns and their names (as SQLite names them: `SELECT t.*` gives the table's names).
    int columnCount() const;
    QString columnName(int column) const;
    /// Ends a read before its last row (its locks and snapshot go); the next query() starts afresh.
    void reset();

private:
    Statement(Database &db, sqlite3_stmt *statement);
    Status bind(const QVariantList &values);
    Error error(int rc) const;

    Database *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

/// A Statement's current row read by column name, as a Row is read, without building one (Ticket::fromColumns
/// reads the week view's rows this way). Each row is read asking for the same names in the same order, so the
/// names are matched to positions while the first row is read and each later ask goes straight to its
/// position. Call nextRow() before reading each row after the first.
class StatementColumns final
{
public:
    explicit StatementColumns(const Statement &statement);
    /// The named column of the current row, or an invalid QVariant when the result has no such column (as
    /// Row::value gives for a missing key).
    QVariant value(QLatin1String name) const;
    void nextRow() { m_asked = 0; }

private:
    struct Slot
    {
        const char *name; // the asker's text: the same ask from the same place of the code
        int column;
    };
    const Statement &m_statement;
    QStringList m_names;
    mutable std::vector<Slot> m_slots;
    mutable std::size_t m_asked = 0;
};

} // namespace fb
