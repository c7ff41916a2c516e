#pragma once

#include "util/result.h"

#include <QStringList>

namespace fb {

/// What `fieldbook check` found: one line per problem, and how many rows it looked at.
struct IntegrityReport
{
    QStringList problems;
    qint64 rowsChecked = 0;
    bool ok() const { return problems.isEmpty(); }
};

/// Checks a Fieldbook database file without changing it (it opens the file read-only, as the admin view
/// across users: `main.<table>`, no current user): SQLite's integrity and foreign-key checks, a 'create'
/// audit entry for every entity row, a sync_outbox row for every audit entry, rows referring to another
/// user's rows, and domain events whose delivery failed or never happened. An Error only when the file cannot
/// be opened at all.
Result<IntegrityReport> checkIntegrity(const QString &path);

} // namespace fb
