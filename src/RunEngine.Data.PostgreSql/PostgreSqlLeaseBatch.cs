using Dapper;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;

namespace RunEngine.Data.PostgreSql;

/// <summary>
/// PostgreSQL's batch lease transitions: one command of two statements, sent in one round trip. The first locks the
/// batch's rows in id order (<c>SELECT … ORDER BY id FOR UPDATE</c>), so two overlapping batches queue rather than
/// deadlock; the second is one <c>UPDATE … FROM unnest(ids, versions, workers, statuses)</c> that checks every claim as
/// the single-claim statements do and returns what it stored. Arrays rather than a staging table: a batch is at most
/// <see cref="ClaimArguments.MaxStoriesPerClaim"/> claims.
/// </summary>
internal sealed class PostgreSqlLeaseBatch : LeaseBatch
{

    public PostgreSqlLeaseBatch(TableNames tables, LeaseClockSql clock)
    {
        static string Q(string name) => PostgreSqlDialect.Instance.Quote(name);
        var now = clock.Now;
        // Both statements name the batch's runs (@RunIds, distinct; usually one), so on a database distributed by run
        // they go to those runs' shards alone, and each claim's own run (@Runs) joins with its story's.
        var lockRows =
            $"SELECT {Q("id")} FROM {tables.Stories} WHERE {Q("run_id")} = ANY(@RunIds) AND {Q("id")} = ANY(@Ids) ORDER BY {Q("id")} FOR UPDATE;\n";
        var from =
            "FROM unnest(@Runs::uuid[], @Ids::uuid[], @Versions::integer[], @Workers::text[], @Statuses::smallint[]) " +
            $"AS b({Q("run_id")}, {Q("id")}, {Q("version")}, {Q("worker")}, {Q("status")}) " +
            $"WHERE s.{Q("run_id")} = ANY(@RunIds) AND s.{Q("run_id")} = b.{Q("run_id")} AND s.{Q("id")} = b.{Q("id")} " +
            $"AND s.{Q("claimed_by")} = b.{Q("worker")} AND s.{Q("version")} = b.{Q("version")} " +
            $"AND s.{Q("status")} = @InProgress AND s.{Q("lease_expires_at")} > {now} ";
        RenewText = clock.Prologue(expires: true) + lockRows +
            $"UPDATE {tables.Stories} AS s SET {Q("lease_expires_at")} = {clock.Expires}, {Q("version")} = s.{Q("version")} + 1, {Q("updated_at")} = {now} " +
            from +
            $"RETURNING s.{Q("id")}, s.{Q("version")}, s.{Q("lease_expires_at")}, s.{Q("updated_at")}";
        FinishText = clock.Prologue(expires: false) + lockRows +
            $"UPDATE {tables.Stories} AS s SET {Q("status")} = b.{Q("status")}, {Q("claimed_by")} = NULL, {Q("lease_expires_at")} = NULL, " +
            $"{Q("version")} = s.{Q("version")} + 1, {Q("updated_at")} = {now} " +
            from +
            $"RETURNING s.{Q("id")}, s.{Q("version")}, s.{Q("updated_at")}";
    }

    /// <summary>The renewal: lock the rows, then one UPDATE of every claim's lease (parameters <c>@RunIds</c>, <c>@Runs</c>, <c>@Ids</c>, <c>@Versions</c>, <c>@Workers</c>, <c>@Statuses</c>, <c>@InProgress</c>, the clock's).</summary>
    public string RenewText { get; }

    /// <summary>The completion or release: lock the rows, then one UPDATE setting each claim's status and clearing its lease.</summary>
    public string FinishText { get; }

    public override async Task<IReadOnlyDictionary<Guid, StoredTransition>> ApplyAsync(
        DatabaseProvider provider, OperationScope scope, IReadOnlyList<LeaseStep> steps, TimeSpan? lease, DateTimeOffset hostNow, CancellationToken cancellationToken)
    {
        var values = new DynamicParameters(new
        {
            RunIds = StoryClaims.RunsOf(steps.Select(s => s.Claim)),
            Runs = steps.Select(s => s.Claim.Story.RunId).ToArray(),
            Ids = steps.Select(s => s.Claim.StoryId).ToArray(),
            Versions = steps.Select(s => s.Claim.Version).ToArray(),
            Workers = steps.Select(s => s.Claim.WorkerId).ToArray(),
            Statuses = steps.Select(s => (short)s.Status).ToArray(),
            InProgress = (short)StoryStatus.InProgress,
        });
        var parameters = provider.Clock.AddParameters(values, hostNow, lease);
        var command = new CommandDefinition(lease is null ? FinishText : RenewText, parameters, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
        var stored = new Dictionary<Guid, StoredTransition>(steps.Count);
        var reader = await scope.Connection.ExecuteReaderAsync(command).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        await StoredTransition.ReadAfterLocksAsync(reader, withLease: lease is not null, stored, cancellationToken).ConfigureAwait(false);

        return stored;
    }
}
