-- RunEngine.Data 003: a card and its story share a run, enforced by the database (PostgreSQL).
--
-- The cards' foreign key becomes composite, (run_id, story_id) -> stories (run_id, id), so a card can no longer name a
-- story of another run (before, such a card was missing from its run's reads and blocked the deletion of the story's
-- run). The composite key needs a unique key on stories (run_id, id); it is also the key shape a run-distributed
-- database (Citus, for one, distributing by run_id) needs: every key and reference carries the run. The cards'
-- natural key becomes (run_id, story_id, position): it backs the foreign key's look-up when stories are deleted (it
-- leads with (run_id, story_id)) and a run's deletes and reads (it leads with run_id), so the index on cards (run_id)
-- alone goes: it is redundant, and with stale statistics and no index leading with (run_id, story_id) the planner
-- used it for the composite check, reading the whole run's cards for every deleted story (51.7 s instead of 113 ms
-- for a 100,000-card run; docs/benchmarks.md). (story_id, position) was already unique and run_id follows from
-- story_id, so the wider key accepts and rejects exactly the same cards.
--
-- Locks, in the order taken (all held until the migration commits): SHARE ROW EXCLUSIVE on stories, then cards
-- (writers wait, readers do not; the library's writers take stories before cards too, so this cannot deadlock with
-- them) for the check, the two index builds and the foreign key's validation; then ACCESS EXCLUSIVE (readers wait
-- too) only for the last, catalog-only steps: turning the indexes into constraints and dropping the old ones.

LOCK TABLE $(Stories), $(Cards) IN SHARE ROW EXCLUSIVE MODE;

-- Cards whose run differs from their story's would make the new foreign key fail: stop first, say how many, change
-- nothing (EnsureSchemaAsync checks the same before it runs the script).
DO $check$
DECLARE
    mismatched bigint;
BEGIN
    SELECT count(*) INTO mismatched
    FROM $(Cards) c INNER JOIN $(Stories) s ON s.id = c.story_id
    WHERE c.run_id <> s.run_id;
    IF mismatched > 0 THEN
        RAISE EXCEPTION 'RunEngine.Data schema script 003 cannot be applied: % cards have a run_id that differs from their story''s run_id. Nothing was changed.', mismatched
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Set each such card''s run_id to its story''s run_id (or delete those cards), then run the script again.';
    END IF;
END
$check$;

CREATE UNIQUE INDEX "$(Prefix)stories_run_id_uq" ON $(Stories) (run_id, id);
CREATE UNIQUE INDEX "$(Prefix)cards_run_story_position_uq" ON $(Cards) (run_id, story_id, position);

-- No cascade, as before: deleting a run removes its cards first.
ALTER TABLE $(Cards)
    ADD CONSTRAINT "$(Prefix)cards_run_story_fk" FOREIGN KEY (run_id, story_id) REFERENCES $(Stories) (run_id, id);

ALTER TABLE $(Stories) ADD CONSTRAINT "$(Prefix)stories_run_id_uq" UNIQUE USING INDEX "$(Prefix)stories_run_id_uq";
ALTER TABLE $(Cards)
    ADD CONSTRAINT "$(Prefix)cards_run_story_position_uq" UNIQUE USING INDEX "$(Prefix)cards_run_story_position_uq",
    DROP CONSTRAINT "$(Prefix)cards_story_fk",
    DROP CONSTRAINT "$(Prefix)cards_story_position_uq";
DROP INDEX $(Schema)."$(Prefix)cards_run_ix";
