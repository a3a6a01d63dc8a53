using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Finishing a story in one transaction, the session form documented in docs/work-claiming.md ("Finishing a story"):
/// <see cref="ICardRepository.UpdateStatusByStoryAsync"/> then <see cref="IStoryClaims.CompleteAsync"/> then commit.
/// The cards and the story change together; a lost lease rolls the card changes back; two finish steps racing for
/// one story change its cards once. On the fixture's host clock (<see cref="LeaseClock.Host"/>, fake time).
/// </summary>
public abstract class FinishStoryContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected FinishStoryContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task Finish_InOneSession_CompletesTheStoryAndItsCardsTogether()
    {
        Fixture.SkipIfUnavailable();
        var (runId, cards) = await SeedAsync(stories: 2, cardsPerStory: 3);
        var claim = (await Db.Claims.ClaimAsync(runId, "worker-a", 1, Lease)).Single();
        var ofStory = cards.Where(c => c.StoryId == claim.StoryId).ToList();
        await Db.Cards.UpdateStatusAsync(ofStory[0].Id, CardStatus.InProgress, 1);
        var before = (await CardsOfRunAsync(runId)).ToDictionary(c => c.Id);
        var logged = (await LogOfRunAsync(runId)).Count;

        var (changed, version) = await FinishAsync(Db, claim);

        changed.Should().Be(3);
        version.Should().Be(claim.Version + 1);
        (await Db.Stories.GetAsync(claim.StoryId)).Should().BeEquivalentTo(new
        {
            Status = StoryStatus.Completed, Version = claim.Version + 1, ClaimedBy = (string?)null, LeaseExpiresAt = (DateTimeOffset?)null,
        });
        foreach (var card in await CardsOfRunAsync(runId))
        {
            if (card.StoryId == claim.StoryId)
            {
                card.Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = before[card.Id].Version + 1, UpdatedAt = Now });
            }
            else
            {
                card.Should().BeEquivalentTo(before[card.Id], "the other story's cards are untouched");
            }
        }

        var entries = (await LogOfRunAsync(runId)).Skip(logged).ToList();
        entries.Where(e => e.Kind == RunEventKinds.CardStatusChanged).Select(e => e.CardId!.Value).Should().BeEquivalentTo(ofStory.Select(c => c.Id));
        entries.Where(e => e.Kind == RunEventKinds.StoryCompleted).Should().ContainSingle().Which.StoryId.Should().Be(claim.StoryId);
        entries.Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task Finish_LeaseReclaimedByAnotherWorker_ThrowsLeaseLostAndLeavesTheCardsUnchanged()
    {
        Fixture.SkipIfUnavailable();
        var (runId, _) = await SeedAsync(stories: 1, cardsPerStory: 4);
        var lost = (await Db.Claims.ClaimAsync(runId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(Lease * 2);
        var current = (await Db.Claims.ClaimAsync(runId, "worker-b", 1, Lease)).Single();
        var cardsBefore = await CardsOfRunAsync(runId);
        var storyBefore = await Db.Stories.GetAsync(lost.StoryId);
        var logged = (await LogOfRunAsync(runId)).Count;

        var finish = () => FinishAsync(Db, lost);

        var error = (await finish.Should().ThrowAsync<LeaseLostException>()).Which;
        error.StoryId.Should().Be(lost.StoryId);
        error.Reason.Should().Contain("another worker");
        (await CardsOfRunAsync(runId)).Should().BeEquivalentTo(cardsBefore, "the card changes roll back with the lost lease");
        (await Db.Stories.GetAsync(lost.StoryId)).Should().BeEquivalentTo(storyBefore);
        (await LogOfRunAsync(runId)).Should().HaveCount(logged, "nothing of the failed finish is logged");

        var (changed, _) = await FinishAsync(Db, current);
        changed.Should().Be(4, "the new holder still finishes");
    }

    [SkippableFact]
    public async Task Finish_LeaseExpiredButNotReclaimed_ThrowsLeaseLostAndLeavesTheCardsUnchanged()
    {
        Fixture.SkipIfUnavailable();
        var (runId, _) = await SeedAsync(stories: 1, cardsPerStory: 2);
        var claim = (await Db.Claims.ClaimAsync(runId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(Lease + TimeSpan.FromMilliseconds(1));
        var cardsBefore = await CardsOfRunAsync(runId);

        var finish = () => FinishAsync(Db, claim);

        (await finish.Should().ThrowAsync<LeaseLostException>()).Which.Reason.Should().Contain("expired");
        (await CardsOfRunAsync(runId)).Should().BeEquivalentTo(cardsBefore);
    }

    [SkippableFact]
    public async Task Finish_TwoWorkersConcurrently_ExactlyOneWinsAndTheCardsChangeOnce()
    {
        Fixture.SkipIfUnavailable();
        var (runId, _) = await SeedAsync(stories: 1, cardsPerStory: 5);
        var stale = (await Db.Claims.ClaimAsync(runId, "worker-a", 1, Lease)).Single();
        Fixture.Time.Advance(Lease * 2);
        var current = (await Db.Claims.ClaimAsync(runId, "worker-b", 1, Lease)).Single();
        var before = (await CardsOfRunAsync(runId)).ToDictionary(c => c.Id);
        var logged = (await LogOfRunAsync(runId)).Count;

        // Each worker finishes twice over (a retried step): four racing finish steps, one of which can win.
        var attempts = new[] { stale, current, stale, current }.Select(c => Task.Run(async () =>
        {
            try
            {
                return (Won: true, Changed: (await FinishAsync(Db, c)).Changed);
            }
            catch (LeaseLostException)
            {
                return (Won: false, Changed: 0L);
            }
        })).ToList();
        var outcomes = await Task.WhenAll(attempts);

        outcomes.Where(o => o.Won).Should().ContainSingle().Which.Changed.Should().Be(5);
        outcomes.Select((o, i) => (o, i)).Where(x => x.o.Won).Single().i.Should().BeOneOf([1, 3], "only the current holder can win");
        (await CardsOfRunAsync(runId)).Should().OnlyContain(c => c.Status == CardStatus.Completed && c.Version == before[c.Id].Version + 1);
        var entries = (await LogOfRunAsync(runId)).Skip(logged).ToList();
        entries.Count(e => e.Kind == RunEventKinds.CardStatusChanged).Should().Be(5, "each card changed once");
        entries.Count(e => e.Kind == RunEventKinds.StoryCompleted).Should().Be(1);
        (await Db.Stories.GetAsync(current.StoryId)).Should().BeEquivalentTo(new { Status = StoryStatus.Completed, Version = current.Version + 1 });
    }

    [SkippableFact]
    public async Task FinishMany_InOneSession_CompletesTheHeldStoriesAndOnlyTheirCards()
    {
        Fixture.SkipIfUnavailable();
        var (runId, _) = await SeedAsync(stories: 3, cardsPerStory: 2);
        var claims = await Db.Claims.ClaimAsync(runId, "worker-a", 3, Lease);
        await Db.Claims.RenewAsync(claims[2], Lease);
        var before = (await CardsOfRunAsync(runId)).ToDictionary(c => c.Id);

        // The batch form documented in docs/work-claiming.md: complete first, then the cards of the claims that held.
        await using (var session = await Db.BeginSessionAsync())
        {
            var result = await session.Claims.CompleteManyAsync(claims.Select(c => new ClaimCompletion(c, StoryStatus.Completed)));
            var held = result.Outcomes.Where(o => o.Succeeded).Select(o => o.StoryId).ToList();
            var changed = await session.Cards.UpdateStatusByStoryAsync(runId, held, [CardStatus.Pending, CardStatus.InProgress], CardStatus.Completed);
            await session.CommitAsync();

            result.Lost.Should().ContainSingle().Which.StoryId.Should().Be(claims[2].StoryId);
            changed.Should().Be(4);
        }

        foreach (var card in await CardsOfRunAsync(runId))
        {
            if (card.StoryId == claims[2].StoryId)
            {
                card.Should().BeEquivalentTo(before[card.Id], "the cards of a story whose claim was lost are left alone");
            }
            else
            {
                card.Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = before[card.Id].Version + 1 });
            }
        }
    }

    /// <summary>The documented finish step, verbatim from docs/work-claiming.md.</summary>
    private static async Task<(long Changed, int Version)> FinishAsync(RunEngineDatabase db, StoryClaim claim)
    {
        await using var session = await db.BeginSessionAsync();
        var changed = await session.Cards.UpdateStatusByStoryAsync(claim.Story.RunId, [claim.StoryId], [CardStatus.Pending, CardStatus.InProgress], CardStatus.Completed);
        var version = await session.Claims.CompleteAsync(claim, StoryStatus.Completed);
        await session.CommitAsync();
        return (changed, version);
    }

    private async Task<(Guid RunId, List<Card> Cards)> SeedAsync(int stories, int cardsPerStory)
    {
        var runId = TestData.NewRunId();
        var rows = Enumerable.Range(0, stories).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList();
        var cards = TestData.Cards(rows, cardsPerStory);
        await Db.WriteCycleAsync(rows, cards);
        return (runId, cards);
    }
}
