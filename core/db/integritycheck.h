#pragma once

#include "util/result.h"

#include <QStringList>

namespace fb {

/// What `fieldbook check` found: one line per problem, notes (facts that are not damage: a read-only folder,
/// events waiting for their delivery), and how many rows it looked at.
struct IntegrityReport
{
    QStringList problems;
    QStringList notes;
    qint64 rowsChecked = 0;
    bool ok() const { return problems.isEmpty(); }
};

/// Checks a Fieldbook database file without changing it and without leaving -wal or -shm files that were not
/// there before, also in a read-only folder (see openForCheck() in the .cpp for how), as the admin view
/// across users (`main.<table>`, no current user): the schema against the one this build creates (tables,
/// indexes, triggers, views, by name), SQLite's integrity and foreign-key checks, a 'create' audit entry for
/// every entity row, a sync_outbox row for every audit entry, rows referring to another user's rows, and
/// domain events whose delivery failed. Events saved but not delivered yet (Fieldbook stopped right after a
/// commit) are a note, not a problem: the next start as their technician delivers them. An Error, in plain
/// words, only when the file cannot be read at all (not a SQLite file, unreadable, its WAL unreadable here).
Result<IntegrityReport> checkIntegrity(const QString &path);

} // namespace fb
