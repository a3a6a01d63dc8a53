using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// The PostgreSQL statement of a status change by parent: one data-modifying statement that locks the matching rows in
/// id order, updates them and writes one run-log entry per changed row.
/// </summary>
internal static class StatusByParentStatements
{
    /// <summary>
    /// Parameters: <c>@ParentIds</c> (uuid[]), <c>@From</c> (smallint[]), <c>@To</c>, <c>@InProgress</c>, <c>@Now</c>,
    /// <c>@Kind</c>, <c>@Message</c> (null for the default), <c>@MessageHead</c> and <c>@EventPrefix</c> (22 hex digits:
    /// the entries' ids are it and the row's number in id order as ten more, so a repeat can count them,
    /// <see cref="CountLogged(StatusChangeTable, string, SqlDialect, bool)"/>). Its row count is the log entries written, one per changed row.
    /// </summary>
    /// <param name="table">The table and its log shape.</param>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="inRun">
    /// The run-scoped change of cards by story (<c>@RunId</c>): the cards are found on their natural key by run and
    /// story, the stories are not read, and the UPDATE names the run too.
    /// </param>
    public static string Apply(StatusChangeTable table, string runLog, SqlDialect dialect, bool inRun = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        string Q(string name) => dialect.Quote(name);
        var target = table.Table;

        // The locking sub-select takes the row locks in id order (LockRows runs above the sort), so two overlapping
        // calls, or a call and a set-based UpdateStatusesAsync, wait for each other instead of deadlocking. Under READ
        // COMMITTED a row changed meanwhile is re-checked against the status filter once locked.
        //
        // Both look-ups are index conditions whatever the statistics (a run just written has none): the cards are
        // joined to their stories on the cards' natural key (run_id, story_id, position), one index probe per story,
        // not matched by a semi-join on run_id that scans the cards and re-reads the stories per card; and the UPDATE
        // finds the locked rows by primary key from an array (an InitPlan), not by a hash join over a scan of the
        // whole table. EXPLAIN (ANALYZE, BUFFERS), 1,000 x 10 run, 10 stories' 100 cards, no statistics: 12.7-15.5 ms
        // with sequential scans of cards and stories before, 2.8-3.4 ms after.
        var (storyId, cardId) = table.IsCard ? ($"t.{Q("story_id")}", $"t.{Q("id")}") : ($"t.{Q("id")}", "NULL::uuid");
        //
        // The run is named in the UPDATE too wherever it is known (stories by run; cards in a run), so that on a
        // database distributed by run each statement goes to the runs' shards only. The id-only change of cards by story
        // knows no run: its UPDATE finds the locked cards by id alone.
        var parents = inRun
            ? $"{target} AS t WHERE {table.ParentMatchInRun(dialect, "t.", c => $"{c} = ANY(@ParentIds)")}"
            : table.IsCard
            ? $"{table.StoriesTable} AS p INNER JOIN {target} AS t ON t.{Q("run_id")} = p.{Q("run_id")} AND t.{Q("story_id")} = p.{Q("id")} WHERE p.{Q("id")} = ANY(@ParentIds)"
            : $"{target} AS t WHERE t.{Q("run_id")} = ANY(@ParentIds)";
        var changedRun = inRun
            ? $"t.{Q("run_id")} = @RunId AND "
            : table.IsCard ? string.Empty : $"t.{Q("run_id")} = ANY(@ParentIds) AND ";
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        return
            $"WITH locked AS (SELECT t.{Q("id")} FROM {parents} " +
            $"AND t.{Q("status")} = ANY(@From) ORDER BY t.{Q("id")} FOR UPDATE OF t), " +
            $"changed AS (UPDATE {target} AS t SET {Q("status")} = @To, {Q("version")} = t.{Q("version")} + 1, " +
            $"{Q("updated_at")} = @Now{table.ClaimReset("@To")} WHERE {changedRun}t.{Q("id")} = ANY(ARRAY(SELECT l.{Q("id")} FROM locked AS l)) " +
            $"RETURNING t.{Q("run_id")} AS run_id, {storyId} AS story_id, {cardId} AS card_id, t.{Q("version")} AS version, t.{Q("id")} AS row_id) " +
            $"INSERT INTO {runLog} ({logColumns}) " +
            "SELECT (@EventPrefix || lpad(to_hex(row_number() OVER (ORDER BY row_id)), 10, '0'))::uuid, run_id, story_id, card_id, @Kind, COALESCE(@Message, @MessageHead || version::text || ')'), NULL, @Now " +
            "FROM changed ORDER BY row_id";
    }

