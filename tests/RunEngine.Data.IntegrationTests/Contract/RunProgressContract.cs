using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary><see cref="RunEngineDatabase.GetRunProgressAsync"/>: counts of one run's stories and cards by status.</summary>
public abstract class RunProgressContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected RunProgressContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task GetRunProgressAsync_MixedStatuses_CountsEachStatusOfThatRunOnly()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        StoryStatus[] storyStatuses = [StoryStatus.Ready, StoryStatus.Ready, StoryStatus.Completed, StoryStatus.Failed, StoryStatus.Ready, StoryStatus.InProgress];
        var stories = storyStatuses.Select((status, i) => TestData.Story(runId, i, status)).ToList();
        CardStatus[] cardStatuses = [CardStatus.Pending, CardStatus.Completed, CardStatus.Completed, CardStatus.Cancelled];
        var cards = stories.SelectMany(s => cardStatuses.Select((status, i) =>
        {
            var card = TestData.Card(s, i);
            card.Status = status;
            return card;
        })).ToList();
        await Db.WriteCycleAsync(stories, cards);
        var other = TestData.Stories(TestData.NewRunId(), 7).ToList();
        await Db.WriteCycleAsync(other, TestData.Cards(other, 3));

        var progress = await Db.GetRunProgressAsync(runId);

        progress.RunId.Should().Be(runId);
        progress.Stories.Should().BeEquivalentTo(new Dictionary<StoryStatus, long>
        {
            [StoryStatus.Pending] = 0, [StoryStatus.Ready] = 3, [StoryStatus.InProgress] = 1,
            [StoryStatus.Completed] = 1, [StoryStatus.Failed] = 1, [StoryStatus.Cancelled] = 0,
        });
        progress.Cards.Should().BeEquivalentTo(new Dictionary<CardStatus, long>
        {
            [CardStatus.Pending] = 6, [CardStatus.InProgress] = 0, [CardStatus.Completed] = 12, [CardStatus.Failed] = 0, [CardStatus.Cancelled] = 6,
        });
        progress.TotalStories.Should().Be(6);
        progress.TotalCards.Should().Be(24);
    }

    [SkippableFact]
    public async Task GetRunProgressAsync_UnknownRun_EveryStatusZero()
    {
        Fixture.SkipIfUnavailable();
        await SeedStoriesAsync(3);

        var progress = await Db.GetRunProgressAsync(TestData.NewRunId());

        progress.Stories.Keys.Should().BeEquivalentTo(Enum.GetValues<StoryStatus>());
        progress.Cards.Keys.Should().BeEquivalentTo(Enum.GetValues<CardStatus>());
        progress.Stories.Values.Should().OnlyContain(n => n == 0);
        progress.Cards.Values.Should().OnlyContain(n => n == 0);
        progress.TotalStories.Should().Be(0);
        progress.TotalCards.Should().Be(0);
    }

    [SkippableFact]
    public async Task GetRunProgressAsync_AfterUpdatesAndClaims_FollowsTheStatuses()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Pending, StoryStatus.Pending, StoryStatus.Pending);
        var card = TestData.Card(stories[0], 0);
        await Db.Cards.AddRangeAsync([card]);
        await Db.Stories.UpdateStatusAsync(stories[0].Id, StoryStatus.Ready, 1);
        await Db.Stories.UpdateStatusAsync(stories[1].Id, StoryStatus.Ready, 1);
        await Db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1);
        var claim = (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 1, TimeSpan.FromMinutes(1))).Single();

        var progress = await Db.GetRunProgressAsync(stories[0].RunId);

        claim.StoryId.Should().Be(stories[0].Id);
        progress.Stories[StoryStatus.Pending].Should().Be(1);
        progress.Stories[StoryStatus.Ready].Should().Be(1);
        progress.Stories[StoryStatus.InProgress].Should().Be(1);
        progress.Cards[CardStatus.InProgress].Should().Be(1);
        progress.Cards[CardStatus.Pending].Should().Be(0);
    }

    [SkippableFact]
    public async Task GetRunProgressAsync_InsideSession_SeesTheSessionsOwnWrites()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();

        RunProgress progress;
        await using (var session = await Db.BeginSessionAsync())
        {
            await session.WriteCycleAsync(stories, TestData.Cards(stories, 2));
            progress = await session.GetRunProgressAsync(stories[0].RunId);
        }

        progress.Stories[StoryStatus.Pending].Should().Be(4);
        progress.Cards[CardStatus.Pending].Should().Be(8);
        (await Db.GetRunProgressAsync(stories[0].RunId)).TotalStories.Should().Be(0, "the session was never committed");
    }
}
