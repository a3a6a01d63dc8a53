using RunEngine.Data.Diagnostics;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.Repositories;

/// <summary><see cref="IStoryRepository"/> over one scope factory (pooled connections, or a caller's connection).</summary>
internal sealed class StoryRepository : IStoryRepository
{
    private readonly IScopeFactory _scopes;
    private readonly EntityStore<Story> _stories;
    private readonly EntityStore<Card> _cards;
    private readonly EntityStore<RunEvent> _events;
    private readonly StatusChangeStore _statusChanges;
    private readonly StatusByParentStore _byParent;

    public StoryRepository(IScopeFactory scopes, EntityStore<Story> stories, EntityStore<Card> cards, EntityStore<RunEvent> events, StatusChangeStore statusChanges, StatusByParentStore byParent)
    {
        _byParent = byParent;
        _statusChanges = statusChanges;
        _scopes = scopes;
        _stories = stories;
        _cards = cards;
        _events = events;
    }

    public Task<long> AddRangeAsync(IEnumerable<Story> stories, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _stories.AddRangeAsync(_scopes, stories, options, cancellationToken);

    public Task<long> AddRangeAsync(IAsyncEnumerable<Story> stories, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _stories.AddRangeAsync(_scopes, stories, options, cancellationToken);

    public Task<Story?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stories.GetAsync(_scopes, id, cancellationToken);

    public Task<Story?> GetAsync(Guid runId, Guid id, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckRun(runId);
        return _stories.GetAsync(_scopes, runId, id, cancellationToken);
    }

    public IAsyncEnumerable<Story> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        _stories.QueryAsync(_scopes, _stories.Statements.SelectByRun, new { RunId = runId }, cancellationToken);

    public Task<int> UpdateStatusAsync(Guid id, StoryStatus status, int expectedVersion, CancellationToken cancellationToken = default)
    {
        StatusArguments.Check(status);
        return _stories.UpdateStatusAsync(_scopes, id, (short)status, expectedVersion, cancellationToken);
    }

    public Task<int> UpdateStatusAsync(Guid runId, Guid id, StoryStatus status, int expectedVersion, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        StatusArguments.Check(status);
        return _stories.UpdateStatusAsync(_scopes, runId, id, (short)status, expectedVersion, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        return _statusChanges.ApplyAsync(_scopes, runId, new ChangeCursorOf<StoryStatus>(changes), options, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IAsyncEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        return _statusChanges.ApplyAsync(_scopes, runId, new ChangeCursorOf<StoryStatus>(changes, cancellationToken), options, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(IEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default) =>
        _statusChanges.ApplyAsync(_scopes, new ChangeCursorOf<StoryStatus>(changes), options, cancellationToken);

    public Task<StatusChangeResult> UpdateStatusesAsync(IAsyncEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default) =>
        _statusChanges.ApplyAsync(_scopes, new ChangeCursorOf<StoryStatus>(changes, cancellationToken), options, cancellationToken);

    public Task<long> UpdateStatusByRunAsync(
        IEnumerable<Guid> runIds, IReadOnlyCollection<StoryStatus> from, StoryStatus status, string? message = null, CancellationToken cancellationToken = default) =>
        _byParent.ApplyAsync(_scopes, runIds, nameof(runIds), from, status, message, cancellationToken);

    /// <remarks>
    /// Retried on a transient error. A repeat after a lost commit reply deletes what is left: when that is nothing,
    /// the run is gone either way and the committed attempt's counts are returned.
    /// </remarks>
    public Task<RunDeletionResult> DeleteRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        RunDeletionResult? committed = null;
        return _stories.Provider.Retry.RunAsync(
            _scopes,
            TelemetryTags.DeleteRun,
            async (attempt, token) =>
            {
                var scope = await _scopes.BeginAsync(write: true, token).ConfigureAwait(false);
                await using var scopeDisposal = scope.ConfigureAwait(false);
                var cards = await _cards.DeleteByRunAsync(scope, runId, token).ConfigureAwait(false);
                var stories = await _stories.DeleteByRunAsync(scope, runId, token).ConfigureAwait(false);
                var events = await _events.DeleteByRunAsync(scope, runId, token).ConfigureAwait(false);
                var result = new RunDeletionResult(stories, cards) { Events = events };
                if (attempt.EarlierMayHaveCommitted && committed is not null && stories + cards + events == 0)
                {
                    result = committed;
                }

                if (scope.OwnsTransaction)
                {
                    committed = result;
                    attempt.MarkCommitSent();
                }

                await scope.CompleteAsync(token).ConfigureAwait(false);
                return result;
            },
            cancellationToken);
    }
}
