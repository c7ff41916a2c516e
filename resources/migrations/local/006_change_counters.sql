-- Fieldbook local schema, version 6: change counters for the tables without an audit trail that screens show
-- (issue 13, core/events/changefeed.h). Entity changes are announced from the audit trail; these three tables
-- have none, and another connection's commit (the sync worker storing the model's suggestions) must reach the
-- screens that show them, and only those: a counter per table, bumped by triggers in the writing transaction,
-- tells the window exactly which of them another connection changed. WITHOUT ROWID, so SQLite's update hook
-- (which announces this connection's writes) does not report the counters themselves.
CREATE TABLE change_counters (
    table_name TEXT PRIMARY KEY,
    version    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO change_counters (table_name) VALUES ('attribute_suggestions'), ('extraction_requests'), ('closeout_drafts');
CREATE TRIGGER attribute_suggestions_count_insert AFTER INSERT ON attribute_suggestions
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'attribute_suggestions';
END;
CREATE TRIGGER attribute_suggestions_count_update AFTER UPDATE ON attribute_suggestions
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'attribute_suggestions';
END;
CREATE TRIGGER attribute_suggestions_count_delete AFTER DELETE ON attribute_suggestions
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'attribute_suggestions';
END;
CREATE TRIGGER extraction_requests_count_insert AFTER INSERT ON extraction_requests
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'extraction_requests';
END;
CREATE TRIGGER extraction_requests_count_update AFTER UPDATE ON extraction_requests
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'extraction_requests';
END;
CREATE TRIGGER extraction_requests_count_delete AFTER DELETE ON extraction_requests
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'extraction_requests';
END;
CREATE TRIGGER closeout_drafts_count_insert AFTER INSERT ON closeout_drafts
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'closeout_drafts';
END;
CREATE TRIGGER closeout_drafts_count_update AFTER UPDATE ON closeout_drafts
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'closeout_drafts';
END;
CREATE TRIGGER closeout_drafts_count_delete AFTER DELETE ON closeout_drafts
BEGIN
    UPDATE change_counters SET version = version + 1 WHERE table_name = 'closeout_drafts';
END;
