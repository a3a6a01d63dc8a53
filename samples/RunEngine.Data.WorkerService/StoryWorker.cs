using Microsoft.Extensions.Options;

namespace RunEngine.Data.WorkerService;

/// <summary>
/// One worker, on the batch calls: claims a few stories, does fake work on each (renewing the whole batch's leases with
/// one <see cref="IStoryClaims.RenewManyAsync"/> when they are half gone), then finishes the batch in one transaction —
/// <see cref="IStoryClaims.CompleteManyAsync"/> plus the cards' final statuses of the claims that held — and stops when
/// nothing is left. On shutdown it still finishes what it processed and releases the rest with
/// <see cref="IStoryClaims.ReleaseManyAsync"/>, so that any worker claiming in that run can take it at once.
/// </summary>
public sealed class StoryWorker(
    string workerId,
    RunEngineDatabase database,
    RunState state,
    IOptions<WorkerSettings> settings,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StoryWorker> logger) : BackgroundService
{
    private static readonly CardStatus[] Unfinished = [CardStatus.Pending, CardStatus.InProgress];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WorkAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Reported once, as one line, by Program after the host stopped (the host's own log would print the stack).
            state.Fail(ex);
            lifetime.StopApplication();
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        var runId = await state.RunId.WaitAsync(stoppingToken);
        var processed = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var claims = (await database.Claims.ClaimAsync(runId, workerId, options.ClaimBatch, options.Lease, stoppingToken)).ToArray();
            if (claims.Length == 0)
            {
                break;
            }

            SampleLog.Claimed(logger, workerId, claims.Length, claims[0].Story.Position);
            var results = new StoryStatus?[claims.Length];              // null: not processed (shutdown, or the lease was lost)
            try
            {
                for (var i = 0; i < claims.Length; i++)
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    results[i] = await ProcessAsync(claims, i, options, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutdown: what was processed is still finished below, the rest given back.
            }

            processed += await FinishAsync(claims, results);
        }

        SampleLog.Finished(logger, workerId, processed);
        if (state.WorkerFinished())
        {
            lifetime.StopApplication();
        }
    }

    /// <summary>Fake work on story <paramref name="index"/> of the batch: its result, Completed or Failed; null when its lease was lost.</summary>
    private async Task<StoryStatus?> ProcessAsync(StoryClaim[] claims, int index, WorkerSettings options, CancellationToken stoppingToken)
    {
        var position = claims[index].Story.Position;
        var isLong = options.LongEvery > 0 && position % options.LongEvery == options.LongEvery - 1;
        var work = isLong ? options.Lease * 1.5 : TimeSpan.FromMilliseconds(20 + (position * 37 % 100));
        for (var done = TimeSpan.Zero; done < work;)
        {
            // The batch's leases were taken together and are renewed together: the story being worked on, the ones
            // waiting their turn and the ones processed but not yet completed all need theirs.
            if (claims[index].LeaseExpiresAt - time.GetUtcNow() < options.Lease / 2
                && await RenewAsync(claims, position, options, stoppingToken) is { Succeeded: false } lost)
            {
                // Another worker may have this story now: stop working on it (its release below is refused too).
                SampleLog.Dropped(logger, workerId, position, lost.LostReason!);
                return null;
            }

            var step = TimeSpan.FromMilliseconds(Math.Min(100, (work - done).TotalMilliseconds));
            await Task.Delay(step, stoppingToken);
            done += step;
        }

        var failed = options.FailEvery > 0 && position % options.FailEvery == options.FailEvery - 1;
        return failed ? StoryStatus.Failed : StoryStatus.Completed;
    }

    /// <summary>
    /// One renewal for the whole batch; each renewed claim replaces the old one, whose version is now stale. Returns the
    /// outcome of the story being worked on, at <paramref name="position"/>.
    /// </summary>
    private async Task<ClaimOutcome> RenewAsync(StoryClaim[] claims, int position, WorkerSettings options, CancellationToken stoppingToken)
    {
        var renewed = await database.Claims.RenewManyAsync(claims, options.Lease, stoppingToken);
        for (var i = 0; i < claims.Length; i++)
        {
            // A lost claim is kept as it is: the batch's completion reports it lost (and drops its result) again.
            claims[i] = renewed.Outcomes[i].Renewed ?? claims[i];
        }

        SampleLog.Renewed(logger, workerId, renewed.Succeeded, position, claims.Max(c => c.LeaseExpiresAt));
        return renewed.Outcomes.Single(o => o.Claim.Story.Position == position);
    }

    /// <summary>
    /// Completes the processed stories and sets their unfinished cards to the same result in one transaction, then
    /// releases the unprocessed ones. Not cancellable: a finished result is still written on shutdown. Returns how many
    /// stories this worker completed.
    /// </summary>
    private async Task<int> FinishAsync(StoryClaim[] claims, StoryStatus?[] results)
    {
        var done = claims.Zip(results).Where(c => c.Second is not null).Select(c => new ClaimCompletion(c.First, c.Second!.Value, c.Second == StoryStatus.Failed ? "fake failure" : null)).ToList();
        ClaimBatchResult completed;
        await using (var session = await database.BeginSessionAsync(CancellationToken.None))
        {
            completed = await session.Claims.CompleteManyAsync(done, CancellationToken.None);
            var held = done.Zip(completed.Outcomes).Where(c => c.Second.Succeeded).Select(c => c.First);
            foreach (var result in held.GroupBy(c => c.Result == StoryStatus.Completed ? CardStatus.Completed : CardStatus.Failed))
            {
                await session.Cards.UpdateStatusByStoryAsync(result.Select(c => c.Claim.StoryId), Unfinished, result.Key, cancellationToken: CancellationToken.None);
            }

            await session.CommitAsync(CancellationToken.None);
        }

        foreach (var lost in completed.Lost)
        {
            // Another worker may have the story now: its result was dropped, its cards left to that worker.
            SampleLog.Dropped(logger, workerId, lost.Claim.Story.Position, lost.LostReason!);
        }

        var unprocessed = claims.Where((_, i) => results[i] is null).ToList();
        var released = await database.Claims.ReleaseManyAsync(unprocessed, CancellationToken.None);
        foreach (var outcome in released.Outcomes.Where(o => o.Succeeded))
        {
            SampleLog.Released(logger, workerId, outcome.Claim.Story.Position);
        }

        return completed.Succeeded;
    }
}
