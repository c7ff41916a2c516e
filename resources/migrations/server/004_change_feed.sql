-- Fieldbook central schema, version 4: the server captures every change itself, in an order a pull can
-- follow without skipping one; dispatchers (the office) read and write every technician's rows, audited as
-- themselves (issue 14).
--
-- The change feed (fieldbook_changes): one row per committed change to a technician's row (kind 'row',
-- written by a trigger on the table, whoever wrote it: the Fieldbook push, a dispatcher with psql, the seed's
-- Python services, a script) and one per audit entry (kind 'audit', written by a trigger on audit_log), each
-- with the owning technician, the id of the transaction that wrote it (xid8) and the Fieldbook device that
-- pushed it (origin; NULL when the change was made on the server).
--
-- Why a pull never skips a change: a sequence number is taken when a row is inserted, not when its
-- transaction commits, so "everything after the largest number I have seen" loses a change whose transaction
-- was still open when a later one committed. The feed is read in (xid, server_seq) order and only up to
-- pg_snapshot_xmin(pg_current_snapshot()): every transaction with a smaller id has finished, so no row can
-- ever appear below that boundary again, and a cursor (xid, server_seq) below it is final. A transaction
-- held open anywhere delays what pulls see (never loses it). (docs/two-way-sync.md, way 2.)
--
-- Server audit entries: a Fieldbook push writes its own (origin = its device id), in the same transaction;
-- every other writer (a dispatcher, psql, a script) gets one written by the trigger, in the seed's format,
-- with the author bound to the session's login (audit_log.author_login names the login in any case).
-- The documented convention of values in audit entries and row states, both directions: money as decimal text
-- dollars ("156.00", as the seed's Python writes it), times as ISO 8601 text with an offset (readers accept
-- any precision and compare at the millisecond), ids as uuid text, booleans and integers as JSON.

ALTER TABLE fieldbook_logins ADD COLUMN kind text NOT NULL DEFAULT 'technician'
    CHECK (kind IN ('technician', 'dispatcher'));

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldbook_dispatcher') THEN
        CREATE ROLE fieldbook_dispatcher NOLOGIN;
    END IF;
END
$$;

ALTER TABLE audit_log ADD COLUMN author_login name DEFAULT session_user;
ALTER TABLE audit_log ADD COLUMN origin text;

ALTER TABLE fieldbook_changes ALTER COLUMN audit_id DROP NOT NULL;
ALTER TABLE fieldbook_changes ADD COLUMN kind text NOT NULL DEFAULT 'audit' CHECK (kind IN ('row', 'audit'));
ALTER TABLE fieldbook_changes ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE fieldbook_changes ADD COLUMN origin text;
ALTER TABLE fieldbook_changes ADD COLUMN action text;
ALTER TABLE fieldbook_changes ALTER COLUMN kind DROP DEFAULT;
CREATE INDEX idx_fieldbook_changes_feed ON fieldbook_changes(user_id, xid, server_seq);

-- The entries recorded before version 4 were the Fieldbook push's own: their user is their owner.
UPDATE fieldbook_changes c SET origin = 'before-4', action = a.action FROM audit_log a WHERE a.id = c.audit_id;

