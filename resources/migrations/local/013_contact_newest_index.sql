-- The customers list and the customer pickers open on the newest customers (ContactService::list: ORDER BY
-- created_at DESC, rowid DESC LIMIT 100). Without an index in that order SQLite read every live customer and
-- sorted them, on the GUI thread after every change: about 0.1 s at 100,000 customers, growing with them. With
-- it the list is a walk of 100 index entries, the same at 30 customers or 100,000 (issue 16).
-- IF NOT EXISTS: another change of issue 16 may make the same index under another number.
CREATE INDEX IF NOT EXISTS idx_contacts_user_created ON contacts(user_id, created_at) WHERE deleted_at IS NULL;
