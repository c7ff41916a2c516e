-- Fieldbook local schema, version 16: the number of changes waiting to be pushed, kept instead of counted
-- (issue 16).
--
-- The window shows how many changes wait for the server (the status bar, the Sync panel). The sync worker read
-- that number with count(*) over idx_sync_outbox_pending every time it started and after every cycle: a walk
-- that grows with the changes made offline. A file of 100,000 customers that was never pushed holds 265,000 of
-- them (15 MB of index, read from disk at a cold start, beside the window's own first reads). The number is now
-- kept per technician by these triggers, in the transaction that writes the outbox row, acknowledges it, sets it
-- aside or prunes it, so reading it is one row whatever the size of the file.
--
-- A change waits when its row is neither acknowledged (pushed_at) nor set aside (quarantined_at): the same
-- condition as idx_sync_outbox_pending, which the push still reads in order. The WHEN clauses keep the triggers'
-- bodies off every write that does not move a row into or out of that state (pruning deletes only acknowledged
-- rows). WITHOUT ROWID: SQLite's update hook, which announces this connection's writes to the screens, does not
-- report the counts themselves (as change_counters, migration 006). `fieldbook check` compares the kept numbers
-- with a count of the rows (core/db/integritycheck.cpp). No CHECK on the number: a derived count that had gone
-- wrong must never make a technician's write or an acknowledgement fail; the check reports it instead.
CREATE TABLE sync_outbox_pending (
    user_id  TEXT PRIMARY KEY,
    pending  INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO sync_outbox_pending (user_id, pending)
    SELECT user_id, count(*) FROM sync_outbox
    WHERE pushed_at IS NULL AND quarantined_at IS NULL GROUP BY user_id;

CREATE TRIGGER sync_outbox_pending_insert AFTER INSERT ON sync_outbox
WHEN NEW.pushed_at IS NULL AND NEW.quarantined_at IS NULL
BEGIN
    INSERT INTO sync_outbox_pending (user_id, pending) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET pending = pending + 1;
END;

CREATE TRIGGER sync_outbox_pending_update AFTER UPDATE OF pushed_at, quarantined_at, user_id ON sync_outbox
WHEN (OLD.pushed_at IS NULL AND OLD.quarantined_at IS NULL) IS NOT (NEW.pushed_at IS NULL AND NEW.quarantined_at IS NULL)
    OR OLD.user_id IS NOT NEW.user_id
BEGIN
    UPDATE sync_outbox_pending SET pending = pending - 1
        WHERE user_id = OLD.user_id AND OLD.pushed_at IS NULL AND OLD.quarantined_at IS NULL;
    INSERT INTO sync_outbox_pending (user_id, pending)
        SELECT NEW.user_id, 1 WHERE NEW.pushed_at IS NULL AND NEW.quarantined_at IS NULL
        ON CONFLICT (user_id) DO UPDATE SET pending = pending + 1;
END;

CREATE TRIGGER sync_outbox_pending_delete AFTER DELETE ON sync_outbox
WHEN OLD.pushed_at IS NULL AND OLD.quarantined_at IS NULL
BEGIN
    UPDATE sync_outbox_pending SET pending = pending - 1 WHERE user_id = OLD.user_id;
END;
