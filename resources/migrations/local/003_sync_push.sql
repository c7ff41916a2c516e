-- Fieldbook local schema, version 3: what the push (sync/pusher.cpp) needs.
-- An outbox row is pending until the server committed it (pushed_at), or set aside when the server refused it
-- for good (quarantined_at, with the server's reason) so the rest of the queue goes on. Rows are kept, not
-- deleted, so `fieldbook check` can still prove that every audit entry was recorded for sync.
ALTER TABLE sync_outbox ADD COLUMN pushed_at TEXT;
ALTER TABLE sync_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_outbox ADD COLUMN quarantined_at TEXT;
ALTER TABLE sync_outbox ADD COLUMN quarantine_reason TEXT;
CREATE INDEX idx_sync_outbox_pending ON sync_outbox(user_id, seq) WHERE pushed_at IS NULL AND quarantined_at IS NULL;

-- Small per-user sync bookkeeping (last success, last error, later the pull cursor), written in the same
-- transaction as the outbox acknowledgements it describes.
CREATE TABLE sync_state (
    user_id  TEXT NOT NULL,
    key      TEXT NOT NULL,
    value    TEXT,
    PRIMARY KEY (user_id, key)
);
