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

    /// <summary>The SET items that end a story's claim unless <paramref name="status"/> is <c>@InProgress</c> (empty for cards).</summary>
    public string ClaimReset(string status) => Stories?.ClaimResetFor(status) ?? string.Empty;
}
