-- RunEngine.Data, SQLite, version 0: the table recording applied schema versions.
-- Idempotent: EnsureSchemaAsync runs it every time, inside its IMMEDIATE transaction.
-- SQLite has no schemas: the tables live in the connection's main database, named with the configured prefix
-- ($(SchemaVersion) expands to the quoted, prefixed name, for example "re_schema_version").

CREATE TABLE IF NOT EXISTS $(SchemaVersion) (
    version     INTEGER NOT NULL PRIMARY KEY,
    description TEXT    NOT NULL CHECK (length(description) <= 200),
    applied_at  TEXT    NOT NULL
);
