-- RunEngine.Data distributed layout (PostgreSqlOptions.Distribution = Citus), step 1 of 2: keys that carry the run.
-- Not a numbered version: it runs at every EnsureSchemaAsync in Citus mode, after the versioned scripts, in the same
-- transaction and under the same advisory lock, and changes only what is not yet run-keyed (a second run changes
-- nothing). A process with Distribution = None never runs it, so a single-server schema keeps its (id) keys.
--
-- Citus distributes a table by one column and refuses a PRIMARY KEY or UNIQUE constraint that does not include it
-- ("Distributed relations cannot have UNIQUE, EXCLUDE, or PRIMARY KEY constraints that do not include the partition
-- column"); a foreign key between two distributed tables must be between colocated tables and include the
-- distribution column on both sides. So, per table:
--   stories: primary key (id) -> (run_id, id). Version 3's unique (run_id, id) becomes that primary key (it is dropped
--            and the key rebuilt as the primary key: one index build); the cards' foreign key references it, so it
--            is dropped first and added again afterwards, unchanged: (run_id, story_id) -> stories (run_id, id).
--   cards:   primary key (id) -> (run_id, id); unique (run_id, story_id, position) stays (it backs the foreign key).
--   run log: primary key (id) -> (run_id, id).
-- Each table also gets a plain, non-unique index on (id): the id-only forms (GetAsync(id), UpdateStatusAsync(id, ...))
-- find a row by id alone, which on Citus asks every shard, and each shard answers from this index.
-- The constraint names stay (<prefix>stories_pk, ...), so key violations are reported as before: a duplicate id is
-- now a duplicate (run_id, id) — ids are unique per run, which client-generated time-ordered ids make equivalent.
--
-- Locks (held until the migration commits): ACCESS EXCLUSIVE on cards, then stories, then the run log (readers and
-- writers wait) while the old keys are dropped and the new ones built; the cost is one index build per new key and
-- per (id) index, and one pass over the cards to validate the re-added foreign key.

DO $run_keys$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = '$(Stories)'::regclass AND c.contype = 'p' AND a.attname = 'run_id') THEN
        ALTER TABLE $(Cards) DROP CONSTRAINT IF EXISTS "$(Prefix)cards_run_story_fk";
        ALTER TABLE $(Stories)
            DROP CONSTRAINT IF EXISTS "$(Prefix)stories_run_id_uq",
            DROP CONSTRAINT "$(Prefix)stories_pk",
            ADD CONSTRAINT "$(Prefix)stories_pk" PRIMARY KEY (run_id, id);
        CREATE INDEX "$(Prefix)stories_id_ix" ON $(Stories) (id);
    END IF;

    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = '$(Cards)'::regclass AND c.contype = 'p' AND a.attname = 'run_id') THEN
        ALTER TABLE $(Cards)
            DROP CONSTRAINT "$(Prefix)cards_pk",
            ADD CONSTRAINT "$(Prefix)cards_pk" PRIMARY KEY (run_id, id);
        CREATE INDEX "$(Prefix)cards_id_ix" ON $(Cards) (id);
    END IF;

    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint
        WHERE conrelid = '$(Cards)'::regclass AND contype = 'f' AND conname = '$(Prefix)cards_run_story_fk') THEN
        -- No cascade, as in version 3: deleting a run removes its cards first.
        ALTER TABLE $(Cards)
            ADD CONSTRAINT "$(Prefix)cards_run_story_fk" FOREIGN KEY (run_id, story_id) REFERENCES $(Stories) (run_id, id);
    END IF;

    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_constraint c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = '$(RunLog)'::regclass AND c.contype = 'p' AND a.attname = 'run_id') THEN
        ALTER TABLE $(RunLog)
            DROP CONSTRAINT "$(Prefix)run_log_pk",
            ADD CONSTRAINT "$(Prefix)run_log_pk" PRIMARY KEY (run_id, id);
        CREATE INDEX "$(Prefix)run_log_id_ix" ON $(RunLog) (id);
    END IF;
END
$run_keys$;
