using System.Globalization;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.Repositories;

/// <summary>
/// Writes one generation cycle — its stories, then its cards, then its run-log entries — in one transaction: one bulk
/// operation per table, so the number of statements does not depend on the number of rows. Any failure leaves
/// nothing of the cycle behind.
/// </summary>
internal sealed class CycleWriter
{
    private const string CycleSavepoint = "re_cycle";
    private static readonly IEnumerable<RunEvent> NoEvents = [];
    private readonly EntityStore<Story> _stories;
    private readonly EntityStore<Card> _cards;
    private readonly EntityStore<RunEvent> _events;
    private readonly TimeProvider _time;
    private readonly ProviderDiagnostics _diagnostics;

    public CycleWriter(EntityStore<Story> stories, EntityStore<Card> cards, EntityStore<RunEvent> events, TimeProvider time, ProviderDiagnostics diagnostics)
    {
        _diagnostics = diagnostics;
        _stories = stories;
        _cards = cards;
        _events = events;
        _time = time;
    }

    public Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes,
        IEnumerable<Story> stories,
        IEnumerable<Card> cards,
        IEnumerable<RunEvent>? events,
        BulkInsertOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stories);
        ArgumentNullException.ThrowIfNull(cards);
        return WriteAsync(
            scopes,
            (context, o) => RowSource<Story>.OpenAsync(_stories.Map, stories, context, o, cancellationToken),
            (context, o) => RowSource<Card>.OpenAsync(_cards.Map, cards, context, o, cancellationToken),
            events ?? NoEvents,
            options,
            cancellationToken);
    }

    public Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes,
        IAsyncEnumerable<Story> stories,
        IAsyncEnumerable<Card> cards,
        IEnumerable<RunEvent>? events,
        BulkInsertOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stories);
        ArgumentNullException.ThrowIfNull(cards);
        return WriteAsync(
            scopes,
            (context, o) => RowSource<Story>.OpenAsync(_stories.Map, stories, context, o, cancellationToken),
            (context, o) => RowSource<Card>.OpenAsync(_cards.Map, cards, context, o, cancellationToken),
            events ?? NoEvents,
            options,
            cancellationToken);
    }

    private async Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes,
        Func<WriteContext, BulkInsertOptions, ValueTask<RowSource<Story>?>> openStories,
        Func<WriteContext, BulkInsertOptions, ValueTask<RowSource<Card>?>> openCards,
        IEnumerable<RunEvent> events,
        BulkInsertOptions? options,
        CancellationToken cancellationToken)
    {
        // The cycle's span is the parent of its per-table bulk_insert spans.
        var diagnostics = _diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.WriteCycle, collection: null);
        try
        {
            var result = await WriteCoreAsync(scopes, openStories, openCards, events, options, cancellationToken).ConfigureAwait(false);
            telemetry.Succeed(result.Stories + result.Cards + result.Events);
            DataLog.CycleWritten(
                diagnostics.Logger, result.Stories, result.Cards, result.Events, result.StoriesSkipped, result.CardsSkipped, result.Elapsed.TotalMilliseconds);
            return result;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    private async Task<CycleWriteResult> WriteCoreAsync(
        IScopeFactory scopes,
        Func<WriteContext, BulkInsertOptions, ValueTask<RowSource<Story>?>> openStories,
        Func<WriteContext, BulkInsertOptions, ValueTask<RowSource<Card>?>> openCards,
        IEnumerable<RunEvent> events,
        BulkInsertOptions? options,
        CancellationToken cancellationToken)
    {
        options ??= BulkInsertOptions.Default;
        options.Validate();
        var started = _time.GetTimestamp();
        var context = _stories.NewWriteContext();
        OperationScope? scope = null;
        var cycleSavepoint = false;

        // In a caller's or a session's transaction, the per-table savepoints would undo only the failing table:
        // one more savepoint around the whole cycle makes it all-or-nothing there too.
        async Task<OperationScope> BeginAsync()
        {
            var begun = await scopes.BeginAsync(write: true, cancellationToken).ConfigureAwait(false);
            if (!begun.OwnsTransaction)
            {
                await begun.Transaction!.SaveAsync(CycleSavepoint, cancellationToken).ConfigureAwait(false);
                cycleSavepoint = true;
            }

            return begun;
        }

        try
        {
            TableWriteResult stories = default, cards = default, logged = default;
            var runs = new HashSet<Guid>();
            var storyRows = await openStories(context, options).ConfigureAwait(false);
            if (storyRows is not null)
            {
                await using var storyDisposal = storyRows.ConfigureAwait(false);
                scope = await BeginAsync().ConfigureAwait(false);
                stories = await _stories.WriteAsync(scope, storyRows, options, cancellationToken).ConfigureAwait(false);
                runs.UnionWith(storyRows.RunIds);
            }

            // Cards are opened only after the stories are written: a lazy card generator may depend on them.
            var cardRows = await openCards(context, options).ConfigureAwait(false);
            if (cardRows is not null)
            {
                await using var cardDisposal = cardRows.ConfigureAwait(false);
                scope ??= await BeginAsync().ConfigureAwait(false);

                // A card of one of the cycle's stories (those the window remembers) must share its run: checked as the
                // card streams, before it is sent. Past the window the schema's (run_id, story_id) foreign key checks it.
                if (storyRows is not null)
                {
                    cardRows.CheckParentRunsAgainst(storyRows.Window);
                }

                cards = await _cards.WriteAsync(scope, cardRows, options, cancellationToken, storyRows?.Window).ConfigureAwait(false);
                runs.UnionWith(cardRows.RunIds);
            }

            // The cycle's trace goes in the same transaction; a replay that inserted nothing adds no trace of its own.
            var trace = stories.Inserted + cards.Inserted > 0 ? CycleEvents(runs, stories, cards, context.Now) : NoEvents;
            var eventRows = await RowSource<RunEvent>.OpenAsync(_events.Map, events.Concat(trace), context, options.WithoutProgress(), cancellationToken)
                .ConfigureAwait(false);
            if (eventRows is not null)
            {
                await using var eventDisposal = eventRows.ConfigureAwait(false);
                scope ??= await BeginAsync().ConfigureAwait(false);
                logged = await _events.WriteAsync(scope, eventRows, options.WithoutProgress(), cancellationToken).ConfigureAwait(false);
            }

            if (scope is not null)
            {
                if (cycleSavepoint)
                {
                    await scope.Transaction!.ReleaseAsync(CycleSavepoint, cancellationToken).ConfigureAwait(false);
                }

                await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            return new CycleWriteResult(stories.Inserted, cards.Inserted, _time.GetElapsedTime(started))
            {
                StoriesSkipped = stories.Skipped,
                CardsSkipped = cards.Skipped,
                Events = logged.Inserted,
            };
        }
        catch when (cycleSavepoint && scope?.Transaction is { Connection: not null } transaction)
        {
            try
            {
                await transaction.RollbackAsync(CycleSavepoint, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception rollbackError) when (rollbackError is System.Data.Common.DbException or InvalidOperationException)
            {
                // The transaction itself is gone; nothing of the cycle can remain in it.
            }

            throw;
        }
        finally
        {
            if (scope is not null)
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<RunEvent> CycleEvents(HashSet<Guid> runs, TableWriteResult stories, TableWriteResult cards, DateTimeOffset now)
    {
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{stories.Inserted} stories and {cards.Inserted} cards written; {stories.Skipped} stories and {cards.Skipped} cards already present");
        foreach (var run in runs)
        {
            yield return new RunEvent
            {
                Id = Guid.CreateVersion7(now),
                RunId = run,
                Kind = RunEventKinds.CycleWritten,
                Message = message,
                OccurredAt = now,
            };
        }
    }
}
