-- Fieldbook local schema, version 10: keeping the file small at a company's scale (issue 16).
--
-- 1. Acknowledged outbox rows are pruned (core/db/housekeeping.h): nothing reads them again. So that
-- `fieldbook check` can still prove that every audit entry written here was recorded for sync, the pruning
-- counts what it removed per technician, with the last audit entry (audit_log rowid) among them: an entry
-- without an outbox row after that one is a lost change, and before it the count must match exactly.
CREATE TABLE sync_outbox_pruned (
    user_id              TEXT PRIMARY KEY,
    rows                 INTEGER NOT NULL CHECK (rows >= 0),
    through_audit_rowid  INTEGER NOT NULL CHECK (through_audit_rowid >= 0)
);

-- 2. The audit trail stays whole (every entry, every column, append-only); only an index no query needs goes.
-- idx_audit_log_user(user_id) served nothing: the Recent activity screen (AuditLogger::userActivity) orders
-- the user's entries by time, which this index cannot give, so SQLite read every entry either way (and, through
-- this index, each one by a second lookup); a file holds one technician's entries and those the pull brings.
-- It took 55 bytes per entry (14 MB at 100,000 customers). The server keeps its own index (server schema).
-- Version 12 puts back an index of this name on (user_id, created_at), which that screen's order can use.
DROP INDEX idx_audit_log_user;

-- 3. The contact search index (migration 001, its documents as migration 009 makes them) without the
-- contact_id column: a document's rowid is its contact's rowid, which every search reads, and nothing read
-- contact_id. A second column also cost every entry of the index a column marker, and the column sizes
-- (columnsize=0) were never read (the search orders by name, not by rank). Same trigram tokenizer, same
-- documents, same full detail: MATCH finds exactly the same customers, and the short-query LIKE reads the
-- same stored body. About 310 bytes per customer less.
DROP TRIGGER contacts_search_insert;
DROP TRIGGER contacts_search_update;
DROP TRIGGER contacts_search_delete;
DROP TRIGGER addresses_search_insert;
DROP TRIGGER addresses_search_update;
DROP TRIGGER addresses_search_delete;
DROP TABLE contact_search;
CREATE VIRTUAL TABLE contact_search USING fts5(body, tokenize = 'trigram', columnsize = 0);
INSERT INTO contact_search (rowid, body) SELECT doc_rowid, body FROM contact_search_source;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts
BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.rowid;
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts
BEGIN
    DELETE FROM contact_search WHERE rowid = OLD.rowid;
END;
CREATE TRIGGER addresses_search_insert AFTER INSERT ON addresses
BEGIN
    DELETE FROM contact_search WHERE rowid = (SELECT rowid FROM contacts WHERE id = NEW.contact_id);
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER addresses_search_update AFTER UPDATE ON addresses
BEGIN
    DELETE FROM contact_search WHERE rowid IN (SELECT rowid FROM contacts WHERE id IN (OLD.contact_id, NEW.contact_id));
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER addresses_search_delete AFTER DELETE ON addresses
BEGIN
    DELETE FROM contact_search WHERE rowid = (SELECT rowid FROM contacts WHERE id = OLD.contact_id);
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = OLD.contact_id;
END;
