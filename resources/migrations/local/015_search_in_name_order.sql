-- Fieldbook local schema, version 15: a search that matches thousands of customers reads only the first
-- hundred in name order (issue 16: contact search p95 <= 2 ms at 100,000 customers).
--
-- A search shows the first `limit` matches in name order (ContactService::search). The trigram index gives its
-- matches in the order of their documents' rowids, and a document's rowid was its contact's rowid: to find the
-- first hundred by name, a search had to read every match ("gmail": 8,000) and sort them, or walk every name in
-- order against the list of matches. Reading the matches cost 1-4 ms when they were thousands, more than the
-- whole goal. Now a document's rowid puts the contacts in order of the first two characters of their names, so
-- the index gives the matches in that order; a search stops after the hundredth and the rest of its group, and
-- sorts those by the whole name:
--
--   rowid = the classes of the name's first two characters, five bits each (bits 32..23), then the contact's
--           rowid (bits 22..0).
--
-- Each character becomes a class that keeps the order COLLATE NOCASE gives (it compares the names' UTF-8 bytes
-- with only A-Z folded to a-z): 0 the end of the name or a control character, 1 a space, 2 the punctuation
-- before '0', 3 a digit or the punctuation up to '@', 4 the punctuation between 'Z' and 'a', 5-30 the letters
-- a-z (capitals folded), 31 anything after 'z' (beyond ASCII too). A letter or a space is its own class; the
-- other classes hold several characters, so after such a first character the second counts as class 0
-- (otherwise "@b" would come before "[a"). Hence a smaller rowid is never a later name.
--
-- Why two characters: the finer the groups, the sooner a search stops, but the larger the index. The index
-- stores each match's rowid as the distance from the one before, and within a group the contacts' rowids lie
-- further apart the smaller the group. Measured at 100,000 demo customers (trigram index 30.5 MB before):
-- one character 36.8 MB (21 groups), two 39.4 MB (64 groups, the largest 5,549 names: "Ma..."), three
-- 41.9 MB, eight 62.6 MB. Two characters make the common searches stop after a few percent of the index
-- (p95 of bench_core's searches in README, "Benchmarks") for about 90 bytes per customer.
--
-- A contact rowid above 2^23 - 1 (8,388,607) would spill into the class bits; SQLite gives a new row the largest
-- rowid plus one, so a file would need more than eight million customers made in it first.
--
-- Same tokenizer, same full detail. A document exists for every live contact (deleted_at IS NULL), as before;
-- its rowid changes when the name does. The documents leave out the phone as typed ("(815) 555-0186") and keep
-- its digits (migration 009): a query that looks like a phone number is searched by its digits
-- (ContactService::phoneDigits), which find every way of typing it, so the typed form only cost space (44 bytes
-- per customer). Rebuilding every document here takes a few seconds at 100,000 customers.
DROP TRIGGER contacts_search_insert;
DROP TRIGGER contacts_search_update;
DROP TRIGGER contacts_search_delete;
DROP TRIGGER addresses_search_insert;
DROP TRIGGER addresses_search_update;
DROP TRIGGER addresses_search_delete;
DROP VIEW contact_search_source;
CREATE VIEW contact_search_source AS
SELECT (
       ((CASE WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) < 32 THEN 0 WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) = 32 THEN 1 WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) < 48 THEN 2
                  WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) < 65 THEN 3 WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) <= 90 THEN coalesce(unicode(substr(c.name, 1, 1)), 0) - 60
                  WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) < 97 THEN 4 WHEN coalesce(unicode(substr(c.name, 1, 1)), 0) <= 122 THEN coalesce(unicode(substr(c.name, 1, 1)), 0) - 92 ELSE 31 END) << 28) |
       ((CASE WHEN substr(c.name, 1, 1) GLOB '[^A-Za-z ]' THEN 0 ELSE
                  CASE WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) < 32 THEN 0 WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) = 32 THEN 1 WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) < 48 THEN 2
                  WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) < 65 THEN 3 WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) <= 90 THEN coalesce(unicode(substr(c.name, 2, 1)), 0) - 60
                  WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) < 97 THEN 4 WHEN coalesce(unicode(substr(c.name, 2, 1)), 0) <= 122 THEN coalesce(unicode(substr(c.name, 2, 1)), 0) - 92 ELSE 31 END END) << 23) |
       c.rowid) AS doc_rowid,
       c.id AS contact_id,
       c.name || ' ' || coalesce(c.email, '') || ' ' ||
       coalesce((SELECT group_concat(o.line, ' ')
                   FROM (SELECT coalesce(a.label, '') || ' ' || a.street || ' ' || a.city || ' ' || a.state || ' ' ||
                                a.zip AS line
                           FROM addresses a WHERE a.contact_id = c.id ORDER BY a.rowid) o), '') || ' ' ||
       coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''),
                                                ')', ''), '.', ''), '+', ''), '/', ''), '') AS body
