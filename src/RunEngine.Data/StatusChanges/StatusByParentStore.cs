using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;
using RunEngine.Data.Resilience;
using RunEngine.Data.Validation;

namespace RunEngine.Data.StatusChanges;

/// <summary>
/// Status changes by parent of one table ("every card of these stories that is still Pending or InProgress becomes
/// Cancelled"): checks the arguments before anything is sent, runs the provider's
/// <see cref="IStatusChangeWriter.ApplyByParentAsync"/> in one transaction (in autocommit where it is one statement on a
/// connection of the library's own, <see cref="IStatusChangeWriter.ByParentIsOneStatement"/>) and returns the count. Zero parents open no
/// connection.
/// </summary>
internal sealed class StatusByParentStore
{
    private const string Savepoint = "re_status_parent";
    private readonly DatabaseProvider _provider;
    private readonly StatusChangeTable _table;

    public StatusByParentStore(DatabaseProvider provider, StatusChangeTable table)
    {
        _provider = provider;
        _table = table;
    }

    public Task<long> ApplyAsync<TStatus>(
        IScopeFactory scopes,
        IEnumerable<Guid> parentIds,
        string parentIdsName,
        IReadOnlyCollection<TStatus> from,
        TStatus status,
        string? message,
        CancellationToken cancellationToken)
        where TStatus : struct, Enum =>
        ApplyAsync(scopes, null, parentIds, parentIdsName, from, status, message, cancellationToken);

    /// <summary>
    /// The call; with <paramref name="runId"/> (checked by the caller: not empty) only rows of that run change and every
    /// statement names it.
    /// </summary>
    public async Task<long> ApplyAsync<TStatus>(
        IScopeFactory scopes,
        Guid? runId,
        IEnumerable<Guid> parentIds,
        string parentIdsName,
        IReadOnlyCollection<TStatus> from,
        TStatus status,
        string? message,
        CancellationToken cancellationToken)
        where TStatus : struct, Enum
    {
        var change = Check(parentIds, parentIdsName, from, status, message) with { RunId = runId };
        if (change.ParentIds.Count == 0)
        {
            return 0;
        }

        var telemetry = _provider.Diagnostics.Start(TelemetryTags.UpdateStatuses, _provider.Tables.Prefix + _table.TableSuffix);
        try
        {
            var changed = await _provider.Retry.RunAsync(
                scopes,
                TelemetryTags.UpdateStatuses,
                (attempt, ct) => ApplyAttemptAsync(scopes, change, attempt, ct),
                cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(rows: changed);
            return changed;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    private ParentStatusChange Check<TStatus>(IEnumerable<Guid> parentIds, string parentIdsName, IReadOnlyCollection<TStatus> from, TStatus status, string? message)
        where TStatus : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(parentIds, parentIdsName);
        ArgumentNullException.ThrowIfNull(from);
        if (from.Count == 0)
        {
            throw new ArgumentException($"from must name at least one {typeof(TStatus).Name} value.", nameof(from));
        }

        var fromValues = new SortedSet<short>();
        foreach (var value in from)
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(from), value, $"from must hold only defined {typeof(TStatus).Name} values.");
            }

            var stored = value;
            fromValues.Add(Unsafe.As<TStatus, short>(ref stored));
        }

        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, $"status must be a defined {typeof(TStatus).Name} value.");
        }

        if (message is not null && TextRule.Check(message, RunEngineLimits.EventMessageMaxLength) is { Failed: true } fault)
        {
            throw new ArgumentException("message " + fault.Describe(), nameof(message));
        }

        // Distinct and in Guid order: a chunked call covers each parent once, in the same order on every call.
        var ids = new SortedSet<Guid>();
        var position = 0;
        foreach (var id in parentIds)
        {
            if (id == Guid.Empty)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{parentIdsName} holds Guid.Empty at position {position}."), parentIdsName);
            }

            ids.Add(id);
            position++;
        }

        var toValue = status;
        var now = Timestamps.Normalize(_provider.Options.TimeProvider.GetUtcNow());
        return new ParentStatusChange([.. ids], [.. fromValues], Unsafe.As<TStatus, short>(ref toValue), message, $"status set to {status} (version ", now);
    }

    /// <summary>
    /// One attempt of a change by parent. A failure before the commit was sent left nothing, so the attempt simply runs
    /// again. After an attempt whose commit outcome is unknown, the count cannot be read from the rows (those it changed
    /// no longer match <see cref="ParentStatusChange.From"/>); it is the number of log entries that attempt wrote, which
    /// the provider counts by the call's own entry ids (<see cref="IStatusChangeWriter.CountByParentLoggedAsync"/>:
    /// PostgreSQL). Where it cannot (SQL Server's NEWID(), SQLite's own ids, where an unknown outcome needs a lost
    /// COMMIT of an in-process database), the call surfaces <see cref="CommitOutcomeUnknownException"/> instead of a wrong count.
    /// </summary>
    internal async Task<long> ApplyAttemptAsync(
        IScopeFactory scopes, ParentStatusChange change, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var writer = _provider.StatusChangeWriter;
        if (attempt.EarlierMayHaveCommitted)
        {
            var probe = await scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
            await using (probe.ConfigureAwait(false))
            {
                var logged = await writer.CountByParentLoggedAsync(probe, _table, change, cancellationToken).ConfigureAwait(false);
                if (logged is null)
                {
                    // The call gives up with the earlier attempt's error, as a CommitOutcomeUnknownException.
                    attempt.MarkNotRepeatable("the count of a status change by parent cannot be found again after its commit reply was lost");
                    ExceptionDispatchInfo.Throw(attempt.PreviousError ?? new InvalidOperationException($"The outcome of the {_table.Entity} status change by parent is unknown."));
                }

                if (logged.Value > 0)
                {
                    return logged.Value;
                }

                attempt.MarkEarlierNotStored();
            }
        }

        // One statement is atomic by itself: on a connection of the library's own (or a joined one without a
        // transaction) it runs in autocommit, no BEGIN or COMMIT; in a caller's transaction it runs there, as before.
        var oneStatement = writer.ByParentIsOneStatement(change);
        var scope = await scopes.BeginAsync(write: !oneStatement, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        if (scope.Transaction is null && oneStatement)
        {
            // The one autocommit write.
            scope.MarkCommitSent(attempt);
            var applied = await writer.ApplyByParentAsync(scope, _table, change, cancellationToken).ConfigureAwait(false);
            await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return applied;
        }

        var transaction = scope.Transaction ?? throw new InvalidOperationException("Status changes need a transaction.");

        // In a caller's transaction, a failed call is undone to the savepoint (a chunked call may have applied some
        // chunks), so the caller's earlier work and its transaction survive.
        var useSavepoint = !scope.OwnsTransaction;
        if (useSavepoint)
        {
            await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }

        long changed;
        try
        {
            changed = await writer.ApplyByParentAsync(scope, _table, change, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (useSavepoint)
            {
                await TryRollbackToSavepointAsync(transaction).ConfigureAwait(false);
            }

            throw;
        }

        if (useSavepoint)
        {
            await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
        }

        scope.MarkCommitSent(attempt);
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private static async Task TryRollbackToSavepointAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(Savepoint, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The connection is gone or the transaction doomed: nothing of the call survives either way.
        }
    }
}
