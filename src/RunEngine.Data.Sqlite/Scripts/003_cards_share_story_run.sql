-- RunEngine.Data, SQLite, version 3: a card and its story share a run, enforced by the database.
--
-- The cards' foreign key becomes composite, (run_id, story_id) -> stories (run_id, id), so a card can no longer name a
-- story of another run (before, such a card was missing from its run's reads and blocked the deletion of the story's
-- run). The composite key needs a unique index on stories (run_id, id); it is also the key shape a run-distributed
-- database needs. The cards' natural key becomes (run_id, story_id, position): it serves the foreign key's look-up when
-- stories are deleted (it leads with (run_id, story_id)) and a run's deletes and reads (it leads with run_id), so the
-- index on cards (run_id) alone goes. (story_id, position) was already unique and run_id follows from story_id, so the
-- wider key accepts and rejects exactly the same cards.
--
-- SQLite cannot change a table's constraints, so the cards table is rebuilt: created under a new name with the new
-- constraints, filled from the old one, the old one dropped, the new one renamed (its unique constraints' automatic
-- indexes are renamed with it). Columns and their order stay the table map's (Mapping/RunEngineTables.cs). Nothing
-- references cards, so foreign keys stay on; the copy checks the new foreign key for every card, and a card whose
-- run_id differs from its story's fails it ("FOREIGN KEY constraint failed"). EnsureSchemaAsync counts such cards
-- first and stops with a clear message; by hand, run the check query of docs/schema.md before this script.
-- The migration's IMMEDIATE transaction holds SQLite's write lock for the copy; readers in WAL mode are not blocked.

CREATE UNIQUE INDEX "$(Prefix)uq_stories_run_id_id" ON $(Stories) (run_id, id);

CREATE TABLE "$(Prefix)cards_v3" (
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
    -- Also serves "cards of a run (of a story) ordered by position", deleting a run's cards, and the foreign key's
    -- look-ups when a story is deleted.
    CONSTRAINT "$(Prefix)uq_cards_run_story_position" UNIQUE (run_id, story_id, position),
    -- No cascade: deleting a run removes its cards first. Checked only on connections with PRAGMA foreign_keys=ON,
    -- which the library sets on every connection it opens.
    CONSTRAINT "$(Prefix)fk_cards_run_story" FOREIGN KEY (run_id, story_id) REFERENCES $(Stories) (run_id, id)
);

INSERT INTO "$(Prefix)cards_v3" (id, run_id, story_id, position, title, description, status, version, created_at, updated_at, metadata)
SELECT id, run_id, story_id, position, title, description, status, version, created_at, updated_at, metadata
FROM $(Cards) ORDER BY rowid;

-- Drops the old table's indexes with it, (run_id) among them.
DROP TABLE $(Cards);

ALTER TABLE "$(Prefix)cards_v3" RENAME TO "$(Prefix)cards";
