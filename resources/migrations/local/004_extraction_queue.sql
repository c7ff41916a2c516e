-- Fieldbook local schema, version 4: the offline extraction queue and the suggestions awaiting review (issue 4).
-- A close-out never waits on the network: its notes are stored here, in the close-out's transaction, as a request
-- that runs when a model can be reached (core/extraction/extractionqueue.h). A request's answer becomes
-- *suggested* attributes; only the technician's decision (accept, edit) writes `attributes`.
CREATE TABLE extraction_requests (
    id            TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id       TEXT NOT NULL REFERENCES users(id),
    ticket_id     TEXT REFERENCES tickets(id),
    contact_id    TEXT NOT NULL REFERENCES contacts(id),
    note_id       TEXT REFERENCES notes(id),
    notes         TEXT NOT NULL CHECK (length(CAST(notes AS BLOB)) <= 65536),
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error    TEXT,
    -- A send in flight until then: another connection (the GUI's, the sync worker's) leaves the request alone.
    -- A process that dies mid-send leaves a lease that simply expires.
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    completed_at  TEXT
);
CREATE INDEX idx_extraction_requests_pending ON extraction_requests(user_id, created_at) WHERE status = 'pending';
CREATE INDEX idx_extraction_requests_ticket ON extraction_requests(ticket_id);
CREATE INDEX idx_extraction_requests_note ON extraction_requests(note_id);

CREATE TABLE attribute_suggestions (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id     TEXT NOT NULL REFERENCES users(id),
    contact_id  TEXT NOT NULL REFERENCES contacts(id),
    ticket_id   TEXT REFERENCES tickets(id),
    note_id     TEXT REFERENCES notes(id),
    request_id  TEXT NOT NULL REFERENCES extraction_requests(id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL CHECK (json_valid(value)),  -- JSON text, as attributes.value
    status      TEXT NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'accepted', 'rejected', 'edited')),
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    UNIQUE (request_id, key)
);
CREATE INDEX idx_attribute_suggestions_contact ON attribute_suggestions(contact_id, status);
CREATE INDEX idx_attribute_suggestions_user ON attribute_suggestions(user_id, status);

-- Write guards, as in 001: a row can only be written by its own user and never handed to another.
CREATE TRIGGER extraction_requests_scope_insert BEFORE INSERT ON extraction_requests
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a extraction_requests row for another user');
END;
CREATE TRIGGER extraction_requests_scope_update BEFORE UPDATE ON extraction_requests
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a extraction_requests row of another user');
END;
CREATE TRIGGER extraction_requests_scope_delete BEFORE DELETE ON extraction_requests
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a extraction_requests row of another user');
END;
CREATE TRIGGER attribute_suggestions_scope_insert BEFORE INSERT ON attribute_suggestions
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a attribute_suggestions row for another user');
END;
CREATE TRIGGER attribute_suggestions_scope_update BEFORE UPDATE ON attribute_suggestions
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a attribute_suggestions row of another user');
END;
CREATE TRIGGER attribute_suggestions_scope_delete BEFORE DELETE ON attribute_suggestions
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a attribute_suggestions row of another user');
END;
