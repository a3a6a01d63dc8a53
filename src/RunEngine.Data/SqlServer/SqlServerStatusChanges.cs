using System.Globalization;
using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// Set-based status changes on SQL Server in a constant number of round trips: create the stage; load it (multi-row
/// INSERTs when the whole batch fits in the small-batch threshold, as inserts do; SqlBulkCopy otherwise, streamed); one
/// T-SQL batch that locks, reports, updates with its log entries and drops the stage (<see cref="SqlServerStatusStaging"/>).
/// Each of them runs under <see cref="StatusChangeOptions.Timeout"/> in whole seconds (none without one), as a bulk
/// insert's statements and <c>SqlBulkCopy.BulkCopyTimeout</c> run under <see cref="BulkInsertOptions.Timeout"/>.
/// </summary>
internal sealed class SqlServerStatusChanges : IStatusChangeWriter
{
    private const int DuplicateKey = 2627;
    private const int DuplicateIndexKey = 2601;
    private readonly SqlServerOptions _options;
    private readonly TableNames _tables;
    private readonly ConcurrentDictionary<(StatusChangeTable Table, bool InRun), (string Create, string Apply)> _texts = new();

    public SqlServerStatusChanges(SqlServerOptions options, TableNames tables)
    {
        _options = options;
        _tables = tables;
    }

    /// <summary>The timeout of a change by parent, which has no options of its own.</summary>
    private int CommandTimeout => (int)Math.Ceiling(_options.CommandTimeout.TotalSeconds);

    public async Task<StatusChangeOutcome> ApplyAsync(
        OperationScope scope, StatusChangeTable table, StatusChangeSource changes, StatusChangeOptions options, DateTimeOffset now, Guid? runId, CancellationToken cancellationToken)
    {
        var timeout = options.TimeoutSeconds;
        var connection = scope.Connection as SqlConnection
            ?? throw new ArgumentException("The SQL Server provider needs a Microsoft.Data.SqlClient.SqlConnection.", nameof(scope));
        var transaction = (SqlTransaction)scope.Transaction!;
        var (create, apply) = _texts.GetOrAdd(
            (table, runId is not null), static (key, runLog) => (SqlServerStatusStaging.CreateText(key.Table), SqlServerStatusStaging.ApplyText(key.Table, runLog, key.InRun)), _tables.RunLog);

        var createCommand = new SqlCommand(create, connection, transaction) { CommandTimeout = timeout };
        await using (createCommand.ConfigureAwait(false))
        {
            await createCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await LoadAsync(connection, transaction, table, changes, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SqlException ex) when (ex.Number is DuplicateKey or DuplicateIndexKey)
        {
            throw changes.RepeatedPastWindow(ex);
        }

        var command = new SqlCommand(apply, connection, transaction) { CommandTimeout = timeout };
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Parameters.Add(new SqlParameter("@Now", SqlDbType.DateTimeOffset) { Value = now, Scale = 7 });
        command.Parameters.Add(new SqlParameter("@Kind", SqlDbType.NVarChar, RunEngineLimits.EventKindMaxLength) { Value = table.Kind });
        command.Parameters.Add(new SqlParameter("@ApplyWhatMatches", SqlDbType.Bit) { Value = options.Mode == StatusChangeMode.ApplyWhatMatches });
        command.Parameters.Add(new SqlParameter("@InProgress", SqlDbType.SmallInt) { Value = (short)StoryStatus.InProgress });
        if (runId is { } run)
        {
            command.Parameters.Add(new SqlParameter("@RunId", SqlDbType.UniqueIdentifier) { Value = run });
        }

        var conflicts = new List<StatusConflict>();
        var missing = new List<Guid>();
        long changed = 0;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetGuid(0);
                if (await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false))
                {
                    missing.Add(id);
                }
                else
                {
                    conflicts.Add(new StatusConflict(id, reader.GetInt32(1), reader.GetInt32(2)));
                }
            }

