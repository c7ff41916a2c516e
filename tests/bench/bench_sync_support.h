#pragma once

// What bench_sync.cpp (the push) and bench_sync_pull.cpp (pull, restore, scale) share.

#include "support/pgtestserver.h"
#include "util/result.h"

#include <QString>
#include <QStringList>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

namespace fb::bench {

/// The statements that give a technician bench_sync's restore100k history on the server, as the seed's Python
/// services would write it: a service, then `$2` customers with an address, a job and a line item each, ids
/// derived from the technician's id `$1`. Each runs in a transaction of its own with app.current_user_id set
/// to
/// `$1` (the capture triggers write the audit entries); the first takes only `$1`.
inline QStringList restorableHistoryStatements()
{
    return {
        QStringLiteral("INSERT INTO services (id, user_id, name, pricing_type, default_price) VALUES "
                       "(md5($1 || 's')::uuid, $1::uuid, 'Furnace tune-up', 'fixed', 129.50)"),
        QStringLiteral(
            "INSERT INTO contacts (id, user_id, name, email, phone) SELECT md5($1 || 'c' || i)::uuid, "
            "$1::uuid, 'Customer ' || i, 'customer' || i || '@example.com', "
            "'(555) 01' || lpad(i::text, 5, '0') FROM generate_series(1, $2::int) i"),
        QStringLiteral(
            "INSERT INTO addresses (id, user_id, contact_id, label, street, city, state, zip) "
            "SELECT md5($1 || 'a' || i)::uuid, $1::uuid, md5($1 || 'c' || i)::uuid, 'Home', "
            "i || ' Maple Street', 'Springfield', 'IL', '62701' FROM generate_series(1, $2::int) i"),
        QStringLiteral("INSERT INTO tickets (id, user_id, contact_id, address_id, scheduled_at, "
                       "scheduled_duration_minutes, notes) SELECT md5($1 || 't' || i)::uuid, $1::uuid, "
                       "md5($1 || 'c' || i)::uuid, md5($1 || 'a' || i)::uuid, "
                       "timestamptz '2025-01-06 08:00Z' + (i / 8) * interval '1 day' + (i % 8) * interval "
                       "'1 hour', 60, 'Gate code 4411' FROM generate_series(1, $2::int) i"),
        QStringLiteral("INSERT INTO line_items (id, user_id, ticket_id, service_id, quantity, unit_price, "
                       "total_price, duration_minutes) SELECT md5($1 || 'l' || i)::uuid, $1::uuid, "
                       "md5($1 || 't' || i)::uuid, md5($1 || 's')::uuid, 1, 129.50, 129.50, 45 "
                       "FROM generate_series(1, $2::int) i"),
    };
}

[[noreturn]] inline void die(const QString &what)
{
    std::fprintf(stderr, "bench_sync: %s\n", qPrintable(what));
    std::exit(1);
}

template <typename T> T take(Result<T> result, const char *what)
{
    if (!result)
        die(QString::fromLatin1(what) + QStringLiteral(": ") + result.error().toString());
    return std::move(result).value();
}

inline void check(const Status &status, const char *what)
{
    if (!status)
        die(QString::fromLatin1(what) + QStringLiteral(": ") + status.error().toString());
}

inline double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// One line of the run's summary (issue 16): `FIGURE <name> <value> <unit> goal <op> <target> <met|missed>`.
struct Figure
{
    QString name;
    double value = 0;
    QString unit;
    QString op; ///< ">=", "<=" or "=="
    double target = 0;
    int decimals = 2;

    bool met() const
    {
        if (op == QLatin1String(">="))
            return value >= target;
        if (op == QLatin1String("<="))
            return value <= target;
        return value == target;
    }
    QString line() const
    {
        return QStringLiteral("FIGURE %1 %2 %3 goal %4 %5 %6")
            .arg(name, QString::number(value, 'f', decimals), unit, op, QString::number(target),
                 met() ? QStringLiteral("met") : QStringLiteral("missed"));
    }
};

/// The technician whose backlog the push bench pushed into a server database, and its login.
struct PushedTechnician
{
    QUuid user;
    test::PgTestDatabase::Technician tech;
    qint64 changes = 0; ///< audit entries pushed
};

/// Pushes the push bench's local backlog into `server` (untimed here): the pull and restore benches start
/// from the same data the push bench measures.
using PushBacklog = std::function<PushedTechnician(test::PgTestDatabase &server)>;

struct PullOptions
{
    int runs = 3;
    int officeChanges = 10000; ///< rows the office changes before the measured pull
    int technicians = 50;      ///< the scale figure's company
    int changesPerTechnician = 1000;
    int restoreRows = 100000; ///< the wall-time figure's restore
    bool throughput = true;   ///< restore and pull against raw SQLite, the pull with nothing new
    bool scale = true;
    bool bigRestore = true;
};

/// Runs the pull and restore benchmarks, printing as it goes, and appends their figures.
void runPullBenchmarks(const PullOptions &options, const PushBacklog &pushBacklog,
                       std::vector<Figure> &figures);

} // namespace fb::bench
