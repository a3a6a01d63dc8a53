using RunEngine.Data.Mapping;

namespace RunEngine.Data.Providers;

/// <summary>
/// Provider-neutral statements of the run-level features: log entries written with a change, lease transitions and
/// run progress. Every value is a parameter (even NULLs, so that every provider knows their types).
/// </summary>
internal sealed class RunStatements
{
    public RunStatements(TableNames tables, SqlDialect dialect, LeaseClockSql clock)
    {
        string Q(string name) => dialect.Quote(name);
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        InsertEvent =
            $"INSERT INTO {tables.RunLog} ({logColumns}) " +
            "VALUES (@EventId, @RunId, @StoryId, @CardId, @Kind, @Message, @Worker, @OccurredAt)";
        StoryStatusEvent =
            $"INSERT INTO {tables.RunLog} ({logColumns}) " +
            $"SELECT @EventId, {Q("run_id")}, {Q("id")}, @CardId, @Kind, @Message, @Worker, @OccurredAt FROM {tables.Stories} WHERE {Q("id")} = @Id";
        CardStatusEvent =
            $"INSERT INTO {tables.RunLog} ({logColumns}) " +
            $"SELECT @EventId, {Q("run_id")}, {Q("story_id")}, {Q("id")}, @Kind, @Message, @Worker, @OccurredAt FROM {tables.Cards} WHERE {Q("id")} = @Id";

        var foundColumns = $"{Q("id")}, {Q("story_id")}, {Q("card_id")}, {Q("occurred_at")}, {Q("message")}";
        FindEvents = $"SELECT {foundColumns} FROM {tables.RunLog} WHERE {dialect.InList(Q("id"), "@EventIds")}";
        FindRunEvents =
            $"SELECT {foundColumns} FROM {tables.RunLog} WHERE {dialect.InList(Q("run_id"), "@RunIds")} AND {dialect.InList(Q("id"), "@EventIds")}";

        // A lease is held while its expiry is later than now: at the exact instant it is lost (and not yet claimable).
        var now = clock.Now;
        // The run first: on a database distributed by run the statement goes to the run's shard alone.
        var heldBy =
            $"{Q("run_id")} = @RunId AND {Q("id")} = @Id AND {Q("claimed_by")} = @Worker AND {Q("version")} = @Version " +
            $"AND {Q("status")} = @InProgress AND {Q("lease_expires_at")} > {now}";
        RenewParts = ($"{Q("lease_expires_at")} = {clock.Expires}, {Q("version")} = {Q("version")} + 1, {Q("updated_at")} = {now}", heldBy);
        FinishParts = (
            $"{Q("status")} = @Status, {Q("claimed_by")} = NULL, {Q("lease_expires_at")} = NULL, " +
            $"{Q("version")} = {Q("version")} + 1, {Q("updated_at")} = {now}",
            heldBy);
        RenewLease = clock.Prologue(expires: true) + dialect.UpdateReturning(tables.Stories, RenewParts.Set, heldBy, ["version", "lease_expires_at", "updated_at"]);
        FinishClaim = clock.Prologue(expires: false) + dialect.UpdateReturning(tables.Stories, FinishParts.Set, heldBy, ["version", "updated_at"]);
        InspectClaim = clock.Prologue(expires: false) +
            $"SELECT {Q("claimed_by")}, {Q("version")}, {Q("lease_expires_at")}, {Q("status")}, {now} AS {Q("now")} FROM {tables.Stories} WHERE {Q("run_id")} = @RunId AND {Q("id")} = @Id";
        InspectClaims = clock.Prologue(expires: false) +
            $"SELECT {Q("id")}, {Q("claimed_by")}, {Q("version")}, {Q("lease_expires_at")}, {Q("status")}, {now} AS {Q("now")}, {Q("run_id")} " +
            $"FROM {tables.Stories} WHERE {dialect.InList(Q("run_id"), "@RunIds")} AND {dialect.InList(Q("id"), "@Ids")}";

        Progress =
            $"SELECT 0 AS {Q("entity")}, {Q("status")}, COUNT(*) AS {Q("n")} FROM {tables.Stories} WHERE {Q("run_id")} = @RunId GROUP BY {Q("status")} " +
            $"UNION ALL SELECT 1, {Q("status")}, COUNT(*) FROM {tables.Cards} WHERE {Q("run_id")} = @RunId GROUP BY {Q("status")}";
    }

    /// <summary>One log entry from parameters named like <see cref="RunEvent"/>'s columns (<c>@EventId</c> for the id).</summary>
    public string InsertEvent { get; }

    /// <summary>
    /// The run-log entries whose ids are in the list parameter <c>@EventIds</c> (id, story_id, card_id, occurred_at,
    /// message): how a repeat after an unknown commit outcome finds out whether its client-made entries, and so the
    /// change written with them in one transaction, are stored.
    /// </summary>
    public string FindEvents { get; }

    /// <summary>
    /// <see cref="FindEvents"/> where the runs are known (the list parameter <c>@RunIds</c>, the runs of the call's
    /// entries): a claim's or lease transition's repeat. The entries' own id index finds them; the run names the shard.
    /// </summary>
    public string FindRunEvents { get; }

    /// <summary>A log entry for the story <c>@Id</c>, its run read from the row, written in the same statement's transaction.</summary>
    public string StoryStatusEvent { get; }

    /// <summary>A log entry for the card <c>@Id</c>, its run and story read from the row.</summary>
    public string CardStatusEvent { get; }

    /// <summary>
    /// Extends the lease of the story <c>@Id</c> of run <c>@RunId</c> (the claim's story's run) to now + lease when <c>@Worker</c> still holds it at <c>@Version</c> and it has not expired
    /// (now and the lease from <see cref="LeaseClockSql"/>); returns the stored version, lease_expires_at and updated_at.
    /// </summary>
    public string RenewLease { get; }

    /// <summary>The SET items and the condition (the lease held) of <see cref="RenewLease"/>, for the one-statement form (<see cref="SingleRowChanges"/>).</summary>
    public (string Set, string Where) RenewParts { get; }

    /// <summary>The SET items and the condition of <see cref="FinishClaim"/>.</summary>
    public (string Set, string Where) FinishParts { get; }

    /// <summary>Sets <c>@Status</c> and clears the lease, under the same condition as <see cref="RenewLease"/>; returns the stored version and updated_at.</summary>
    public string FinishClaim { get; }

    /// <summary>The lease state of <c>@Id</c> of run <c>@RunId</c> (claimed_by, version, lease_expires_at, status) and the clock's now, to explain a lost lease.</summary>
    public string InspectClaim { get; }

    /// <summary>The lease state of the stories <c>@Ids</c> of the runs <c>@RunIds</c> (id, then as <see cref="InspectClaim"/>), to explain the lost leases of a batch in one query; the row's run last, so a claim is explained only by its own run's row.</summary>
    public string InspectClaims { get; }

    /// <summary>Counts per status of the stories (entity 0) and cards (entity 1) of <c>@RunId</c>, in one query.</summary>
    public string Progress { get; }
}
