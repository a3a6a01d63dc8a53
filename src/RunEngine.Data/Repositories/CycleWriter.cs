using System.Globalization;
using System.Runtime.ExceptionServices;
using RunEngine.Data.Bulk;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Providers;
using RunEngine.Data.Resilience;

namespace RunEngine.Data.Repositories;

/// <summary>
/// Writes one generation cycle — its stories, then its cards, then its run-log entries — in one transaction: one bulk
/// operation per table, so the number of statements does not depend on the number of rows. Any failure leaves
/// nothing of the cycle behind.
/// </summary>
/// <remarks>
/// On the library's own connection a transient failure is retried (<see cref="OperationRetry"/>). An attempt that
/// failed before its commit was sent left nothing, and the next one writes the cycle again. One that failed after
/// (the reply to COMMIT was lost) may be stored: the next attempt first looks for one run-log entry that exists only if
/// it is — the first run's <c>cycle.written</c> entry (its id is made once per call), or, when the cycle inserted no
/// story or card, its first run-log entry with <see cref="ExistingRows.Fail"/> — and when it is there returns what the
/// committed attempt counted, without writing. With <see cref="ExistingRows.Skip"/> and only run-log entries
/// inserted, no entry proves the commit: the cycle is written again (inserting what is missing) and, if that inserts
/// nothing, the committed attempt's counts are returned. So a cycle is never written twice, nor reported failed when it
/// is stored.
/// </remarks>
internal sealed class CycleWriter
{
    private const string CycleSavepoint = "re_cycle";
    private static readonly IEnumerable<RunEvent> NoEvents = [];
    private readonly DatabaseProvider _provider;
    private readonly EntityStore<Story> _stories;
    private readonly EntityStore<Card> _cards;
    private readonly EntityStore<RunEvent> _events;
    private readonly TimeProvider _time;
    private readonly ProviderDiagnostics _diagnostics;

