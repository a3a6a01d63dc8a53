-- RunEngine.Data, SQLite, version 1: stories and their cards.
--
-- Column names and order are the library's table maps (Mapping/RunEngineTables.cs); a test compares them.
-- SQLite stores values, not declared types; the values are the ones Microsoft.Data.Sqlite binds:
--   ids         TEXT, the 36-character upper-case form of the Guid ("0196F3A2-7C4B-7D21-9E0F-1A2B3C4D5E6F").
--               Compare with upper-case literals when querying by hand. Ids are UUID version 7, ordered by time,
--               so a batch appends to the end of the primary-key index instead of splitting pages all over it.
--   timestamps  TEXT "yyyy-MM-dd HH:mm:ss.FFFFFFF+00:00". The library writes UTC only, so text order is time order.
--   status      INTEGER, the enum's stable value (StoryStatus, CardStatus).
-- SQLite ignores lengths in type names, so the 400-character title limit of the other providers is a CHECK.
-- metadata must be a JSON document, as PostgreSQL's jsonb enforces; the library validates rows before sending.

CREATE TABLE $(Stories) (
    id          TEXT    NOT NULL,
    run_id      TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT    NOT NULL CHECK (length(title) <= 400),
    body        TEXT    NULL,
    status      INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    metadata    TEXT    NULL CHECK (metadata IS NULL OR json_valid(metadata)),
    CONSTRAINT "$(Prefix)pk_stories" PRIMARY KEY (id),
    -- Also serves "stories of a run ordered by position".
    CONSTRAINT "$(Prefix)uq_stories_run_position" UNIQUE (run_id, position)
);

CREATE TABLE $(Cards) (
    id          TEXT    NOT NULL,
    run_id      TEXT    NOT NULL,
    story_id    TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT    NOT NULL CHECK (length(title) <= 400),
    description TEXT    NULL,
    status      INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    metadata    TEXT    NULL CHECK (metadata IS NULL OR json_valid(metadata)),
    CONSTRAINT "$(Prefix)pk_cards" PRIMARY KEY (id),
    -- Also serves "cards of a story ordered by position" and the foreign key's lookups when a story is deleted.
    CONSTRAINT "$(Prefix)uq_cards_story_position" UNIQUE (story_id, position),
    -- No cascade: deleting a run removes its cards first. Checked only on connections with PRAGMA foreign_keys=ON,
    -- which the library sets on every connection it opens.
    CONSTRAINT "$(Prefix)fk_cards_story" FOREIGN KEY (story_id) REFERENCES $(Stories) (id)
);

-- "Cards of a run" and deleting a run's cards.
CREATE INDEX "$(Prefix)ix_cards_run_id" ON $(Cards) (run_id);
