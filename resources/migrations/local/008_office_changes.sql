-- Fieldbook local schema, version 8: what the technician has seen of others' changes to their jobs (issue 14,
-- item 6; core/services/officechangeservice.h). A job moved, booked or cancelled by the office (an audit entry
-- the pull brought: origin NOT NULL) is marked on the schedule until the technician opens it. "Seen" is a
-- position in the audit trail, not a time: audit_log is append-only, so its rowids grow in the order entries
-- arrived here, and an entry the pull brings after the job was opened is news even when the office made it
-- earlier by the clock.
--
-- UI state, like closeout_drafts: written directly, never audited, never synced.

-- Per job: the last audit_log rowid there was when the technician opened it.
CREATE TABLE office_changes_seen (
    ticket_id     TEXT PRIMARY KEY CHECK (length(ticket_id) = 36),
    seen_through  INTEGER NOT NULL,
    seen_at       TEXT NOT NULL
);

-- For jobs never opened: where marking began (one row). Entries already in the file when this version arrived
-- are history, not news; a restore moves it to the end of the history it downloaded
-- (OfficeChangeService::markAllSeen), so a new laptop does not show every job as changed.
CREATE TABLE office_changes_since (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    seen_through  INTEGER NOT NULL
);
INSERT INTO office_changes_since (id, seen_through) VALUES (1, (SELECT coalesce(max(rowid), 0) FROM audit_log));

-- The schedule's question, "others' entries on these jobs after rowid N", reads only others' entries on the
-- shown jobs: an index lookup per job, never the whole trail (this device's own entries are not in it).
CREATE INDEX idx_audit_log_others_tickets ON audit_log(entity_id) WHERE entity_type = 'ticket' AND origin IS NOT NULL;

-- The sync worker writes conflicts on its own connection: a counter (migration 006) tells the window, so the
-- Sync screen shows them without waiting for the cycle's end.
INSERT INTO change_counters (table_name) VALUES ('sync_conflicts');
CREATE TRIGGER sync_conflicts_count_insert AFTER INSERT ON sync_conflicts
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'sync_conflicts';
END;
CREATE TRIGGER sync_conflicts_count_update AFTER UPDATE ON sync_conflicts
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'sync_conflicts';
END;
CREATE TRIGGER sync_conflicts_count_delete AFTER DELETE ON sync_conflicts
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'sync_conflicts';
END;
