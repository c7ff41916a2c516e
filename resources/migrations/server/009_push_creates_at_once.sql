-- Fieldbook central schema, version 9: a push that only creates rows is applied without a walk of its entries
-- (issue 16).
--
-- fieldbook_push() (version 8) walked every entry of a batch in PL/pgSQL before it inserted anything: for each
-- create a statement of its own (through SPI) for the entry's column list, the call that names the entry's
-- table, casts and array appends. On a batch of 2,000 new rows that walk was about a sixth of the server's CPU
-- time for the batch, more than the statement that inserts the batch's audit entries does besides its
-- triggers. A batch whose entries still to apply are all creates (the usual case for a big push: new
-- customers, their addresses, jobs and line items) now has every entry's table and column list computed in one
-- statement, and fieldbook_push_creates() called once with them, as the walk would have called it after its
-- last entry. A batch with any other change still goes through the walk, unchanged.
--
-- What is applied is the same: the same rows into the same tables with the same columns, in the same order
-- (all the batch's creates are one run, as in the walk), ON CONFLICT (id) DO NOTHING, entries an earlier push
-- applied skipped, entity types without a table only audited, the same audit entries, no conflicts, with the
-- caller's rights (row-level security). Each entry is looked at in the walk's order (its audit id, its table,
-- its entity id, then its columns), so a malformed entry is refused with the same error as before.

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
    only_creates boolean; -- every entry still to apply is a create
    positions int[];      -- the entries (0-based) of one table and column list
    applied_ids text[];   -- applied, as text
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

    -- Whether every entry still to apply is a create (entries already applied, and those of an entity type
    -- without a table, are only audited, whatever their action). Nothing is cast here, so nothing is refused
    -- out of the walk's order: an id is taken as applied only when it is written as the server writes it (an
    -- entry written otherwise and not a create goes the walk's way, which is always right).
    applied_ids := applied::text[];
    SELECT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(entries) x
                        WHERE x ->> 'action' IS DISTINCT FROM 'create'
                          AND public.fieldbook_entity_table(x ->> 'entity_type') IS NOT NULL
                          AND (x ->> 'id' = ANY (applied_ids)) IS NOT TRUE)
      INTO only_creates;
    IF only_creates THEN
        -- The walk below would gather them all into one run of creates: the same INSERTs, without the walk.
        -- One statement finds each entry's table and column list (for each set of keys once) and groups the
        -- entries by them, in the walk's order; per entry it looks at what the walk looks at, in the same
        -- order (whether it was applied, its table, its entity id, its row's keys), so a malformed entry is
        -- refused as the walk refuses it. Then fieldbook_push_creates()'s statements, one per table and column
        -- list, parents first, rows in the order pushed, read straight from the entries by position.
        FOR tbl, cols, positions IN
            WITH e AS (
                SELECT (t.n - 1)::int AS i, b.tbl,
                       ARRAY(SELECT jsonb_object_keys(t.x -> 'changes' -> 'created')) AS keys
                  FROM jsonb_array_elements(entries) WITH ORDINALITY AS t(x, n)
                 CROSS JOIN LATERAL (SELECT public.fieldbook_entity_table(t.x ->> 'entity_type')) AS b(tbl)
                 WHERE CASE WHEN (t.x ->> 'id')::uuid = ANY (applied) THEN false
                            WHEN b.tbl IS NULL THEN false
                            -- an entity id that is no uuid is refused here, as in the walk
                            ELSE (t.x ->> 'entity_id')::uuid IS NOT DISTINCT FROM (t.x ->> 'entity_id')::uuid
                       END),
            k AS (SELECT e.tbl, e.keys, array_agg(e.i) AS pos FROM e GROUP BY e.tbl, e.keys)
            SELECT k.tbl, c.cols, array_agg(p.i ORDER BY p.i)
              FROM k
             CROSS JOIN LATERAL (SELECT string_agg(quote_ident(f), ', ' ORDER BY f) FROM unnest(k.keys) f
                                  WHERE types -> k.tbl ? f) AS c(cols)
             CROSS JOIN LATERAL unnest(k.pos) AS p(i)
             GROUP BY k.tbl, c.cols
             ORDER BY array_position(ARRAY['contacts', 'addresses', 'services', 'tickets', 'line_items', 'invoices',
                                           'notes', 'attributes', 'scheduled_messages'], k.tbl), c.cols
        LOOP
            EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM unnest($2) WITH ORDINALITY AS u(fb_i, fb_n), '
                           'jsonb_populate_record(NULL::public.%I, $1 -> u.fb_i -> ''changes'' -> ''created'') '
                           'ORDER BY u.fb_n ON CONFLICT (id) DO NOTHING', tbl, cols, cols, tbl)
                USING entries, positions;
        END LOOP;
    END IF;

    FOR e IN SELECT x FROM jsonb_array_elements(entries) WITH ORDINALITY AS t(x, n)
              WHERE NOT only_creates ORDER BY n LOOP
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
