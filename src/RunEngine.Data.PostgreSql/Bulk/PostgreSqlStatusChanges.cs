using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// Set-based status changes on PostgreSQL in three round trips whatever the number of changes: create the stage; binary
/// COPY the streamed changes into it; one <see cref="NpgsqlBatch"/> of four statements (lock and read versions, report
/// what did not match, update and log, drop the stage). See <see cref="StatusStagingStatements"/>.
/// <see cref="StatusChangeOptions.Timeout"/> bounds the whole batch as <see cref="BulkInsertOptions.Timeout"/> bounds a
/// bulk insert (<see cref="PostgreSqlBulkWriter"/>): each statement and the COPY's network waits get what is left of it,
/// the streamed changes are checked against its <see cref="Deadline"/>, and without one nothing is limited (not even by
/// the connection's Command Timeout, which would otherwise end a long lock wait or update and break the connection).
/// <para>
/// Distributed by run (Citus, which takes row locks in single-shard statements only), every locking statement names one
/// run (<c>run_id = @RunId</c>): the id-only forms first learn the runs of their rows (a read without locks, across
/// shards), then send the run-scoped lock step and update once per run, runs in Guid order, in the call's one
/// transaction (see <see cref="ApplyAsync"/> and <see cref="ApplyByParentAsync"/>). On one server nothing changes.
/// </para>
/// </summary>
internal sealed class PostgreSqlStatusChanges : IStatusChangeWriter
{
    private const string UniqueViolation = "23505";
    private readonly TableNames _tables;
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(StatusChangeTable Table, bool InRun), StatusStagingStatements> _statements = new();
    private readonly PostgreSqlStatusByParent _byParentWriter;
    private readonly bool _distributed;

    /// <param name="tables">The tables.</param>
    /// <param name="dialect">The dialect.</param>
    /// <param name="commandTimeoutSeconds">The provider's command timeout (changes by parent, <see cref="PostgreSqlStatusByParent"/>).</param>
    /// <param name="time">The clock of the deadlines.</param>
    /// <param name="distributed">Distributed by run: every locking statement names one run (one statement per run).</param>
    public PostgreSqlStatusChanges(TableNames tables, SqlDialect dialect, int commandTimeoutSeconds, TimeProvider time, bool distributed = false)
    {
        _tables = tables;
        _dialect = dialect;
        _time = time;
        _distributed = distributed;
        _byParentWriter = new PostgreSqlStatusByParent(tables, dialect, commandTimeoutSeconds, distributed);
    }

    /// <summary>
    /// The set-based change. Distributed by run, the id-only form (<paramref name="runId"/> null) learns the staged ids'
    /// runs after the COPY (<see cref="StatusStagingStatements.StagedRuns"/>), and its batch holds the run-scoped lock
    /// step once per run (in Guid order), then the one report of what did not match (so all or nothing is decided over
    /// the whole batch before anything is applied), then the run-scoped update once per run, then the drop; its count is
    /// the sum of the updates'. With one run that is exactly the run-scoped form's batch.
    /// </summary>
    public async Task<StatusChangeOutcome> ApplyAsync(
        OperationScope scope, StatusChangeTable table, StatusChangeSource changes, StatusChangeOptions options, DateTimeOffset now, Guid? runId, CancellationToken cancellationToken)
    {
        var deadline = Deadline.Start(options.Timeout, _time);
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        var byRun = runId is not null || _distributed;
        var sql = _statements.GetOrAdd((table, byRun), static (key, self) => new StatusStagingStatements(key.Table, self._tables.RunLog, self._dialect, key.InRun), this);

        var create = new NpgsqlCommand(sql.Create, connection) { CommandTimeout = CommandTimeout(deadline, table.Table) };
        await using (create.ConfigureAwait(false))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await CopyAsync(connection, sql.Copy, table.Table, changes, options.Timeout, deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.TableName == sql.StageName)
        {
            throw changes.RepeatedPastWindow(ex);
        }

        // The runs the lock steps and updates name: none for the id-only form on one server (its texts name no run).
        IReadOnlyList<Guid?> runs = runId is { } run
            ? [run]
            : _distributed
            ? await StagedRunsAsync(connection, sql.StagedRuns, CommandTimeout(deadline, table.Table), cancellationToken).ConfigureAwait(false)
            : [null];

        var batch = new NpgsqlBatch(connection) { Timeout = CommandTimeout(deadline, table.Table) };
        await using var batchDisposal = batch.ConfigureAwait(false);
        foreach (var lockRun in runs)
        {
            var lockAndRead = new NpgsqlBatchCommand(sql.LockAndRead);
            if (lockRun is { } locked)
            {
                lockAndRead.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = locked });
            }

