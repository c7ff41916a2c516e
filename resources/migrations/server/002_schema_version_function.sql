-- Fieldbook central schema, version 2: a technician's login may ask which schema version the server has, so
-- the app's "Test connection" can say it (and, later, refuse a server too old for it). Through a function
-- rather than a grant on fieldbook_schema_version: every table a technician can touch has forced row-level
-- security, and this one needs none; the function reveals one number and nothing else.
CREATE FUNCTION fieldbook_schema_version() RETURNS int
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT coalesce(max(version), 0) FROM public.fieldbook_schema_version
$$;
REVOKE ALL ON FUNCTION fieldbook_schema_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION fieldbook_schema_version() TO fieldbook_technician;
