using System.Data.Common;
using RunEngine.Data;

namespace RunEngine.Data.ReadmeExample;

/// <summary>A host's data loop on the library's primitives. Run as many as you like, in as many processes as you like.</summary>
public static class StoryWorker
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Writes a cycle, retrying after transient errors: a replay inserts only what the first try did not commit.</summary>
    public static async Task<CycleWriteResult> WriteCycleAsync(
        RunEngineDatabase db, IReadOnlyList<Story> stories, IReadOnlyList<Card> cards, CancellationToken cancellationToken)
    {
        // The cycle is built once, so every attempt carries the same ids.
        var retrySafe = new BulkInsertOptions { ExistingRows = ExistingRows.Skip, Timeout = TimeSpan.FromMinutes(1) };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await db.WriteCycleAsync(stories, cards, retrySafe, cancellationToken);
            }
            catch (Exception ex) when (attempt < 3 && ex is DbException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Claims ready stories of the run, processes each and completes it, until none is left. <paramref name="process"/>
    /// gets the story and a function that renews the lease (call it between the steps of long work). On shutdown the
    /// stories not yet completed are released for other workers.
    /// </summary>
    public static async Task RunAsync(
        RunEngineDatabase db,
        Guid runId,
        string workerId,
        Func<Story, Func<Task>, CancellationToken, Task<StoryStatus>> process,
        CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var claims = await db.Claims.ClaimAsync(runId, workerId, maxStories: 10, Lease, stopping);
            if (claims.Count == 0)
                return;                                                 // nothing ready, no expired lease: done

            foreach (var claimed in claims)
            {
                var claim = claimed;                                    // each renewal returns the claim to use next
                try
                {
                    StoryStatus? result = null;
                    try
                    {
                        stopping.ThrowIfCancellationRequested();
                        result = await process(claim.Story, async () => claim = await db.Claims.RenewAsync(claim, Lease), stopping);
                    }
                    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                    {
                    }

                    // Not cancelled by shutdown: a finished result is still written, an unfinished story given back.
                    if (result is { } status)
                        await db.Claims.CompleteAsync(claim, status, cancellationToken: CancellationToken.None);
                    else
                        await db.Claims.ReleaseAsync(claim, CancellationToken.None);
                }
                catch (LeaseLostException)
                {
                    // The lease expired and another worker may have the story: drop this result, never write it.
                }
            }
        }
    }
}
