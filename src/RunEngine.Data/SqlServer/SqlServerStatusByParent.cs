using System.Globalization;
using RunEngine.Data.Mapping;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// The T-SQL of a status change by parent: one <c>UPDATE ... OUTPUT ... INTO</c> the run log per chunk of parents (the
/// run log has no triggers or foreign keys, which OUTPUT INTO requires), then the count.
/// </summary>
internal static class SqlServerStatusByParent
{
    /// <summary>
    /// Parents per statement: SQL Server allows 2,100 parameters per command; 2,000 leaves room for the statuses (at most
    /// one per enum value) and the fixed parameters (nine with a run-scoped call's @RunId).
    /// </summary>
    public const int ParentsPerStatement = 2_000;

    /// <summary>
    /// The statement for <paramref name="parents"/> parent ids (<c>@p0</c> ...) and <paramref name="statuses"/> statuses
    /// (<c>@f0</c> ...), with <c>@To</c>, <c>@InProgress</c>, <c>@Now</c>, <c>@Kind</c>, <c>@Message</c> (null for the
    /// default) and <c>@MessageHead</c>. The rows are taken with update locks in the plan's order (an UPDATE has no
    /// ORDER BY); two overlapping calls use the same plan shape and so the same index order.
    /// </summary>
    /// <param name="table">The table and its log shape.</param>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="parents">The parent ids of the chunk.</param>
    /// <param name="statuses">The statuses of the filter.</param>
    /// <param name="inRun">
    /// The run-scoped change of cards by story (<c>@RunId</c>): the cards are found by their run and story on their
    /// natural key, and the stories are not read.
    /// </param>
    public static string ApplyText(StatusChangeTable table, string runLog, int parents, int statuses, bool inRun = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        var dialect = SqlServerDialect.Instance;
        string Q(string name) => dialect.Quote(name);
        var ids = string.Join(", ", Enumerable.Range(0, parents).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)));
        var from = string.Join(", ", Enumerable.Range(0, statuses).Select(i => "@f" + i.ToString(CultureInfo.InvariantCulture)));
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        var (storyId, cardId) = table.IsCard ? ($"inserted.{Q("story_id")}", $"inserted.{Q("id")}") : ($"inserted.{Q("id")}", "CAST(NULL AS uniqueidentifier)");
        return
            $"UPDATE t SET {Q("status")} = @To, {Q("version")} = t.{Q("version")} + 1, {Q("updated_at")} = @Now{table.ClaimReset("@To")}\n" +
            $"OUTPUT NEWID(), inserted.{Q("run_id")}, {storyId}, {cardId}, @Kind, " +
            $"COALESCE(@Message, CONCAT(@MessageHead, inserted.{Q("version")}, N')')), CAST(NULL AS nvarchar(200)), @Now INTO {runLog} ({logColumns})\n" +
            $"FROM {table.Table} AS t\n" +
            $"WHERE {(inRun ? table.ParentMatchInRun(dialect, "t.", c => $"{c} IN ({ids})") : table.ParentMatch(dialect, "t.", c => $"{c} IN ({ids})"))} AND t.{Q("status")} IN ({from});\n" +
            $"SELECT ROWCOUNT_BIG() AS {Q("changed")};";
    }
}
