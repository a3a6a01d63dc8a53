using System.Data.Common;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;
using RunEngine.Data.Repositories;

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

    public async Task<StatusChangeResult> ApplyAsync(
        IScopeFactory scopes, ChangeCursor changes, StatusChangeOptions? options, CancellationToken cancellationToken)
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
        var source = await StatusChangeSource.OpenAsync(changes, _table.Entity, now, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return StatusChangeResult.None;
        }

        await using var sourceDisposal = source.ConfigureAwait(false);
        var diagnostics = _provider.Diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.UpdateStatuses, _provider.Tables.Prefix + _table.TableSuffix);
        try
        {
            var result = await ApplyCoreAsync(scopes, source, options, now, cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(rows: result.Changed, skipped: result.Conflicts.Count + result.Missing.Count);
            return result;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    private async Task<StatusChangeResult> ApplyCoreAsync(
        IScopeFactory scopes, StatusChangeSource source, StatusChangeOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
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
            outcome = await _provider.StatusChangeWriter.ApplyAsync(scope, _table, source, options, now, cancellationToken).ConfigureAwait(false);
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
