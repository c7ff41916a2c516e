-- Fieldbook local schema, version 7: what the pull needs (issue 14, sync/puller.h).
-- Audit entries that came from the server (another device's, a dispatcher's, the server's own) are kept in the
-- same trail as this device's, with the columns the server's trail has: `origin` (NULL: written here; else the
-- device id that pushed it, or 'server' when it was written on the server) and `author_login` (the server
-- login that wrote it). Only this device's own entries are changes to push, and only they must be the current
-- user's: a dispatcher's entry about the technician's job names the dispatcher.
ALTER TABLE audit_log ADD COLUMN author_login TEXT;
ALTER TABLE audit_log ADD COLUMN origin TEXT;

DROP TRIGGER audit_log_to_outbox;
CREATE TRIGGER audit_log_to_outbox AFTER INSERT ON audit_log
WHEN NEW.origin IS NULL
BEGIN
    INSERT INTO sync_outbox (audit_id, user_id, entity_type, entity_id)
    VALUES (NEW.id, NEW.user_id, NEW.entity_type, NEW.entity_id);
END;

DROP TRIGGER audit_log_own_user;
CREATE TRIGGER audit_log_own_user BEFORE INSERT ON audit_log
WHEN NEW.origin IS NULL AND NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: an audit entry must be written by the current user');
END;

-- Who wrote the entries that came from the server, as the server names them (for "moved by the office").
CREATE TABLE sync_authors (
    author_id TEXT PRIMARY KEY, -- the server user id an audit entry names in user_id
    name      TEXT,
    kind      TEXT NOT NULL  -- 'technician' | 'dispatcher' | 'service' (a login not bound to a Fieldbook user)
);

-- Conflicts the server's merge rules decided (issue 14, item 4): the field, the value both sides started from,
-- the server's value, this device's, and which one was kept. Values are JSON text in the local convention.
CREATE TABLE sync_conflicts (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL,
    entity_type    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    field          TEXT NOT NULL,
    base           TEXT,
    theirs         TEXT,
    mine           TEXT,
    outcome        TEXT NOT NULL,
    audit_id       TEXT,
    detected_at    TEXT NOT NULL,
    theirs_author  TEXT
);
CREATE INDEX idx_sync_conflicts_user ON sync_conflicts(user_id, detected_at);
