using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Repositories;

/// <summary>
/// Writes one generation cycle — its stories, then its cards — in one transaction: one bulk operation per table, so
/// the number of statements does not depend on the number of rows. Any failure leaves nothing of the cycle behind.
/// </summary>
internal sealed class CycleWriter
{
    private readonly EntityStore<Story> _stories;
    private readonly EntityStore<Card> _cards;
    private readonly TimeProvider _time;

    public CycleWriter(EntityStore<Story> stories, EntityStore<Card> cards, TimeProvider time)
    {
        _stories = stories;
        _cards = cards;
        _time = time;
    }

    public Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes, IEnumerable<Story> stories, IEnumerable<Card> cards, BulkInsertOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stories);
        ArgumentNullException.ThrowIfNull(cards);
        return WriteAsync(
            scopes,
            (context, o) => RowSource<Story>.OpenAsync(_stories.Map, stories, context, o, cancellationToken),
            (context, o) => RowSource<Card>.OpenAsync(_cards.Map, cards, context, o, cancellationToken),
            options,
            cancellationToken);
    }

    public Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes, IAsyncEnumerable<Story> stories, IAsyncEnumerable<Card> cards, BulkInsertOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stories);
        ArgumentNullException.ThrowIfNull(cards);
        return WriteAsync(
            scopes,
            (context, o) => RowSource<Story>.OpenAsync(_stories.Map, stories, context, o, cancellationToken),
            (context, o) => RowSource<Card>.OpenAsync(_cards.Map, cards, context, o, cancellationToken),
            options,
            cancellationToken);
    }

    private async Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes,
        Func<WriteContext, BulkInsertOptions, ValueTask<RowSource<Story>?>> openStories,
        Func<WriteContext, BulkInsertOptions, ValueTask<RowSource<Card>?>> openCards,
        BulkInsertOptions? options,
        CancellationToken cancellationToken)
    {
        options ??= BulkInsertOptions.Default;
        options.Validate();
        var started = _time.GetTimestamp();
        var context = _stories.NewWriteContext();
        OperationScope? scope = null;
        try
        {
            long storyCount = 0, cardCount = 0;
            var storyRows = await openStories(context, options).ConfigureAwait(false);
            if (storyRows is not null)
            {
                await using var storyDisposal = storyRows.ConfigureAwait(false);
                scope = await scopes.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
                storyCount = await _stories.WriteAsync(scope, storyRows, options, cancellationToken).ConfigureAwait(false);
            }

            // Cards are opened only after the stories are written: a lazy card generator may depend on them.
            var cardRows = await openCards(context, options).ConfigureAwait(false);
            if (cardRows is not null)
            {
                await using var cardDisposal = cardRows.ConfigureAwait(false);
                scope ??= await scopes.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
                cardCount = await _cards.WriteAsync(scope, cardRows, options, cancellationToken).ConfigureAwait(false);
            }

            if (scope is not null)
            {
                await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            return new CycleWriteResult(storyCount, cardCount, _time.GetElapsedTime(started));
        }
        finally
        {
            if (scope is not null)
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
