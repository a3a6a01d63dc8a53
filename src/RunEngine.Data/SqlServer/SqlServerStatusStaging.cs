using System.Globalization;
using System.Text;
using RunEngine.Data.Mapping;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// The T-SQL of a set-based status change of one table (the update counterpart of <see cref="SqlServerStaging"/>):
/// the changes are loaded into a session temp table keyed on id (the key catches an id repeated past the source's
/// window), then one batch locks the target rows in id order and records their versions, reports what did not match,
/// updates the matching rows with their run-log entries (<c>OUTPUT ... INTO</c>) and drops the stage.
/// </summary>
internal static class SqlServerStatusStaging
{
    /// <summary>Parameters per staged row of the multi-row INSERT.</summary>
    public const int ParametersPerRow = 5;

    /// <summary>Rows per multi-row INSERT: 400, so 2,000 parameters stay under SQL Server's 2,100 per command.</summary>
    public const int MaxRowsPerInsert = 400;

    /// <summary>The stage's columns in load order (SqlBulkCopy maps them by name).</summary>
    public static readonly IReadOnlyList<string> LoadColumns = ["id", "expected_version", "status", "message", "event_id"];

    public static string StageName(StatusChangeTable table) => "#re_status_" + table.TableSuffix;

    /// <summary>
    /// Drops a leftover stage (an earlier call on this session interrupted after its transaction ended) and creates
    /// the stage, clustered on id: the lock step walks it in id order.
    /// </summary>
    public static string CreateText(StatusChangeTable table)
    {
        var stage = StageName(table);
        return $"IF OBJECT_ID(N'tempdb..{stage}') IS NOT NULL DROP TABLE {stage};\n" +
            $"CREATE TABLE {stage} ({Q("id")} uniqueidentifier NOT NULL PRIMARY KEY CLUSTERED, {Q("expected_version")} int NOT NULL, " +
            $"{Q("status")} smallint NOT NULL, {Q("message")} nvarchar({RunEngineLimits.EventMessageMaxLength}) NOT NULL, " +
            $"{Q("event_id")} uniqueidentifier NOT NULL, {Q("actual_version")} int NULL);";
    }

    /// <summary>A multi-row INSERT of <paramref name="rows"/> changes into the stage (parameters @p0 ... in row order).</summary>
    public static string InsertText(StatusChangeTable table, int rows)
    {
        var text = new StringBuilder($"INSERT INTO {StageName(table)} ({string.Join(", ", LoadColumns.Select(Q))}) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < ParametersPerRow; column++)
            {
                text.Append(column == 0 ? "@p" : ", @p").Append(((row * ParametersPerRow) + column).ToString(CultureInfo.InvariantCulture));
            }

            text.Append(')');
        }

        return text.Append(';').ToString();
    }

    /// <summary>
    /// The apply batch. The lock step joins the stage (clustered on id) to the target with a forced loop join, so the
    /// target rows are sought and locked (UPDLOCK, HOLDLOCK: kept to the end of the transaction) in id order: two
    /// overlapping batches take their locks in the same order and one waits instead of deadlocking. Then: the report
    /// (missing: no version; conflict: another version), the update of the matching rows with one run-log entry per
    /// row through <c>OUTPUT ... INTO</c> (the run log has no triggers or foreign keys, which OUTPUT INTO requires),
    /// the count (<c>ROWCOUNT_BIG()</c> counts even under NOCOUNT) and the stage's removal.
    /// </summary>
    /// <param name="table">The table and its log shape.</param>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="inRun">
    /// The run-scoped form: the target is locked, read and changed in the run <c>@RunId</c> only (joined on run_id and
    /// id; a staged id of another run's row finds no row and is reported missing); the id-only text is unchanged.
    /// </param>
    public static string ApplyText(StatusChangeTable table, string runLog, bool inRun = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        var stage = StageName(table);
        var target = table.Table;
        var ofRun = inRun ? $"t.{Q("run_id")} = @RunId AND " : string.Empty;
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        var (storyId, cardId) = table.IsCard ? ($"inserted.{Q("story_id")}", $"inserted.{Q("id")}") : ($"inserted.{Q("id")}", "CAST(NULL AS uniqueidentifier)");
        const string Unmatched = "b.[actual_version] IS NULL OR b.[actual_version] <> b.[expected_version]";
        return
            $"UPDATE s SET s.{Q("actual_version")} = t.{Q("version")}\n" +
            $"FROM {stage} AS s INNER JOIN {target} AS t WITH (UPDLOCK, HOLDLOCK, ROWLOCK) ON {ofRun}t.{Q("id")} = s.{Q("id")}\n" +
            "OPTION (LOOP JOIN, FORCE ORDER);\n" +
            $"SELECT b.{Q("id")}, b.{Q("expected_version")}, b.{Q("actual_version")} FROM {stage} AS b WHERE {Unmatched} ORDER BY b.{Q("id")};\n" +
            $"UPDATE t SET {Q("status")} = s.{Q("status")}, {Q("version")} = t.{Q("version")} + 1, {Q("updated_at")} = @Now{table.ClaimReset("s." + Q("status"))}\n" +
            $"OUTPUT s.{Q("event_id")}, inserted.{Q("run_id")}, {storyId}, {cardId}, @Kind, s.{Q("message")}, CAST(NULL AS nvarchar(200)), @Now INTO {runLog} ({logColumns})\n" +
            $"FROM {target} AS t INNER JOIN {stage} AS s ON s.{Q("id")} = t.{Q("id")}\n" +
            $"WHERE {ofRun}t.{Q("version")} = s.{Q("expected_version")} AND s.{Q("actual_version")} = s.{Q("expected_version")}\n" +
            $"  AND (@ApplyWhatMatches = 1 OR NOT EXISTS (SELECT 1 FROM {stage} AS b WHERE {Unmatched}));\n" +
            $"SELECT ROWCOUNT_BIG() AS {Q("changed")};\n" +
            $"DROP TABLE {stage};";
    }

    private static string Q(string name) => SqlServerDialect.Instance.Quote(name);
}
