-- Fieldbook central schema, version 3: a row may only point at rows of its own user, and nobody may call the
-- SECURITY DEFINER functions that nobody needs to call.
--
-- A foreign key is checked by the server past row-level security, so before this version technician B could
-- insert an address or an attribute pointing at technician A's contact: the key accepted it (which also told B
-- that A's id exists), and a planted attributes(contact_id = A's contact, key) made A's own later change of that
-- key collide with UNIQUE(contact_id, key) and be set aside. A BEFORE trigger on every table with a reference
-- now looks the referenced row up (as the definer, so past RLS) and refuses the write unless that row exists and
-- belongs to the same user. The message is the same whether the row is another user's or does not exist at
-- all, so the refusal tells nothing about other users' ids. SQLSTATE 23503 (foreign_key_violation): to a
-- client it is what it is, a reference that does not hold, a refusal of that one change's content.
--
-- Each table gets its own function with static SQL (plpgsql caches its plans); only references that an UPDATE
-- changes (or a change of user_id) are looked up again.

DO $do$
DECLARE
    spec record;
    checks text;
    ref text;
    parts text[];
BEGIN
    FOR spec IN SELECT * FROM (VALUES
        ('addresses', ARRAY['contact_id:contacts']),
        ('tickets', ARRAY['contact_id:contacts', 'address_id:addresses']),
        ('line_items', ARRAY['ticket_id:tickets', 'service_id:services']),
        ('invoices', ARRAY['contact_id:contacts', 'ticket_id:tickets']),
        ('notes', ARRAY['contact_id:contacts', 'ticket_id:tickets']),
        ('attributes', ARRAY['contact_id:contacts', 'source_note_id:notes']),
        ('scheduled_messages', ARRAY['contact_id:contacts'])) AS s(tbl, refs)
    LOOP
        checks := '';
        FOREACH ref IN ARRAY spec.refs LOOP
            parts := string_to_array(ref, ':');
            checks := checks || format($f$
    IF NEW.%1$I IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.%1$I IS DISTINCT FROM OLD.%1$I
                                 OR NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        SELECT p.user_id INTO owner FROM public.%2$I p WHERE p.id = NEW.%1$I;
        IF owner IS DISTINCT FROM NEW.user_id THEN
            RAISE EXCEPTION '%3$s.%1$s does not name a row of the same user in %2$s'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;$f$, parts[1], parts[2], spec.tbl);
        END LOOP;
        EXECUTE format($f$
CREATE FUNCTION %1$I() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $body$
DECLARE
    owner uuid;
BEGIN%2$s
    RETURN NEW;
END
$body$$f$, 'fieldbook_same_owner_' || spec.tbl, checks);
        EXECUTE format('REVOKE ALL ON FUNCTION %I() FROM PUBLIC', 'fieldbook_same_owner_' || spec.tbl);
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION %I()',
                       spec.tbl || '_same_owner', spec.tbl, 'fieldbook_same_owner_' || spec.tbl);
    END LOOP;
END
$do$;

-- Functions are executable by PUBLIC unless revoked. Trigger functions run as triggers whatever the caller's
-- rights, so nobody needs EXECUTE on them; fieldbook_user_id() and fieldbook_schema_version() were already
-- granted to technicians only.
REVOKE ALL ON FUNCTION fieldbook_record_change() FROM PUBLIC;
REVOKE ALL ON FUNCTION fieldbook_audit_append_only() FROM PUBLIC;