FROM contacts c
WHERE c.deleted_at IS NULL;

-- The index keeps no copy of the documents (content=''): a MATCH reads only the index, and the short searches
-- (one or two characters, ContactService::search) read the documents through the view. The copy cost 166 bytes
-- per customer. Without it, a document is taken out of the index by giving its old text back ('delete'), which
-- the BEFORE triggers read through the view while the rows still hold it; the AFTER triggers index the new text.
-- The text must be the very text indexed, so the view lists a customer's addresses in a fixed order (their
-- rowids), not in whatever order a query plan reads them.
DROP TABLE contact_search;
CREATE VIRTUAL TABLE contact_search USING fts5(body, tokenize = 'trigram', columnsize = 0, content = '');
INSERT INTO contact_search (rowid, body) SELECT doc_rowid, body FROM contact_search_source;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
BEGIN
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contacts_search_unindex BEFORE UPDATE ON contacts
BEGIN
    INSERT INTO contact_search (contact_search, rowid, body)
    SELECT 'delete', doc_rowid, body FROM contact_search_source WHERE contact_id = OLD.id;
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts
BEGIN
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.id;
END;
CREATE TRIGGER contacts_search_delete BEFORE DELETE ON contacts
BEGIN
    INSERT INTO contact_search (contact_search, rowid, body)
    SELECT 'delete', doc_rowid, body FROM contact_search_source WHERE contact_id = OLD.id;
END;
CREATE TRIGGER addresses_search_unindex_insert BEFORE INSERT ON addresses
BEGIN
    INSERT INTO contact_search (contact_search, rowid, body)
    SELECT 'delete', doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER addresses_search_insert AFTER INSERT ON addresses
BEGIN
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER addresses_search_unindex_update BEFORE UPDATE ON addresses
BEGIN
    INSERT INTO contact_search (contact_search, rowid, body)
    SELECT 'delete', doc_rowid, body FROM contact_search_source WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER addresses_search_update AFTER UPDATE ON addresses
BEGIN
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
END;
CREATE TRIGGER addresses_search_unindex_delete BEFORE DELETE ON addresses
BEGIN
    INSERT INTO contact_search (contact_search, rowid, body)
    SELECT 'delete', doc_rowid, body FROM contact_search_source WHERE contact_id = OLD.contact_id;
END;
CREATE TRIGGER addresses_search_delete AFTER DELETE ON addresses
BEGIN
    INSERT INTO contact_search (rowid, body)
    SELECT doc_rowid, body FROM contact_search_source WHERE contact_id = OLD.contact_id;
END;

-- The contacts in name order, for the short searches' walk (ContactService::search): by name alone. A file
-- holds one technician's customers, so user_id in front of the name only cost its 36 characters in every entry
-- (about 40 bytes per customer); the walk checks user_id on each row it reads.
DROP INDEX idx_contacts_user_name;
CREATE INDEX idx_contacts_name ON contacts(name COLLATE NOCASE) WHERE deleted_at IS NULL;
