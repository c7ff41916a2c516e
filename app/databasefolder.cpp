#include "databasefolder.h"

#include <QDir>
#include <QFileInfo>

namespace fb::cli {

Result<DatabaseFolder> prepareDatabaseFolder(const QString &databasePath, bool create)
{
    DatabaseFolder folder{QFileInfo(databasePath).absolutePath(), false};
    const QFileInfo info(folder.path);
    if (info.isDir())
        return folder;
    if (info.exists())
        return Error::validation(QStringLiteral("db"), QStringLiteral("%1 is not a folder").arg(folder.path));
    if (!create)
        return Error::validation(
            QStringLiteral("db"),
            QStringLiteral("the folder %1 does not exist (add --create to make it)").arg(folder.path));
    if (!QDir().mkpath(folder.path))
        return Error::database(QStringLiteral("cannot create the folder %1").arg(folder.path));
    folder.created = true;
    return folder;
}

} // namespace fb::cli
