using Dapper;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;

namespace RunEngine.Data.PostgreSql;

/// <summary>
/// PostgreSQL's batch lease transitions: one command of two statements, sent in one round trip and atomic by itself
/// (one implicit transaction, so a connection of the library's own runs it in autocommit: no BEGIN, no COMMIT). The
/// first locks the batch's rows in id order (<c>SELECT … ORDER BY id FOR UPDATE</c>), so two overlapping batches queue
/// rather than deadlock; the second is one data-modifying CTE: an <c>UPDATE … FROM unnest(ids, runs, versions,
/// workers, statuses, entry ids, messages)</c> that checks every claim as the single-claim statements do (its run,
/// worker, version, InProgress, an unexpired lease on the configured clock), an <c>INSERT</c> of one run-log entry per
/// changed row in the order of the batch, and what was stored returned. Arrays rather than a staging table: a batch is
/// at most <see cref="ClaimArguments.MaxStoriesPerClaim"/> claims.
/// <para>
/// Distributed by run (Citus takes row locks in single-shard statements only), both statements name one run
/// (<c>run_id = @RunId</c>) and a batch goes once per run, runs in Guid order, each with its claims in the order passed:
/// one run is one command in autocommit as on one server; several runs go in one transaction, the scope's or, in
/// autocommit, one of the call's own, so the batch and its entries are stored whole or not at all.
/// </para>
/// </summary>
internal sealed class PostgreSqlLeaseBatch : LeaseBatch
{
    private readonly string _renew;
    private readonly string _finish;
    private readonly bool _distributed;

    /// <param name="tables">The tables.</param>
    /// <param name="clock">The lease clock's SQL.</param>
    /// <param name="distributed">Distributed by run: the statements name one run (<c>@RunId</c>) and a batch goes once per run.</param>
    public PostgreSqlLeaseBatch(TableNames tables, LeaseClockSql clock, bool distributed = false)
    {
        static string Q(string name) => PostgreSqlDialect.Instance.Quote(name);
        var now = clock.Now;
        _distributed = distributed;
        // Both statements name the batch's runs (@RunIds, distinct; usually one), so on a database distributed by run
        // they go to those runs' shards alone, and each claim's own run (@Runs) joins with its story's. Distributed, they
        // name the one run of the claims sent (@RunId).
        var runs = distributed ? $"{Q("run_id")} = @RunId" : $"{Q("run_id")} = ANY(@RunIds)";
        var lockRows =
            $"SELECT {Q("id")} FROM {tables.Stories} WHERE {runs} AND {Q("id")} = ANY(@Ids) ORDER BY {Q("id")} FOR UPDATE;\n";
        var from =
            "FROM unnest(@Ids::uuid[], @Runs::uuid[], @Versions::integer[], @Workers::text[], @Statuses::smallint[], @EventIds::uuid[], @Messages::text[]) " +
            $"WITH ORDINALITY AS b({Q("id")}, {Q("run_id")}, {Q("version")}, {Q("worker")}, {Q("status")}, {Q("event_id")}, {Q("message")}, {Q("ord")}) " +
            $"WHERE s.{runs} AND s.{Q("run_id")} = b.{Q("run_id")} AND s.{Q("id")} = b.{Q("id")} AND s.{Q("claimed_by")} = b.{Q("worker")} " +
            $"AND s.{Q("version")} = b.{Q("version")} AND s.{Q("status")} = @InProgress AND s.{Q("lease_expires_at")} > {now} ";
        var returning =
            $"RETURNING s.{Q("id")}, s.{Q("run_id")}, s.{Q("version")}, s.{Q("lease_expires_at")}, s.{Q("updated_at")}, " +
            $"b.{Q("worker")}, b.{Q("event_id")}, b.{Q("message")}, b.{Q("ord")})";
        var logColumns = string.Join(", ", RunEngineTables.RunLog.Columns.Select(c => Q(c.Name)));
        string Logged(string message) =>
            $", {Q("logged")} AS (INSERT INTO {tables.RunLog} ({logColumns}) " +
            $"SELECT c.{Q("event_id")}, c.{Q("run_id")}, c.{Q("id")}, NULL::uuid, @Kind, {message}, c.{Q("worker")}, c.{Q("updated_at")} " +
            $"FROM {Q("changed")} AS c ORDER BY c.{Q("ord")}) ";
        _renew = clock.Prologue(expires: true) + lockRows +
            $"WITH {Q("changed")} AS (UPDATE {tables.Stories} AS s SET {Q("lease_expires_at")} = {clock.Expires}, {Q("version")} = s.{Q("version")} + 1, {Q("updated_at")} = {now} " +
            from + returning +
            Logged($"COALESCE(c.{Q("message")}, {PostgreSqlSingleRowShape.Instance.LeaseUntilMessage($"c.{Q("lease_expires_at")}")})") +
            $"SELECT {Q("id")}, {Q("version")}, {Q("lease_expires_at")}, {Q("updated_at")} FROM {Q("changed")}";
        _finish = clock.Prologue(expires: false) + lockRows +
            $"WITH {Q("changed")} AS (UPDATE {tables.Stories} AS s SET {Q("status")} = b.{Q("status")}, {Q("claimed_by")} = NULL, {Q("lease_expires_at")} = NULL, " +
            $"{Q("version")} = s.{Q("version")} + 1, {Q("updated_at")} = {now} " +
            from + returning +
            Logged($"c.{Q("message")}") +
            $"SELECT {Q("id")}, {Q("version")}, {Q("updated_at")} FROM {Q("changed")}";
    }

