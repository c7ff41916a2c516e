-- Fieldbook central schema, version 1 (PostgreSQL 15). Applied by `fieldbook server-init` as an administrative
-- role, in one transaction, recorded in fieldbook_schema_version.
--
-- The seed's ten tables exactly (phase3-core-domain.md: names, columns, types, constraints, indexes) on a users
-- table, with row-level security that keeps the seed's meaning but works (docs/postgres-rls.md):
--   * identity comes from fieldbook_user_id(): the transaction-local app.current_user_id, checked against the
--     binding of the session's login role (fieldbook_logins). Unset -> an explicit error, never a uuid cast error
--     or an empty result; set to another user's id -> an error. A client cannot act as anyone else.
--   * policies are per command, so a soft delete (UPDATE ... SET deleted_at) passes WITH CHECK: reads see only
--     live rows, writes only need the row to be the user's. The sync push sets app.include_deleted for its own
--     transaction so it can re-upsert its own soft-deleted rows (ON CONFLICT DO UPDATE must see the row);
--     that only ever reveals the user's own rows.
--   * FORCE ROW LEVEL SECURITY: the owner is not exempt; clients log in as non-owner, non-superuser roles that
--     are members of fieldbook_technician.

CREATE EXTENSION IF NOT EXISTS pgcrypto; -- gen_random_uuid() is core in 15; kept for older servers' defaults

CREATE TABLE fieldbook_schema_version (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fieldbook_technician') THEN
        CREATE ROLE fieldbook_technician NOLOGIN;
    END IF;
END
$$;

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Which login role acts as which user. Only the administrative role and fieldbook_user_id() read it.
CREATE TABLE fieldbook_logins (
    login_role NAME PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id)
);

CREATE FUNCTION fieldbook_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    claimed text := nullif(current_setting('app.current_user_id', true), '');
    bound uuid;
BEGIN
    IF claimed IS NULL THEN
        RAISE EXCEPTION 'fieldbook: no user identity: set app.current_user_id in this transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT l.user_id INTO bound FROM public.fieldbook_logins l WHERE l.login_role = session_user;
    IF bound IS NULL THEN
        RAISE EXCEPTION 'fieldbook: login role % is not bound to a Fieldbook user', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF claimed <> bound::text THEN
        RAISE EXCEPTION 'fieldbook: login role % cannot act as user %', session_user, claimed
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN bound;
END
$$;

CREATE FUNCTION fieldbook_include_deleted() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('app.include_deleted', true), '') = 'on' $$;

-- Contacts (customers) [RLS: user_id + soft delete]
CREATE TABLE contacts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    notes TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

