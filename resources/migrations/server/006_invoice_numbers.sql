-- Fieldbook central schema, version 6: invoice numbers people can read aloud (issue 15, item 8), e.g.
-- "SK-2026-B014": the technician's initials, the year, the device's letter and its sequence, given by the device
-- that made the invoice (local migration 009; InvoiceService::nextNumber). Nullable with no default: invoices
-- made before this version, or written by services that do not number them (the seed's Python services insert
-- without it), have none, and their inserts work unchanged.
ALTER TABLE invoices ADD COLUMN number TEXT;
