-- The least-privilege PostgreSQL role of the CDC outbox source (cdc-outbox-source/README.md,
-- "Security"). Run it once per database, after service-kit's V1__outbox.sql, as the owner of the
-- outbox table (or a role with CREATEROLE that may grant on it):
--
--   psql -d shop -f cdc_role.sql
--   psql -d shop -c '\password edapipeline_cdc'      -- the password never goes into a file
--
-- What the CDC service does, and what it needs for it:
--   * logs in and opens a logical replication connection (pgoutput)   -> LOGIN, REPLICATION
--   * creates its replication slot at first start                     -> REPLICATION
--   * streams the publication edapipeline_outbox, which V1__outbox.sql
--     created as the table owner (publication.autocreate.mode=disabled) -> nothing more
--   * reads the outbox table's columns (schema) and, with a snapshot
--     mode other than no_data, its rows                                -> SELECT on outbox
--   * heartbeats with pg_logical_emit_message (a logical message)      -> REPLICATION
-- Nothing else: no superuser, no CREATE on the database or schema, no other table.
-- Note: what a replication role streams is limited by the publication's table list, not by SELECT
-- grants; keep the publication to the outbox table only.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'edapipeline_cdc') THEN
    CREATE ROLE edapipeline_cdc;
  END IF;
END
$$;

ALTER ROLE edapipeline_cdc WITH LOGIN REPLICATION
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;

GRANT SELECT ON TABLE public.outbox TO edapipeline_cdc;
