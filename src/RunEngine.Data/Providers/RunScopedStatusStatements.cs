using RunEngine.Data.Mapping;

namespace RunEngine.Data.Providers;

/// <summary>
/// The statements of the run-scoped status changes (the overloads with a leading <c>runId</c>): the same changes and
/// checks as the id-only texts (<see cref="TableStatements{T}.UpdateStatus"/>, <see cref="RunStatements.StoryStatusEvent"/>,
/// <see cref="SingleRowChanges"/>, …), with <c>run_id = @RunId</c> named for every table each one touches, so that on a
/// database distributed by run (Citus) each goes to the run's shard alone. A row of another run matches none of them:
/// it is a missing row. The id-only texts stay as they are (a single server's plans are unchanged).
/// </summary>
internal sealed class RunScopedStatusStatements
{
    public RunScopedStatusStatements(
        TableNames tables, SqlDialect dialect, TableStatements<Story> stories, TableStatements<Card> cards, SingleRowShape? shape)
    {
        string Q(string name) => dialect.Quote(name);
        var inRun = $"{Q("run_id")} = @RunId";
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));

        var (storySet, storyWhere) = stories.UpdateStatusParts;
        var (cardSet, cardWhere) = cards.UpdateStatusParts;
        var storyInRun = $"{inRun} AND {storyWhere}";
        var cardInRun = $"{inRun} AND {cardWhere}";
        StoryUpdateStatus = $"UPDATE {tables.Stories} SET {storySet} WHERE {storyInRun}";
        CardUpdateStatus = $"UPDATE {tables.Cards} SET {cardSet} WHERE {cardInRun}";

        // The entry's run is the call's: the row is read in its run only (as the UPDATE found it).
        StoryStatusEvent =
            $"INSERT INTO {tables.RunLog} ({logColumns}) " +
            $"SELECT @EventId, {Q("run_id")}, {Q("id")}, @CardId, @Kind, @Message, @Worker, @OccurredAt FROM {tables.Stories} WHERE {inRun} AND {Q("id")} = @Id";
        CardStatusEvent =
            $"INSERT INTO {tables.RunLog} ({logColumns}) " +
            $"SELECT @EventId, {Q("run_id")}, {Q("story_id")}, {Q("id")}, @Kind, @Message, @Worker, @OccurredAt FROM {tables.Cards} WHERE {inRun} AND {Q("id")} = @Id";

        StorySelectVersion = $"SELECT {Q("version")} FROM {tables.Stories} WHERE {inRun} AND {Q("id")} = @Id";
        CardSelectVersion = $"SELECT {Q("version")} FROM {tables.Cards} WHERE {inRun} AND {Q("id")} = @Id";
        StorySelectVersions = $"SELECT {Q("id")}, {Q("version")} FROM {tables.Stories} WHERE {inRun} AND {dialect.InList(Q("id"), "@Ids")}";
        CardSelectVersions = $"SELECT {Q("id")}, {Q("version")} FROM {tables.Cards} WHERE {inRun} AND {dialect.InList(Q("id"), "@Ids")}";

        if (shape is not null)
        {
            StoryStatusOneStatement = shape.Statement(
                string.Empty, tables.Stories, storySet, storyInRun, tables.RunLog, logColumns,
                c => $"@EventId, {c("run_id")}, {c("id")}, @CardId, @Kind, @Message, @Worker, @UpdatedAt",
                ["version"]);
            CardStatusOneStatement = shape.Statement(
                string.Empty, tables.Cards, cardSet, cardInRun, tables.RunLog, logColumns,
                c => $"@EventId, {c("run_id")}, {c("story_id")}, {c("id")}, @Kind, @Message, @Worker, @UpdatedAt",
                ["version"]);
        }
    }

    /// <summary><see cref="TableStatements{T}.UpdateStatus"/> of stories, for the story <c>@Id</c> of <c>@RunId</c> only.</summary>
    public string StoryUpdateStatus { get; }

    /// <summary><see cref="TableStatements{T}.UpdateStatus"/> of cards, for the card <c>@Id</c> of <c>@RunId</c> only.</summary>
    public string CardUpdateStatus { get; }

    /// <summary><see cref="RunStatements.StoryStatusEvent"/> reading the story <c>@Id</c> in <c>@RunId</c>.</summary>
    public string StoryStatusEvent { get; }

    /// <summary><see cref="RunStatements.CardStatusEvent"/> reading the card <c>@Id</c> in <c>@RunId</c>.</summary>
    public string CardStatusEvent { get; }

    /// <summary>The version of the story <c>@Id</c> of <c>@RunId</c> (none for another run's story: a missing row).</summary>
    public string StorySelectVersion { get; }

    /// <summary>The version of the card <c>@Id</c> of <c>@RunId</c>.</summary>
    public string CardSelectVersion { get; }

    /// <summary>The id and version of the stories of <c>@RunId</c> in the list parameter <c>@Ids</c> (a repeat's look at the changes it did not apply).</summary>
    public string StorySelectVersions { get; }

    /// <summary>The id and version of the cards of <c>@RunId</c> in the list parameter <c>@Ids</c>.</summary>
    public string CardSelectVersions { get; }

    /// <summary><see cref="SingleRowChanges.StoryStatus"/> for the story <c>@Id</c> of <c>@RunId</c>; null when the provider has no one-statement form.</summary>
    public string? StoryStatusOneStatement { get; }

    /// <summary><see cref="SingleRowChanges.CardStatus"/> for the card <c>@Id</c> of <c>@RunId</c>; null when the provider has no one-statement form.</summary>
    public string? CardStatusOneStatement { get; }
}
