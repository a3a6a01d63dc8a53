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

    public IAsyncEnumerable<Story> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        _stories.QueryAsync(_scopes, _stories.Statements.SelectByRun, new { RunId = runId }, cancellationToken);

    public Task<int> UpdateStatusAsync(Guid id, StoryStatus status, int expectedVersion, CancellationToken cancellationToken = default)
    {
        StatusArguments.Check(status);
        return _stories.UpdateStatusAsync(_scopes, id, (short)status, expectedVersion, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(IEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default) =>
        _statusChanges.ApplyAsync(_scopes, new ChangeCursorOf<StoryStatus>(changes), options, cancellationToken);

    public Task<StatusChangeResult> UpdateStatusesAsync(IAsyncEnumerable<StatusChange<StoryStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default) =>
        _statusChanges.ApplyAsync(_scopes, new ChangeCursorOf<StoryStatus>(changes, cancellationToken), options, cancellationToken);

    public Task<long> UpdateStatusByRunAsync(
        IEnumerable<Guid> runIds, IReadOnlyCollection<StoryStatus> from, StoryStatus status, string? message = null, CancellationToken cancellationToken = default) =>
        _byParent.ApplyAsync(_scopes, runIds, nameof(runIds), from, status, message, cancellationToken);

    public async Task<RunDeletionResult> DeleteRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var scope = await _scopes.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var cards = await _cards.DeleteByRunAsync(scope, runId, cancellationToken).ConfigureAwait(false);
        var stories = await _stories.DeleteByRunAsync(scope, runId, cancellationToken).ConfigureAwait(false);
        var events = await _events.DeleteByRunAsync(scope, runId, cancellationToken).ConfigureAwait(false);
        await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return new RunDeletionResult(stories, cards) { Events = events };
    }
}
