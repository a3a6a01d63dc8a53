using System.Data.Common;
using System.Runtime.ExceptionServices;
using Dapper;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.StatusChanges;

/// <summary>
/// Set-based status changes of one table (beside <see cref="EntityStore{T}"/>, which does the single-row change): opens
/// the changes, runs the provider's <see cref="IStatusChangeWriter"/> in one transaction, and turns an all-or-nothing
/// batch that did not match into a rollback and a <see cref="StatusChangeConflictException"/>. Zero changes open no
/// connection.
/// </summary>
internal sealed class StatusChangeStore
{
    private const string Savepoint = "re_status";
    private readonly DatabaseProvider _provider;
    private readonly StatusChangeTable _table;

    public StatusChangeStore(DatabaseProvider provider, StatusChangeTable table)
    {
        _provider = provider;
        _table = table;
    }

    public Task<StatusChangeResult> ApplyAsync(
        IScopeFactory scopes, ChangeCursor changes, StatusChangeOptions? options, CancellationToken cancellationToken) =>
        ApplyAsync(scopes, null, changes, options, cancellationToken);

    /// <summary>
    /// The call; with <paramref name="runId"/> (checked by the caller: not empty) every statement names the run, and a
    /// change of another run's row is reported missing.
    /// </summary>
    public async Task<StatusChangeResult> ApplyAsync(
        IScopeFactory scopes, Guid? runId, ChangeCursor changes, StatusChangeOptions? options, CancellationToken cancellationToken)
    {
        var call = await OpenCallAsync(runId, changes, options, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return StatusChangeResult.None;
        }

        await using var callDisposal = call.ConfigureAwait(false);
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.UpdateStatuses, _provider.Tables.Prefix + _table.TableSuffix);
        try
        {
            var result = await _provider.Retry.RunAsync(
                scopes, TelemetryTags.UpdateStatuses, (attempt, ct) => ApplyAttemptAsync(scopes, call, attempt, ct), cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(rows: result.Changed, skipped: result.Conflicts.Count + result.Missing.Count);
            return result;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    /// <summary>
    /// Checks the options and opens the changes of one call, with its write time and the base of its log entry ids made
    /// once; null (nothing opened) for an empty batch.
    /// </summary>
    internal Task<StatusChangeCall?> OpenCallAsync(ChangeCursor changes, StatusChangeOptions? options, CancellationToken cancellationToken) =>
        OpenCallAsync(null, changes, options, cancellationToken);

    /// <summary>As <see cref="OpenCallAsync(ChangeCursor, StatusChangeOptions?, CancellationToken)"/>, for the run <paramref name="runId"/> (null: id-only).</summary>
    internal async Task<StatusChangeCall?> OpenCallAsync(Guid? runId, ChangeCursor changes, StatusChangeOptions? options, CancellationToken cancellationToken)
    {
        options ??= StatusChangeOptions.Default;
        try
        {
            options.Validate();
        }
        catch
        {
            await changes.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var now = Timestamps.Normalize(_provider.Options.TimeProvider.GetUtcNow());
        // The base of the log entries' ids, made once per call: every attempt gives each change the same entry id.
        var eventBase = Guid.CreateVersion7(now);
        var source = await StatusChangeSource.OpenAsync(changes, _table.Entity, eventBase, cancellationToken).ConfigureAwait(false);
        return source is null ? null : new StatusChangeCall(source, _table.Entity, options, now, eventBase) { RunId = runId };
    }

    /// <summary>
    /// One attempt of a set-based status change. It reads the changes from their start (<see cref="StatusChangeCall.FromStartAsync"/>);
    /// a lazy input already read cannot be repeated, and the attempt that took from it fails as it is (the call gives up).
    /// After an attempt whose commit outcome is unknown, it first looks for the call's own log entries: that attempt was
    /// one transaction, so when any is stored every change it applied is stored — those count as changed, the others
    /// are reported as conflicts or missing from their rows as they are now, and nothing is written again. When none is
    /// stored, the attempt runs as the first did.
    /// </summary>
    internal async Task<StatusChangeResult> ApplyAttemptAsync(IScopeFactory scopes, StatusChangeCall call, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.EarlierMayHaveCommitted && call.CommittedCount is { } sent)
        {
            if (await RecogniseAsync(scopes, call, sent, attempt, cancellationToken).ConfigureAwait(false) is { } recognised)
            {
                return recognised;
            }

            attempt.MarkEarlierNotStored();
        }

        var source = await call.FromStartAsync(cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            // Only after a failed attempt that took changes of a lazy input (that attempt was already marked).
            attempt.MarkNotRepeatable();
            ExceptionDispatchInfo.Throw(attempt.PreviousError ?? new InvalidOperationException($"The {call.Entity} status changes cannot be read again."));
        }

        try
        {
            return await ApplyCoreAsync(scopes, call, source, attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!source.Untouched && !source.Cursor.Rereadable && !attempt.CommitSent)
            {
                // Changes of a lazy input were taken and nothing was committed: they cannot be read again.
                attempt.MarkNotRepeatable();
            }
            else if (call.Options.Timeout is not null && !attempt.CommitSent && TransientErrors.IsTimeout(_provider.TransientReason(ex)))
            {
                // The caller bounded the whole batch: repeating it would stretch that bound.
                attempt.MarkNotRepeatable("its own StatusChangeOptions.Timeout ran out");
            }

            throw;
        }
    }

    /// <summary>
    /// The result the earlier attempt gave when it committed, read from the log (and the rows); null when it is known
    /// not stored. <paramref name="sent"/> is the number of changes that attempt sent. All or nothing: the first
    /// change's entry decides (a committed batch applied every change). Apply what matches: every entry is looked up,
    /// which needs the changes again (a materialized input); for a lazy one the outcome is exact only when all or none
    /// of them are stored, otherwise the attempt cannot go on and the call gives up with the outcome unknown.
    /// </summary>
    private async Task<StatusChangeResult?> RecogniseAsync(IScopeFactory scopes, StatusChangeCall call, long sent, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var scope = await scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        if (call.Options.Mode == StatusChangeMode.AllOrNothing)
        {
            var first = CallEventIds.At(call.EventBase, 0);
            return (await FindEntriesAsync(scope, call, [first], cancellationToken).ConfigureAwait(false)).Count == 1
                ? new StatusChangeResult(sent, [], [])
                : null;
        }

        var source = await call.FromStartAsync(cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            var ids = new List<Guid>();
            for (long position = 0; position < sent; position++)
            {
                ids.Add(CallEventIds.At(call.EventBase, position));
            }

            var stored = (await FindEntriesAsync(scope, call, ids, cancellationToken).ConfigureAwait(false)).Count;
            if (stored == 0)
            {
                return null;
            }

            if (stored == sent)
            {
                return new StatusChangeResult(sent, [], []);
            }

            attempt.MarkNotRepeatable("its lazy input was already read, so the conflicts of its committed batch cannot be reported again");
            ExceptionDispatchInfo.Throw(attempt.PreviousError ?? new InvalidOperationException($"The {call.Entity} status changes cannot be read again."));
        }

        var changes = new List<StatusChangeRow>();
        while (await source.MoveNextAsync().ConfigureAwait(false))
        {
            changes.Add(source.Current);
        }

        var entries = await FindEntriesAsync(scope, call, changes.Select(c => c.EventId), cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return null;
        }

        var rest = changes.Where(c => !entries.ContainsKey(c.EventId)).ToList();
        var versions = new Dictionary<Guid, int>(rest.Count);
        // In the call's run only for the run-scoped form: another run's row is missing, as the first attempt reported it.
        var sql = call.RunId is null
            ? _table.Stories?.SelectVersions ?? _table.Cards!.SelectVersions
            : _table.IsCard ? _provider.RunScopedStatus.CardSelectVersions : _provider.RunScopedStatus.StorySelectVersions;
        foreach (var chunk in rest.Select(c => c.Id).Chunk(RunLogProbe.ChunkSize))
        {
            var reader = await scope.Connection.ExecuteReaderAsync(
                new CommandDefinition(sql, new { call.RunId, Ids = chunk }, scope.Transaction, _provider.CommandTimeoutSeconds, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                versions[reader.GetGuid(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var conflicts = rest.Where(c => versions.ContainsKey(c.Id)).Select(c => new StatusConflict(c.Id, c.ExpectedVersion, versions[c.Id])).OrderBy(c => c.Id).ToList();
        var missing = rest.Where(c => !versions.ContainsKey(c.Id)).Select(c => c.Id).Order().ToList();
        return new StatusChangeResult(entries.Count, conflicts, missing);
    }

    /// <summary>The call's stored log entries among <paramref name="eventIds"/> (looked up in its run for the run-scoped form).</summary>
    private Task<Dictionary<Guid, LoggedEntry>> FindEntriesAsync(OperationScope scope, StatusChangeCall call, IEnumerable<Guid> eventIds, CancellationToken cancellationToken) =>
        call.RunId is { } runId
            ? RunLogProbe.FindInRunAsync(_provider, scope, runId, eventIds, cancellationToken)
            : RunLogProbe.FindAsync(_provider, scope, eventIds, cancellationToken);

    private async Task<StatusChangeResult> ApplyCoreAsync(
        IScopeFactory scopes, StatusChangeCall call, StatusChangeSource source, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var (options, now) = (call.Options, call.Now);
        var scope = await scopes.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var transaction = scope.Transaction ?? throw new InvalidOperationException("Status changes need a transaction.");

        // In a caller's transaction, a failed or unmatched batch is undone to the savepoint, so the caller's earlier
        // work and its transaction survive; the operation's own transaction is simply not committed.
        var useSavepoint = !scope.OwnsTransaction;
        if (useSavepoint)
        {
            await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }

        StatusChangeOutcome outcome;
        try
        {
            outcome = await _provider.StatusChangeWriter.ApplyAsync(scope, _table, source, options, now, call.RunId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (useSavepoint)
            {
                await TryRollbackToSavepointAsync(transaction).ConfigureAwait(false);
            }

            if (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException("The status changes were cancelled; nothing of the batch was changed.", ex, cancellationToken);
            }

            throw;
        }

        if (options.Mode == StatusChangeMode.AllOrNothing && !outcome.AllMatched)
        {
            if (useSavepoint)
            {
                await transaction.RollbackAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
            }

            // The operation's own transaction is rolled back when the scope is disposed.
            throw new StatusChangeConflictException(_table.Entity, outcome.Conflicts, outcome.Missing);
        }

        if (useSavepoint)
        {
            await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }

        call.CommittedCount = source.Count;
        scope.MarkCommitSent(attempt);
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new StatusChangeResult(outcome.Changed, outcome.Conflicts, outcome.Missing);
    }

    private static async Task TryRollbackToSavepointAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The connection is gone or the transaction doomed: nothing of the batch survives either way.
        }
    }
}
