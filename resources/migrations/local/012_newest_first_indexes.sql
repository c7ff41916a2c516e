-- Fieldbook local schema, version 12: what the window reads as it opens is read through an index in the order
-- it is shown, so opening it does not grow with the size of the file (issue 16: 100,000 customers, 265,000
-- audit entries). Indexes only: no row changes. (Version 11 was never used.)

-- History's "your recent changes" (AuditLogger::userActivity: user_id = ? ORDER BY created_at DESC, rowid
-- DESC LIMIT n) read and sorted every entry of the technician: 1.6 s on the GUI thread at each start. With
-- created_at in the index (the rowid is its last column) the newest are read first and the read stops at n.
-- It replaces the index on user_id alone, of which it is an extension.
DROP INDEX IF EXISTS idx_audit_log_user;
CREATE INDEX idx_audit_log_user ON audit_log(user_id, created_at);

-- The contacts list opens on the newest customers (ContactService::list: ORDER BY created_at DESC, rowid
-- DESC LIMIT n): the same, for every live contact.
CREATE INDEX IF NOT EXISTS idx_contacts_user_created ON contacts(user_id, created_at);

-- The changes the server refused and that wait for a person (Pusher::quarantined, read by the sync worker at
-- start and after every cycle): a handful, found without walking the whole outbox.
CREATE INDEX IF NOT EXISTS idx_sync_outbox_quarantined ON sync_outbox(user_id, seq) WHERE quarantined_at IS NOT NULL;
