using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// Streams rows into PostgreSQL with binary COPY (<see cref="NpgsqlConnection.BeginBinaryImportAsync"/>): one COPY per
/// table and call, typed values, no statement per row. Retry-safe inserts COPY into a temporary staging table and add
/// what is missing with one <c>INSERT ... ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class PostgreSqlBulkWriter : IBulkWriter
{
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<object, object> _rowWriters = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<object, object> _stagings = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<object, CheckedStagingStatements> _checked = new(ReferenceEqualityComparer.Instance);
    private readonly string _parentTable;
    private readonly bool _distributed;

    /// <param name="dialect">The dialect.</param>
    /// <param name="time">The clock of the write's timeout.</param>
    /// <param name="parentTable">The quoted stories table (the cards' parent), for the distributed path's checks.</param>
    /// <param name="distributed">Whether the tables are distributed (Citus): writes in a caller's transaction are then staged and checked first.</param>
    public PostgreSqlBulkWriter(SqlDialect dialect, TimeProvider time, string parentTable, bool distributed)
    {
        _dialect = dialect;
        _time = time;
        _parentTable = parentTable;
        _distributed = distributed;
    }

    public Task<long> WriteAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class =>
        // On Citus a key error inside a COPY into a distributed table reaches the client as XX000 and can cost the
        // connection, and with it a caller's transaction: there, inside one, the rows are staged and checked first.
        // On one server the COPY's errors keep their SQLSTATE and the savepoint keeps the transaction: COPY directly.
        _distributed && options.KeepTransactionUsable
            ? WriteCheckedAsync(Npgsql(connection), table, rows, options, cancellationToken)
            // COPY runs in the connection's current transaction; Npgsql needs no transaction argument.
            : CopyAsync(Npgsql(connection), table, table, rows, options, Deadline.Start(options.Timeout, _time), cancellationToken);

    /// <summary>
    /// The distributed path inside a caller's transaction (<see cref="CheckedStagingStatements"/>): COPY into a local
    /// temporary stage, look for the first row a key would reject and raise it as a
    /// <see cref="StagedKeyConflictException"/> (which the core explains as it explains a key error) before anything
    /// failed on the server, else insert every staged row with one <c>INSERT … SELECT</c> and drop the stage. Three
    /// round trips whatever the number of rows, plus the COPY.
    /// </summary>
    private async Task<long> WriteCheckedAsync<T>(NpgsqlConnection npgsql, string table, RowSource<T> rows, BulkInsertOptions options, CancellationToken cancellationToken)
        where T : class
    {
        var staging = _checked.GetOrAdd(rows.Map, static (map, state) => CheckedStagingStatements.For((TableMap<T>)map, state.table, state.parent, state.dialect), (table, parent: _parentTable, dialect: _dialect));
        var deadline = Deadline.Start(options.Timeout, _time);
        var create = new NpgsqlCommand(staging.Create, npgsql) { CommandTimeout = CommandTimeout(deadline, table) };
        await using (create.ConfigureAwait(false))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var copied = await CopyAsync(npgsql, staging.StageTable, table, rows, options, deadline, cancellationToken).ConfigureAwait(false);
        var check = new NpgsqlCommand(staging.FirstConflict, npgsql) { CommandTimeout = CommandTimeout(deadline, table) };
        await using (check.ConfigureAwait(false))
        {
            var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = staging.KeyColumns.Select((c, i) => (Column: c, Value: reader.IsDBNull(i + 2) ? null : reader.GetString(i + 2)))
                    .ToDictionary(v => v.Column, v => v.Value, StringComparer.Ordinal);
                throw new StagedKeyConflictException(rows.Map.EntityName, ConflictOf(staging, reader.GetInt32(0), reader.GetInt64(1) - 1, values));
            }
        }

        var batch = new NpgsqlBatch(npgsql)
        {
            BatchCommands = { new NpgsqlBatchCommand(staging.InsertAll), new NpgsqlBatchCommand(staging.Drop) },
        };
        await using (batch.ConfigureAwait(false))
        {
            batch.Timeout = CommandTimeout(deadline, table);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return copied;
    }

    /// <summary>The conflict <see cref="CheckedStagingStatements.FirstConflict"/> found, as the reading of the key error the database would have raised.</summary>
    internal static ConstraintViolation ConflictOf(CheckedStagingStatements staging, int check, long position, IReadOnlyDictionary<string, string?> values)
    {
        IReadOnlyList<string> columns = check switch
        {
            CheckedStagingStatements.IdStored or CheckedStagingStatements.IdRepeated => ["id"],
            CheckedStagingStatements.KeyStored or CheckedStagingStatements.KeyRepeated => staging.NaturalKey,
            _ => ["run_id", staging.ParentColumn!],
        };
        var kind = check == CheckedStagingStatements.ParentMissing ? DbErrorKind.ForeignKeyViolation : DbErrorKind.UniqueViolation;
        return new ConstraintViolation(kind)
        {
            Key = kind == DbErrorKind.ForeignKeyViolation ? ViolatedKey.Parent : columns.Count == 1 ? ViolatedKey.Id : ViolatedKey.NaturalKey,
            Columns = columns,
            Values = columns.Select(c => values[c] ?? string.Empty).ToArray(),
            Position = position,
        };
    }

    public async Task<long> InsertMissingAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        TableStatements<T> table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        var npgsql = Npgsql(connection);
        var staging = StagingFor(table);
        var deadline = Deadline.Start(options.Timeout, _time);

        // Three round trips whatever the number of rows: create the stage, COPY into it, insert what is missing and
        // drop the stage. On failure the caller rolls back to its savepoint, which removes the stage too.
        var create = new NpgsqlCommand(staging.Create, npgsql) { CommandTimeout = CommandTimeout(deadline, table.Table) };
        await using (create.ConfigureAwait(false))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CopyAsync(npgsql, staging.StageTable, table.Table, rows, options, deadline, cancellationToken).ConfigureAwait(false);

        var batch = new NpgsqlBatch(npgsql)
        {
            BatchCommands = { new NpgsqlBatchCommand(staging.InsertMissing), new NpgsqlBatchCommand(staging.Drop) },
        };
        await using (batch.ConfigureAwait(false))
        {
            batch.Timeout = CommandTimeout(deadline, table.Table);

            // The count of what the INSERT returned (see StagingStatements.InsertMissing), not its command tag.
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            return await InsertedCount.ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>COPYs the rows into <paramref name="destination"/>; errors name <paramref name="table"/>, the table the caller wrote to.</summary>
    private async Task<long> CopyAsync<T>(
        NpgsqlConnection npgsql,
        string destination,
        string table,
        RowSource<T> rows,
        BulkInsertOptions options,
        Deadline deadline,
        CancellationToken cancellationToken)
        where T : class
    {
        var writer = RowWriterFor(rows.Map);
        var importer = await npgsql.BeginBinaryImportAsync(writer.CopyCommand(destination), cancellationToken).ConfigureAwait(false);
        ulong written;
        try
        {
            // Bounds each network wait, including the server's work at completion (constraint checks of every row).
            // Without a Timeout there is no limit: the connection's Command Timeout would otherwise end a long
            // completion and break the connection.
            importer.Timeout = CopyTimeout.Of(options.Timeout);
            while (await rows.MoveNextAsync().ConfigureAwait(false))
            {
                await writer.WriteRowAsync(importer, rows.Current, rows.Context).ConfigureAwait(false);
                deadline.ThrowIfExpired(table);
            }

            if (deadline.Remaining(table) is { } remaining)
            {
                importer.Timeout = CopyTimeout.Limit(remaining);
            }

            // No token: cancelling a pending completion breaks the connection (Npgsql sends no CancelRequest here), so
            // the caller's transaction would be lost; the completion is bounded by the Timeout instead.
            written = await importer.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(importer).ConfigureAwait(false);
            throw;
        }

        await importer.DisposeAsync().ConfigureAwait(false);
        return checked((long)written);
    }

    private static NpgsqlConnection Npgsql(DbConnection connection) =>
        connection as NpgsqlConnection ?? throw new ArgumentException("PostgreSQL bulk inserts need an NpgsqlConnection.", nameof(connection));

    /// <summary>
    /// A statement's timeout in whole seconds: what is left of the bulk operation's time, or none (0) without a
    /// <see cref="BulkInsertOptions.Timeout"/>, like the COPY itself.
    /// </summary>
    private static int CommandTimeout(Deadline deadline, string table) =>
        deadline.Remaining(table) is { } remaining ? Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds)) : 0;


    /// <summary>
    /// Disposing an uncompleted importer sends CopyFail, so the server ends the COPY with an error and the connection
    /// stays usable for the savepoint rollback. When the connection itself is gone this throws; the original error is
    /// what the caller needs to see, and the transaction dies with the connection anyway.
    /// </summary>
    private static async ValueTask AbortAsync(NpgsqlBinaryImporter importer)
    {
        try
        {
            await importer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // Deliberately ignored: see above.
        }
    }

    private StagingStatements StagingFor<T>(TableStatements<T> table)
        where T : class =>
        (StagingStatements)_stagings.GetOrAdd(table, static (key, dialect) => StagingStatements.For((TableStatements<T>)key, dialect), _dialect);

    private CopyRowWriter<T> RowWriterFor<T>(TableMap<T> map)
        where T : class =>
        (CopyRowWriter<T>)_rowWriters.GetOrAdd(map, static (key, dialect) => new CopyRowWriter<T>((TableMap<T>)key, dialect), _dialect);
}
