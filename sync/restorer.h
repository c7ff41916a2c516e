#pragma once

#include "puller.h"
#include "util/result.h"

#include <QString>
#include <QUuid>

#include <functional>

namespace fb {
class Core;
}

namespace fb::sync {

class PgConnection;

struct RestoreReport
{
    QUuid userId;
    QString name;         ///< the technician's name on the server
    bool resumed = false; ///< an interrupted restore was taken up where it stopped
    qint64 rows = 0;      ///< rows written in this run
    qint64 entries = 0;   ///< audit entries written in this run
    PullReport pull;      ///< the pull that ends the restore
    QStringList leftOut;  ///< rows not stored when their page came (the final pull brings those it can)
};

/// Downloads a technician's whole history from the server into a new local file (issue 14, item 5): a laptop
/// that died, or a second device.
///
/// Who the technician is comes from the server (the login's binding, fieldbook_whoami()); the file gets that
/// profile with the server's id. Then, table by table in foreign-key order, the technician's rows (deleted
/// ones too) are read in pages by id and written the way the pull writes them; then their audit trail (every
/// author's entries) in feed order; then an ordinary pull from the position the restore began at brings what
/// changed meanwhile. Each page is one local transaction together with the step reached (sync_state
/// 'restore_step'), so an interrupted restore resumes where it stopped, and nothing is written twice. The
/// position the final pull starts from is taken before the first page (the oldest transaction still running
/// then), so a change committed while the restore ran is applied by that pull even if a page missed it.
class Restorer final
{
public:
    /// Rows a page fetched from the server; the server reads the next while this side writes one.
    static constexpr int kDefaultPageSize = 2500;
    /// Pages a durable commit (a resumed restore starts after the last one): bench_sync_pull.
    static constexpr int kPagesPerCommit = 8;
    /// The server schema a restore needs: 7 hands out the devices' invoice letters.
    static constexpr int kMinimumServerSchema = 7;

    Restorer(Core &core, int pageSize = kDefaultPageSize);

    /// Called with what is being restored ("contacts", "history"), how many of it are done, and how many
    /// there are (0 when unknown).
    using Progress = std::function<void(const QString &what, qint64 done, qint64 total)>;

    /// Restores into the core's file. Refuses a file that holds another profile, or this technician's own
    /// work that a restore did not write (that file needs `fieldbook sync`, not a restore); resumes a restore
    /// that was interrupted. Transient failures return ErrorCode::Unavailable: run it again.
    Result<RestoreReport> restore(PgConnection &server, const Progress &progress = {});

private:
    class PageAhead;
    class Batch;
    Result<QUuid> prepareProfile(PgConnection &server, RestoreReport &report);
    Status restoreTables(PgConnection &server, PageAhead &pages, const QString &from, RestoreReport &report,
                         const Progress &progress);
    Status restoreHistory(PgConnection &server, PageAhead &pages, qint64 afterSeq, RestoreReport &report,
                          const Progress &progress);
    QByteArray tablePage(PgConnection &server, const QString &table, const QString &after,
                         bool withCount) const;
    QByteArray historyPage(PgConnection &server, qint64 afterSeq) const;
    Status claimInvoiceLetter(PgConnection &server);
    Result<QString> state(const QString &key) const;
    Status setState(const QString &key, const QString &value);

    Core &m_core;
    QUuid m_userId;
    int m_pageSize;
};

} // namespace fb::sync
