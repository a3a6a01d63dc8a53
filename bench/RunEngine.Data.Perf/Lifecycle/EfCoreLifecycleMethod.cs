using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RunEngine.Data.Perf.Peers;
using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>
/// EF Core 10, as its users write the worker loop, one context per worker batch and each step's changes sent by ONE
/// <c>SaveChangesAsync</c> (EF Core batches the UPDATEs and INSERTs of a step into as few round trips as it can):
/// <list type="number">
/// <item>the claim: in one transaction, the claimable stories picked with raw SQL (<see cref="PeerDatabase.Claimable"/>:
/// PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>; SQLite a plain SELECT under <c>BEGIN IMMEDIATE</c>, its write lock),
/// then set InProgress with the worker, lease, updated_at and version + 1, with a <c>story.claimed</c> log entry each;</item>
/// <item>the claimed stories' cards, read in one query, set InProgress (version + 1, updated_at, a <c>card.status</c>
/// entry each); then Completed the same way;</item>
/// <item>the stories set Completed, claim and lease cleared, version + 1, a <c>story.completed</c> entry each.</item>
/// </list>
/// <c>version</c> is the concurrency token of both tables, so every UPDATE is checked against the version read, as the
/// library checks it. Log entries have the library's kinds, messages, worker and time. Differences left in: the times
/// come from the host's clock (the library's default is the database's), and completing checks the version only (the
/// library also checks worker, status and that the lease has not expired at the database's now).
/// </summary>
internal sealed class EfCoreLifecycleMethod : ILifecycleMethod
{
    public string Name => "efcore";

    public bool Supports(BenchTarget target) => target.Peers is not null;

    public async Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken)
    {
        var target = context.Target;
        var peers = target.Peers ?? throw new NotSupportedException($"EF Core is not mapped on {target.Name}.");
        var completed = 0;
        while (true)
        {
            await using var connection = await target.OpenAsync(cancellationToken);
            await using var db = peers.EfCore(connection);

            var now = Now();
            var stories = await ClaimAsync(db, peers, context, workerId, now, cancellationToken);
            if (stories.Count == 0)
            {
                return completed;
            }

            context.Tally.Batch();
            var storyIds = stories.Select(s => s.Id).ToArray();
            var cards = await db.Cards.Where(c => c.RunId == context.RunId && storyIds.Contains(c.StoryId)).ToListAsync(cancellationToken);
            foreach (var status in new[] { CardStatus.InProgress, CardStatus.Completed })
            {
                now = Now();
                foreach (var card in cards)
                {
                    card.Status = status;
                    card.Version++;
                    card.UpdatedAt = now;
                    db.RunLog.Add(Event(card.RunId, card.StoryId, card.Id, RunEventKinds.CardStatusChanged,
                        string.Create(CultureInfo.InvariantCulture, $"status set to {status} (version {card.Version})"), null, now));
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            now = Now();
            foreach (var story in stories)
            {
                story.Status = StoryStatus.Completed;
                story.ClaimedBy = null;
                story.LeaseExpiresAt = null;
                story.Version++;
                story.UpdatedAt = now;
                db.RunLog.Add(Event(story.RunId, story.Id, null, RunEventKinds.StoryCompleted, nameof(StoryStatus.Completed), workerId, now));
            }

            await db.SaveChangesAsync(cancellationToken);
            completed += stories.Count;
        }
    }

    private static async Task<List<Story>> ClaimAsync(
        PeerDbContext db, PeerDatabase peers, LifecycleContext context, string workerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stories = await peers.Claimable(db, context.Target.StoriesTable, context.RunId, now, context.StoriesPerClaim).ToListAsync(cancellationToken);
        var expires = now + context.Lease;
        foreach (var story in stories)
        {
            story.Status = StoryStatus.InProgress;
            story.ClaimedBy = workerId;
            story.LeaseExpiresAt = expires;
            story.Version++;
            story.UpdatedAt = now;
            db.RunLog.Add(Event(story.RunId, story.Id, null, RunEventKinds.StoryClaimed, $"lease until {expires:O}", workerId, now));
        }

        if (stories.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stories;
    }

    /// <summary>The host's now at the stored precision (UTC, whole microseconds), as the library normalizes its times.</summary>
    private static DateTimeOffset Now()
    {
        var ticks = TimeProvider.System.GetUtcNow().UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private static RunEvent Event(Guid runId, Guid? storyId, Guid? cardId, string kind, string message, string? worker, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        RunId = runId,
        StoryId = storyId,
        CardId = cardId,
        Kind = kind,
        Message = message,
        Worker = worker,
        OccurredAt = now,
    };
}
