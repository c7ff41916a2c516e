-- Fieldbook local schema, version 9 (issue 15): a customer is found by their phone number however it is typed
-- (item 6), and invoices get numbers people can read aloud (item 8).
--
-- 1. Phone search. "8155550186", "815 555 0186" and "+1 815-555-0186" all find the customer stored as
-- "(815) 555-0186".
--
-- Each customer's search document (contact_search, the FTS5 trigram index of migration 001) gains the phone's
-- digits alone, kept by the same triggers, which read this view: the digits sit in the index beside the phone as
-- typed, so a phone search stays one trigram lookup (ContactService::search turns a query that looks like a
-- phone into its digits). Only the separators people type in phone numbers are dropped (space, - ( ) . + /);
-- an extension's letters stay.
DROP VIEW contact_search_source;
CREATE VIEW contact_search_source AS
SELECT c.rowid AS doc_rowid, c.id AS contact_id,
       c.name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '') || ' ' ||
       coalesce((SELECT group_concat(coalesce(a.label, '') || ' ' || a.street || ' ' || a.city || ' ' ||
                                     a.state || ' ' || a.zip, ' ')
                 FROM addresses a WHERE a.contact_id = c.id), '') || ' ' ||
       coalesce(replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''),
                                                ')', ''), '.', ''), '+', ''), '/', ''), '') AS body
FROM contacts c
WHERE c.deleted_at IS NULL;

-- Every live customer's document again, with the digits.
DELETE FROM contact_search;
INSERT INTO contact_search (rowid, contact_id, body) SELECT doc_rowid, contact_id, body FROM contact_search_source;

-- 2. Invoice numbers (InvoiceService::nextNumber): "SK-2026-B014" is the technician's initials, the year, this
-- device's letter and its sequence. Each device numbers with its own letter, kept in sync_state under
-- 'invoice_device_letter': 'A' for the device that made the profile, a letter claimed from the server for a
-- restored one (server migration 007; InvoiceService::deviceLetter). Synced like every column (server
-- migration 006).
-- Invoices made before this version have none and keep showing "INV-" and their id's first digits.
ALTER TABLE invoices ADD COLUMN number TEXT;
