using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>Cycle writes, sessions and joined caller transactions: what commits, what rolls back.</summary>
public abstract class CycleAndTransactionContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected CycleAndTransactionContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardsReferencingStoriesOfTheCycle_WritesBoth()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 5).ToList();
        var cards = TestData.Cards(stories, 4);

        var result = await Db.WriteCycleAsync(stories, cards);

        result.Stories.Should().Be(5);
        result.Cards.Should().Be(20);
        (await StoriesOfRunAsync(stories[0].RunId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        (await CardsOfRunAsync(stories[0].RunId)).Select(c => c.Id).Should().Equal(cards.Select(c => c.Id));
    }

    [SkippableFact]
    public async Task WriteCycleAsync_AsyncSources_WritesBoth()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 3);

        var result = await Db.WriteCycleAsync(TestData.ToAsync(stories), TestData.ToAsync(cards));

        result.Should().BeEquivalentTo(new { Stories = 3L, Cards = 9L });
        (await CardsOfRunAsync(stories[0].RunId)).Should().HaveCount(9);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_TenThousandCards_WritesAllWithProgressPerTable()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 1_000).ToList();
        var progress = new RecordingProgress();

        var result = await Db.WriteCycleAsync(
            stories, TestData.Cards(stories, 10), new BulkInsertOptions { Progress = progress, ProgressInterval = 5_000 });

        result.Should().BeEquivalentTo(new { Stories = 1_000L, Cards = 10_000L });
        progress.Reports.Should().Equal(1_000, 5_000, 10_000);
        (await CardsOfRunAsync(stories[0].RunId)).Should().HaveCount(10_000);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_NoRows_ReturnsZeroCounts()
    {
        Fixture.SkipIfUnavailable();
        var before = await CountStoriesAsync();

        var result = await Db.WriteCycleAsync([], []);

        result.Should().BeEquivalentTo(new { Stories = 0L, Cards = 0L });
        (await CountStoriesAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task BeginSessionAsync_SeveralCallsThenCommit_PersistsAll()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);

        await using (var session = await Db.BeginSessionAsync())
        {
            await session.Stories.AddRangeAsync(stories);
            await session.Cards.AddRangeAsync(cards);
            (await session.Stories.UpdateStatusAsync(stories[0].Id, StoryStatus.Ready, 1)).Should().Be(2);
            (await session.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(6, "the session reads its own writes");
            await session.CommitAsync();
        }

        (await StoriesOfRunAsync(stories[0].RunId)).Should().HaveCount(3);
        (await CardsOfRunAsync(stories[0].RunId)).Should().HaveCount(6);
        (await Db.Stories.GetAsync(stories[0].Id))!.Status.Should().Be(StoryStatus.Ready);
    }

    [SkippableFact]
    public async Task BeginSessionAsync_DisposedWithoutCommit_PersistsNothing()
    {
        Fixture.SkipIfUnavailable();
        var existing = (await SeedStoriesAsync(1))[0];
        var (stories, cards) = (await CountStoriesAsync(), await CountCardsAsync());
        var fresh = TestData.Stories(TestData.NewRunId(), 4).ToList();

        await using (var session = await Db.BeginSessionAsync())
        {
            await session.WriteCycleAsync(fresh, TestData.Cards(fresh, 2));
            await session.Stories.UpdateStatusAsync(existing.Id, StoryStatus.Failed, 1);
        }

        (await CountStoriesAsync()).Should().Be(stories);
        (await CountCardsAsync()).Should().Be(cards);
        var stored = await Db.Stories.GetAsync(existing.Id);
        stored!.Version.Should().Be(1);
        stored.Status.Should().Be(StoryStatus.Pending);
    }

    [SkippableFact]
    public async Task BeginSessionAsync_RolledBack_PersistsNothing()
    {
        Fixture.SkipIfUnavailable();
        var before = await CountStoriesAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            await session.Stories.AddRangeAsync(TestData.Stories(TestData.NewRunId(), 3));
            await session.RollbackAsync();
        }

        (await CountStoriesAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task Join_CallerRollsBack_NothingPersists()
    {
        Fixture.SkipIfUnavailable();
        var (stories, cards) = (await CountStoriesAsync(), await CountCardsAsync());
        var fresh = TestData.Stories(TestData.NewRunId(), 3).ToList();

        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var session = Db.Join(connection, transaction);
            await session.WriteCycleAsync(fresh, TestData.Cards(fresh, 2));
            await session.Stories.UpdateStatusAsync(fresh[0].Id, StoryStatus.Ready, 1);
            (await session.Stories.GetByRunAsync(fresh[0].RunId).ToListAsync()).Should().HaveCount(3);
            await transaction.RollbackAsync();
        }

        (await CountStoriesAsync()).Should().Be(stories);
        (await CountCardsAsync()).Should().Be(cards);
    }

    [SkippableFact]
    public async Task Join_CallerCommits_Persists()
    {
        Fixture.SkipIfUnavailable();
        var fresh = TestData.Stories(TestData.NewRunId(), 2).ToList();

        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var session = Db.Join(connection, transaction);
            await session.Stories.AddRangeAsync(fresh);
            await session.Cards.AddRangeAsync(TestData.Cards(fresh, 3));
            await transaction.CommitAsync();
        }

        (await StoriesOfRunAsync(fresh[0].RunId)).Should().HaveCount(2);
        (await CardsOfRunAsync(fresh[0].RunId)).Should().HaveCount(6);
    }

    [SkippableFact]
    public async Task Join_FailingBatchesInsideCallerTransaction_LeaveItUsableAndEarlierRowsCommit()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var first = TestData.Stories(runId, 3).ToList();

        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var session = Db.Join(connection, transaction);
            await session.Stories.AddRangeAsync(first);

            // Rejected by the library after some rows were sent: rows 0-2 of this batch must not survive.
            var invalid = TestData.Stories(runId, 5, firstPosition: 10).ToList();
            invalid[3].Title = null!;
            await FluentActions.Awaiting(() => session.Stories.AddRangeAsync(invalid)).Should().ThrowAsync<BatchValidationException>();

            // Rejected by the database: the last row's id already exists.
            var clashing = TestData.Stories(runId, 3, firstPosition: 20).ToList();
            clashing[2].Id = first[0].Id;
            await FluentActions.Awaiting(() => session.Stories.AddRangeAsync(clashing)).Should().ThrowAsync<BatchValidationException>();

            // Rejected by the database: a card of a missing story.
            var orphan = TestData.Cards(first, 1);
            orphan.Add(TestData.Card(TestData.Story(runId, 99), 0));
            await FluentActions.Awaiting(() => session.Cards.AddRangeAsync(orphan)).Should().ThrowAsync<BatchValidationException>();

            await session.Cards.AddRangeAsync(TestData.Cards(first, 2));
            await transaction.CommitAsync();
        }

        (await StoriesOfRunAsync(runId)).Select(s => s.Id).Should().Equal(first.Select(s => s.Id));
        (await CardsOfRunAsync(runId)).Should().HaveCount(6);
    }

    [SkippableFact]
    public async Task Session_CycleWithBadCard_LeavesNothingOfThatCycleAndKeepsTheSessionUsable()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var kept = TestData.Stories(runId, 2).ToList();
        var doomed = TestData.Stories(runId, 3, firstPosition: 10).ToList();
        var badCards = TestData.Cards(doomed, 2);
        badCards[4].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);

        await using (var session = await Db.BeginSessionAsync())
        {
            await session.WriteCycleAsync(kept, TestData.Cards(kept, 1));

            // The stories of this cycle are written before its bad card is met; they must go with it.
            await FluentActions.Awaiting(() => session.WriteCycleAsync(doomed, badCards)).Should().ThrowAsync<BatchValidationException>();
            await session.CommitAsync();
        }

        (await StoriesOfRunAsync(runId)).Select(s => s.Id).Should().Equal(kept.Select(s => s.Id));
        (await CardsOfRunAsync(runId)).Should().HaveCount(2);
        (await LogOfRunAsync(runId)).Should().ContainSingle(e => e.Kind == RunEventKinds.CycleWritten);
    }

    [SkippableFact]
    public async Task Join_WithoutTransaction_EachWriteCommitsOnItsOwn()
    {
        Fixture.SkipIfUnavailable();
        var fresh = TestData.Stories(TestData.NewRunId(), 2).ToList();

        await using (var connection = await Fixture.OpenConnectionAsync())
        {
            var session = Db.Join(connection);
            await session.Stories.AddRangeAsync(fresh);
            var invalid = TestData.Cards(fresh, 2);
            invalid[1].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);
            await FluentActions.Awaiting(() => session.Cards.AddRangeAsync(invalid)).Should().ThrowAsync<BatchValidationException>();
        }

        (await StoriesOfRunAsync(fresh[0].RunId)).Should().HaveCount(2);
        (await CardsOfRunAsync(fresh[0].RunId)).Should().BeEmpty();
    }
}
