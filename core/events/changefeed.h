#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUuid>

#include <initializer_list>

namespace fb {

class Database;

/// What one committed change did to one entity (a row of a synced table), from its audit entry.
struct EntityChange
{
    enum class Kind
    {
        Created,
        Updated,
        Deleted, ///< soft-deleted or removed
    };
    QString entityType; ///< the audit entity type: "ticket", "contact", "line_item", ...
    QUuid id; ///< null when a table was written without an audit entry: some row of the type changed
    Kind kind = Kind::Updated;
};

/// Everything that changed in the local file since the last announcement: one or more commits.
struct ChangeSet
{
    /// Entity rows created, updated or deleted, in commit order (from the audit trail, so the changes of
    /// every writer are here: the screens, the sync worker, a `fieldbook` command run meanwhile, the coming
    /// pull).
    QList<EntityChange> entities;
    /// Tables written that have no audit trail (extraction_requests, closeout_drafts, sync_outbox, ...). For
    /// commits of this connection, all of them; for another connection's commits, those that screens show
    /// and that changed (attribute_suggestions, extraction_requests, closeout_drafts: see ChangeFeed).
    QSet<QString> tables;
    /// Whether the changes were committed by another connection of the file (or another process).
    bool fromOtherConnection = false;
    /// More entities changed than ChangeFeed::kMaxListed (a restore, a large pull): `entities` lists only
    /// some of them, and every touches() answers yes, so a screen reads what it shows again.
    bool incomplete = false;

    bool isEmpty() const { return entities.isEmpty() && tables.isEmpty() && !incomplete; }
    /// Whether an entity of any of `entityTypes` changed.
    bool touches(std::initializer_list<const char *> entityTypes) const;
    /// Whether one entity changed.
    bool touches(const QString &entityType, const QUuid &id) const;
    /// Whether any of `names` changed: entity types ("ticket") or tables without an audit trail
    /// ("attribute_suggestions").
    bool touchesAny(const QStringList &names) const;
};

/// Core's announcement of committed changes (README, "Core announces every committed change"). Screens and
/// models subscribe to changed() and update what they show; no writer has to remember to announce anything.
///
/// How it knows: every entity change writes an audit entry in the change's own transaction, so the audit
/// entries appended since the last announcement are exactly the entity changes committed since then, by this
/// connection or any other. After a commit of this connection (the outermost COMMIT or an autocommit write),
/// the feed reads the new entries at once and announces them before the writing call returns. Commits of
/// other connections (the sync worker's thread, another process) are noticed by SQLite's `PRAGMA
/// data_version`, which changes exactly when another connection committed: watchOtherConnections() polls it
/// (a few microseconds, no disk read) and announces within one interval. Tables without an audit trail are
/// known exactly for this connection's commits (SQLite's update hook); for another connection's commit, the
/// three that screens show are named when their counter (change_counters, bumped by triggers, migration 006)
/// moved, so the worker acknowledging pushed changes announces nothing and no screen reads again for it.
/// Rows of synced tables written without an audit entry by this connection are announced by type (no id); a
/// writer on another connection must write audit entries (the push, the coming pull and every service do).
///
/// Design choice: polling data_version rather than the sync worker's own signal, because it catches every
/// other writer, including a `fieldbook sync` or `fieldbook extract` run from a terminal while the window is
/// open, and needs no wiring between the two connections.
class ChangeFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChangeFeed)

public:
    /// Announces the changes committed on `db` (not owned; it must outlive the feed) from now on.
    explicit ChangeFeed(Database &db, QObject *parent = nullptr);
    ~ChangeFeed() override;

    /// Polls for other connections' commits every `intervalMs` (0 stops). The window uses 250 ms.
    void watchOtherConnections(int intervalMs);
    /// Announces what other connections committed since the last look, now (what the timer does).
    void checkOtherConnections();

    /// At most this many entity changes are listed in one announcement (the rest make it `incomplete`), so
    /// a commit of 100,000 rows costs the GUI thread one short read, not 100,000 rows.
    static constexpr int kMaxListed = 2000;

Q_SIGNALS:
    /// After a commit (this connection's: synchronously, before the writing call returns; another's: within
    /// the watch interval). Never emitted inside a transaction.
    void changed(const fb::ChangeSet &changes);

private:
    void announceLocalCommit(const QSet<QString> &tables);
    /// Adds the audit entries after m_lastAuditRow to `changes` and moves m_lastAuditRow past them.
    void readNewEntries(ChangeSet &changes);
    qint64 dataVersion();
    /// The tables of change_counters (migration 006) whose counter moved since the last look.
    QSet<QString> countedTablesChanged();

    Database &m_db;
    QTimer m_timer;
    qint64 m_lastAuditRow = 0;
    qint64 m_dataVersion = -1;
    QHash<QString, qint64> m_counters;
};

} // namespace fb

Q_DECLARE_METATYPE(fb::ChangeSet)
