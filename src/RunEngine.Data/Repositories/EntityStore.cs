using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Dapper;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.Repositories;

/// <summary>
/// The provider-neutral operations on one table: bulk insert through the provider's writer (inside a savepoint, with
/// database errors translated into row-level errors), reads, versioned status updates and deletes.
/// </summary>
internal sealed class EntityStore<T>
    where T : class
{
    private const string Savepoint = "re_bulk";
    private readonly DatabaseProvider _provider;
    private readonly TableStatements<T> _statements;
    private readonly KeyViolationTranslator<T> _violations;
    private readonly StatusEventTemplate? _statusEvent;

    public EntityStore(
        DatabaseProvider provider, TableStatements<T> statements, TableStatements<Story>? parent = null, StatusEventTemplate? statusEvent = null)
    {
        _provider = provider;
        _statements = statements;
        _violations = new KeyViolationTranslator<T>(provider, statements, parent);
        _statusEvent = statusEvent;
        TableName = provider.Tables.Prefix + statements.Map.TableSuffix;
    }

    /// <summary>The unquoted table name (telemetry's <c>db.collection.name</c>).</summary>
    public string TableName { get; }

    public TableMap<T> Map => _statements.Map;

    /// <summary>The provider (its retry engine runs the repositories' operations).</summary>
    public DatabaseProvider Provider => _provider;

    public TableStatements<T> Statements => _statements;

    private int Timeout => _provider.CommandTimeoutSeconds;

    public WriteContext NewWriteContext() => new(_provider.Options.TimeProvider.GetUtcNow());

    public Task<long> AddRangeAsync(IScopeFactory scopes, IEnumerable<T> rows, BulkInsertOptions? options, CancellationToken cancellationToken)
    {
        options = Checked(options);
        return AddAsync(scopes, new RowInput<T>(Map, rows), options, cancellationToken);
    }

    public Task<long> AddRangeAsync(IScopeFactory scopes, IAsyncEnumerable<T> rows, BulkInsertOptions? options, CancellationToken cancellationToken)
    {
        options = Checked(options);
        return AddAsync(scopes, new RowInput<T>(Map, rows), options, cancellationToken);
    }

    /// <summary>
    /// One table's insert in its own transaction, retried on a transient error (<see cref="OperationRetry"/>). After a
    /// lost commit reply the next attempt looks for the first row by id (with <see cref="ExistingRows.Fail"/> every row
    /// it wrote is new) and returns the committed count when it is there; with <see cref="ExistingRows.Skip"/> it
    /// inserts what is missing again and, if that is nothing, returns the committed count.
    /// </summary>
    private async Task<long> AddAsync(IScopeFactory scopes, RowInput<T> input, BulkInsertOptions options, CancellationToken cancellationToken)
    {
        await using var inputDisposal = input.ConfigureAwait(false);
        var context = NewWriteContext();
        (long Inserted, Guid? Marker)? committed = null;
        return await _provider.Retry.RunAsync(
            scopes,
            TelemetryTags.BulkInsert,
            async (attempt, token) =>
            {
                long? earlierIfNothingNew = null;
                if (attempt.EarlierMayHaveCommitted && committed is { } earlier)
                {
                    if (earlier.Marker is { } marker)
                    {
                        if (await StoredRows.ExistsAsync(_provider, _statements, scopes, marker, token).ConfigureAwait(false))
                        {
                            return earlier.Inserted;
                        }

                        attempt.MarkEarlierNotStored();
                    }
                    else if (earlier.Inserted == 0)
                    {
                        return 0;
                    }
                    else
                    {
                        earlierIfNothingNew = earlier.Inserted;
                    }

                    if (input.Consumed)
                    {
                        attempt.MarkNotRepeatable();
                        ExceptionDispatchInfo.Throw(attempt.PreviousError ?? new InvalidOperationException("The insert's commit outcome is unknown."));
                    }
                }

                var source = await input.OpenAsync(context, options, token).ConfigureAwait(false);
                if (source is null)
                {
                    return 0;
                }

                try
                {
                    var scope = await scopes.BeginAsync(write: true, token).ConfigureAwait(false);
                    await using var scopeDisposal = scope.ConfigureAwait(false);
                    var written = await WriteAsync(scope, source, options, token).ConfigureAwait(false);
                    if (scope.OwnsTransaction)
                    {
                        committed = (written.Inserted, options.ExistingRows == ExistingRows.Fail && written.Inserted > 0 ? source.FirstId : null);
                        attempt.MarkCommitSent();
                    }

                    await scope.CompleteAsync(token).ConfigureAwait(false);
                    return earlierIfNothingNew is { } same && written.Inserted == 0 ? same : written.Inserted;
                }
                catch (Exception ex)
                {
                    input.CheckRepeatable(attempt);
                    NotRepeatedPastItsTimeout(attempt, options, ex);
                    throw;
                }
                finally
                {
                    await input.ReleaseAsync(source).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams <paramref name="rows"/> into the table inside <paramref name="scope"/>'s transaction. On failure the
    /// rows of this call are rolled back (to a savepoint, so a caller's transaction stays usable) and the error is
    /// translated into a typed exception naming the row and field where the database allows.
    /// With <see cref="ExistingRows.Skip"/>, rows that already exist are skipped instead of rejected.
    /// </summary>
    /// <param name="scope">The operation's connection and transaction.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="options">Bulk options.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="parentsInScope">The window of the parent rows written earlier in the same transaction (a cycle's stories), counted as existing when a foreign-key error is explained.</param>
    public async Task<TableWriteResult> WriteAsync(
        OperationScope scope, RowSource<T> rows, BulkInsertOptions options, CancellationToken cancellationToken, RowWindow? parentsInScope = null)
    {
        // Telemetry per table write (one per batch), never per row.
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.BulkInsert, TableName);
        try
        {
            var result = await WriteCoreAsync(scope, rows, options, parentsInScope, cancellationToken).ConfigureAwait(false);
            TableTelemetry.Written(diagnostics, telemetry, TableName, result);
            return result;
        }
        catch (Exception ex)
        {
            TableTelemetry.Failed(diagnostics, telemetry, TableName, ex);
            throw;
        }
    }

    private async Task<TableWriteResult> WriteCoreAsync(
        OperationScope scope, RowSource<T> rows, BulkInsertOptions options, RowWindow? parentsInScope, CancellationToken cancellationToken)
    {
        var transaction = scope.Transaction ?? throw new InvalidOperationException("Bulk writes need a transaction.");
        if (!scope.OwnsTransaction)
        {
            // The caller's transaction must survive a rejected batch; the provider picks a path that allows it.
            options = options.InCallerTransaction();
        }

        // A savepoint keeps a caller's transaction usable after a rejected batch. When the transaction is the
        // operation's own, a failure ends it anyway (TryAbandonTransactionAsync below), so the SAVEPOINT and RELEASE
        // would only cost two statements (round trips on a server) per table and call.
        var useSavepoint = !scope.OwnsTransaction;
        if (useSavepoint)
        {
            await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var writer = _provider.BulkWriter;
            var inserted = options.ExistingRows == ExistingRows.Skip
                ? await writer.InsertMissingAsync(scope.Connection, transaction, _statements, rows, options, cancellationToken).ConfigureAwait(false)
                : await writer.WriteAsync(scope.Connection, transaction, _statements.Table, rows, options, cancellationToken).ConfigureAwait(false);

            if (useSavepoint)
            {
                // Release it so a long session does not pile up savepoints (SQL Server has no release; it is a no-op there).
                await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
            }

            rows.ReportCompleted();
            return new TableWriteResult(inserted, rows.Count - inserted);
        }
        catch (Exception ex)
        {
            var rolledBack = useSavepoint && await TryRollbackToSavepointAsync(transaction).ConfigureAwait(false);
            if (Find<BatchValidationException>(ex) is { } invalid)
            {
                ExceptionDispatchInfo.Throw(invalid);
            }

            if (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException("The bulk insert was cancelled; nothing of the batch was written.", ex, cancellationToken);
            }

            // When the savepoint could not be used (the database ended the transaction) but the transaction is ours,
            // roll it back and explain the error outside it: nothing of the operation remains either way.
            if (ex is not OperationCanceledException)
            {
                Exception? translated = null;
                if (rolledBack || await scope.TryAbandonTransactionAsync().ConfigureAwait(false))
                {
                    translated = await _violations.TranslateAsync(scope, rows, ex, parentsInScope, cancellationToken).ConfigureAwait(false);
                }
                else if (!useSavepoint)
                {
                    // The operation's own transaction, and its connection gone with the error: where the provider
                    // knows the error for a key error in disguise, explain it on a new connection.
                    translated = await TranslateOnNewConnectionAsync(rows, ex, parentsInScope, cancellationToken).ConfigureAwait(false);
                }

                if (translated is not null)
                {
                    throw translated;
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Explains <paramref name="error"/> on the connection <see cref="DatabaseProvider.OpenExplanationConnectionAsync"/>
    /// gives (none: null, the original error stands; one that cannot be opened: the same).
    /// </summary>
    private async Task<Exception?> TranslateOnNewConnectionAsync(RowSource<T> rows, Exception error, RowWindow? parentsInScope, CancellationToken cancellationToken)
    {
        DbConnection? connection;
        try
        {
            connection = await _provider.OpenExplanationConnectionAsync(error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException)
        {
            return null;
        }

        if (connection is null)
        {
            return null;
        }

        var explaining = new OperationScope(connection, transaction: null, ownsTransaction: false, release: static c => c.DisposeAsync());
        await using var explainingDisposal = explaining.ConfigureAwait(false);
        return await _violations.TranslateAsync(explaining, rows, error, parentsInScope, cancellationToken).ConfigureAwait(false);
    }

    public Task<T?> GetAsync(IScopeFactory scopes, Guid id, CancellationToken cancellationToken) =>
        _provider.Retry.RunAsync(scopes, TelemetryTags.Get, (_, token) => GetOnceAsync(scopes, _statements.SelectById, new { Id = id }, token), cancellationToken);

    /// <summary>The row <paramref name="id"/> of the run <paramref name="runId"/> (checked by the caller), or null: a row of another run is not found.</summary>
    public Task<T?> GetAsync(IScopeFactory scopes, Guid runId, Guid id, CancellationToken cancellationToken) =>
        _provider.Retry.RunAsync(
            scopes, TelemetryTags.Get, (_, token) => GetOnceAsync(scopes, _statements.SelectByRunAndId, new { RunId = runId, Id = id }, token), cancellationToken);

    private async Task<T?> GetOnceAsync(IScopeFactory scopes, string sql, object parameters, CancellationToken cancellationToken)
    {
        var scope = await scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var reader = await scope.Connection.ExecuteReaderAsync(
            Command(sql, parameters, scope, cancellationToken)).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Map.Materialize(reader) : null;
    }

    /// <summary>
    /// Streams the rows of a query. The query and its first row are retried on a transient error; once a row was
    /// yielded the read cannot be repeated, and a transient error surfaces as a <see cref="TransientFaultException"/>.
    /// </summary>
    public async IAsyncEnumerable<T> QueryAsync(
        IScopeFactory scopes, string sql, object parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var retry = _provider.Retry;
        var cursor = await retry.RunAsync(
            scopes, TelemetryTags.Query, (attempt, token) => ReadCursor.OpenAsync(scopes, Command(sql, parameters, null, token), attempt.Number, token), cancellationToken)
            .ConfigureAwait(false);
        await using var cursorDisposal = cursor.ConfigureAwait(false);
        var hasRow = cursor.HasRow;
        while (hasRow)
        {
            yield return Map.Materialize(cursor.Reader);
            try
            {
                hasRow = await cursor.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (retry.SurfaceAfterFirstRow(ex, TelemetryTags.Query, cursor.Attempts, cancellationToken) is { } fault)
            {
                throw fault;
            }
        }
    }

    public Task<int> UpdateStatusAsync(IScopeFactory scopes, Guid id, short status, int expectedVersion, CancellationToken cancellationToken) =>
        UpdateStatusAsync(scopes, null, id, status, expectedVersion, cancellationToken);

    /// <summary>
    /// A single-row status change; with <paramref name="runId"/> (checked by the caller: not empty) every statement
    /// names the run, and a row of another run is a missing row.
    /// </summary>
    public async Task<int> UpdateStatusAsync(IScopeFactory scopes, Guid? runId, Guid id, short status, int expectedVersion, CancellationToken cancellationToken)
    {
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.UpdateStatus, TableName);
        try
        {
            var change = NewStatusChange(id, status, expectedVersion, runId);
            var version = await _provider.Retry.RunAsync(
                scopes, TelemetryTags.UpdateStatus, (attempt, ct) => UpdateStatusAttemptAsync(scopes, change, attempt, ct), cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(rows: 1);
            return version;
        }
        catch (Exception ex)
        {
            TableTelemetry.UpdateFailed(diagnostics, telemetry, ex);
            throw;
        }
    }

    /// <summary>The client-made values of one status change call (its time and log entry id), made once per call.</summary>
    public SingleStatusChange NewStatusChange(Guid id, short status, int expectedVersion, Guid? runId = null)
    {
        var updatedAt = Timestamps.Normalize(_provider.Options.TimeProvider.GetUtcNow());
        return new SingleStatusChange(id, status, expectedVersion, updatedAt, Guid.CreateVersion7(updatedAt), runId);
    }

    /// <summary>
    /// One attempt of a single-row status change. After an attempt whose commit outcome is unknown
    /// (<see cref="OperationAttempt.EarlierMayHaveCommitted"/>), a row that no longer matches the expected version is
    /// first checked for this call's own log entry: when it is stored, the change is (one statement, or one
    /// transaction), and the attempt returns expected + 1 as the first one would have, writing nothing.
    /// </summary>
    internal async Task<int> UpdateStatusAttemptAsync(IScopeFactory scopes, SingleStatusChange change, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        // The run-scoped form sends the texts that name run_id beside the id (a row of another run matches none).
        RunScopedStatusTexts? inRun = null;
        if (change.RunId is not null)
        {
            inRun = _statusEvent?.InRun ?? throw new InvalidOperationException($"{Map.EntityName} has no run-scoped status change.");
        }

        var oneStatement = inRun is not null ? inRun.OneStatement : _statusEvent?.OneStatement;
        // One statement is atomic by itself: on a connection of the library's own it runs in autocommit (no BEGIN and
        // COMMIT, one round trip); in a session or a joined transaction it runs in the caller's transaction.
        var scope = await scopes.BeginAsync(write: oneStatement is null, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var (id, status, expectedVersion) = (change.Id, change.Status, change.ExpectedVersion);
        var parameters = new
        {
            Id = id,
            // Read only by the run-scoped texts.
            change.RunId,
            Status = status,
            // Read only by the stories' statement (see TableStatements.UpdateStatus); Dapper sends only the parameters a text names.
            InProgress = (short)StoryStatus.InProgress,
            ExpectedVersion = expectedVersion,
            change.UpdatedAt,
            // The log entry's values, read by the one-statement form and by the template's INSERT ... SELECT.
            change.EventId,
            CardId = (Guid?)null,
            _statusEvent?.Kind,
            Message = _statusEvent is { } named
                ? string.Create(CultureInfo.InvariantCulture, $"status set to {named.StatusName(status)} (version {expectedVersion + 1})")
                : null,
            Worker = (string?)null,
            OccurredAt = change.UpdatedAt,
        };
        if (oneStatement is not null)
        {
            // The one autocommit write: once sent, its outcome may be unknown.
            scope.MarkCommitSent(attempt);
            var stored = await scope.Connection.ExecuteScalarAsync<int?>(Command(oneStatement, parameters, scope, cancellationToken)).ConfigureAwait(false);
            if (stored is { } version)
            {
                return version;
            }
        }
        else
        {
            var updated = await scope.Connection.ExecuteAsync(Command(inRun?.UpdateStatus ?? _statements.UpdateStatus, parameters, scope, cancellationToken)).ConfigureAwait(false);
            if (updated == 1)
            {
                if (_statusEvent is { } template)
                {
                    // The trace of the change commits or rolls back with it.
                    await scope.Connection.ExecuteAsync(Command(inRun?.StatusEvent ?? template.Sql, parameters, scope, cancellationToken)).ConfigureAwait(false);
                }

                scope.MarkCommitSent(attempt);
                await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
                return expectedVersion + 1;
            }
        }

        // The failure path only: a repeat first looks for its own change, then a second statement tells a conflict
        // from a missing row.
        if (attempt.EarlierMayHaveCommitted && _statusEvent is not null
            && (await FindOwnEntryAsync(scope, change, cancellationToken).ConfigureAwait(false)))
        {
            return expectedVersion + 1;
        }

        var actual = inRun is not null
            ? await scope.Connection.ExecuteScalarAsync<int?>(Command(inRun.SelectVersion, new { change.RunId, Id = id }, scope, cancellationToken)).ConfigureAwait(false)
            : await scope.Connection.ExecuteScalarAsync<int?>(Command(_statements.SelectVersion, new { Id = id }, scope, cancellationToken)).ConfigureAwait(false);
        if (actual is null)
        {
            throw new EntityNotFoundException(Map.EntityName, id);
        }

        throw new ConcurrencyConflictException(Map.EntityName, id, expectedVersion, actual.Value);
    }

    /// <summary>Whether the change's own log entry is stored (looked up in the change's run for the run-scoped form).</summary>
    private async Task<bool> FindOwnEntryAsync(OperationScope scope, SingleStatusChange change, CancellationToken cancellationToken)
    {
        var found = change.RunId is { } runId
            ? await RunLogProbe.FindInRunAsync(_provider, scope, runId, [change.EventId], cancellationToken).ConfigureAwait(false)
            : await RunLogProbe.FindAsync(_provider, scope, [change.EventId], cancellationToken).ConfigureAwait(false);
        return found.Count == 1;
    }

    public async Task<long> DeleteByRunAsync(OperationScope scope, Guid runId, CancellationToken cancellationToken) =>
        await scope.Connection.ExecuteAsync(Command(_statements.DeleteByRun, new { RunId = runId }, scope, cancellationToken)).ConfigureAwait(false);

    public CommandDefinition Command(string sql, object? parameters, OperationScope? scope, CancellationToken cancellationToken) =>
        new(sql, parameters, scope?.Transaction, Timeout, cancellationToken: cancellationToken);

    /// <summary>
    /// Marks <paramref name="attempt"/> not repeatable when it failed on a timeout and the caller bounded the write with
    /// <see cref="BulkInsertOptions.Timeout"/>: repeating it would stretch that bound (an unknown commit is still checked).
    /// </summary>
    public void NotRepeatedPastItsTimeout(OperationAttempt attempt, BulkInsertOptions options, Exception error)
    {
        if (options.Timeout is not null && !attempt.CommitSent && TransientErrors.IsTimeout(_provider.TransientReason(error)))
        {
            attempt.MarkNotRepeatable();
        }
    }

    private static BulkInsertOptions Checked(BulkInsertOptions? options)
    {
        options ??= BulkInsertOptions.Default;
        options.Validate();
        return options;
    }

    private static TException? Find<TException>(Exception? ex)
        where TException : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is TException match)
            {
                return match;
            }

            if (ex is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Find<TException>(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    private static async Task<bool> TryRollbackToSavepointAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The transaction is doomed or the connection is gone; the whole transaction will be rolled back.
            return false;
        }
    }
}
