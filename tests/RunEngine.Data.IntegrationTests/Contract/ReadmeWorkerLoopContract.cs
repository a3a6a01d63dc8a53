using System.Collections.Concurrent;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.ReadmeExample;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// The README's worker loop (samples/RunEngine.Data.ReadmeExample/StoryWorker.cs, linked into this project) works:
/// several loops drain a run, every story and card ends completed exactly once, and a worker whose lease expired in the
/// middle of a batch writes none of that batch's results. Each worker has its own database object, like separate hosts;
/// leases are on the fixture's fake host clock.
/// </summary>
public abstract class ReadmeWorkerLoopContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    /// <summary>More than StoryWorker's lease of 5 minutes.</summary>
    private static readonly TimeSpan PastTheLease = TimeSpan.FromMinutes(6);

    protected ReadmeWorkerLoopContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task RunAsync_ThreeWorkersUntilNoneIsLeft_CompleteEveryStoryAndCardExactlyOnce()
    {
        Fixture.SkipIfUnavailable();
        const int Stories = 45;
        var (runId, stories, cards) = await SeedAsync(Stories, cardsPerStory: 3);
        var processed = new ConcurrentBag<Guid>();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            await using var db = Fixture.CreateDatabase();
            await StoryWorker.RunAsync(db, runId, $"worker-{w}", async (story, renew, ct) =>
            {
                // The cards start, as a host's work would start them; every fourth story is long work that renews.
                await db.Cards.UpdateStatusByStoryAsync([story.Id], [CardStatus.Pending], CardStatus.InProgress, cancellationToken: ct);
                if (story.Position % 4 == 0)
                    await renew();
                processed.Add(story.Id);
                return StoryStatus.Completed;
            }, CancellationToken.None);
        })));

        processed.Order().Should().Equal(stories.Select(s => s.Id).Order(), "every story is processed, and only once");
        (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Status == StoryStatus.Completed && s.ClaimedBy == null && s.LeaseExpiresAt == null);
        (await CardsOfRunAsync(runId)).Should().HaveCount(cards.Count).And.OnlyContain(c => c.Status == CardStatus.Completed && c.Version == 3);
        var log = await LogOfRunAsync(runId);
        log.Where(e => e.Kind == RunEventKinds.StoryCompleted).Select(e => e.StoryId).Should().HaveCount(Stories).And.OnlyHaveUniqueItems();
        log.Where(e => e.Kind == RunEventKinds.StoryClaimed).Should().HaveCount(Stories, "no lease expired, so no story was claimed twice");
        log.Where(e => e.Kind == RunEventKinds.CardStatusChanged).GroupBy(e => e.CardId).Should().HaveCount(cards.Count).And.OnlyContain(g => g.Count() == 2);
        log.Where(e => e.Kind == RunEventKinds.LeaseRenewed).Should().NotBeEmpty("long work renewed its batch");
    }

    [SkippableFact]
    public async Task RunAsync_LeaseExpiredMidBatch_TheStaleWorkerWritesNoResult()
    {
        Fixture.SkipIfUnavailable();
        var (runId, stories, cards) = await SeedAsync(stories: 15, cardsPerStory: 2);
        await using var slowDb = Fixture.CreateDatabase();
        await using var otherDb = Fixture.CreateDatabase();
        var slowCalls = 0;

        await StoryWorker.RunAsync(slowDb, runId, "slow", async (story, renew, ct) =>
        {
            if (slowCalls++ == 0)
            {
                // The slow worker stalls past its lease and another worker claims the whole run, expired leases
                // included. The stale worker's renewal then loses every lease of its batch, without throwing.
                Fixture.Time.Advance(PastTheLease);
                (await otherDb.Claims.ClaimAsync(runId, "other", 100, TimeSpan.FromMinutes(5), ct)).Should().HaveCount(15);
                await renew();
            }

            return StoryStatus.Failed;                                  // would show if any stale result were written
        }, CancellationToken.None);

        slowCalls.Should().Be(10, "the slow worker processed its batch of 10, then found nothing claimable");
        (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Status == StoryStatus.InProgress && s.ClaimedBy == "other");
        (await CardsOfRunAsync(runId)).Should().OnlyContain(c => c.Status == CardStatus.Pending && c.Version == 1, "the stale batch's cards are left alone");
        var log = await LogOfRunAsync(runId);
        log.Where(e => e.Worker == "slow").Should().HaveCount(10).And.OnlyContain(
            e => e.Kind == RunEventKinds.StoryClaimed, "the stale worker renewed, completed and released nothing");

        // The other worker's leases run out too; a loop takes the run over and finishes every story and card once.
        Fixture.Time.Advance(PastTheLease);
        await StoryWorker.RunAsync(otherDb, runId, "rescuer", (_, _, _) => Task.FromResult(StoryStatus.Completed), CancellationToken.None);
        (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Status == StoryStatus.Completed && s.ClaimedBy == null);
        (await CardsOfRunAsync(runId)).Should().HaveCount(cards.Count).And.OnlyContain(c => c.Status == CardStatus.Completed && c.Version == 2);
        log = await LogOfRunAsync(runId);
        log.Where(e => e.Kind == RunEventKinds.StoryCompleted).Select(e => e.StoryId).Should().BeEquivalentTo(stories.Select(s => (Guid?)s.Id))
            .And.Subject.Should().HaveCount(15);
        log.Where(e => e.Kind == RunEventKinds.StoryCompleted).Should().OnlyContain(e => e.Worker == "rescuer");
        log.Where(e => e.Kind == RunEventKinds.CardStatusChanged).Should().HaveCount(cards.Count, "each card changed once, by the rescuer");
    }

    private async Task<(Guid RunId, List<Story> Stories, List<Card> Cards)> SeedAsync(int stories, int cardsPerStory)
    {
        var runId = TestData.NewRunId();
        var storyRows = Enumerable.Range(0, stories).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList();
        var cardRows = storyRows.SelectMany(s => Enumerable.Range(0, cardsPerStory).Select(i => TestData.Card(s, i))).ToList();
        await Db.WriteCycleAsync(storyRows, cardRows);
        return (runId, storyRows, cardRows);
    }
}
