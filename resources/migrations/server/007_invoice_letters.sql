-- Fieldbook central schema, version 7: each device of a technician numbers invoices with a letter no other device
-- of that technician has (issue 15, item 8). "SK-2026-B014" is the technician's initials, the year, the
-- device's letter and its sequence (server migration 006, local 009). The device that made the technician's
-- profile numbers with 'A' (no other device can exist before it first synced: a second device is a restore
-- of what it pushed). Every restored device claims its letter here, during the restore, among the letters
-- it offers ('A' is not among them): the primary key makes two restores that run at once take different
-- letters, and a device that asks again (a resumed restore) gets the letter it has.
CREATE TABLE fieldbook_invoice_letters (
    user_id UUID NOT NULL REFERENCES users(id),
    letter TEXT NOT NULL CHECK (letter ~ '^[A-Z]$'),
    device TEXT NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, letter),
    UNIQUE (user_id, device)
);
-- Only the function below reads or writes it; the seed's services never see it.
REVOKE ALL ON fieldbook_invoice_letters FROM PUBLIC;

-- The letter of the caller's device: the one it claimed before, else the first of `candidates` that no device
-- of the caller claimed and no invoice of the caller's already uses (numbers given by devices of version 6,
-- which picked their letters themselves; deleted invoices count). NULL when every candidate is taken: the
-- device then shares a letter rather than not number. Identity is fieldbook_user_id(): a technician claims
-- only for itself.
CREATE FUNCTION fieldbook_claim_invoice_letter(claiming_device text, candidates text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me uuid := fieldbook_user_id();
    mine text;
    candidate text;
BEGIN
    IF claiming_device IS NULL OR claiming_device = '' THEN
        RAISE EXCEPTION 'fieldbook: an invoice letter needs the device''s id' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT l.letter INTO mine FROM public.fieldbook_invoice_letters l WHERE l.user_id = me AND l.device = $1;
    IF mine IS NOT NULL THEN
        RETURN mine;
    END IF;
    FOREACH candidate IN ARRAY regexp_split_to_array(coalesce(candidates, ''), '') LOOP
        CONTINUE WHEN candidate !~ '^[A-Z]$';
        CONTINUE WHEN EXISTS (SELECT 1 FROM public.invoices i WHERE i.user_id = me
                              AND i.number ~ ('-' || candidate || '[0-9]+$'));
        INSERT INTO public.fieldbook_invoice_letters (user_id, letter, device) VALUES (me, candidate, $1)
            ON CONFLICT DO NOTHING;
        IF FOUND THEN
            RETURN candidate;
        END IF;
        -- Taken meanwhile by another device, or this device's own claim committed by a concurrent call.
        SELECT l.letter INTO mine FROM public.fieldbook_invoice_letters l WHERE l.user_id = me AND l.device = $1;
        IF mine IS NOT NULL THEN
            RETURN mine;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION fieldbook_claim_invoice_letter(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_claim_invoice_letter(text, text) TO fieldbook_technician;
