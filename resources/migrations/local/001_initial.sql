-- Fieldbook local schema, version 1.
-- The seed's ten tables (phase3-core-domain.md) with the same names, columns and meanings, plus `users`.
-- Conventions (docs/architecture.md):
--   * ids are canonical lowercase UUID text generated on the device;
--   * money columns hold integer cents (the server's DECIMAL(10,2) is cents / 100);
--   * timestamps are ISO 8601 UTC text with milliseconds ("2026-11-27T22:53:01.123Z"), so text order is time order;
--   * enums are the seed's strings, checked here.
-- Per-user scoping: every user-scoped table has write guards below that call current_user_id(), a function the
-- app registers on each connection (core/db/scoping.cpp). It raises when no user is set, so a connection without
-- an identity can neither read the scoped views nor write. Reads are scoped by TEMP views of the same names,
-- created on each connection (see scoping.cpp), the local equivalent of the seed's RLS policies.

CREATE TABLE users (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    email       TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    email       TEXT,
    phone       TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX idx_contacts_user_name ON contacts(user_id, name);

CREATE TABLE addresses (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id     TEXT NOT NULL REFERENCES users(id),
    contact_id  TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    label       TEXT,
    street      TEXT NOT NULL,
    city        TEXT NOT NULL,
    state       TEXT NOT NULL,
    zip         TEXT NOT NULL,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX idx_addresses_contact ON addresses(contact_id);

CREATE TABLE services (
    id            TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id       TEXT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    description   TEXT,
    pricing_type  TEXT NOT NULL CHECK (pricing_type IN ('fixed', 'flexible', 'per_unit')),
    default_price INTEGER CHECK (default_price BETWEEN 0 AND 9999999999),  -- cents, for fixed pricing
    unit_price    INTEGER CHECK (unit_price BETWEEN 0 AND 9999999999),     -- cents, for per_unit pricing
    unit_label    TEXT,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX idx_services_user ON services(user_id, name);

CREATE TABLE tickets (
    id                          TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id                     TEXT NOT NULL REFERENCES users(id),
    contact_id                  TEXT NOT NULL REFERENCES contacts(id),
    address_id                  TEXT NOT NULL REFERENCES addresses(id),
    status                      TEXT NOT NULL DEFAULT 'scheduled'
                                CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    scheduled_at                TEXT NOT NULL,
    scheduled_duration_minutes  INTEGER CHECK (scheduled_duration_minutes >= 0),
    clock_in_at                 TEXT,
    clock_out_at                TEXT,
    actual_duration_minutes     INTEGER CHECK (actual_duration_minutes >= 0),
    notes                       TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    closed_at                   TEXT,
    deleted_at                  TEXT
);
CREATE INDEX idx_tickets_user_scheduled ON tickets(user_id, scheduled_at);
CREATE INDEX idx_tickets_contact ON tickets(contact_id);
CREATE INDEX idx_tickets_address ON tickets(address_id);

CREATE TABLE line_items (
    id               TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id          TEXT NOT NULL REFERENCES users(id),
    ticket_id        TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    service_id       TEXT NOT NULL REFERENCES services(id),
    description      TEXT,
    quantity         INTEGER DEFAULT 1 CHECK (quantity >= 1),
    unit_price       INTEGER CHECK (unit_price BETWEEN 0 AND 9999999999),    -- cents
    total_price      INTEGER NOT NULL CHECK (total_price BETWEEN 0 AND 9999999999), -- cents
    duration_minutes INTEGER CHECK (duration_minutes >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
);
CREATE INDEX idx_line_items_ticket ON line_items(ticket_id);
CREATE INDEX idx_line_items_service ON line_items(service_id);

CREATE TABLE invoices (
    id            TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id       TEXT NOT NULL REFERENCES users(id),
    contact_id    TEXT NOT NULL REFERENCES contacts(id),
    ticket_id     TEXT REFERENCES tickets(id),
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'paid', 'void')),
    total_amount  INTEGER NOT NULL CHECK (total_amount BETWEEN 0 AND 9999999999), -- cents
    sent_at       TEXT,
    paid_at       TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX idx_invoices_contact ON invoices(contact_id);
CREATE INDEX idx_invoices_ticket ON invoices(ticket_id);
CREATE INDEX idx_invoices_user_status ON invoices(user_id, status);

CREATE TABLE notes (
    id          TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id     TEXT NOT NULL REFERENCES users(id),
    contact_id  TEXT REFERENCES contacts(id),
    ticket_id   TEXT REFERENCES tickets(id),
    content     TEXT NOT NULL CHECK (length(CAST(content AS BLOB)) <= 65536),
    created_at  TEXT NOT NULL,
    deleted_at  TEXT,
    CONSTRAINT notes_has_parent CHECK (contact_id IS NOT NULL OR ticket_id IS NOT NULL)
);
CREATE INDEX idx_notes_contact ON notes(contact_id);
CREATE INDEX idx_notes_ticket ON notes(ticket_id);

CREATE TABLE attributes (
    id              TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id         TEXT NOT NULL REFERENCES users(id),
    contact_id      TEXT NOT NULL REFERENCES contacts(id),
    key             TEXT NOT NULL,
    value           TEXT NOT NULL CHECK (json_valid(value)),  -- JSON text (the server's JSONB)
    source_note_id  TEXT REFERENCES notes(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (contact_id, key)
);
CREATE INDEX idx_attributes_user_key ON attributes(user_id, key);

-- Append-only; not scoped for reads (the seed: "NO RLS, admin-accessible"), but an entry can only be written
-- in the name of the connection's current user.
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id      TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    changes      TEXT NOT NULL CHECK (json_valid(changes)),
    created_at   TEXT NOT NULL
);
CREATE INDEX idx_audit_log_entity ON audit_log(entity_type, entity_id);
CREATE INDEX idx_audit_log_user ON audit_log(user_id);

CREATE TABLE scheduled_messages (
    id              TEXT PRIMARY KEY CHECK (length(id) = 36),
    user_id         TEXT NOT NULL REFERENCES users(id),
    contact_id      TEXT NOT NULL REFERENCES contacts(id),
    template_name   TEXT,
    custom_content  TEXT,
    scheduled_for   TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'cancelled', 'failed')),
    sent_at         TEXT,
    error_message   TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX idx_scheduled_messages_user ON scheduled_messages(user_id, status, scheduled_for);
CREATE INDEX idx_scheduled_messages_contact ON scheduled_messages(contact_id);

-- Change capture for the sync module: every audit entry is one change to push, recorded by a trigger in the
-- same transaction as the mutation and its audit entry. `seq` is a local, monotonically increasing order that
-- does not depend on the device clock; the push acknowledges by deleting or marking rows (issue 3).
CREATE TABLE sync_outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id     TEXT NOT NULL UNIQUE REFERENCES audit_log(id),
    user_id      TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL
);
CREATE INDEX idx_sync_outbox_user ON sync_outbox(user_id, seq);

CREATE TRIGGER audit_log_to_outbox AFTER INSERT ON audit_log
BEGIN
    INSERT INTO sync_outbox (audit_id, user_id, entity_type, entity_id)
    VALUES (NEW.id, NEW.user_id, NEW.entity_type, NEW.entity_id);
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;
CREATE TRIGGER audit_log_own_user BEFORE INSERT ON audit_log
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: an audit entry must be written by the current user');
END;

-- Domain events are stored in the transaction of the change that raised them (a transactional outbox), then
-- delivered after the commit. A delivery row per (event, handler) makes each handler run to success once, and
-- keeps a failed delivery with its error for retry: a confirmed attribute or a reach-out is never lost, even if
-- the process dies between the commit and the handlers.
CREATE TABLE domain_events (
    event_id     TEXT PRIMARY KEY CHECK (length(event_id) = 36),
    event_type   TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    payload      TEXT NOT NULL CHECK (json_valid(payload)),
    occurred_at  TEXT NOT NULL,
    dispatched   INTEGER NOT NULL DEFAULT 0 CHECK (dispatched IN (0, 1))  -- every handler succeeded
);
CREATE INDEX idx_domain_events_pending ON domain_events(user_id, dispatched);

CREATE TABLE event_deliveries (
    event_id     TEXT NOT NULL REFERENCES domain_events(event_id),
    handler      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (event_id, handler)
);

-- Search that scales (the seed's TODO): one trigram document per live contact (name, e-mail, phone and every
-- address), rowid = the contact's rowid, kept current by the triggers below.
CREATE VIRTUAL TABLE contact_search USING fts5(contact_id UNINDEXED, body, tokenize = 'trigram');

CREATE VIEW contact_search_source AS
SELECT c.rowid AS doc_rowid, c.id AS contact_id,
       c.name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '') || ' ' ||
       coalesce((SELECT group_concat(coalesce(a.label, '') || ' ' || a.street || ' ' || a.city || ' ' ||
                                     a.state || ' ' || a.zip, ' ')
                 FROM addresses a WHERE a.contact_id = c.id), '') AS body
FROM contacts c
WHERE c.deleted_at IS NULL;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO contact_search (rowid, contact_id, body)
    SELECT doc_rowid, contact_id, body FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts
BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.rowid;
    INSERT INTO contact_search (rowid, contact_id, body)
    SELECT doc_rowid, contact_id, body FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER addresses_search_insert AFTER INSERT ON addresses
BEGIN
    DELETE FROM contact_search WHERE rowid = (SELECT rowid FROM contacts WHERE id = NEW.contact_id);
    INSERT INTO contact_search (rowid, contact_id, body)
    SELECT doc_rowid, contact_id, body FROM contact_search_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER addresses_search_update AFTER UPDATE ON addresses
BEGIN
    DELETE FROM contact_search WHERE rowid IN (SELECT rowid FROM contacts WHERE id IN (OLD.contact_id, NEW.contact_id));
    INSERT INTO contact_search (rowid, contact_id, body)
    SELECT doc_rowid, contact_id, body FROM contact_search_source WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER addresses_search_delete AFTER DELETE ON addresses
BEGIN
    DELETE FROM contact_search WHERE rowid = (SELECT rowid FROM contacts WHERE id = OLD.contact_id);
    INSERT INTO contact_search (rowid, contact_id, body)
    SELECT doc_rowid, contact_id, body FROM contact_search_source WHERE contact_id = OLD.contact_id;
END;

-- Write guards: a row can only be inserted, changed or deleted by its own user, and never handed to another.
CREATE TRIGGER contacts_scope_insert BEFORE INSERT ON contacts
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a contacts row for another user');
END;
CREATE TRIGGER contacts_scope_update BEFORE UPDATE ON contacts
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a contacts row of another user');
END;
CREATE TRIGGER contacts_scope_delete BEFORE DELETE ON contacts
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a contacts row of another user');
END;
CREATE TRIGGER addresses_scope_insert BEFORE INSERT ON addresses
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a addresses row for another user');
END;
CREATE TRIGGER addresses_scope_update BEFORE UPDATE ON addresses
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a addresses row of another user');
END;
CREATE TRIGGER addresses_scope_delete BEFORE DELETE ON addresses
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a addresses row of another user');
END;
CREATE TRIGGER services_scope_insert BEFORE INSERT ON services
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a services row for another user');
END;
CREATE TRIGGER services_scope_update BEFORE UPDATE ON services
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a services row of another user');
END;
CREATE TRIGGER services_scope_delete BEFORE DELETE ON services
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a services row of another user');
END;
CREATE TRIGGER tickets_scope_insert BEFORE INSERT ON tickets
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a tickets row for another user');
END;
CREATE TRIGGER tickets_scope_update BEFORE UPDATE ON tickets
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a tickets row of another user');
END;
CREATE TRIGGER tickets_scope_delete BEFORE DELETE ON tickets
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a tickets row of another user');
END;
CREATE TRIGGER line_items_scope_insert BEFORE INSERT ON line_items
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a line_items row for another user');
END;
CREATE TRIGGER line_items_scope_update BEFORE UPDATE ON line_items
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a line_items row of another user');
END;
CREATE TRIGGER line_items_scope_delete BEFORE DELETE ON line_items
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a line_items row of another user');
END;
CREATE TRIGGER invoices_scope_insert BEFORE INSERT ON invoices
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a invoices row for another user');
END;
CREATE TRIGGER invoices_scope_update BEFORE UPDATE ON invoices
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a invoices row of another user');
END;
CREATE TRIGGER invoices_scope_delete BEFORE DELETE ON invoices
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a invoices row of another user');
END;
CREATE TRIGGER notes_scope_insert BEFORE INSERT ON notes
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a notes row for another user');
END;
CREATE TRIGGER notes_scope_update BEFORE UPDATE ON notes
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a notes row of another user');
END;
CREATE TRIGGER notes_scope_delete BEFORE DELETE ON notes
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a notes row of another user');
END;
CREATE TRIGGER attributes_scope_insert BEFORE INSERT ON attributes
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a attributes row for another user');
END;
CREATE TRIGGER attributes_scope_update BEFORE UPDATE ON attributes
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a attributes row of another user');
END;
CREATE TRIGGER attributes_scope_delete BEFORE DELETE ON attributes
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a attributes row of another user');
END;
CREATE TRIGGER scheduled_messages_scope_insert BEFORE INSERT ON scheduled_messages
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a scheduled_messages row for another user');
END;
CREATE TRIGGER scheduled_messages_scope_update BEFORE UPDATE ON scheduled_messages
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a scheduled_messages row of another user');
END;
CREATE TRIGGER scheduled_messages_scope_delete BEFORE DELETE ON scheduled_messages
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a scheduled_messages row of another user');
END;
