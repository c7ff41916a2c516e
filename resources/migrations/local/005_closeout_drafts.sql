-- Fieldbook local schema, version 5: close-out drafts (issue 5). A close-out the technician cancelled keeps what
-- was typed (duration, notes, decisions on the suggested attributes, hand-added ones, the follow-up choice) so the
-- next close-out of the ticket starts from it; finishing the close-out deletes it (core/services/draftservice.h).
--
-- Drafts are UI state, not domain data: they are written directly, never through the audited Store, so they have
-- no audit entry and no sync_outbox row and are never pushed. One draft per ticket, as JSON the wizard owns.
CREATE TABLE closeout_drafts (
    ticket_id   TEXT PRIMARY KEY CHECK (length(ticket_id) = 36) REFERENCES tickets(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    json        TEXT NOT NULL CHECK (json_valid(json) AND json_type(json) = 'object'),
    updated_at  TEXT NOT NULL
);
CREATE INDEX idx_closeout_drafts_user ON closeout_drafts(user_id);

-- Scoped to the technician as the other user-scoped tables (001, 004): a row can only be written by its own user
-- and never handed to another. Reads filter on current_user_id() in DraftService; the table is not in
-- scoping::scopedTables(), whose tables are audited entities with an id (integrity check, demo data).
CREATE TRIGGER closeout_drafts_scope_insert BEFORE INSERT ON closeout_drafts
WHEN NEW.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot insert a closeout_drafts row for another user');
END;
CREATE TRIGGER closeout_drafts_scope_update BEFORE UPDATE ON closeout_drafts
WHEN OLD.user_id IS NOT current_user_id() OR NEW.user_id IS NOT OLD.user_id
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot change a closeout_drafts row of another user');
END;
CREATE TRIGGER closeout_drafts_scope_delete BEFORE DELETE ON closeout_drafts
WHEN OLD.user_id IS NOT current_user_id()
BEGIN
    SELECT RAISE(ABORT, 'scoping: cannot delete a closeout_drafts row of another user');
END;