-- Addresses (service locations) [RLS: user_id only, no soft delete]
CREATE TABLE addresses (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    contact_id UUID NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    label TEXT,
    street TEXT NOT NULL,
    city TEXT NOT NULL,
    state TEXT NOT NULL,
    zip TEXT NOT NULL,
    notes TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Services (catalog items) [RLS: user_id + soft delete]
CREATE TABLE services (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    description TEXT,
    pricing_type TEXT NOT NULL,
    default_price DECIMAL(10,2),
    unit_price DECIMAL(10,2),
    unit_label TEXT,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

-- Tickets (appointments/jobs) [RLS: user_id + soft delete]
CREATE TABLE tickets (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    contact_id UUID NOT NULL REFERENCES contacts(id),
    address_id UUID NOT NULL REFERENCES addresses(id),
    status TEXT NOT NULL DEFAULT 'scheduled',
    scheduled_at TIMESTAMPTZ NOT NULL,
    scheduled_duration_minutes INT,
    clock_in_at TIMESTAMPTZ,
    clock_out_at TIMESTAMPTZ,
    actual_duration_minutes INT,
    notes TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ
);

-- Line items (services on a ticket) [RLS: user_id + soft delete]
CREATE TABLE line_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    ticket_id UUID NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    service_id UUID NOT NULL REFERENCES services(id),
    description TEXT,
    quantity INT DEFAULT 1,
    unit_price DECIMAL(10,2),
    total_price DECIMAL(10,2) NOT NULL,
    duration_minutes INT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

-- Invoices [RLS: user_id + soft delete]
CREATE TABLE invoices (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    contact_id UUID NOT NULL REFERENCES contacts(id),
    ticket_id UUID REFERENCES tickets(id),
    status TEXT NOT NULL DEFAULT 'draft',
    total_amount DECIMAL(10,2) NOT NULL,
    sent_at TIMESTAMPTZ,
    paid_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ
);

-- Notes (attached to contacts or tickets) [RLS: user_id + soft delete]
CREATE TABLE notes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    contact_id UUID REFERENCES contacts(id),
    ticket_id UUID REFERENCES tickets(id),
    content TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    CONSTRAINT notes_has_parent CHECK (contact_id IS NOT NULL OR ticket_id IS NOT NULL)
);

-- Attributes (structured data from notes) [RLS: user_id only]
CREATE TABLE attributes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    contact_id UUID NOT NULL REFERENCES contacts(id),
    key TEXT NOT NULL,
    value JSONB NOT NULL,
    source_note_id UUID REFERENCES notes(id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE(contact_id, key)
);

-- Audit log (append-only). The seed leaves it without RLS ("admin-accessible"); technicians connect directly
-- here, so they may insert and read only their own entries, and nobody may change or delete one.
CREATE TABLE audit_log (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id UUID NOT NULL,
    action TEXT NOT NULL,
    changes JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_log_entity ON audit_log(entity_type, entity_id);
CREATE INDEX idx_audit_log_user ON audit_log(user_id);

-- Scheduled messages [RLS: user_id only]
CREATE TABLE scheduled_messages (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    contact_id UUID NOT NULL REFERENCES contacts(id),
    template_name TEXT,
    custom_content TEXT,
    scheduled_for TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    sent_at TIMESTAMPTZ,
    error_message TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE FUNCTION fieldbook_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION fieldbook_audit_append_only();

-- The order in which the server received changes, for a pull to follow with a cursor (sync-guarantees.md 7, 8):
-- one row per audit entry, numbered on arrival, never by a device clock.
CREATE TABLE fieldbook_changes (
    server_seq BIGSERIAL PRIMARY KEY,
    audit_id UUID NOT NULL UNIQUE REFERENCES audit_log(id),
    user_id UUID NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id UUID NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_fieldbook_changes_user ON fieldbook_changes(user_id, server_seq);
CREATE FUNCTION fieldbook_record_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO public.fieldbook_changes (audit_id, user_id, entity_type, entity_id)
    VALUES (NEW.id, NEW.user_id, NEW.entity_type, NEW.entity_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_record_change AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION fieldbook_record_change();

-- Row-level security.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users FOR SELECT USING (id = (SELECT fieldbook_user_id()));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (user_id = (SELECT fieldbook_user_id()));
CREATE POLICY audit_log_write ON audit_log FOR INSERT WITH CHECK (user_id = (SELECT fieldbook_user_id()));

ALTER TABLE fieldbook_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE fieldbook_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY fieldbook_changes_read ON fieldbook_changes FOR SELECT USING (user_id = (SELECT fieldbook_user_id()));

DO $$
DECLARE
    t text;
    soft boolean;
BEGIN
    FOR t, soft IN VALUES ('contacts', true), ('addresses', false), ('services', true), ('tickets', true),
                          ('line_items', true), ('invoices', true), ('notes', true), ('attributes', false),
                          ('scheduled_messages', false)
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        IF soft THEN
            EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (user_id = (SELECT fieldbook_user_id()) '
                           'AND (deleted_at IS NULL OR (SELECT fieldbook_include_deleted())))', t || '_read', t);
        ELSE
            EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (user_id = (SELECT fieldbook_user_id()))',
                           t || '_read', t);
        END IF;
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (user_id = (SELECT fieldbook_user_id()))',
                       t || '_insert', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (user_id = (SELECT fieldbook_user_id())) '
                       'WITH CHECK (user_id = (SELECT fieldbook_user_id()))', t || '_update', t);
        IF NOT soft THEN
            EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (user_id = (SELECT fieldbook_user_id()))',
                           t || '_delete', t);
        END IF;
        EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO fieldbook_technician', t);
        IF NOT soft THEN
            EXECUTE format('GRANT DELETE ON %I TO fieldbook_technician', t);
        END IF;
    END LOOP;
END
$$;

GRANT SELECT ON users TO fieldbook_technician;
GRANT SELECT, INSERT ON audit_log TO fieldbook_technician;
GRANT SELECT ON fieldbook_changes TO fieldbook_technician;
REVOKE ALL ON fieldbook_logins FROM PUBLIC;
REVOKE ALL ON FUNCTION fieldbook_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_user_id() TO fieldbook_technician;
