-- Fieldbook central schema, version 8: the push inserts the rows it creates a table at a time (issue 16).
--
-- fieldbook_push() (version 5) applied each created row with a statement of its own, built as text and planned
-- for that one row, and each statement asked fieldbook_user_id() again for its row-level security check: a push
-- of 10,000 new rows cost about 2.5 times a COPY of the same rows. Now the creates between two other changes
-- (all of a push that only adds work, usually) are gathered and inserted with one statement per table and set of
-- columns, in foreign-key order, parents first (fieldbook_push_creates). What is applied is the same, and in the
-- same transaction: ON CONFLICT (id) DO NOTHING for each row, the columns each create names, the table's
-- defaults for the rest, the same triggers per row. An update or delete is applied in its place in the order,
-- after every create before it; a create never waits past a later change of its own row. Only the order of the
-- created rows within such a run changes (by table, then as pushed), which nothing reads: the feed orders
-- changes per transaction by commit, and parents still come before their children.

-- Inserts created rows: rows[i] into table tables[i], naming the columns cols[i] (a comma-separated list of
-- quoted identifiers). One INSERT per table and column list, tables in foreign-key order. Runs with the
-- caller's rights (row-level security applies, once per statement).
CREATE FUNCTION fieldbook_push_creates(tables text[], cols text[], rows_ jsonb[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    t text;
    c text;
BEGIN
    FOR t, c IN
        SELECT g.t, g.c FROM (SELECT DISTINCT u.t, u.c FROM unnest(tables, cols) AS u(t, c)) g
         ORDER BY array_position(ARRAY['contacts', 'addresses', 'services', 'tickets', 'line_items', 'invoices',
                                       'notes', 'attributes', 'scheduled_messages'], g.t), g.c
    LOOP
        EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM unnest($1, $2, $3) WITH ORDINALITY '
                       'AS u(fb_table, fb_cols, fb_row, fb_n), jsonb_populate_record(NULL::public.%I, u.fb_row) '
                       'WHERE u.fb_table = $4 AND u.fb_cols = $5 ORDER BY u.fb_n ON CONFLICT (id) DO NOTHING',
                       t, c, c, t)
            USING tables, cols, rows_, t, c;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_push_creates(text[], text[], jsonb[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_push_creates(text[], text[], jsonb[]) TO fieldbook_technician;

CREATE OR REPLACE FUNCTION fieldbook_push(entries jsonb)
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
    -- The creates since the last other change, applied together (fieldbook_push_creates).
    seg_tables text[] := '{}';
    seg_cols text[] := '{}';
    seg_rows jsonb[] := '{}';
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
            SELECT string_agg(quote_ident(k), ', ' ORDER BY k) INTO cols
              FROM jsonb_object_keys(ch -> 'created') k WHERE types -> tbl ? k;
            seg_tables := array_append(seg_tables, tbl);
            seg_cols := array_append(seg_cols, cols);
            seg_rows := array_append(seg_rows, ch -> 'created');
            CONTINUE;
        END IF;
        -- Any other change comes after the creates before it (it may be about one of their rows).
        IF cardinality(seg_rows) > 0 THEN
            PERFORM public.fieldbook_push_creates(seg_tables, seg_cols, seg_rows);
            seg_tables := '{}';
            seg_cols := '{}';
            seg_rows := '{}';
        END IF;

        IF e ->> 'action' = 'delete' THEN
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
    IF cardinality(seg_rows) > 0 THEN
        PERFORM public.fieldbook_push_creates(seg_tables, seg_cols, seg_rows);
    END IF;

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
