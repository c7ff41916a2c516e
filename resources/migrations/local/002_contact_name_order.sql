-- Contact search in name order (ContactService::search): the current user's live contacts in the order the
-- search lists them (name, case-insensitive), so a common term walks this index and stops after one page of
-- matches instead of sorting every match (8,000 matches of "gmail" in 100,000 contacts took 250 ms).
DROP INDEX idx_contacts_user_name;
CREATE INDEX idx_contacts_user_name ON contacts(user_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;
