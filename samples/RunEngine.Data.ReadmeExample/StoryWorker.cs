using RunEngine.Data;

namespace RunEngine.Data.ReadmeExample;

/// <summary>A host's data loop on the library's primitives. Run as many as you like, in as many processes as you like.</summary>
public static class StoryWorker
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly CardStatus[] Unfinished = [CardStatus.Pending, CardStatus.InProgress];

    /// <summary>
    /// Writes a cycle. The library retries transient faults itself, and with <see cref="ExistingRows.Skip"/> a repeat
    /// inserts only what an earlier attempt did not commit. A <see cref="TransientFaultException"/> means the database
    /// stayed away longer than the retries: the cycle is not stored (or, after a <see cref="CommitOutcomeUnknownException"/>,
    /// may be), and calling this again later with the same lists is safe either way.
    /// </summary>
    public static Task<CycleWriteResult> WriteCycleAsync(
        RunEngineDatabase db, IReadOnlyList<Story> stories, IReadOnlyList<Card> cards, CancellationToken cancellationToken) =>
        // Lists built once, not lazy sequences: every attempt carries the same ids.
        db.WriteCycleAsync(stories, cards, new BulkInsertOptions { ExistingRows = ExistingRows.Skip, Timeout = TimeSpan.FromMinutes(1) }, cancellationToken);

    /// <summary>
    /// Claims up to 10 ready stories of the run at a time, processes each, then finishes the batch, until none is left.
    /// <paramref name="process"/> gets the story and a function that renews the leases of the whole batch (call it between
    /// the steps of long work), and returns the story's result: Completed, Failed or Cancelled, which its unfinished
    /// cards get too. On shutdown the results so far are still written and the rest of the batch is released.
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
            var claims = (await db.Claims.ClaimAsync(runId, workerId, maxStories: 10, Lease, stopping)).ToArray();
            if (claims.Length == 0)
                return;                                                 // nothing ready, no expired lease: done

            // One renewal for the whole batch: the stories still waiting and those processed but not yet completed need
            // their leases too. A renewed claim has a new version and replaces the old one; a lost one is kept as it is,
            // and finishing the batch reports it lost.
            async Task RenewBatchAsync()
            {
                var renewed = await db.Claims.RenewManyAsync(claims, Lease, stopping);
                for (var i = 0; i < claims.Length; i++)
                    claims[i] = renewed.Outcomes[i].Renewed ?? claims[i];
            }

            var results = new StoryStatus?[claims.Length];              // null: not processed (shutdown came first)
            try
            {
                for (var i = 0; i < claims.Length; i++)
                {
                    stopping.ThrowIfCancellationRequested();
                    results[i] = await process(claims[i].Story, RenewBatchAsync, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutdown: the results so far are still written below, the rest of the batch given back.
            }

            try
            {
                await FinishBatchAsync(db, runId, claims, results);
            }
            catch (TransientFaultException)
            {
                // A session is never retried (its transaction spans calls the library cannot replay), so a transient
                // fault there surfaces at once; the batch's results are then not written (or, after a
                // CommitOutcomeUnknownException, may be). Its stories stay leased to this worker until the leases
                // expire, and then any worker claims and processes them again. A fault that outlasts the library's
                // retries anywhere else (the claim, a renewal) ends the loop: restart it when the database is back.
            }
        }
    }

    /// <summary>
    /// Completes the processed stories and sets their unfinished cards to the same result, in one transaction; releases
    /// the others. Not cancellable: a finished result is still written on shutdown.
    /// </summary>
    private static async Task FinishBatchAsync(RunEngineDatabase db, Guid runId, StoryClaim[] claims, StoryStatus?[] results)
    {
        var done = claims.Zip(results).Where(c => c.Second is not null).Select(c => new ClaimCompletion(c.First, c.Second!.Value)).ToList();
        await using (var session = await db.BeginSessionAsync())
        {
            var completed = await session.Claims.CompleteManyAsync(done);
            // A lost lease is reported, not thrown: another worker may have that story now, so its cards are left alone.
            // (Outcomes come in the order of the completions passed.)
            var held = done.Zip(completed.Outcomes).Where(c => c.Second.Succeeded).Select(c => c.First);
            foreach (var result in held.GroupBy(c => CardResult(c.Result)))
                await session.Cards.UpdateStatusByStoryAsync(runId, result.Select(c => c.Claim.StoryId), Unfinished, result.Key);
            await session.CommitAsync();
        }

        await db.Claims.ReleaseManyAsync(claims.Where((_, i) => results[i] is null));
    }

    // The status a finished story's unfinished cards get.
    private static CardStatus CardResult(StoryStatus story) => story switch
    {
        StoryStatus.Completed => CardStatus.Completed,
        StoryStatus.Cancelled => CardStatus.Cancelled,
        _ => CardStatus.Failed,
    };
}
