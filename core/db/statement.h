#pragma once

#include "util/result.h"

#include <QString>
#include <QVariant>

struct sqlite3;
struct sqlite3_stmt;

namespace fb {

class Database;

/// One statement prepared once and run many times through SQLite's own API, for loops that write or read
/// thousands of rows (a pull's page, a restore): values are bound as SQLite's own types (text as UTF-8,
/// integers, NULL) and read back the same way, without Qt SQL's per-run conversions (its driver binds text as
/// UTF-16, which SQLite converts again on every step). Runs only inside a Transaction of its Database, whose
/// commit announces the tables written (Database::setCommitObserver); destroy it before the Database.
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

private:
    Statement(Database &db, sqlite3_stmt *statement);
    Status bind(const QVariantList &values);
    Error error(int rc) const;

    Database *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

} // namespace fb
