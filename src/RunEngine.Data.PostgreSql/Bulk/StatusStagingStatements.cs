using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// The PostgreSQL statements of a set-based status change of one table: a temporary stage keyed on id (the key catches
/// an id repeated past the source's window), the binary COPY into it, then one batch that locks the target rows in id
/// order and records their versions in the stage, reports the conflicts and missing ids, updates the matching rows and
/// writes their run-log entries in one data-modifying statement, and drops the stage.
/// </summary>
internal sealed class StatusStagingStatements
{
    /// <param name="table">The table and its log shape.</param>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="inRun">
    /// The run-scoped form: the target is read and changed in the run <c>@RunId</c> only (a staged id of another run's
    /// row finds no row, and is reported missing); the id-only texts are unchanged.
    /// </param>
    public StatusStagingStatements(StatusChangeTable table, string runLog, SqlDialect dialect, bool inRun = false)
    {
        string Q(string name) => dialect.Quote(name);
        StageName = "runengine_status_stage_" + table.TableSuffix;
        var stage = Q(StageName);
        var target = table.Table;
        var ofRun = inRun ? $"t.{Q("run_id")} = @RunId AND " : string.Empty;

        // Unqualified: temporary tables live in the session's pg_temp schema. ON COMMIT DROP is a safety net; the batch
        // drops the stage, so one transaction (a session) can run several calls.
        Create =
            $"CREATE TEMPORARY TABLE {stage} ({Q("id")} uuid PRIMARY KEY, {Q("expected_version")} integer NOT NULL, " +
            $"{Q("status")} smallint NOT NULL, {Q("message")} varchar({RunEngineLimits.EventMessageMaxLength}) NOT NULL, " +
            $"{Q("event_id")} uuid NOT NULL, {Q("actual_version")} integer NULL) ON COMMIT DROP";
        Copy = $"COPY {stage} ({Q("id")}, {Q("expected_version")}, {Q("status")}, {Q("message")}, {Q("event_id")}) FROM STDIN (FORMAT BINARY)";

        // The sub-select locks the target rows in id order (LockRows runs above the sort), so two overlapping batches
        // take their locks in the same order and one waits for the other instead of deadlocking. Under READ COMMITTED
        // a row changed by a transaction that committed meanwhile is read at its newest version once locked.
        LockAndRead =
            $"UPDATE {stage} AS s SET {Q("actual_version")} = l.{Q("version")} " +
            $"FROM (SELECT t.{Q("id")}, t.{Q("version")} FROM {target} AS t WHERE {ofRun}t.{Q("id")} IN (SELECT {Q("id")} FROM {stage}) " +
            $"ORDER BY t.{Q("id")} FOR UPDATE OF t) AS l WHERE s.{Q("id")} = l.{Q("id")}";
        // The distributed mode's id-only form learns the runs of the staged ids first (a read without locks, which Citus
        // runs across shards), then sends the run-scoped lock step and update once per run.
        StagedRuns =
            $"SELECT DISTINCT t.{Q("run_id")} FROM {target} AS t WHERE t.{Q("id")} IN (SELECT {Q("id")} FROM {stage})";
        const string Mismatch = "IS DISTINCT FROM";
        Unmatched =
            $"SELECT {Q("id")}, {Q("expected_version")}, {Q("actual_version")} FROM {stage} " +
            $"WHERE {Q("actual_version")} {Mismatch} {Q("expected_version")} ORDER BY {Q("id")}";

        // The rows are locked and their versions recorded, so the update changes exactly the rows the report calls
        // matched. All or nothing: it changes nothing when any change did not match (@ApplyWhatMatches false).
        var (storyId, cardId) = table.IsCard ? ($"t.{Q("story_id")}", $"t.{Q("id")}") : ($"t.{Q("id")}", "NULL::uuid");
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        Apply =
            $"WITH changed AS (UPDATE {target} AS t SET {Q("status")} = s.{Q("status")}, {Q("version")} = t.{Q("version")} + 1, " +
            $"{Q("updated_at")} = @Now{table.ClaimReset("s." + Q("status"))} " +
            $"FROM {stage} AS s WHERE {ofRun}t.{Q("id")} = s.{Q("id")} AND t.{Q("version")} = s.{Q("expected_version")} " +
            $"AND s.{Q("actual_version")} = s.{Q("expected_version")} " +
            $"AND (@ApplyWhatMatches OR NOT EXISTS (SELECT 1 FROM {stage} AS b WHERE b.{Q("actual_version")} {Mismatch} b.{Q("expected_version")})) " +
            $"RETURNING s.{Q("event_id")} AS event_id, t.{Q("run_id")} AS run_id, {storyId} AS story_id, {cardId} AS card_id, s.{Q("message")} AS message, t.{Q("id")} AS row_id) " +
            $"INSERT INTO {runLog} ({logColumns}) " +
            "SELECT event_id, run_id, story_id, card_id, @Kind, message, NULL, @Now FROM changed ORDER BY row_id";
        Drop = $"DROP TABLE {stage}";
    }

    /// <summary>The stage's unquoted name (how the server names it in a key error).</summary>
    public string StageName { get; }

    public string Create { get; }

    public string Copy { get; }

    /// <summary>The distinct runs of the target rows whose ids are staged (read, not locked).</summary>
    public string StagedRuns { get; }

    public string LockAndRead { get; }

    public string Unmatched { get; }

    public string Apply { get; }

    public string Drop { get; }
}
