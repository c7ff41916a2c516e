#pragma once

#include "util/result.h"

#include <QString>

namespace fb::cli {

/// What prepareDatabaseFolder() did.
struct DatabaseFolder
{
    QString path;         ///< the folder, absolute
    bool created = false; ///< it did not exist and `--create` made it
};

/// The folder of a database FILE named with `--db` must exist: a mistyped path would otherwise create a new
/// folder tree without a word and a new, empty database in it. With `create` (`--create`) a missing folder is
/// made (the caller says so). The app's own data folder (the default and demo databases) is made silently by
/// the callers instead: it is Fieldbook's own place. The error is one line naming the folder and `--create`.
Result<DatabaseFolder> prepareDatabaseFolder(const QString &databasePath, bool create);

} // namespace fb::cli
