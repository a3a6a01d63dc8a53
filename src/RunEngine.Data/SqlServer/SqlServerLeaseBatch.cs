using System.Data.SqlTypes;
using System.Globalization;
using System.Text;
using Dapper;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// SQL Server's batch lease transitions: per chunk of at most <see cref="MaxRowsPerCommand"/> claims (within the
/// 2,100 parameters of a request), one T-SQL batch of two statements: a <c>SELECT … WITH (UPDLOCK, ROWLOCK)</c> of the
/// chunk's ids <c>ORDER BY id</c>, which takes the update locks in key order, then one <c>UPDATE … FROM</c> joined to a
/// <c>VALUES</c> table of (run, id, version, worker, status) that checks every claim as the single-claim statements do and
/// returns what it stored with <c>OUTPUT</c>. Chunks go in SQL Server's uniqueidentifier order, so overlapping batches
/// take their locks in one order.
/// </summary>
internal sealed class SqlServerLeaseBatch : LeaseBatch
{
    /// <summary>Claims per command: 5 parameters each (run, id, version, worker, status) plus the clock's and @InProgress stay under 2,100.</summary>
    public const int MaxRowsPerCommand = 400;

    private readonly TableNames _tables;
    private readonly LeaseClockSql _clock;

    public SqlServerLeaseBatch(TableNames tables, LeaseClockSql clock)
    {
        _tables = tables;
        _clock = clock;
    }

    /// <summary>The T-SQL batch for <paramref name="rows"/> claims: a renewal when <paramref name="renew"/>, else a finish.</summary>
    public string Text(int rows, bool renew)
    {
        static string Q(string name) => SqlServerDialect.Instance.Quote(name);
        var now = _clock.Now;
        var ids = new StringBuilder();
        var runs = new StringBuilder();
        var values = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var comma = i == 0 ? string.Empty : ", ";
            ids.Append(CultureInfo.InvariantCulture, $"{comma}@I{i}");
            runs.Append(CultureInfo.InvariantCulture, $"{comma}@R{i}");
            values.Append(CultureInfo.InvariantCulture, $"{comma}(@R{i}, @I{i}, @V{i}, @W{i}, @S{i})");
        }

        var set = renew
            ? $"{Q("lease_expires_at")} = {_clock.Expires}, {Q("version")} = s.{Q("version")} + 1, {Q("updated_at")} = {now}"
            : $"{Q("status")} = b.{Q("status")}, {Q("claimed_by")} = NULL, {Q("lease_expires_at")} = NULL, {Q("version")} = s.{Q("version")} + 1, {Q("updated_at")} = {now}";
        var output = renew
            ? $"inserted.{Q("id")}, inserted.{Q("version")}, inserted.{Q("lease_expires_at")}, inserted.{Q("updated_at")}"
            : $"inserted.{Q("id")}, inserted.{Q("version")}, inserted.{Q("updated_at")}";
        return _clock.Prologue(expires: renew) +
            $"SELECT s.{Q("id")} FROM {_tables.Stories} AS s WITH (UPDLOCK, ROWLOCK) WHERE s.{Q("run_id")} IN ({runs}) AND s.{Q("id")} IN ({ids}) ORDER BY s.{Q("id")};\n" +
            $"UPDATE s SET {set} OUTPUT {output} " +
            $"FROM {_tables.Stories} AS s WITH (UPDLOCK, ROWLOCK) " +
            $"INNER JOIN (VALUES {values}) AS b({Q("run_id")}, {Q("id")}, {Q("version")}, {Q("worker")}, {Q("status")}) " +
            $"ON s.{Q("run_id")} = b.{Q("run_id")} AND s.{Q("id")} = b.{Q("id")} " +
            $"WHERE s.{Q("claimed_by")} = b.{Q("worker")} AND s.{Q("version")} = b.{Q("version")} " +
            $"AND s.{Q("status")} = @InProgress AND s.{Q("lease_expires_at")} > {now};";
    }

    public override async Task<IReadOnlyDictionary<Guid, StoredTransition>> ApplyAsync(
        DatabaseProvider provider, OperationScope scope, IReadOnlyList<LeaseStep> steps, TimeSpan? lease, DateTimeOffset hostNow, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<Guid, StoredTransition>(steps.Count);
        var ordered = steps.OrderBy(s => new SqlGuid(s.Claim.StoryId)).ToArray();
        foreach (var chunk in ordered.Chunk(MaxRowsPerCommand))
        {
            var values = new DynamicParameters(new { InProgress = (short)StoryStatus.InProgress });
            for (var i = 0; i < chunk.Length; i++)
            {
                var claim = chunk[i].Claim;
                values.Add(string.Create(CultureInfo.InvariantCulture, $"R{i}"), claim.Story.RunId);
                values.Add(string.Create(CultureInfo.InvariantCulture, $"I{i}"), claim.StoryId);
                values.Add(string.Create(CultureInfo.InvariantCulture, $"V{i}"), claim.Version);
                values.Add(string.Create(CultureInfo.InvariantCulture, $"W{i}"), claim.WorkerId);
                values.Add(string.Create(CultureInfo.InvariantCulture, $"S{i}"), (short)chunk[i].Status);
            }

            var parameters = provider.Clock.AddParameters(values, hostNow, lease);
            var command = new CommandDefinition(Text(chunk.Length, renew: lease is not null), parameters, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
            var reader = await scope.Connection.ExecuteReaderAsync(command).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            await StoredTransition.ReadAfterLocksAsync(reader, withLease: lease is not null, stored, cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }
}
