-- Fieldbook local schema, version 14: a smaller file at a company's scale (issue 16: 100,000 customers).
-- Indexes only: no row changes. (Version 13 is another change's.)
--
-- From this version on, a new 'create' audit entry is stored without the row's columns that repeat the
-- entry's own (id, user_id, created_at, updated_at; core/audit/auditchanges.h). Entries already in the file
-- stay as they are. A build older than this version refuses a file of this version, so no build that would
-- read the lean form as it is ever opens one.
--
-- A file holds one technician's data (and the entries the pull brings of their jobs), so the (user_id,
-- created_at) indexes of version 12 hold the same user id in almost every entry: 37 bytes of each for
-- nothing. The same reads walk an index on created_at alone, newest first, and stop at their limit; they name
-- it (INDEXED BY), so the planner cannot take the (user_id, name) index of contacts and sort instead.

-- History's "your recent changes" (AuditLogger::userActivity).
DROP INDEX IF EXISTS idx_audit_log_user;
CREATE INDEX idx_audit_log_created ON audit_log(created_at);

-- The contacts list, newest first (ContactService::list).
DROP INDEX IF EXISTS idx_contacts_user_created;
CREATE INDEX idx_contacts_created ON contacts(created_at);

-- An entity's trail (AuditLogger::entityHistory, the office's cancellation, `fieldbook check`'s "every row
-- has its 'create' entry") is looked up by (entity_type, entity_id). Ids are random UUIDs, never shared by two
-- entities, so the id alone finds the same entries: without the type in every index entry.
DROP INDEX IF EXISTS idx_audit_log_entity;
CREATE INDEX idx_audit_log_entity_id ON audit_log(entity_id);
