-- Fieldbook central schema, version 5: the push merges per field, never a silent overwrite (issue 14, item 4).
--
-- Before this version the push upserted the current state of every touched row, every column, ON CONFLICT DO
-- UPDATE: an office rename was reverted by a technician's unrelated edit, updated_at went backwards, a row
-- deleted at the office came back. Now a device sends only its audit entries (the change itself: a create's
-- row, an update's {field: {old, new}}, a delete) and fieldbook_push() applies them here, in order, with the
-- caller's rights (row-level security applies: a technician touches only its own rows):
--   * create: INSERT ... ON CONFLICT (id) DO NOTHING (a create that finds its row there applies nothing, no
--     conflict: it is a re-send).
--   * update, per field, compare-and-set at the precision both sides hold (timestamps to the millisecond,
--     money as numeric, JSON as jsonb, uuids case-insensitively): the server's value equals `new` -> nothing
--     to do; equals `old` -> set to `new`; otherwise both sides changed the field and the rule below decides,
--     and one fieldbook_conflicts row keeps both values (base = old, theirs = the server's, mine = new).
--   * an update of a row deleted on the server (deleted_at set, or gone) never brings it back: its fields are
--     not applied and each is recorded with outcome 'deleted'. Exception: a ticket whose work the technician
--     did (the pushed status, or else the server's, is in_progress or completed) keeps the work: the
--     technician's fields (clock times, actual duration, notes, closed_at, status) are applied to the row,
--     which stays deleted, and each is recorded with outcome 'kept'. A restore (deleted_at from a time to
--     null) of a row the technician saw deleted is the technician's explicit choice and applies.
--   * delete: soft delete (deleted_at set if still NULL, with the device's tombstone time) or DELETE for the
--     tables without soft delete. A delete wins over concurrent edits; re-sending one changes nothing.
--   * updated_at is bookkeeping, not a merged field: on every row an entry changed it becomes
--     greatest(updated_at, least(the device's updated_at of the row, now())): it never goes backwards, never into
--     the future, and equals the device's when nobody else touched the row (so a restore equals the
--     laptop). Order never depends on it (the feed orders changes).
--   * the audit entry is inserted with origin = app.fieldbook_device, ON CONFLICT (id) DO NOTHING. An entry
--     whose id is already in audit_log was applied by an earlier push whose acknowledgement was lost: it is
--     skipped as a whole, so a re-sent batch neither re-applies an old value over a newer office edit nor
--     records conflicts.
--
-- The rules when both sides changed the same field (also in README.md, "How the push merges"):
--   tickets.scheduled_at, scheduled_duration_minutes, contact_id, address_id  -> the office (server) wins:
--       when and for whom a job is booked is the office's call.
--   tickets.status -> a technician's in_progress or completed wins over the office's cancelled (a job
--       started or completed on site stays so); otherwise the office wins.
--   tickets.clock_in_at, clock_out_at, actual_duration_minutes, notes, closed_at -> the technician wins:
--       work done on site.
--   line_items, notes, invoices, attributes (every field) -> the technician wins: work done and billed.
--   contacts, addresses, services, scheduled_messages (every field) -> the later arrival (the push) wins.
--   any other tickets field -> the office wins.
--
-- Depends on version 4 only for audit_log.origin and audit_log.author_login (and its capture triggers skip
-- their own audit entries while app.fieldbook_device is set, which fieldbook_push() requires); the role
-- fieldbook_dispatcher is created here too when missing.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldbook_dispatcher') THEN
        CREATE ROLE fieldbook_dispatcher NOLOGIN;
    END IF;
END
$$;


-- Every time a pushed change met a different change on the server, both values, and what was kept.
CREATE TABLE fieldbook_conflicts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users(id),      -- the technician who owns the row
    entity_type text NOT NULL,
    entity_id uuid NOT NULL,
    field text NOT NULL,
    base jsonb,                                      -- the pushed old value (what the device started from)
    theirs jsonb,                                    -- the server's value when the push arrived
    mine jsonb,                                      -- the pushed new value
    outcome text NOT NULL CHECK (outcome IN ('theirs', 'mine', 'deleted', 'kept')),
    audit_id uuid NOT NULL,                          -- the pushed entry (the policy checks it, below)
    device text,                                     -- app.fieldbook_device of the push
    theirs_author text,                              -- who made the server's change, when the server knows
    detected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_fieldbook_conflicts_user ON fieldbook_conflicts(user_id, detected_at);
CREATE INDEX idx_fieldbook_conflicts_entity ON fieldbook_conflicts(entity_type, entity_id);
CREATE INDEX idx_fieldbook_conflicts_audit ON fieldbook_conflicts(audit_id);

-- A technician reads its own; the office (dispatchers) reads all. Writing: fieldbook_push() runs with the
-- caller's rights, so the technician holds INSERT, but the policy only admits a conflict that names an audit
-- entry of the technician written by the current transaction (xmin): a conflict row exists only beside the
-- pushed entry that met it (audit_log is append-only, so no foreign key is needed to keep the entry there). Nobody may change or delete one (no UPDATE/DELETE grant or policy).
ALTER TABLE fieldbook_conflicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE fieldbook_conflicts FORCE ROW LEVEL SECURITY;
CREATE POLICY fieldbook_conflicts_read ON fieldbook_conflicts FOR SELECT TO fieldbook_technician
    USING (user_id = (SELECT fieldbook_user_id()));
CREATE POLICY fieldbook_conflicts_push ON fieldbook_conflicts FOR INSERT TO fieldbook_technician
    WITH CHECK (user_id = (SELECT fieldbook_user_id())
                AND EXISTS (SELECT 1 FROM audit_log a
                            WHERE a.id = fieldbook_conflicts.audit_id AND a.xmin = xid(pg_current_xact_id())));
CREATE POLICY fieldbook_conflicts_office ON fieldbook_conflicts FOR SELECT TO fieldbook_dispatcher USING (true);
GRANT SELECT, INSERT ON fieldbook_conflicts TO fieldbook_technician;
GRANT SELECT ON fieldbook_conflicts TO fieldbook_dispatcher;

-- The table an audit entity type lives in (NULL: not a synced table, e.g. 'user': only the entry is kept).
CREATE FUNCTION fieldbook_entity_table(entity_type text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE entity_type
        WHEN 'contact' THEN 'contacts' WHEN 'address' THEN 'addresses' WHEN 'service' THEN 'services'
        WHEN 'ticket' THEN 'tickets' WHEN 'line_item' THEN 'line_items' WHEN 'invoice' THEN 'invoices'
        WHEN 'note' THEN 'notes' WHEN 'attribute' THEN 'attributes'
        WHEN 'scheduled_message' THEN 'scheduled_messages' END
$$;

-- Whether two values of a column of type `type` (jsonb as pushed or as to_jsonb() prints the row) are the same
-- at the precision both sides hold. JSON null and SQL NULL are both "no value".
CREATE FUNCTION fieldbook_same_value(type text, a jsonb, b jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN a IS NULL OR jsonb_typeof(a) = 'null' THEN b IS NULL OR jsonb_typeof(b) = 'null'
        WHEN b IS NULL OR jsonb_typeof(b) = 'null' THEN false
        WHEN type = 'timestamptz' THEN date_trunc('milliseconds', (a #>> '{}')::timestamptz)
                                       = date_trunc('milliseconds', (b #>> '{}')::timestamptz)
        WHEN type = 'numeric' THEN (a #>> '{}')::numeric = (b #>> '{}')::numeric
        WHEN type = 'uuid' THEN (a #>> '{}')::uuid = (b #>> '{}')::uuid
        WHEN type IN ('int4', 'int8', 'int2') THEN (a #>> '{}')::numeric = (b #>> '{}')::numeric
        WHEN type = 'bool' THEN (a #>> '{}')::boolean = (b #>> '{}')::boolean
        ELSE a = b
    END
$$;

-- A server value in the convention of the audit entries (README, "Audit entries on the server"): times as ISO
-- 8601 UTC text with milliseconds, money as decimal text, the rest as to_jsonb() prints it.
CREATE FUNCTION fieldbook_field_convention(type text, v jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN v IS NULL OR jsonb_typeof(v) = 'null' THEN 'null'::jsonb
        WHEN type = 'timestamptz' THEN to_jsonb(to_char((v #>> '{}')::timestamptz AT TIME ZONE 'UTC',
                                                        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
        WHEN type = 'numeric' THEN to_jsonb((v #>> '{}')::numeric(12, 2)::text)
        ELSE v
    END
$$;

-- Who wins when both sides changed `field` of a row of `tbl`: 'mine' (the push) or 'theirs' (the server).
CREATE FUNCTION fieldbook_field_rule(tbl text, field text, theirs jsonb, mine jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN tbl <> 'tickets' THEN 'mine'
        WHEN field IN ('clock_in_at', 'clock_out_at', 'actual_duration_minutes', 'notes', 'closed_at') THEN 'mine'
        WHEN field = 'status' AND theirs #>> '{}' = 'cancelled'
             AND mine #>> '{}' IN ('in_progress', 'completed') THEN 'mine'
        ELSE 'theirs'
    END
$$;

-- Who made the server's current value of `field` of an entity, as the server names them: the login that wrote
-- the latest entry about it that did not come from `device` ("Jane Office (jane)", or "alice (device ...)"
-- for another device of the technician). SECURITY DEFINER: the office's entries are the office's, not
-- readable by the technician; it answers only about a row of the caller (fieldbook_user_id()).
CREATE FUNCTION fieldbook_field_author(p_entity_type text, p_entity_id uuid, p_field text, p_device text)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    tbl text := public.fieldbook_entity_table(p_entity_type);
    owner uuid;
    who text;
BEGIN
    IF tbl IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT user_id FROM public.%I WHERE id = $1', tbl) INTO owner USING p_entity_id;
    IF owner IS NULL OR owner IS DISTINCT FROM public.fieldbook_user_id() THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(u.name || ' (' || a.author_login || ')', a.author_login::text, 'the server')
           || CASE WHEN a.origin IS NOT NULL THEN ' (device ' || a.origin || ')' ELSE '' END
      INTO who
      FROM public.audit_log a
      LEFT JOIN public.fieldbook_logins l ON l.login_role = a.author_login
      LEFT JOIN public.users u ON u.id = l.user_id
     WHERE a.entity_type = p_entity_type AND a.entity_id = p_entity_id
       AND a.origin IS DISTINCT FROM p_device
       AND (a.action <> 'update' OR a.changes ? p_field)
     ORDER BY a.created_at DESC
     LIMIT 1;
    RETURN who;
END
$$;

CREATE FUNCTION fieldbook_push(entries jsonb)
RETURNS TABLE (conflict_id uuid, audit_id uuid, entity_type text, entity_id uuid, field text, base jsonb,
               theirs jsonb, mine jsonb, outcome text, theirs_author text, detected_at timestamptz,
               row_deleted_at timestamptz)
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $fn$
#variable_conflict use_column
DECLARE
    me uuid := public.fieldbook_user_id(); -- fails first when the login may not act as the claimed user
    device text := nullif(current_setting('app.fieldbook_device', true), '');
    types jsonb;        -- {table: {column: type name}}
    applied uuid[];     -- entries an earlier push applied
    found jsonb := '[]'; -- the conflicts, recorded once the audit entries are in
    e jsonb;
    tbl text;
    eid uuid;
    ch jsonb;
    cur jsonb;
    f text;
    fv jsonb;
    typ text;
    srv jsonb;
    sets jsonb;
    cols text;
    is_gone boolean;
    is_deleted boolean;
    restoring boolean;
    keep_work boolean;
    rule text;
    stamp timestamptz;
    soft boolean;
BEGIN
    IF device IS NULL THEN
        RAISE EXCEPTION 'fieldbook: a push must set app.fieldbook_device in its transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF jsonb_typeof(entries) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'fieldbook_push expects a JSON array of audit entries' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    SELECT jsonb_object_agg(t.relname, t.cols) INTO types
      FROM (SELECT c.relname, jsonb_object_agg(a.attname, ty.typname) AS cols
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              JOIN pg_type ty ON ty.oid = a.atttypid
             WHERE c.relname IN ('contacts', 'addresses', 'services', 'tickets', 'line_items', 'invoices',
                                 'notes', 'attributes', 'scheduled_messages')
             GROUP BY c.relname) t;

    SELECT coalesce(array_agg(a.id), '{}') INTO applied
      FROM public.audit_log a
     WHERE a.id IN (SELECT (x ->> 'id')::uuid FROM jsonb_array_elements(entries) x);

    FOR e IN SELECT x FROM jsonb_array_elements(entries) WITH ORDINALITY AS t(x, n) ORDER BY n LOOP
        CONTINUE WHEN (e ->> 'id')::uuid = ANY (applied);
        tbl := public.fieldbook_entity_table(e ->> 'entity_type');
        CONTINUE WHEN tbl IS NULL; -- only its audit entry is kept
        eid := (e ->> 'entity_id')::uuid;
        ch := e -> 'changes';
        soft := types -> tbl ? 'deleted_at';

        IF e ->> 'action' = 'create' THEN
            SELECT string_agg(quote_ident(k), ', ') INTO cols
              FROM jsonb_object_keys(ch -> 'created') k WHERE types -> tbl ? k;
            EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM jsonb_populate_record(NULL::public.%I, $1) '
                           'ON CONFLICT (id) DO NOTHING', tbl, cols, cols, tbl)
                USING ch -> 'created';

        ELSIF e ->> 'action' = 'delete' THEN
            IF soft THEN
                stamp := coalesce((e ->> 'deleted_at')::timestamptz, (e ->> 'created_at')::timestamptz, now());
                EXECUTE format('UPDATE public.%I SET deleted_at = $2%s WHERE id = $1 AND deleted_at IS NULL', tbl,
                               CASE WHEN types -> tbl ? 'updated_at'
                                    THEN ', updated_at = greatest(updated_at, least($2, now()))' ELSE '' END)
                    USING eid, stamp;
            ELSE
                EXECUTE format('DELETE FROM public.%I WHERE id = $1', tbl) USING eid;
            END IF;

        ELSIF e ->> 'action' = 'update' THEN
            EXECUTE format('SELECT to_jsonb(t) FROM public.%I t WHERE id = $1 FOR UPDATE', tbl) INTO cur USING eid;
            is_gone := cur IS NULL;
            is_deleted := is_gone OR (soft AND cur ->> 'deleted_at' IS NOT NULL);
            -- A restore of a row the technician saw deleted: its explicit choice, applied first.
            restoring := is_deleted AND NOT is_gone AND ch -> 'deleted_at' ->> 'old' IS NOT NULL
                         AND ch -> 'deleted_at' ->> 'new' IS NULL;
            keep_work := is_deleted AND NOT is_gone AND NOT restoring AND tbl = 'tickets'
                         AND coalesce(ch -> 'status' ->> 'new', cur ->> 'status') IN ('in_progress', 'completed');
            sets := '{}';
            FOR f, fv IN SELECT key, value FROM jsonb_each(ch) LOOP
                CONTINUE WHEN NOT (types -> tbl ? f) OR f IN ('id', 'user_id', 'updated_at', 'created_at')
                              OR jsonb_typeof(fv) <> 'object' OR NOT (fv ? 'new');
                typ := types -> tbl ->> f;
                srv := cur -> f;
                IF restoring AND f = 'deleted_at' THEN
                    sets := sets || jsonb_build_object(f, fv -> 'new');
                ELSIF is_deleted AND NOT restoring THEN
                    IF keep_work AND f IN ('status', 'clock_in_at', 'clock_out_at', 'actual_duration_minutes',
                                           'notes', 'closed_at') THEN
                        sets := sets || jsonb_build_object(f, fv -> 'new');
                        rule := 'kept';
                    ELSE
                        rule := 'deleted';
                    END IF;
                    found := found || jsonb_build_object(
                        'audit_id', e ->> 'id', 'entity_type', e ->> 'entity_type', 'entity_id', eid,
                        'field', f, 'base', fv -> 'old', 'theirs', public.fieldbook_field_convention(typ, srv),
                        'mine', fv -> 'new', 'outcome', rule, 'deleted_at', cur -> 'deleted_at');
                ELSIF public.fieldbook_same_value(typ, srv, fv -> 'new') THEN
                    NULL; -- already so
                ELSIF public.fieldbook_same_value(typ, srv, fv -> 'old') THEN
                    sets := sets || jsonb_build_object(f, fv -> 'new');
                ELSE
                    rule := public.fieldbook_field_rule(tbl, f, srv, fv -> 'new');
                    IF rule = 'mine' THEN
                        sets := sets || jsonb_build_object(f, fv -> 'new');
                    END IF;
                    found := found || jsonb_build_object(
                        'audit_id', e ->> 'id', 'entity_type', e ->> 'entity_type', 'entity_id', eid,
                        'field', f, 'base', fv -> 'old', 'theirs', public.fieldbook_field_convention(typ, srv),
                        'mine', fv -> 'new', 'outcome', rule, 'deleted_at', NULL);
                END IF;
            END LOOP;
            IF sets <> '{}' THEN
                -- The device's updated_at of the row goes beside the entry (audit entries leave it out).
                IF types -> tbl ? 'updated_at' THEN
                    stamp := least(coalesce((e ->> 'updated_at')::timestamptz,
                                            (ch -> 'updated_at' ->> 'new')::timestamptz,
                                            (e ->> 'created_at')::timestamptz, now()), now());
                    sets := sets || jsonb_build_object(
                        'updated_at', greatest((cur ->> 'updated_at')::timestamptz, stamp));
                END IF;
                SELECT string_agg(format('%1$I = r.%1$I', k), ', ') INTO cols FROM jsonb_object_keys(sets) k;
                EXECUTE format('UPDATE public.%I t SET %s FROM jsonb_populate_record(NULL::public.%I, $1) r '
                               'WHERE t.id = $2', tbl, cols, tbl)
                    USING sets, eid;
            END IF;
        END IF;
    END LOOP;

    INSERT INTO public.audit_log (id, user_id, entity_type, entity_id, action, changes, created_at, origin)
    SELECT (x ->> 'id')::uuid, (x ->> 'user_id')::uuid, x ->> 'entity_type', (x ->> 'entity_id')::uuid,
           x ->> 'action', x -> 'changes', (x ->> 'created_at')::timestamptz, device
      FROM jsonb_array_elements(entries) WITH ORDINALITY AS t(x, n)
     WHERE NOT ((x ->> 'id')::uuid = ANY (applied))
     ORDER BY n
    ON CONFLICT (id) DO NOTHING;

    -- Entries applied by an earlier push whose acknowledgement was lost: the conflicts they met then, so the
    -- device stores them now (it keeps each once, by id).
    RETURN QUERY
    SELECT c.id, c.audit_id, c.entity_type, c.entity_id, c.field, c.base, c.theirs, c.mine, c.outcome,
           c.theirs_author, c.detected_at, NULL::timestamptz
      FROM public.fieldbook_conflicts c
     WHERE c.audit_id = ANY (applied);

    RETURN QUERY
    WITH recorded AS (
        INSERT INTO public.fieldbook_conflicts AS c (user_id, entity_type, entity_id, field, base, theirs, mine,
                                                     outcome, audit_id, device, theirs_author)
        SELECT me, x ->> 'entity_type', (x ->> 'entity_id')::uuid, x ->> 'field', x -> 'base', x -> 'theirs',
               x -> 'mine', x ->> 'outcome', (x ->> 'audit_id')::uuid, device,
               public.fieldbook_field_author(x ->> 'entity_type', (x ->> 'entity_id')::uuid, x ->> 'field',
                                             device)
          FROM jsonb_array_elements(found) x
        RETURNING c.*)
    SELECT r.id, r.audit_id, r.entity_type, r.entity_id, r.field, r.base, r.theirs, r.mine, r.outcome,
           r.theirs_author, r.detected_at,
           (SELECT (y ->> 'deleted_at')::timestamptz FROM jsonb_array_elements(found) y
             WHERE y ->> 'audit_id' = r.audit_id::text AND y ->> 'field' = r.field LIMIT 1)
      FROM recorded r;
END
$fn$;

REVOKE ALL ON FUNCTION fieldbook_push(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_push(jsonb) TO fieldbook_technician;
REVOKE ALL ON FUNCTION fieldbook_field_author(text, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_field_author(text, uuid, text, text) TO fieldbook_technician;