    /// <summary>The renewal: lock the rows, then the CTE that renews every held lease and logs it.</summary>
    public string RenewText => _renew;

    /// <summary>The completion or release: lock the rows, then the CTE that sets each claim's status, clears its lease and logs it.</summary>
    public string FinishText => _finish;

    public override bool WritesLog => true;

    public override Task<IReadOnlyDictionary<Guid, StoredTransition>> ApplyAsync(
        DatabaseProvider provider, OperationScope scope, IReadOnlyList<LeaseStep> steps, TimeSpan? lease, DateTimeOffset hostNow, CancellationToken cancellationToken) =>
        throw new NotSupportedException("PostgreSQL writes a batch's transitions and log entries as one statement (ApplyLoggedAsync).");

    public override async Task<IReadOnlyDictionary<Guid, StoredTransition>> ApplyLoggedAsync(
        DatabaseProvider provider,
        OperationScope scope,
        IReadOnlyList<LeaseStep> steps,
        IReadOnlyList<string?> messages,
        IReadOnlyList<Guid> eventIds,
        string kind,
        TimeSpan? lease,
        DateTimeOffset hostNow,
        CancellationToken cancellationToken)
    {
        var stored = new Dictionary<Guid, StoredTransition>(steps.Count);
        if (!_distributed)
        {
            var all = Enumerable.Range(0, steps.Count).ToArray();
            await SendAsync(provider, scope.Connection, scope.Transaction, steps, messages, eventIds, all, null, kind, lease, hostNow, stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }

        // One command per run, runs in Guid order (overlapping batches lock in one order), claims in the order passed.
        var byRun = Enumerable.Range(0, steps.Count).GroupBy(i => steps[i].Claim.Story.RunId).OrderBy(g => g.Key).ToList();
        var own = byRun.Count > 1 && scope.Transaction is null
            ? await provider.BeginTransactionAsync(scope.Connection, cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            foreach (var run in byRun)
            {
                await SendAsync(provider, scope.Connection, own ?? scope.Transaction, steps, messages, eventIds, [.. run], run.Key, kind, lease, hostNow, stored, cancellationToken).ConfigureAwait(false);
            }

            if (own is not null)
            {
                await own.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (own is not null)
            {
                // Rolls back when the commit was not reached.
                await own.DisposeAsync().ConfigureAwait(false);
            }
        }

        return stored;
    }

    /// <summary>
    /// Sends the claims at <paramref name="positions"/> as one command and reads what it stored: for the run
    /// <paramref name="runId"/> (distributed), or for the batch's runs (<c>@RunIds</c>, the parameters as on one server).
    /// </summary>
    private async Task SendAsync(
        DatabaseProvider provider,
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction? transaction,
        IReadOnlyList<LeaseStep> steps,
        IReadOnlyList<string?> messages,
        IReadOnlyList<Guid> eventIds,
        int[] positions,
        Guid? runId,
        string kind,
        TimeSpan? lease,
        DateTimeOffset hostNow,
        Dictionary<Guid, StoredTransition> stored,
        CancellationToken cancellationToken)
    {
        var ids = positions.Select(i => steps[i].Claim.StoryId).ToArray();
        var runs = positions.Select(i => steps[i].Claim.Story.RunId).ToArray();
        var versions = positions.Select(i => steps[i].Claim.Version).ToArray();
        var workers = positions.Select(i => steps[i].Claim.WorkerId).ToArray();
        var statuses = positions.Select(i => (short)steps[i].Status).ToArray();
        var entries = positions.Select(i => eventIds[i]).ToArray();
        var texts = positions.Select(i => messages[i]).ToArray();
        var inProgress = (short)StoryStatus.InProgress;
        var values = new DynamicParameters(new
        {
            Ids = ids, Runs = runs, Versions = versions, Workers = workers, Statuses = statuses, EventIds = entries, Messages = texts, Kind = kind, InProgress = inProgress,
        });
        if (runId is { } run)
        {
            values.Add("RunId", run);
        }
        else
        {
            values.Add("RunIds", StoryClaims.RunsOf(steps.Select(s => s.Claim)));
        }

        var parameters = provider.Clock.AddParameters(values, hostNow, lease);
        var command = new CommandDefinition(lease is null ? _finish : _renew, parameters, transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
        var reader = await connection.ExecuteReaderAsync(command).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        await StoredTransition.ReadAfterLocksAsync(reader, withLease: lease is not null, stored, cancellationToken).ConfigureAwait(false);
    }
}
