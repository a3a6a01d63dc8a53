using RunEngine.Data.Mapping;

namespace RunEngine.Data.Providers;

/// <summary>
/// The single-row changes as one statement each (<see cref="SingleRowShape"/>): the versioned status updates and the
/// lease transitions, each with its run-log entry. The UPDATE's SET and WHERE are those of
/// <see cref="TableStatements{T}.UpdateStatus"/> and <see cref="RunStatements"/>, so the checks are the same whichever
/// form is sent. Log values are parameters as in <see cref="RunStatements"/> (<c>@EventId</c>, <c>@Kind</c>,
/// <c>@Message</c>, <c>@CardId</c> and <c>@Worker</c> typed even when NULL); run and story come from the changed row.
/// </summary>
internal sealed class SingleRowChanges
{
    public SingleRowChanges(
        SingleRowShape shape, TableNames tables, SqlDialect dialect, LeaseClockSql clock, TableStatements<Story> stories, TableStatements<Card> cards, RunStatements runs)
    {
        string Q(string name) => dialect.Quote(name);
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));

        var (storySet, storyWhere) = stories.UpdateStatusParts;
        StoryStatus = shape.Statement(
            string.Empty, tables.Stories, storySet, storyWhere, tables.RunLog, logColumns,
            c => $"@EventId, {c("run_id")}, {c("id")}, @CardId, @Kind, @Message, @Worker, @UpdatedAt",
            ["version"]);
        var (cardSet, cardWhere) = cards.UpdateStatusParts;
        CardStatus = shape.Statement(
            string.Empty, tables.Cards, cardSet, cardWhere, tables.RunLog, logColumns,
            c => $"@EventId, {c("run_id")}, {c("story_id")}, {c("id")}, @Kind, @Message, @Worker, @UpdatedAt",
            ["version"]);

        // The entry's time is the change's updated_at as stored, as in the two-statement form.
        var (renewSet, heldBy) = runs.RenewParts;
        RenewLease = shape.Statement(
            clock.Prologue(expires: true), tables.Stories, renewSet, heldBy, tables.RunLog, logColumns,
            c => $"@EventId, {c("run_id")}, {c("id")}, @CardId, @Kind, {shape.LeaseUntilMessage(c("lease_expires_at"))}, @Worker, {c("updated_at")}",
            ["version", "lease_expires_at", "updated_at"]);
        var (finishSet, _) = runs.FinishParts;
        FinishClaim = shape.Statement(
            clock.Prologue(expires: false), tables.Stories, finishSet, heldBy, tables.RunLog, logColumns,
            c => $"@EventId, {c("run_id")}, {c("id")}, @CardId, @Kind, @Message, @Worker, {c("updated_at")}",
            ["version", "updated_at"]);
    }

    /// <summary><see cref="TableStatements{T}.UpdateStatus"/> of stories and its <c>story.status</c> entry; returns the new version.</summary>
    public string StoryStatus { get; }

    /// <summary><see cref="TableStatements{T}.UpdateStatus"/> of cards and its <c>card.status</c> entry; returns the new version.</summary>
    public string CardStatus { get; }

    /// <summary><see cref="RunStatements.RenewLease"/> and its <c>lease.renewed</c> entry; returns version, lease_expires_at, updated_at.</summary>
    public string RenewLease { get; }

    /// <summary><see cref="RunStatements.FinishClaim"/> and its entry (<c>@Message</c>); returns version, updated_at.</summary>
    public string FinishClaim { get; }
}