            batch.BatchCommands.Add(lockAndRead);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Unmatched));
        var applies = new List<NpgsqlBatchCommand>(runs.Count);
        foreach (var applyRun in runs)
        {
            var apply = new NpgsqlBatchCommand(sql.Apply)
            {
                Parameters =
                {
                    new NpgsqlParameter("Now", NpgsqlDbType.TimestampTz) { Value = now },
                    new NpgsqlParameter("ApplyWhatMatches", NpgsqlDbType.Boolean) { Value = options.Mode == StatusChangeMode.ApplyWhatMatches },
                    new NpgsqlParameter("Kind", NpgsqlDbType.Varchar) { Value = table.Kind },
                    new NpgsqlParameter("InProgress", NpgsqlDbType.Smallint) { Value = (short)StoryStatus.InProgress },
                },
            };
            if (applyRun is { } applied)
            {
                apply.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = applied });
            }

            batch.BatchCommands.Add(apply);
            applies.Add(apply);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Drop));

        var conflicts = new List<StatusConflict>();
        var missing = new List<Guid>();
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // The lock steps return no rows: the first result is the report.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                if (reader.IsDBNull(2))
                {
                    missing.Add(id);
                }
                else
                {
                    conflicts.Add(new StatusConflict(id, reader.GetInt32(1), reader.GetInt32(2)));
                }
            }

            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                // Drains the remaining statements so their row counts are set.
            }
        }

        return new StatusChangeOutcome(applies.Sum(a => checked((long)a.Rows)), conflicts, missing);
    }

    /// <inheritdoc cref="PostgreSqlStatusByParent.ApplyAsync"/>
    public Task<long> ApplyByParentAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken) =>
        _byParentWriter.ApplyAsync(scope, table, change, cancellationToken);

    /// <inheritdoc cref="PostgreSqlStatusByParent.CountLoggedAsync"/>
    public Task<long?> CountByParentLoggedAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken) =>
        _byParentWriter.CountLoggedAsync(scope, table, change, cancellationToken);

    /// <summary>
    /// Always: the parent ids travel as one uuid[] parameter (<see cref="StatusByParentStatements"/>). Distributed by run,
    /// a change of one run is that one statement too; one of several runs sends one statement per run, in a transaction
    /// of the call's own when the scope has none (<see cref="PostgreSqlStatusByParent.ApplyAsync"/>), so it is atomic all the same.
    /// </summary>
    public bool ByParentIsOneStatement(ParentStatusChange change) => true;

    /// <summary>The distinct runs of the staged ids' rows, in Guid order (a read without locks).</summary>
    private static async Task<IReadOnlyList<Guid?>> StagedRunsAsync(NpgsqlConnection connection, string sql, int timeout, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeout };
        await using var commandDisposal = command.ConfigureAwait(false);
        var runs = new List<Guid>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(reader.GetGuid(0));
            }
        }

        return [.. runs.Order().Select(r => (Guid?)r)];
    }

    /// <summary>
    /// A statement's timeout in whole seconds: what is left of the batch's time, or none (0) without a
    /// <see cref="StatusChangeOptions.Timeout"/> (as <see cref="PostgreSqlBulkWriter"/> does for inserts).
    /// </summary>
    private static int CommandTimeout(Deadline deadline, string table) =>
        deadline.Remaining(table) is { } remaining ? Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds)) : 0;


    private static async Task CopyAsync(
        NpgsqlConnection connection, string copy, string table, StatusChangeSource changes, TimeSpan? timeout, Deadline deadline, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        try
        {
            // As for inserts: bounds each network wait by the Timeout, or by nothing without one (the connection's
            // Command Timeout would otherwise end a long load).
            importer.Timeout = CopyTimeout.Of(timeout);
            while (await changes.MoveNextAsync().ConfigureAwait(false))
            {
                var change = changes.Current;
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.ExpectedVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.Status, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.Message, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.EventId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                deadline.ThrowIfExpired(table);
            }

            if (deadline.Remaining(table) is { } remaining)
            {
                importer.Timeout = CopyTimeout.Limit(remaining);
            }

            // No token: cancelling a pending completion breaks the connection (see PostgreSqlBulkWriter).
            await importer.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                // Sends CopyFail, so the connection stays usable for the rollback.
                await importer.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
            {
                // The original error is the one to report.
            }

            throw;
        }

        await importer.DisposeAsync().ConfigureAwait(false);
    }
}
