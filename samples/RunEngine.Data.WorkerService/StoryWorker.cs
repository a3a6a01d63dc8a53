using Microsoft.Extensions.Options;

namespace RunEngine.Data.WorkerService;

/// <summary>
/// One worker: claims a few stories, does fake work on each (renewing the lease of long work at half-time), completes
/// them, and stops when nothing is left. On shutdown it releases what it still holds, so that any worker claiming in
/// that run can take it at once instead of waiting for the lease to expire.
/// </summary>
public sealed class StoryWorker(
    string workerId,
    IStoryClaims claims,
    RunState state,
    IOptions<WorkerSettings> settings,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<StoryWorker> logger) : BackgroundService
{
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
            var batch = await claims.ClaimAsync(runId, workerId, options.ClaimBatch, options.Lease, stoppingToken);
            if (batch.Count == 0)
            {
                break;
            }

            SampleLog.Claimed(logger, workerId, batch.Count, batch[0].Story.Position);
            var held = batch.ToArray<StoryClaim?>();
            for (var i = 0; i < held.Length; i++)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    // Shutdown: give back what was not started, so nothing waits for the leases to expire.
                    foreach (var unstarted in held.Skip(i).OfType<StoryClaim>())
                    {
                        await claims.ReleaseAsync(unstarted, CancellationToken.None);
                    }

                    break;
                }

                // A story later in the batch waited while earlier ones were worked on: renew a lease that is half
                // gone before starting, so that it does not expire (and go to another worker) mid-work.
                if (held[i] is { } claim && claim.LeaseExpiresAt - time.GetUtcNow() < options.Lease / 2)
                {
                    held[i] = await TryRenewAsync(claim, options, stoppingToken);
                }

                if (held[i] is { } ready)
                {
                    await ProcessAsync(ready, new ArraySegment<StoryClaim?>(held, i + 1, held.Length - i - 1), options, stoppingToken);
                    processed++;
                }
            }
        }

        SampleLog.Finished(logger, workerId, processed);
        if (state.WorkerFinished())
        {
            lifetime.StopApplication();
        }
    }

    private async Task<StoryClaim?> TryRenewAsync(StoryClaim claim, WorkerSettings options, CancellationToken stoppingToken)
    {
        try
        {
            return await claims.RenewAsync(claim, options.Lease, stoppingToken);
        }
        catch (LeaseLostException ex)
        {
            SampleLog.Dropped(logger, workerId, claim.Story.Position, ex.Reason);
            return null;
        }
    }

    private async Task ProcessAsync(StoryClaim claim, ArraySegment<StoryClaim?> waiting, WorkerSettings options, CancellationToken stoppingToken)
    {
        var position = claim.Story.Position;
        var isLong = options.LongEvery > 0 && position % options.LongEvery == options.LongEvery - 1;
        var work = isLong ? options.Lease * 1.5 : TimeSpan.FromMilliseconds(20 + (position * 37 % 100));
        try
        {
            var renewAfter = options.Lease / 2;
            var sinceRenewal = TimeSpan.Zero;
            for (var done = TimeSpan.Zero; done < work;)
            {
                var step = TimeSpan.FromMilliseconds(Math.Min(100, (work - done).TotalMilliseconds));
                await Task.Delay(step, stoppingToken);
                done += step;
                sinceRenewal += step;
                if (sinceRenewal >= renewAfter && done < work)
                {
                    // Long work keeps its lease alive; each renewal returns the claim to use next.
                    claim = await claims.RenewAsync(claim, options.Lease, stoppingToken);
                    sinceRenewal = TimeSpan.Zero;

                    // The rest of the batch is still held too: keep those leases alive as well.
                    for (var j = 0; j < waiting.Count; j++)
                    {
                        if (waiting[j] is { } next)
                        {
                            waiting[j] = await TryRenewAsync(next, options, stoppingToken);
                        }
                    }

                    SampleLog.Renewed(logger, workerId, position, claim.LeaseExpiresAt);
                }
            }

            var failed = options.FailEvery > 0 && position % options.FailEvery == options.FailEvery - 1;
            await claims.CompleteAsync(claim, failed ? StoryStatus.Failed : StoryStatus.Completed, failed ? "fake failure" : null, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await claims.ReleaseAsync(claim, CancellationToken.None);
            SampleLog.Released(logger, workerId, position);
        }
        catch (LeaseLostException ex)
        {
            // Another worker may have the story now: drop this result, never write it.
            SampleLog.Dropped(logger, workerId, position, ex.Reason);
        }
    }
}