-- Those entries were pushed in the laptop's own convention (money in cents, booleans 0/1, an attribute's value
-- as JSON text); the server's entries now follow one convention, which a restore reads back. They are put into
-- it once, here: the one rewrite of the append-only trail, which changes the form of values, not their meaning.
CREATE FUNCTION pg_temp.pre4_value(entity text, key text, v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN key IN ('default_price', 'unit_price', 'total_price', 'total_amount') AND jsonb_typeof(v) = 'number'
            THEN to_jsonb((((v #>> '{}')::numeric) / 100)::numeric(12, 2)::text)
        WHEN key = 'is_active' AND jsonb_typeof(v) = 'number' THEN to_jsonb((v #>> '{}')::numeric <> 0)
        WHEN entity = 'attribute' AND key = 'value' AND jsonb_typeof(v) = 'string' THEN (v #>> '{}')::jsonb
        ELSE v END
$$;
CREATE FUNCTION pg_temp.pre4_changes(entity text, c jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(k, CASE
        WHEN k IN ('created', 'deleted') AND jsonb_typeof(v) = 'object' THEN
            (SELECT coalesce(jsonb_object_agg(k2, pg_temp.pre4_value(entity, k2, v2)), '{}'::jsonb)
             FROM jsonb_each(v) AS r(k2, v2))
        WHEN jsonb_typeof(v) = 'object' AND v ? 'new' THEN
            jsonb_build_object('old', pg_temp.pre4_value(entity, k, v -> 'old'),
                               'new', pg_temp.pre4_value(entity, k, v -> 'new'))
        ELSE v END), '{}'::jsonb)
    FROM jsonb_each(c) AS e(k, v)
$$;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
UPDATE audit_log a SET changes = pg_temp.pre4_changes(a.entity_type, a.changes)
FROM fieldbook_changes c WHERE c.audit_id = a.id AND c.origin = 'before-4';
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;

-- The user a session acts as: the user its login is bound to (a technician or a dispatcher), else the one it
-- claims in app.current_user_id (a service such as the seed's Python code), else NULL.
CREATE FUNCTION fieldbook_session_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    bound uuid;
    claimed text := nullif(current_setting('app.current_user_id', true), '');
BEGIN
    SELECT l.user_id INTO bound FROM public.fieldbook_logins l WHERE l.login_role = session_user;
    IF bound IS NOT NULL THEN
        RETURN bound;
    END IF;
    IF claimed ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN claimed::uuid;
    END IF;
    RETURN NULL;
END
$$;

-- The kind of the session's login ('technician', 'dispatcher'), NULL for a login bound to no Fieldbook user.
CREATE FUNCTION fieldbook_session_kind() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT l.kind FROM public.fieldbook_logins l WHERE l.login_role = session_user
$$;
REVOKE ALL ON FUNCTION fieldbook_session_kind() FROM PUBLIC;

CREATE FUNCTION fieldbook_is_technician(who uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT EXISTS (SELECT 1 FROM public.fieldbook_logins WHERE user_id = who AND kind = 'technician')
$$;

-- A row or a set of changes in the documented convention: money columns as decimal text. Only the money keys
-- are looked at (a row without one, most of them, comes back as it is): rebuilding every row key by key cost
-- more than reading it, on every pull, restore page and captured change.
CREATE FUNCTION fieldbook_convention(j jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
    SELECT CASE WHEN NOT (j ?| '{default_price,unit_price,total_price,total_amount}'::text[]) THEN j
           ELSE j || (SELECT coalesce(jsonb_object_agg(k, to_jsonb(((j ->> k)::numeric(12, 2))::text)),
                                      '{}'::jsonb)
                      FROM unnest('{default_price,unit_price,total_price,total_amount}'::text[]) k
                      WHERE jsonb_typeof(j -> k) = 'number') END
$$;

-- The owner of an audited entity: the row's user_id, else (a hard-deleted row) the user_id in the entry.
CREATE FUNCTION fieldbook_entity_owner(entity_type text, entity_id uuid, changes jsonb, fallback uuid)
RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    owner uuid;
    tbl text := CASE entity_type
        WHEN 'contact' THEN 'contacts' WHEN 'address' THEN 'addresses' WHEN 'service' THEN 'services'
        WHEN 'ticket' THEN 'tickets' WHEN 'line_item' THEN 'line_items' WHEN 'invoice' THEN 'invoices'
        WHEN 'note' THEN 'notes' WHEN 'attribute' THEN 'attributes'
        WHEN 'scheduled_message' THEN 'scheduled_messages' END;
BEGIN
    IF tbl IS NOT NULL THEN
        EXECUTE format('SELECT user_id FROM public.%I WHERE id = $1', tbl) INTO owner USING entity_id;
    END IF;
    RETURN coalesce(owner, (changes -> 'deleted' ->> 'user_id')::uuid,
                    (changes -> 'created' ->> 'user_id')::uuid, fallback);
END
$$;

-- Every audit entry is a feed row of its entity's owner (a dispatcher's entry about a technician's job is that
-- technician's to pull).
CREATE OR REPLACE FUNCTION fieldbook_record_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
    -- A technician's own entry is filed under the technician (it may name anyone's id: it must not reach
    -- another technician's feed); the server's and the office's under the owner of the row they are about.
    INSERT INTO public.fieldbook_changes (audit_id, user_id, entity_type, entity_id, kind, origin, action)
    VALUES (NEW.id,
            CASE WHEN fieldbook_session_kind() = 'technician' THEN NEW.user_id
                 ELSE fieldbook_entity_owner(NEW.entity_type, NEW.entity_id, NEW.changes, NEW.user_id) END,
            NEW.entity_type, NEW.entity_id, 'audit', NEW.origin, NEW.action);
    RETURN NEW;
END
$$;

-- Where an entry came from is the server's to say: the login that wrote it, and a device id only when a
-- technician's Fieldbook push wrote it under that device's name.
CREATE FUNCTION fieldbook_audit_provenance() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
    NEW.author_login := session_user;
    IF NEW.origin IS NOT NULL AND (fieldbook_session_kind() IS DISTINCT FROM 'technician'
            OR NEW.origin IS DISTINCT FROM nullif(current_setting('app.fieldbook_device', true), '')) THEN
        NEW.origin := NULL;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_audit_provenance() FROM PUBLIC;
CREATE TRIGGER audit_log_provenance BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION fieldbook_audit_provenance();

-- The capture trigger of the data tables (TG_ARGV[0]: the entity type).
CREATE FUNCTION fieldbook_capture() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
DECLARE
    -- Only a technician's Fieldbook push audits itself; anyone else setting the name is audited anyway.
    device text := CASE WHEN fieldbook_session_kind() = 'technician'
                        THEN nullif(current_setting('app.fieldbook_device', true), '') END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    owner uuid := coalesce(new_row ->> 'user_id', old_row ->> 'user_id')::uuid;
    entity uuid := coalesce(new_row ->> 'id', old_row ->> 'id')::uuid;
    act text;
    changes jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        act := 'create';
        changes := jsonb_build_object('created', fieldbook_convention(new_row));
    ELSIF TG_OP = 'DELETE' THEN
        act := 'delete';
        changes := jsonb_build_object('deleted', fieldbook_convention(old_row));
    ELSE
        IF (new_row - 'updated_at') = (old_row - 'updated_at') THEN
            RETURN NULL; -- nothing changed but the time of the change: nothing to pull or audit
        END IF;
        IF old_row ->> 'deleted_at' IS NULL AND new_row ->> 'deleted_at' IS NOT NULL THEN
            act := 'delete';
            changes := jsonb_build_object('deleted', fieldbook_convention(old_row));
        ELSE
            act := 'update';
            SELECT jsonb_object_agg(n.key, jsonb_build_object(
                       'old', fieldbook_convention(jsonb_build_object(n.key, o.value)) -> n.key,
                       'new', fieldbook_convention(jsonb_build_object(n.key, n.value)) -> n.key))
            INTO changes
            FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o USING (key)
            WHERE n.key <> 'updated_at' AND n.value IS DISTINCT FROM o.value;
        END IF;
    END IF;

    INSERT INTO public.fieldbook_changes (user_id, entity_type, entity_id, kind, origin, action)
    VALUES (owner, TG_ARGV[0], entity, 'row', device, act);
    -- A row given to another technician leaves its old owner's laptop too (its state reads as gone there).
    IF TG_OP = 'UPDATE' AND (old_row ->> 'user_id') IS DISTINCT FROM (new_row ->> 'user_id') THEN
        INSERT INTO public.fieldbook_changes (user_id, entity_type, entity_id, kind, origin, action)
        VALUES ((old_row ->> 'user_id')::uuid, TG_ARGV[0], entity, 'row', device, 'delete');
    END IF;

    IF device IS NULL THEN
        INSERT INTO public.audit_log (user_id, entity_type, entity_id, action, changes, created_at)
        VALUES (coalesce(fieldbook_session_user_id(), owner), TG_ARGV[0], entity, act, changes, now());
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_capture() FROM PUBLIC;
REVOKE ALL ON FUNCTION fieldbook_entity_owner(text, uuid, jsonb, uuid) FROM PUBLIC;

DO $$
DECLARE
    t text;
    entity text;
BEGIN
    FOR t, entity IN VALUES ('contacts', 'contact'), ('addresses', 'address'), ('services', 'service'),
                            ('tickets', 'ticket'), ('line_items', 'line_item'), ('invoices', 'invoice'),
                            ('notes', 'note'), ('attributes', 'attribute'),
                            ('scheduled_messages', 'scheduled_message')
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
                       'EXECUTE FUNCTION fieldbook_capture(%L)', t || '_capture', t, entity);
    END LOOP;
END
$$;

-- The current state of rows of the synced tables, without the convention (no row: it no longer exists, or
-- the entity type has no table). One index look-up per row, in plain SQL: no dynamic statement to parse and
-- plan per row (a UNION ALL branch whose entity type differs is skipped by its one-time filter). No SET
-- clause, so that it is inlined into its callers (which set search_path; its tables are schema-qualified).
CREATE FUNCTION fieldbook_row_states(etype text, eid uuid) RETURNS SETOF jsonb
LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(t) FROM public.contacts t WHERE etype = 'contact' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.addresses t WHERE etype = 'address' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.services t WHERE etype = 'service' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.tickets t WHERE etype = 'ticket' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.line_items t WHERE etype = 'line_item' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.invoices t WHERE etype = 'invoice' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.notes t WHERE etype = 'note' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.attributes t WHERE etype = 'attribute' AND t.id = eid
    UNION ALL SELECT to_jsonb(t) FROM public.scheduled_messages t
              WHERE etype = 'scheduled_message' AND t.id = eid
$$;
REVOKE ALL ON FUNCTION fieldbook_row_states(text, uuid) FROM PUBLIC;

-- A row's current state for a pull, in the convention (NULL: the row no longer exists).
CREATE FUNCTION fieldbook_row_state(entity_type text, entity_id uuid, for_user uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
    -- A row that now belongs to another technician is gone for this one.
    SELECT fieldbook_convention(s) FROM fieldbook_row_states(entity_type, entity_id) s
    WHERE s ->> 'user_id' = for_user::text
$$;
REVOKE ALL ON FUNCTION fieldbook_row_state(text, uuid, uuid) FROM PUBLIC;

-- The pull: the calling technician's feed after (after_xid, after_seq), in order, up to max_rows, never past
-- the boundary of finished transactions. Rows pushed by `device` itself come back with only their position
-- (own = true) so the cursor moves past them. For a 'row' change, the row's current state on the last change
-- of that row in the page (JSON null: the row no longer exists; SQL NULL on the earlier changes); for an
-- 'audit' change, the entry with its author's name and kind.
-- A page costs one index range scan of the technician's feed in feed order (idx_fieldbook_changes_feed:
-- other technicians' changes are never read, and the LIMIT stops the scan; without enable_bitmapscan = off a
-- feed whose statistics are not yet gathered is read whole and sorted, for every page) and one index look-up
-- per state and per entry (correlated subqueries: no join plan can go wrong on estimates); the states are read
-- inline (fieldbook_row_states is plain SQL, inlined), not through one dynamic statement per row.
CREATE FUNCTION fieldbook_pull(for_user uuid, device text, after_xid xid8, after_seq bigint, max_rows int)
RETURNS TABLE (feed_xid xid8, feed_seq bigint, kind text, entity_type text, entity_id uuid, action text,
               own boolean, entry jsonb, state jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public SET timezone = 'UTC'
SET enable_bitmapscan = off AS $$
DECLARE
    me uuid;
    boundary xid8;
BEGIN
    PERFORM set_config('app.current_user_id', for_user::text, true);
    me := fieldbook_user_id(); -- the login must be bound to this technician
    boundary := pg_snapshot_xmin(pg_current_snapshot());
    RETURN QUERY
    WITH page AS MATERIALIZED (
        SELECT c.xid, c.server_seq, c.kind, c.entity_type, c.entity_id, c.action, c.audit_id,
               (device IS NOT NULL AND c.origin IS NOT DISTINCT FROM device) AS own
        FROM public.fieldbook_changes c
        WHERE c.user_id = me AND (c.xid, c.server_seq) > (after_xid, after_seq) AND c.xid < boundary
        ORDER BY c.user_id, c.xid, c.server_seq
        LIMIT max_rows
    ), last_change AS (
        SELECT DISTINCT ON (p.entity_type, p.entity_id) p.server_seq
        FROM page p WHERE p.kind = 'row' AND NOT p.own
        ORDER BY p.entity_type, p.entity_id, p.xid DESC, p.server_seq DESC
    )
    SELECT p.xid, p.server_seq, p.kind, p.entity_type, p.entity_id, p.action, p.own,
           CASE WHEN p.kind = 'audit' AND NOT p.own THEN (
               SELECT to_jsonb(a) || jsonb_build_object('author_name', u.name, 'author_kind',
                          coalesce((SELECT l.kind FROM public.fieldbook_logins l WHERE l.user_id = a.user_id
                                    ORDER BY l.kind LIMIT 1), 'service'))
               FROM public.audit_log a LEFT JOIN public.users u ON u.id = a.user_id
               WHERE a.id = p.audit_id) END,
           -- A row that now belongs to another technician reads as gone for this one.
           CASE WHEN p.server_seq IN (SELECT l.server_seq FROM last_change l) THEN coalesce(
               (SELECT fieldbook_convention(s) FROM fieldbook_row_states(p.entity_type, p.entity_id) s
                WHERE s ->> 'user_id' = me::text),
               'null'::jsonb) END
    FROM page p
    ORDER BY p.xid, p.server_seq;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_pull(uuid, text, xid8, bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_pull(uuid, text, xid8, bigint, int) TO fieldbook_technician;

-- Who a login is, for a new laptop signing in (fieldbook restore): the user the session's login is bound to.
CREATE FUNCTION fieldbook_whoami() RETURNS TABLE (id uuid, name text, email text, kind text, created_at text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
    SELECT u.id, u.name, u.email, l.kind, to_jsonb(u.created_at) #>> '{}' FROM public.fieldbook_logins l JOIN public.users u ON u.id = l.user_id
    WHERE l.login_role = session_user
$$;
REVOKE ALL ON FUNCTION fieldbook_whoami() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_whoami() TO fieldbook_technician, fieldbook_dispatcher;

-- A restore's audit trail: the calling technician's audit entries (whoever wrote them) in feed order, after
-- after_seq. Entries committed after the restore began come again with the pull that ends it (the local trail
-- keeps one of each).
CREATE FUNCTION fieldbook_audit_page(for_user uuid, after_seq bigint, max_rows int)
RETURNS TABLE (feed_seq bigint, entry jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public SET timezone = 'UTC' AS $$
DECLARE
    me uuid;
BEGIN
    PERFORM set_config('app.current_user_id', for_user::text, true);
    me := fieldbook_user_id();
    RETURN QUERY
    SELECT c.server_seq, to_jsonb(a) || jsonb_build_object('author_name', u.name, 'author_kind',
               coalesce((SELECT l.kind FROM public.fieldbook_logins l WHERE l.user_id = a.user_id
                         ORDER BY l.kind LIMIT 1), 'service'))
    FROM public.fieldbook_changes c
    JOIN public.audit_log a ON a.id = c.audit_id
    LEFT JOIN public.users u ON u.id = a.user_id
    WHERE c.user_id = me AND c.kind = 'audit' AND c.server_seq > after_seq
    ORDER BY c.server_seq
    LIMIT max_rows;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_audit_page(uuid, bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_audit_page(uuid, bigint, int) TO fieldbook_technician;
CREATE INDEX idx_fieldbook_changes_audit ON fieldbook_changes(user_id, server_seq) WHERE kind = 'audit';

-- Row-level security: the technicians' policies apply to technicians only (they call fieldbook_user_id(),
-- which refuses a session without an identity); a dispatcher's own policies let it see every row and write
-- rows that belong to a technician.
DO $$
DECLARE
    t text;
    soft boolean;
BEGIN
    FOR t, soft IN VALUES ('contacts', true), ('addresses', false), ('services', true), ('tickets', true),
                          ('line_items', true), ('invoices', true), ('notes', true), ('attributes', false),
                          ('scheduled_messages', false)
    LOOP
        EXECUTE format('ALTER POLICY %I ON %I TO fieldbook_technician', t || '_read', t);
        EXECUTE format('ALTER POLICY %I ON %I TO fieldbook_technician', t || '_insert', t);
        EXECUTE format('ALTER POLICY %I ON %I TO fieldbook_technician', t || '_update', t);
        IF NOT soft THEN
            EXECUTE format('ALTER POLICY %I ON %I TO fieldbook_technician', t || '_delete', t);
        END IF;
        EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO fieldbook_dispatcher USING (true) '
                       'WITH CHECK ((SELECT fieldbook_is_technician(user_id)))', t || '_dispatcher', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO fieldbook_dispatcher', t);
        IF NOT soft THEN
            EXECUTE format('GRANT DELETE ON %I TO fieldbook_dispatcher', t);
        END IF;
    END LOOP;
END
$$;

ALTER POLICY users_self ON users TO fieldbook_technician;
CREATE POLICY users_dispatcher ON users FOR SELECT TO fieldbook_dispatcher USING (true);
GRANT SELECT ON users TO fieldbook_dispatcher;

ALTER POLICY audit_log_read ON audit_log TO fieldbook_technician;
ALTER POLICY audit_log_write ON audit_log TO fieldbook_technician;
CREATE POLICY audit_log_dispatcher_read ON audit_log FOR SELECT TO fieldbook_dispatcher USING (true);
CREATE POLICY audit_log_dispatcher_write ON audit_log FOR INSERT TO fieldbook_dispatcher
    WITH CHECK (user_id = (SELECT fieldbook_session_user_id()));
GRANT SELECT, INSERT ON audit_log TO fieldbook_dispatcher;

ALTER POLICY fieldbook_changes_read ON fieldbook_changes TO fieldbook_technician;
CREATE POLICY fieldbook_changes_dispatcher ON fieldbook_changes FOR SELECT TO fieldbook_dispatcher USING (true);
GRANT SELECT ON fieldbook_changes TO fieldbook_dispatcher;

REVOKE ALL ON FUNCTION fieldbook_session_user_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION fieldbook_is_technician(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_session_user_id() TO fieldbook_dispatcher;
GRANT EXECUTE ON FUNCTION fieldbook_is_technician(uuid) TO fieldbook_dispatcher;
GRANT EXECUTE ON FUNCTION fieldbook_user_id() TO fieldbook_dispatcher;

-- The server's identity, for a laptop to notice a server that is not the one it synced with (re-created, or
-- another company's) or one restored from a backup (its transaction ids went back behind the laptop's feed
-- position): the pull stops and says so instead of applying anything (docs/sync-guarantees.md 10).
CREATE TABLE fieldbook_server (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO fieldbook_server DEFAULT VALUES;
REVOKE ALL ON fieldbook_server FROM PUBLIC;

CREATE FUNCTION fieldbook_server_check(expected uuid, feed_position xid8, feed_seq bigint)
RETURNS TABLE (server_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    SELECT s.id INTO server_id FROM public.fieldbook_server s;
    IF expected IS NOT NULL AND expected <> server_id THEN
        RAISE EXCEPTION 'fieldbook: this is not the server this device synced with' USING ERRCODE = 'FB001';
    END IF;
    -- Gone back in time: its transaction ids are behind the position, or (once it has caught up) the feed row
    -- at the position is not there any more. Feed rows are never removed.
    IF feed_position > pg_snapshot_xmax(pg_current_snapshot())
       OR (feed_seq > 0 AND NOT EXISTS (SELECT 1 FROM public.fieldbook_changes c
                                        WHERE c.xid = feed_position AND c.server_seq = feed_seq)) THEN
        RAISE EXCEPTION 'fieldbook: the server''s change feed is behind this device''s position'
            USING ERRCODE = 'FB002';
    END IF;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_server_check(uuid, xid8, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_server_check(uuid, xid8, bigint) TO fieldbook_technician;
