-- Idempotent bootstrap: runs at every EnsureSchemaAsync, under the migration's advisory lock.
-- The schema is created only when missing, so a role without CREATE on the database can still use an existing schema
-- (CREATE SCHEMA IF NOT EXISTS checks that privilege before it checks whether the schema exists).
DO $bootstrap$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = '$(SchemaName)') THEN
        CREATE SCHEMA $(Schema);
    END IF;
END
$bootstrap$;

CREATE TABLE IF NOT EXISTS $(SchemaVersion) (
    version integer NOT NULL,
    description varchar(200) NOT NULL,
    applied_at timestamptz NOT NULL,
    CONSTRAINT "$(Prefix)schema_version_pk" PRIMARY KEY (version)
);
