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
/// </summary>
internal sealed class PostgreSqlStatusChanges : IStatusChangeWriter
{
    private const string UniqueViolation = "23505";
    private readonly TableNames _tables;
    private readonly SqlDialect _dialect;
    private readonly int _timeout;
    private readonly ConcurrentDictionary<StatusChangeTable, StatusStagingStatements> _statements = new();
    private readonly ConcurrentDictionary<StatusChangeTable, string> _byParent = new();

    public PostgreSqlStatusChanges(TableNames tables, SqlDialect dialect, int commandTimeoutSeconds)
    {
        _tables = tables;
        _dialect = dialect;
        _timeout = commandTimeoutSeconds;
    }

    public async Task<StatusChangeOutcome> ApplyAsync(
        OperationScope scope, StatusChangeTable table, StatusChangeSource changes, StatusChangeMode mode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = scope.Connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL status changes need an NpgsqlConnection.", nameof(scope));
        var sql = _statements.GetOrAdd(table, static (key, self) => new StatusStagingStatements(key, self._tables.RunLog, self._dialect), this);

        var create = new NpgsqlCommand(sql.Create, connection) { CommandTimeout = _timeout };
        await using (create.ConfigureAwait(false))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await CopyAsync(connection, sql.Copy, changes, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.TableName == sql.StageName)
        {
            throw changes.RepeatedPastWindow(ex);
        }

        var batch = new NpgsqlBatch(connection)
        {
            Timeout = _timeout,
            BatchCommands =
            {
                new NpgsqlBatchCommand(sql.LockAndRead),
                new NpgsqlBatchCommand(sql.Unmatched),
                new NpgsqlBatchCommand(sql.Apply)
                {
                    Parameters =
                    {
                        new NpgsqlParameter("Now", NpgsqlDbType.TimestampTz) { Value = now },
                        new NpgsqlParameter("ApplyWhatMatches", NpgsqlDbType.Boolean) { Value = mode == StatusChangeMode.ApplyWhatMatches },
                        new NpgsqlParameter("Kind", NpgsqlDbType.Varchar) { Value = table.Kind },
                        new NpgsqlParameter("InProgress", NpgsqlDbType.Smallint) { Value = (short)StoryStatus.InProgress },
                    },
                },
                new NpgsqlBatchCommand(sql.Drop),
            },
        };
        await using var batchDisposal = batch.ConfigureAwait(false);
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
        var sql = _byParent.GetOrAdd(table, static (key, self) => StatusByParentStatements.Apply(key, self._tables.RunLog, self._dialect), this);

        // One statement whatever the number of parents: the ids travel as one uuid[] parameter.
        var command = new NpgsqlCommand(sql, connection)
        {
            CommandTimeout = _timeout,
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
            },
        };
        await using var commandDisposal = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string copy, StatusChangeSource changes, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        try
        {
            while (await changes.MoveNextAsync().ConfigureAwait(false))
            {
                var change = changes.Current;
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.ExpectedVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.Status, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.Message, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(change.EventId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
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
