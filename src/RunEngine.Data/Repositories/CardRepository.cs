using RunEngine.Data.Diagnostics;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.Repositories;

/// <summary><see cref="ICardRepository"/> over one scope factory (pooled connections, or a caller's connection).</summary>
internal sealed class CardRepository : ICardRepository
{
    private readonly IScopeFactory _scopes;
    private readonly EntityStore<Card> _cards;
    private readonly string _byStory;
    private readonly string _byRun;
    private readonly StatusChangeStore _statusChanges;
    private readonly StatusByParentStore _byParent;

    public CardRepository(IScopeFactory scopes, EntityStore<Card> cards, string byStory, string byRun, StatusChangeStore statusChanges, StatusByParentStore byParent)
    {
        _byParent = byParent;
        _statusChanges = statusChanges;
        _scopes = scopes;
        _cards = cards;
        _byStory = byStory;
        _byRun = byRun;
    }

    public Task<long> AddRangeAsync(IEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _cards.AddRangeAsync(_scopes, cards, options, cancellationToken);

    public Task<long> AddRangeAsync(IAsyncEnumerable<Card> cards, BulkInsertOptions? options = null, CancellationToken cancellationToken = default) =>
        _cards.AddRangeAsync(_scopes, cards, options, cancellationToken);

    public Task<Card?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        _cards.GetAsync(_scopes, id, cancellationToken);

    public IAsyncEnumerable<Card> GetByStoryAsync(Guid storyId, CancellationToken cancellationToken = default) =>
        _cards.QueryAsync(_scopes, _byStory, new { StoryId = storyId }, cancellationToken);

    public Task<Card?> GetAsync(Guid runId, Guid id, CancellationToken cancellationToken = default)
    {
        ClaimArguments.CheckRun(runId);
        return _cards.GetAsync(_scopes, runId, id, cancellationToken);
    }

    public IAsyncEnumerable<Card> GetByStoryAsync(Guid runId, Guid storyId, CancellationToken cancellationToken = default)
    {
        // Checked at the call, not when the sequence is first read.
        ClaimArguments.CheckRun(runId);
        return _cards.QueryAsync(_scopes, _cards.Provider.CardsByRunAndStory, new { RunId = runId, StoryId = storyId }, cancellationToken);
    }

    public IAsyncEnumerable<Card> GetByRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        _cards.QueryAsync(_scopes, _byRun, new { RunId = runId }, cancellationToken);

    public Task<int> UpdateStatusAsync(Guid id, CardStatus status, int expectedVersion, CancellationToken cancellationToken = default)
    {
        StatusArguments.Check(status);
        return _cards.UpdateStatusAsync(_scopes, id, (short)status, expectedVersion, cancellationToken);
    }

    public Task<int> UpdateStatusAsync(Guid runId, Guid id, CardStatus status, int expectedVersion, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        StatusArguments.Check(status);
        return _cards.UpdateStatusAsync(_scopes, runId, id, (short)status, expectedVersion, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        return _statusChanges.ApplyAsync(_scopes, runId, new ChangeCursorOf<CardStatus>(changes), options, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(
        Guid runId, IAsyncEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        return _statusChanges.ApplyAsync(_scopes, runId, new ChangeCursorOf<CardStatus>(changes, cancellationToken), options, cancellationToken);
    }

    public Task<long> UpdateStatusByStoryAsync(
        Guid runId, IEnumerable<Guid> storyIds, IReadOnlyCollection<CardStatus> from, CardStatus status, string? message = null, CancellationToken cancellationToken = default)
    {
        StatusArguments.CheckRun(runId);
        return _byParent.ApplyAsync(_scopes, runId, storyIds, nameof(storyIds), from, status, message, cancellationToken);
    }

    public Task<StatusChangeResult> UpdateStatusesAsync(IEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default) =>
        _statusChanges.ApplyAsync(_scopes, new ChangeCursorOf<CardStatus>(changes), options, cancellationToken);

    public Task<StatusChangeResult> UpdateStatusesAsync(IAsyncEnumerable<StatusChange<CardStatus>> changes, StatusChangeOptions? options = null, CancellationToken cancellationToken = default) =>
        _statusChanges.ApplyAsync(_scopes, new ChangeCursorOf<CardStatus>(changes, cancellationToken), options, cancellationToken);

    public Task<long> UpdateStatusByStoryAsync(
        IEnumerable<Guid> storyIds, IReadOnlyCollection<CardStatus> from, CardStatus status, string? message = null, CancellationToken cancellationToken = default) =>
        _byParent.ApplyAsync(_scopes, storyIds, nameof(storyIds), from, status, message, cancellationToken);

    /// <remarks>Retried on a transient error; after a lost commit reply, a repeat that finds nothing left returns the committed count.</remarks>
    public Task<long> DeleteByRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        long? committed = null;
        return _cards.Provider.Retry.RunAsync(
            _scopes,
            TelemetryTags.DeleteCards,
            async (attempt, token) =>
            {
                var scope = await _scopes.BeginAsync(write: true, token).ConfigureAwait(false);
                await using var scopeDisposal = scope.ConfigureAwait(false);
                var deleted = await _cards.DeleteByRunAsync(scope, runId, token).ConfigureAwait(false);
                if (attempt.EarlierMayHaveCommitted && committed is { } earlier && deleted == 0)
                {
                    deleted = earlier;
                }

                if (scope.OwnsTransaction)
                {
                    committed = deleted;
                    attempt.MarkCommitSent();
                }

                await scope.CompleteAsync(token).ConfigureAwait(false);
                return deleted;
            },
            cancellationToken);
    }
}