    public CycleWriter(DatabaseProvider provider, EntityStore<Story> stories, EntityStore<Card> cards, EntityStore<RunEvent> events)
    {
        _provider = provider;
        _diagnostics = provider.Diagnostics;
        _stories = stories;
        _cards = cards;
        _events = events;
        _time = provider.Options.TimeProvider;
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
            scopes, new RowInput<Story>(_stories.Map, stories), new RowInput<Card>(_cards.Map, cards), events ?? NoEvents, options, cancellationToken);
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
            scopes, new RowInput<Story>(_stories.Map, stories), new RowInput<Card>(_cards.Map, cards), events ?? NoEvents, options, cancellationToken);
    }

    private async Task<CycleWriteResult> WriteAsync(
        IScopeFactory scopes, RowInput<Story> stories, RowInput<Card> cards, IEnumerable<RunEvent> events, BulkInsertOptions? options, CancellationToken cancellationToken)
    {
        // The cycle's span is the parent of its per-table bulk_insert spans, and carries the retry events.
        var diagnostics = _diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.WriteCycle, collection: null);
        await using var storyDisposal = stories.ConfigureAwait(false);
        await using var cardDisposal = cards.ConfigureAwait(false);
        try
        {
            options ??= BulkInsertOptions.Default;
            options.Validate();
            var call = new CycleCall(stories, cards, events, options, _stories.NewWriteContext(), _time.GetTimestamp());
            var result = await _provider.Retry.RunAsync(
                scopes, TelemetryTags.WriteCycle, (attempt, token) => AttemptAsync(scopes, call, attempt, token), cancellationToken).ConfigureAwait(false);
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

    private async Task<CycleWriteResult> AttemptAsync(IScopeFactory scopes, CycleCall call, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        CycleWriteResult? earlierIfNothingNew = null;
        if (attempt.EarlierMayHaveCommitted && call.Committed is { } earlier)
        {
            if (earlier.Marker is { } marker)
            {
                if (await StoredRows.ExistsAsync(_provider, _events.Statements, scopes, marker, cancellationToken).ConfigureAwait(false))
                {
                    return Finished(call, earlier.Result);
                }

                attempt.MarkEarlierNotStored();
            }
            else if (earlier.Result.Stories + earlier.Result.Cards + earlier.Result.Events == 0)
            {
                // It inserted nothing: stored or not, the database is as it would be.
                return Finished(call, earlier.Result);
            }
            else
            {
                earlierIfNothingNew = earlier.Result;
            }

            if (!call.CanWriteAgain)
            {
                // Its lazy input was read: it cannot be written again. The previous error surfaces (a plain transient
                // fault when the check found it not stored, an unknown commit outcome otherwise).
                attempt.MarkNotRepeatable();
                ExceptionDispatchInfo.Throw(attempt.PreviousError ?? new InvalidOperationException("The cycle's commit outcome is unknown."));
            }
        }

        try
        {
            var result = await WriteOnceAsync(scopes, call, attempt, cancellationToken).ConfigureAwait(false);
            return earlierIfNothingNew is not null && result.Stories + result.Cards + result.Events == 0 ? Finished(call, earlierIfNothingNew) : result;
        }
        catch (Exception ex)
        {
            _stories.NotRepeatedPastItsTimeout(attempt, call.Options, ex);
            call.Stories.CheckRepeatable(attempt);
            call.Cards.CheckRepeatable(attempt);
            if (!attempt.CommitSent && call.EventsTaken && !call.EventsRereadable)
            {
                attempt.MarkNotRepeatable();
            }

            throw;
        }
    }

    private CycleWriteResult Finished(CycleCall call, CycleWriteResult result) => result with { Elapsed = _time.GetElapsedTime(call.Started) };

    private async Task<CycleWriteResult> WriteOnceAsync(IScopeFactory scopes, CycleCall call, OperationAttempt attempt, CancellationToken cancellationToken)
    {
        var options = call.Options;
        var context = call.Context;
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
            var storyRows = await call.Stories.OpenAsync(context, options, cancellationToken).ConfigureAwait(false);
            try
            {
                if (storyRows is not null)
                {
                    scope = await BeginAsync().ConfigureAwait(false);
                    stories = await _stories.WriteAsync(scope, storyRows, options, cancellationToken).ConfigureAwait(false);
                    runs.UnionWith(storyRows.RunIds);
                }

                // Cards are opened only after the stories are written: a lazy card generator may depend on them.
                var cardRows = await call.Cards.OpenAsync(context, options, cancellationToken).ConfigureAwait(false);
                try
                {
                    if (cardRows is not null)
                    {
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
                }
                finally
                {
                    await call.Cards.ReleaseAsync(cardRows).ConfigureAwait(false);
                }
            }
            finally
            {
                await call.Stories.ReleaseAsync(storyRows).ConfigureAwait(false);
            }

            // The cycle's trace goes in the same transaction; a replay that inserted nothing adds no trace of its own.
            var trace = stories.Inserted + cards.Inserted > 0 ? CycleEvents(call, runs, stories, cards) : [];
            call.EventsTaken = true;
            Guid? firstEvent = null;
            var eventRows = await RowSource<RunEvent>.OpenAsync(_events.Map, call.Events.Concat(trace), context, options.WithoutProgress(), cancellationToken)
                .ConfigureAwait(false);
            if (eventRows is not null)
            {
                await using var eventDisposal = eventRows.ConfigureAwait(false);
                scope ??= await BeginAsync().ConfigureAwait(false);
                logged = await _events.WriteAsync(scope, eventRows, options.WithoutProgress(), cancellationToken).ConfigureAwait(false);
                firstEvent = eventRows.FirstId;
            }

            var result = new CycleWriteResult(stories.Inserted, cards.Inserted, _time.GetElapsedTime(call.Started))
            {
                StoriesSkipped = stories.Skipped,
                CardsSkipped = cards.Skipped,
                Events = logged.Inserted,
            };

            if (scope is not null)
            {
                if (cycleSavepoint)
                {
                    await scope.Transaction!.ReleaseAsync(CycleSavepoint, cancellationToken).ConfigureAwait(false);
                }

                if (scope.OwnsTransaction)
                {
                    // The proof of this commit, should its reply be lost: the trace entry (written only with inserted
                    // stories or cards, its id made once per call), else with ExistingRows.Fail the first entry (every
                    // row of such a cycle is new).
                    var marker = trace.Count > 0 ? trace[0].Id
                        : options.ExistingRows == ExistingRows.Fail && logged.Inserted > 0 ? firstEvent
                        : null;
                    call.Committed = (result, marker);
                    attempt.MarkCommitSent();
                }

                await scope.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
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

    private static List<RunEvent> CycleEvents(CycleCall call, HashSet<Guid> runs, TableWriteResult stories, TableWriteResult cards)
    {
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{stories.Inserted} stories and {cards.Inserted} cards written; {stories.Skipped} stories and {cards.Skipped} cards already present");
        var now = call.Context.Now;
        var events = new List<RunEvent>(runs.Count);
        foreach (var run in runs)
        {
            events.Add(new RunEvent
            {
                Id = call.TraceId(run),
                RunId = run,
                Kind = RunEventKinds.CycleWritten,
                Message = message,
                OccurredAt = now,
            });
        }

        return events;
    }
}
