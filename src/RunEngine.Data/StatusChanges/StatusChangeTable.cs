using RunEngine.Data.Providers;

namespace RunEngine.Data.StatusChanges;

/// <summary>The table a set-based status change writes, and how its run-log entries are shaped.</summary>
/// <param name="Stories">The stories' statements, for a change of stories (its claim reset included); otherwise null.</param>
/// <param name="Cards">The cards' statements, for a change of cards (the entry names the card and its story); otherwise null.</param>
/// <param name="Kind">The run-log kind of an applied change.</param>
internal sealed record StatusChangeTable(TableStatements<Story>? Stories, TableStatements<Card>? Cards, string Kind)
{
    public string Entity => Stories is not null ? Stories.Map.EntityName : Cards!.Map.EntityName;

    public string Table => Stories?.Table ?? Cards!.Table;

    public string TableSuffix => Stories is not null ? Stories.Map.TableSuffix : Cards!.Map.TableSuffix;

    public bool IsCard => Cards is not null;

    /// <summary>
    /// The quoted, qualified stories table, for a change of cards by story (the cards' run is read from their story so
    /// that the cards' natural key (run_id, story_id, position) serves the search); otherwise null.
    /// </summary>
    public string? StoriesTable { get; init; }

    /// <summary>The column that names a row's parent in a change by parent: story_id for cards, run_id for stories.</summary>
    public string ParentColumn => IsCard ? "story_id" : "run_id";

    /// <summary>
    /// The condition that the row <paramref name="row"/> (a qualifier with its dot, or empty) belongs to one of the
    /// parents in the list parameter <c>@ParentIds</c>, written with <paramref name="inList"/> (the dialect's list test).
    /// </summary>
    public string ParentMatch(SqlDialect dialect, string row, Func<string, string> inList)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(inList);
        if (!IsCard)
        {
            return inList(row + dialect.Quote("run_id"));
        }

        return $"{row}{dialect.Quote("run_id")} IN (SELECT p.{dialect.Quote("run_id")} FROM {StoriesTable} p WHERE {inList("p." + dialect.Quote("id"))}) " +
            $"AND {inList(row + dialect.Quote("story_id"))}";
    }

    /// <summary>
    /// The condition of a run-scoped change of cards by story: the row <paramref name="row"/> (a qualifier with its dot,
    /// or empty) is of the run <c>@RunId</c> and of one of the stories in <c>@ParentIds</c>, on the cards' natural key
    /// (run_id, story_id, position) alone: no other table is read, and a story of another run has no card in the run.
    /// </summary>
    public string ParentMatchInRun(SqlDialect dialect, string row, Func<string, string> inList)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(inList);
        if (!IsCard)
        {
            throw new InvalidOperationException("Only cards change by story within a run.");
        }

        return $"{row}{dialect.Quote("run_id")} = @RunId AND {inList(row + dialect.Quote("story_id"))}";
    }

    /// <summary>The SET items that end a story's claim unless <paramref name="status"/> is <c>@InProgress</c> (empty for cards).</summary>
    public string ClaimReset(string status) => Stories?.ClaimResetFor(status) ?? string.Empty;
}
