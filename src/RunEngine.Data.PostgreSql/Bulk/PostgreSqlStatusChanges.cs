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
/// </summary>
internal sealed class PostgreSqlStatusChanges : IStatusChangeWriter
{
    private const string UniqueViolation = "23505";
    private readonly TableNames _tables;
    private readonly SqlDialect _dialect;
    private readonly int _commandTimeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(StatusChangeTable Table, bool InRun), StatusStagingStatements> _statements = new();
    private readonly ConcurrentDictionary<(StatusChangeTable Table, bool InRun), string> _byParent = new();

    public PostgreSqlStatusChanges(TableNames tables, SqlDialect dialect, int commandTimeoutSeconds, TimeProvider time)
    {
        _tables = tables;
        _dialect = dialect;
        _commandTimeout = commandTimeoutSeconds;
        _time = time;
    }

    public async Task<StatusChangeOutcome> ApplyAsync(
        OperationScope scope, StatusChangeTable table, StatusChangeSource changes, StatusChangeOptions options, DateTimeOffset now, Guid? runId, CancellationToken cancellationToken)
    {
        var deadline = Deadline.Start(options.Timeout, _time);
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        var sql = _statements.GetOrAdd((table, runId is not null), static (key, self) => new StatusStagingStatements(key.Table, self._tables.RunLog, self._dialect, key.InRun), this);

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

        var lockAndRead = new NpgsqlBatchCommand(sql.LockAndRead);
        var batch = new NpgsqlBatch(connection)
        {
            Timeout = CommandTimeout(deadline, table.Table),
            BatchCommands =
            {
                lockAndRead,
                new NpgsqlBatchCommand(sql.Unmatched),
                new NpgsqlBatchCommand(sql.Apply)
                {
                    Parameters =
                    {
                        new NpgsqlParameter("Now", NpgsqlDbType.TimestampTz) { Value = now },
                        new NpgsqlParameter("ApplyWhatMatches", NpgsqlDbType.Boolean) { Value = options.Mode == StatusChangeMode.ApplyWhatMatches },
                        new NpgsqlParameter("Kind", NpgsqlDbType.Varchar) { Value = table.Kind },
                        new NpgsqlParameter("InProgress", NpgsqlDbType.Smallint) { Value = (short)StoryStatus.InProgress },
                    },
                },
                new NpgsqlBatchCommand(sql.Drop),
            },
        };
        await using var batchDisposal = batch.ConfigureAwait(false);
        if (runId is { } run)
        {
            lockAndRead.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = run });
            batch.BatchCommands[2].Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = run });
        }

        var conflicts = new List<StatusConflict>();
        var missing = new List<Guid>();
        var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
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

        return new StatusChangeOutcome(checked((long)batch.BatchCommands[2].Rows), conflicts, missing);
    }

    public async Task<long> ApplyByParentAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        var sql = _byParent.GetOrAdd((table, change.RunId is not null), static (key, self) => StatusByParentStatements.Apply(key.Table, self._tables.RunLog, self._dialect, key.InRun), this);

        // One statement whatever the number of parents: the ids travel as one uuid[] parameter.
        var command = new NpgsqlCommand(sql, connection)
        {
            CommandTimeout = _commandTimeout,
            Parameters =
            {
                new NpgsqlParameter("ParentIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = change.ParentIds.ToArray() },
                new NpgsqlParameter("From", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = change.From },
                new NpgsqlParameter("To", NpgsqlDbType.Smallint) { Value = change.To },
                new NpgsqlParameter("InProgress", NpgsqlDbType.Smallint) { Value = (short)StoryStatus.InProgress },
                new NpgsqlParameter("Now", NpgsqlDbType.TimestampTz) { Value = change.Now },
                new NpgsqlParameter("Kind", NpgsqlDbType.Varchar) { Value = table.Kind },
                new NpgsqlParameter("Message", NpgsqlDbType.Varchar) { Value = (object?)change.Message ?? DBNull.Value },
                new NpgsqlParameter("MessageHead", NpgsqlDbType.Varchar) { Value = change.MessageHead },
                new NpgsqlParameter("EventPrefix", NpgsqlDbType.Text) { Value = CallEventIds.RangePrefix(change.EventBase) },
            },
        };
        await using var commandDisposal = command.ConfigureAwait(false);
        if (change.RunId is { } run)
        {
            command.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = run });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries in the call's id range (<see cref="StatusByParentStatements.CountLogged(StatusChangeTable, string, SqlDialect, bool)"/>): one index range scan.</summary>
    public async Task<long?> CountByParentLoggedAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(change);
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        var (low, high) = CallEventIds.Range(change.EventBase);
        var command = new NpgsqlCommand(StatusByParentStatements.CountLogged(table, _tables.RunLog, _dialect, change.RunId is not null), connection)
        {
            CommandTimeout = _commandTimeout,
            Parameters =
            {
                new NpgsqlParameter("Low", NpgsqlDbType.Uuid) { Value = low },
                new NpgsqlParameter("High", NpgsqlDbType.Uuid) { Value = high },
            },
        };
        await using var commandDisposal = command.ConfigureAwait(false);
        if (change.RunId is { } run)
        {
            command.Parameters.Add(new NpgsqlParameter("RunId", NpgsqlDbType.Uuid) { Value = run });
        }
        else if (!table.IsCard)
        {
            command.Parameters.Add(new NpgsqlParameter("ParentIds", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = change.ParentIds.ToArray() });
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Always: the parent ids travel as one uuid[] parameter (<see cref="StatusByParentStatements"/>).</summary>
    public bool ByParentIsOneStatement(ParentStatusChange change) => true;

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
