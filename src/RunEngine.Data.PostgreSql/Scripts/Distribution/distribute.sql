-- RunEngine.Data distributed layout (PostgreSqlOptions.Distribution = Citus), step 2 of 2: distribute by run.
-- Runs after run_keys.sql, in the same transaction, on the Citus coordinator, and only when the citus extension is
-- installed (EnsureSchemaAsync checks pg_extension first and stops with a SchemaException otherwise). Idempotent:
-- a table Citus already distributes (it is in pg_dist_partition) is left alone, so a second run changes nothing.
--
-- stories is distributed by run_id; cards and the run log by run_id too, colocated with stories (the same shard
-- ranges on the same nodes), so a run's stories, cards and log entries are on one shard group: a cycle, a claim,
-- progress and DeleteRunAsync of one run touch one node, and the cards' foreign key (run_id, story_id) -> stories
-- (run_id, id) is checked on that node. The schema-version table is not distributed: it stays a local table on the
-- coordinator, read and written only by the migration.
--
-- Requirements met here (Citus 13): every unique key includes run_id (run_keys.sql); the foreign key is between
-- colocated tables and includes the distribution column on both sides; the run log's seq (bigint GENERATED ALWAYS AS
-- IDENTITY) is supported on a distributed table since Citus 11.2 — rows inserted through the coordinator take their
-- seq from the coordinator's sequence, so for them seq is still the order they were written in; stories is distributed
-- before the tables that reference or colocate with it.
--
-- Existing rows: create_distributed_table copies a table's rows into its new shards (on the workers) inside this
-- transaction, holding a lock that blocks writes (reads of the table go on until the shards exist). Citus leaves the
-- copied rows behind in the coordinator's local table, invisible to queries; truncate_local_data_after_distributing_table
-- removes them once all three tables are distributed (it cascades along foreign keys, here only to the cards, which are
-- distributed by then). For a table too large to copy in one transaction, see docs/schema.md, "Distributed mode".

DO $distribute$
DECLARE
    table_name regclass;
    copied boolean := false;
BEGIN
    -- A table that Citus knows already must be distributed the way this layout needs: hash by run_id, colocated with
    -- the stories (a table of a distributed schema, "schema-based sharding", or a reference table is not).
    FOREACH table_name IN ARRAY ARRAY['$(Stories)', '$(Cards)', '$(RunLog)']::regclass[] LOOP
        IF EXISTS (
            SELECT 1 FROM pg_catalog.pg_dist_partition p
            WHERE p.logicalrelid = table_name
              AND (p.partmethod <> 'h'
                   OR column_to_column_name(p.logicalrelid, p.partkey) IS DISTINCT FROM 'run_id'
                   OR p.colocationid <> COALESCE(
                       (SELECT s.colocationid FROM pg_catalog.pg_dist_partition s WHERE s.logicalrelid = '$(Stories)'::regclass),
                       p.colocationid))) THEN
            RAISE EXCEPTION 'RunEngine.Data cannot distribute % by run_id: Citus already distributes it otherwise (not hash-distributed by run_id colocated with the stories). Nothing was changed.', table_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Tables of a distributed schema (schema-based sharding) need Distribution = None; otherwise undistribute the table (undistribute_table) and run EnsureSchemaAsync again.';
        END IF;
    END LOOP;

    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = '$(Stories)'::regclass) THEN
        PERFORM create_distributed_table('$(Stories)', 'run_id');
        copied := true;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = '$(Cards)'::regclass) THEN
        PERFORM create_distributed_table('$(Cards)', 'run_id', colocate_with => '$(Stories)');
        copied := true;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = '$(RunLog)'::regclass) THEN
        PERFORM create_distributed_table('$(RunLog)', 'run_id', colocate_with => '$(Stories)');
        copied := true;
    END IF;

    IF copied THEN
        PERFORM truncate_local_data_after_distributing_table('$(Stories)');
        PERFORM truncate_local_data_after_distributing_table('$(RunLog)');
    END IF;
END
$distribute$;
