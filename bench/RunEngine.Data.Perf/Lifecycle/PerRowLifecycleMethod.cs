using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// The library's single-row calls, as a worker loop uses them today: <c>Claims.ClaimAsync</c> for K stories; per
/// story, its cards read with <c>Cards.GetByStoryAsync</c>, then <c>Cards.UpdateStatusAsync</c> per card to InProgress
/// and per card to Completed (each with the version the previous call returned), then <c>Claims.CompleteAsync</c>.
/// Every call is its own transaction with its run-log entry.
/// </summary>
internal sealed class PerRowLifecycleMethod : ILifecycleMethod
{
    public string Name => "per-row";

    public bool Supports(BenchTarget target) => true;

    public async Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken)
    {
        var db = context.Target.Database;
        var completed = 0;
        var cards = new List<(Guid Id, int Version)>();
        while (true)
        {
            var claims = await db.Claims.ClaimAsync(context.RunId, workerId, context.StoriesPerClaim, context.Lease, cancellationToken);
            if (claims.Count == 0)
            {
                return completed;
            }

            context.Tally.Batch();
            foreach (var claim in claims)
            {
                cards.Clear();
                await foreach (var card in db.Cards.GetByStoryAsync(claim.StoryId, cancellationToken))
                {
                    cards.Add((card.Id, card.Version));
                }

                foreach (var status in new[] { CardStatus.InProgress, CardStatus.Completed })
                {
                    for (var i = 0; i < cards.Count; i++)
                    {
                        var (id, version) = cards[i];
                        cards[i] = (id, await db.Cards.UpdateStatusAsync(id, status, version, cancellationToken));
                    }
                }

                await db.Claims.CompleteAsync(claim, StoryStatus.Completed, cancellationToken: cancellationToken);
                completed++;
            }
        }
    }
}