            if (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changed = reader.GetInt64(0);
            }
        }

        // SQL Server orders uniqueidentifier by its last bytes first; the report is in the Guid's own order on every provider.
        conflicts.Sort((a, b) => a.Id.CompareTo(b.Id));
        missing.Sort();
        return new StatusChangeOutcome(changed, conflicts, missing);
    }

    /// <summary>
    /// One chunk of parents: one <c>UPDATE … OUTPUT … INTO</c> the run log (atomic by itself in autocommit) and the
    /// SELECT of its row count, in one batch.
    /// </summary>
    public bool ByParentIsOneStatement(ParentStatusChange change) => change.ParentIds.Count <= SqlServerStatusByParent.ParentsPerStatement;

    /// <summary>Never known: the entries of a change by parent get ids of their own (one transaction on SQLite; NEWID() in SQL Server's OUTPUT).</summary>
    public Task<long?> CountByParentLoggedAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public async Task<long> ApplyByParentAsync(OperationScope scope, StatusChangeTable table, ParentStatusChange change, CancellationToken cancellationToken)
    {
        var connection = scope.Connection as SqlConnection
            ?? throw new ArgumentException("The SQL Server provider needs a Microsoft.Data.SqlClient.SqlConnection.", nameof(scope));
        var transaction = (SqlTransaction?)scope.Transaction;
        long changed = 0;
        foreach (var chunk in change.Chunks(SqlServerStatusByParent.ParentsPerStatement))
        {
            var command = new SqlCommand(SqlServerStatusByParent.ApplyText(table, _tables.RunLog, chunk.Count, change.From.Length, change.RunId is not null), connection, transaction)
            {
                CommandTimeout = CommandTimeout,
            };
            await using var commandDisposal = command.ConfigureAwait(false);
            command.Parameters.Add(new SqlParameter("@To", SqlDbType.SmallInt) { Value = change.To });
            command.Parameters.Add(new SqlParameter("@InProgress", SqlDbType.SmallInt) { Value = (short)StoryStatus.InProgress });
            command.Parameters.Add(new SqlParameter("@Now", SqlDbType.DateTimeOffset) { Value = change.Now, Scale = 7 });
            command.Parameters.Add(new SqlParameter("@Kind", SqlDbType.NVarChar, RunEngineLimits.EventKindMaxLength) { Value = table.Kind });
            command.Parameters.Add(new SqlParameter("@Message", SqlDbType.NVarChar, RunEngineLimits.EventMessageMaxLength) { Value = (object?)change.Message ?? DBNull.Value });
            command.Parameters.Add(new SqlParameter("@MessageHead", SqlDbType.NVarChar, RunEngineLimits.EventMessageMaxLength) { Value = change.MessageHead });
            if (change.RunId is { } run)
            {
                command.Parameters.Add(new SqlParameter("@RunId", SqlDbType.UniqueIdentifier) { Value = run });
            }

            for (var i = 0; i < change.From.Length; i++)
            {
                command.Parameters.Add(new SqlParameter("@f" + i.ToString(CultureInfo.InvariantCulture), SqlDbType.SmallInt) { Value = change.From[i] });
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                command.Parameters.Add(new SqlParameter("@p" + i.ToString(CultureInfo.InvariantCulture), SqlDbType.UniqueIdentifier) { Value = chunk[i] });
            }

            changed += (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        return changed;
    }

    private async Task LoadAsync(SqlConnection connection, SqlTransaction transaction, StatusChangeTable table, StatusChangeSource changes, int timeout, CancellationToken cancellationToken)
    {
        // The head is bounded by the small-batch threshold (at most 1,000 changes).
        var head = new List<StatusChangeRow>();
        var ended = false;
        while (head.Count < Math.Max(1, _options.SmallBatchThreshold))
        {
            if (!await changes.MoveNextAsync().ConfigureAwait(false))
            {
                ended = true;
                break;
            }

            head.Add(changes.Current);
        }

        if (ended)
        {
            for (var start = 0; start < head.Count; start += SqlServerStatusStaging.MaxRowsPerInsert)
            {
                var rows = Math.Min(SqlServerStatusStaging.MaxRowsPerInsert, head.Count - start);
                var insert = new SqlCommand(SqlServerStatusStaging.InsertText(table, rows), connection, transaction) { CommandTimeout = timeout };
                await using var insertDisposal = insert.ConfigureAwait(false);
                for (var row = 0; row < rows; row++)
                {
                    var change = head[start + row];
                    var p = row * SqlServerStatusStaging.ParametersPerRow;
                    insert.Parameters.Add(new SqlParameter($"@p{p}", SqlDbType.UniqueIdentifier) { Value = change.Id });
                    insert.Parameters.Add(new SqlParameter($"@p{p + 1}", SqlDbType.Int) { Value = change.ExpectedVersion });
                    insert.Parameters.Add(new SqlParameter($"@p{p + 2}", SqlDbType.SmallInt) { Value = change.Status });
                    insert.Parameters.Add(new SqlParameter($"@p{p + 3}", SqlDbType.NVarChar, RunEngineLimits.EventMessageMaxLength) { Value = change.Message });
                    insert.Parameters.Add(new SqlParameter($"@p{p + 4}", SqlDbType.UniqueIdentifier) { Value = change.EventId });
                }

                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var reader = new StatusChangeDataReader(changes, head);
        await using var readerDisposal = reader.ConfigureAwait(false);

        // The stage is the session's own: a table lock costs no concurrency.
        using var bulkCopy = new SqlBulkCopy(connection, SqlBulkCopyOptions.TableLock, transaction)
        {
            DestinationTableName = SqlServerStatusStaging.StageName(table),
            EnableStreaming = true,
            BulkCopyTimeout = timeout,
        };
        foreach (var column in SqlServerStatusStaging.LoadColumns)
        {
            bulkCopy.ColumnMappings.Add(column, column);
        }

        await bulkCopy.WriteToServerAsync(reader, cancellationToken).ConfigureAwait(false);
    }
}
