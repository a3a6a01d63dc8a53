using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// The library's batch calls, four per worker batch whatever K and C: <c>Claims.ClaimAsync</c> for K stories,
/// <c>Cards.UpdateStatusByStoryAsync(runId, …)</c> over the K stories (Pending → InProgress), again (InProgress →
/// Completed) — the run-scoped form, as the README's worker loop sends it (the cards found on their natural key by run
/// and story; the id-only form first joins the stories to learn their runs),
/// and <c>Claims.CompleteManyAsync</c> for the K claims. By-parent rather than <c>UpdateStatusesAsync</c>: the worker
/// needs no read of card ids and versions first, and the status filter is the condition (each changed card still
/// gets its version bump and run-log entry). A lost lease in the batch fails the run loudly.
/// </summary>
internal sealed class SetBasedLifecycleMethod : ILifecycleMethod
{
    private static readonly CardStatus[] Pending = [CardStatus.Pending];
    private static readonly CardStatus[] InProgress = [CardStatus.InProgress];

    public string Name => "set-based";

    public bool Supports(BenchTarget target) => true;

    public async Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken)
    {
        var db = context.Target.Database;
        var completed = 0;
        while (true)
        {
            var claims = await db.Claims.ClaimAsync(context.RunId, workerId, context.StoriesPerClaim, context.Lease, cancellationToken);
            if (claims.Count == 0)
            {
                return completed;
            }

            context.Tally.Batch();
            var storyIds = claims.Select(c => c.StoryId).ToArray();
            await db.Cards.UpdateStatusByStoryAsync(context.RunId, storyIds, Pending, CardStatus.InProgress, cancellationToken: cancellationToken);
            await db.Cards.UpdateStatusByStoryAsync(context.RunId, storyIds, InProgress, CardStatus.Completed, cancellationToken: cancellationToken);
            var result = await db.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)), cancellationToken);
            if (result.Lost.Count > 0)
            {
                throw new InvalidOperationException($"set-based: {result.Lost.Count} of {claims.Count} claims lost their lease (first: story {result.Lost[0].StoryId}, {result.Lost[0].LostReason}).");
            }

            completed += result.Succeeded;
        }
    }
}