    /// <summary>
    /// The distributed mode's statement of one run (<c>@RunId</c>), sent once per run: stories of the run, or cards of the
    /// run's stories <c>@ParentIds</c> on their natural key. As <see cref="Apply"/> with every table, the lock step
    /// included, filtered by <c>run_id = @RunId</c> (Citus takes row locks in single-shard statements only), and the
    /// entries numbered from <c>@EventOffset</c> + 1 (bigint): the rows the call's earlier runs changed, so that the
    /// entries of one call keep distinct ids in its one range (<see cref="CountLogged(StatusChangeTable, string, SqlDialect, bool)"/>).
    /// </summary>
    /// <param name="table">The table and its log shape.</param>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="dialect">The dialect.</param>
    public static string ApplyOneRun(StatusChangeTable table, string runLog, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(table);
        string Q(string name) => dialect.Quote(name);
        var target = table.Table;
        var rows = table.IsCard
            ? table.ParentMatchInRun(dialect, "t.", c => $"{c} = ANY(@ParentIds)")
            : $"t.{Q("run_id")} = @RunId";
        var (storyId, cardId) = table.IsCard ? ($"t.{Q("story_id")}", $"t.{Q("id")}") : ($"t.{Q("id")}", "NULL::uuid");
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        return
            $"WITH locked AS (SELECT t.{Q("id")} FROM {target} AS t WHERE {rows} " +
            $"AND t.{Q("status")} = ANY(@From) ORDER BY t.{Q("id")} FOR UPDATE OF t), " +
            $"changed AS (UPDATE {target} AS t SET {Q("status")} = @To, {Q("version")} = t.{Q("version")} + 1, " +
            $"{Q("updated_at")} = @Now{table.ClaimReset("@To")} WHERE t.{Q("run_id")} = @RunId AND t.{Q("id")} = ANY(ARRAY(SELECT l.{Q("id")} FROM locked AS l)) " +
            $"RETURNING t.{Q("run_id")} AS run_id, {storyId} AS story_id, {cardId} AS card_id, t.{Q("version")} AS version, t.{Q("id")} AS row_id) " +
            $"INSERT INTO {runLog} ({logColumns}) " +
            "SELECT (@EventPrefix || lpad(to_hex(row_number() OVER (ORDER BY row_id) + @EventOffset), 10, '0'))::uuid, run_id, story_id, card_id, @Kind, COALESCE(@Message, @MessageHead || version::text || ')'), NULL, @Now " +
            "FROM changed ORDER BY row_id";
    }

    /// <summary>
    /// The distributed mode's look-up of the runs of the stories <c>@ParentIds</c> (a read without locks, which Citus
    /// runs across shards): each found story's id and run. Parameter <c>@ParentIds</c> (uuid[]).
    /// </summary>
    /// <param name="stories">The quoted, qualified stories table.</param>
    /// <param name="dialect">The dialect.</param>
    public static string RunsOfStories(string stories, SqlDialect dialect) =>
        $"SELECT {dialect.Quote("id")}, {dialect.Quote("run_id")} FROM {stories} WHERE {dialect.Quote("id")} = ANY(@ParentIds)";

    /// <summary>The number of run-log entries with ids from <c>@Low</c> to <c>@High</c> (one call's range; uuids compare byte by byte).</summary>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="runs">A condition on the entries' run_id that goes before the range (with its AND), or null when the runs are not known.</param>
    public static string CountLogged(string runLog, SqlDialect dialect, string? runs = null) =>
        $"SELECT COUNT(*) FROM {runLog} WHERE {runs}{dialect.Quote("id")} BETWEEN @Low AND @High";

    /// <summary>
    /// <see cref="CountLogged(string, SqlDialect, string?)"/> in the runs the change names where it knows them:
    /// <c>@RunId</c> (cards in a run), or the runs <c>@ParentIds</c> (stories by run); cards by story alone know none.
    /// </summary>
    public static string CountLogged(StatusChangeTable table, string runLog, SqlDialect dialect, bool inRun)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(dialect);
        var runs = inRun
            ? $"{dialect.Quote("run_id")} = @RunId AND "
            : table.IsCard ? null : $"{dialect.Quote("run_id")} = ANY(@ParentIds) AND ";
        return CountLogged(runLog, dialect, runs);
    }
}
