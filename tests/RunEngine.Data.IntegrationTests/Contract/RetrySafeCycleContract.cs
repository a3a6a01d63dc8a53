using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Retry-safe cycle writes (<see cref="ExistingRows.Skip"/>): a cycle replayed after a timeout — the first write
/// committed, the caller never saw its result — leaves exactly one copy of every row and of the cycle's trace.
/// </summary>
public abstract class RetrySafeCycleContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };

    protected RetrySafeCycleContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayAfterTimeout_SkipsEveryRowAndLogsNothingNew()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 10).ToList();
        var cards = TestData.Cards(stories, 3);
        var first = await Db.WriteCycleAsync(stories, cards, Skip);
        var before = (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync());

        // The first write committed, but the caller timed out before it saw the result, so it writes the cycle again.
        var replay = await Db.WriteCycleAsync(stories, cards, Skip);

        first.Should().BeEquivalentTo(new { Stories = 10L, Cards = 30L, StoriesSkipped = 0L, CardsSkipped = 0L, Events = 1L });
        replay.Should().BeEquivalentTo(new { Stories = 0L, Cards = 0L, StoriesSkipped = 10L, CardsSkipped = 30L, Events = 0L });
        (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync()).Should().Be(before);
        (await StoriesOfRunAsync(stories[0].RunId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        (await CardsOfRunAsync(stories[0].RunId)).Select(c => c.Id).Should().Equal(cards.Select(c => c.Id));
        var log = await LogOfRunAsync(stories[0].RunId);
        log.Should().ContainSingle("a replay that inserted nothing adds no trace of its own")
            .Which.Should().BeEquivalentTo(new { Kind = RunEventKinds.CycleWritten, RunId = stories[0].RunId, StoryId = (Guid?)null, CardId = (Guid?)null });
        log[0].Message.Should().Contain("10 stories and 30 cards written");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayWithChangedValues_LeavesExistingRowsAsTheyWere()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);
        await Db.WriteCycleAsync(stories, cards, Skip);
        stories[1].Title = "Changed by the replay";
        stories[1].Status = StoryStatus.Ready;
        cards[0].Title = "Changed card";

        var replay = await Db.WriteCycleAsync(stories, cards, Skip);

        replay.Should().BeEquivalentTo(new { Stories = 0L, Cards = 0L, StoriesSkipped = 3L, CardsSkipped = 6L });
        var stored = await Db.Stories.GetAsync(stories[1].Id);
        stored!.Title.Should().Be("Story 1", "skip never overwrites an existing row");
        stored.Status.Should().Be(StoryStatus.Pending);
        (await Db.Cards.GetAsync(cards[0].Id))!.Title.Should().Be("Card 0 of story 0");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_HalfOfTheStoriesExist_InsertsOnlyTheMissingOnes()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 10).ToList();
        var cards = TestData.Cards(stories, 4);
        await Db.WriteCycleAsync(stories.Take(5), cards.Where(c => stories.Take(5).Any(s => s.Id == c.StoryId)), Skip);
        var before = (await CountStoriesAsync(), await CountCardsAsync());

        var result = await Db.WriteCycleAsync(stories, cards, Skip);

        result.Should().BeEquivalentTo(new { Stories = 5L, Cards = 20L, StoriesSkipped = 5L, CardsSkipped = 20L, Events = 1L });
        (await CountStoriesAsync(), await CountCardsAsync()).Should().Be((before.Item1 + 5, before.Item2 + 20));
        (await StoriesOfRunAsync(stories[0].RunId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        (await CardsOfRunAsync(stories[0].RunId)).Select(c => c.Id).Should().Equal(cards.Select(c => c.Id));
        var log = await LogOfRunAsync(stories[0].RunId);
        log.Select(e => e.Kind).Should().Equal(RunEventKinds.CycleWritten, RunEventKinds.CycleWritten);
        log[1].Message.Should().Contain("5 stories and 20 cards written").And.Contain("5 stories and 20 cards already present");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_StoryWithNewIdAtTakenPosition_IsSkippedByNaturalKey()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var original = TestData.Stories(runId, 3).ToList();
        await Db.WriteCycleAsync(original, [], Skip);

        // Regenerated with fresh ids: run and position say these stories already exist.
        var regenerated = TestData.Stories(runId, 5).ToList();
        var result = await Db.WriteCycleAsync(regenerated, [], Skip);

        result.Should().BeEquivalentTo(new { Stories = 2L, StoriesSkipped = 3L });
        var stored = await StoriesOfRunAsync(runId);
        stored.Select(s => s.Id).Should().Equal(original.Select(s => s.Id).Concat(regenerated.Skip(3).Select(s => s.Id)));
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardWithNewIdAtTakenPosition_IsSkippedByNaturalKey()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        var cards = TestData.Cards(stories, 2);
        await Db.WriteCycleAsync(stories, cards, Skip);
        var regenerated = TestData.Cards(stories, 3);

        var result = await Db.WriteCycleAsync(stories, regenerated, Skip);

        result.Should().BeEquivalentTo(new { Stories = 0L, StoriesSkipped = 2L, Cards = 2L, CardsSkipped = 4L });
        var stored = await CardsOfRunAsync(stories[0].RunId);
        stored.Select(c => (c.StoryId, c.Position)).Should().Equal(regenerated.Select(c => (c.StoryId, c.Position)));
        stored.Where(c => c.Position < 2).Select(c => c.Id).Should().Equal(cards.Select(c => c.Id), "the existing cards stay");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayWithDefaultOptions_RejectsExistingIdAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        await Db.WriteCycleAsync(stories, TestData.Cards(stories, 1));
        var before = (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync());
        var replay = stories.Append(TestData.Story(stories[0].RunId, 3)).ToList();

        var act = () => Db.WriteCycleAsync(replay, TestData.Cards(replay, 1));

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Id");
        (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_NewIdAtTakenPositionWithDefaultOptions_RejectsPosition()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        await Db.WriteCycleAsync(TestData.Stories(runId, 2), []);
        var before = await CountStoriesAsync();

        var act = () => Db.WriteCycleAsync(TestData.Stories(runId, 3), []);

        (await act.Should().ThrowAsync<BatchValidationException>()).Which.Field.Should().Be("Position");
        (await CountStoriesAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CallerEventsReplayed_WrittenOnce()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        var events = new[] { TestData.Event(stories[0].RunId, "host.generated", stories[0].Id), TestData.Event(stories[0].RunId, "host.note") };

        var first = await Db.WriteCycleAsync(stories, [], events, Skip);
        var replay = await Db.WriteCycleAsync(stories, [], events, Skip);

        first.Events.Should().Be(3, "the caller's two entries and the cycle's own");
        replay.Events.Should().Be(0);
        (await LogOfRunAsync(stories[0].RunId)).Select(e => e.Kind)
            .Should().Equal("host.generated", "host.note", RunEventKinds.CycleWritten);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ConcurrentReplaysOfOneCycle_LeaveExactlyOneCopy()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 200).ToList();
        var cards = TestData.Cards(stories, 5);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Db.WriteCycleAsync(stories, cards, Skip))));

        results.Sum(r => r.Stories).Should().Be(200);
        results.Sum(r => r.Cards).Should().Be(1_000);
        results.Sum(r => r.StoriesSkipped).Should().Be(600);
        results.Sum(r => r.CardsSkipped).Should().Be(3_000);
        (await StoriesOfRunAsync(stories[0].RunId)).Should().HaveCount(200);
        (await CardsOfRunAsync(stories[0].RunId)).Should().HaveCount(1_000);
        (await LogOfRunAsync(stories[0].RunId)).Where(e => e.Kind == RunEventKinds.CycleWritten)
            .Should().HaveCount(results.Count(r => r.Stories + r.Cards > 0));
    }

    [SkippableFact]
    public async Task AddRangeAsync_SkipWithSomeExisting_ReturnsInsertedOnly()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 6).ToList();
        await Db.Stories.AddRangeAsync(stories.Take(4));

        var inserted = await Db.Stories.AddRangeAsync(stories, Skip);
        var again = await Db.Stories.AddRangeAsync(TestData.ToAsync(stories), Skip);

        inserted.Should().Be(2);
        again.Should().Be(0);
        (await StoriesOfRunAsync(stories[0].RunId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayInsideSession_SkipsAndCommits()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        var cards = TestData.Cards(stories, 2);
        await Db.WriteCycleAsync(stories.Take(2), cards.Take(4), Skip);

        CycleWriteResult result;
        await using (var session = await Db.BeginSessionAsync())
        {
            result = await session.WriteCycleAsync(stories, cards, Skip);
            await session.CommitAsync();
        }

        result.Should().BeEquivalentTo(new { Stories = 2L, Cards = 4L, StoriesSkipped = 2L, CardsSkipped = 4L });
        (await CardsOfRunAsync(stories[0].RunId)).Select(c => c.Id).Should().Equal(cards.Select(c => c.Id));
    }
}
