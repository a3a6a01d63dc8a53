using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Commit-unknown (issue 11 item 3): the reply to a write's COMMIT was lost, so its next attempt runs with
/// <c>EarlierMayHaveCommitted</c>. Simulated by <see cref="LostReplyRetry"/>: attempt 1 runs fully, then attempt 2 runs
/// as the real engine would run it. Stored: attempt 2 returns what attempt 1 counted and writes nothing (never twice,
/// never a duplicate-key error of its own rows). Not stored (the test undoes attempt 1): attempt 2 writes it again.
/// </summary>
public abstract class CycleCommitUnknownContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };

    protected CycleCommitUnknownContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task WriteCycleAsync_ReplyLostAndStored_ReturnsTheCommittedCountsAndWritesNothingTwice(ExistingRows mode)
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 5).ToList();
        var cards = TestData.Cards(stories, 2);
        var before = (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync());
        using var lost = LostReplyRetry.Install(Db);

        var result = await Db.WriteCycleAsync(stories, cards, [TestData.Event(runId)], new BulkInsertOptions { ExistingRows = mode });

        lost.Simulation.FirstSentCommit.Should().BeTrue();
        result.Should().BeEquivalentTo(new { Stories = 5L, Cards = 10L, StoriesSkipped = 0L, CardsSkipped = 0L, Events = 2L }, "attempt 1's counts");
        result.Should().BeEquivalentTo((CycleWriteResult)lost.Simulation.FirstResult!, o => o.Excluding(r => r.Elapsed));
        (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync()).Should().Be((before.Item1 + 5, before.Item2 + 10, before.Item3 + 2));
        (await LogOfRunAsync(runId)).Should().ContainSingle(e => e.Kind == RunEventKinds.CycleWritten);
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task WriteCycleAsync_ReplyLostAndNotStored_WritesTheCycleAgain(ExistingRows mode)
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 4).ToList();
        var cards = TestData.Cards(stories, 3);
        Guid? firstTrace = null;
        using var lost = LostReplyRetry.Install(Db, afterFirstAttempt: async () =>
        {
            firstTrace = (await LogOfRunAsync(runId)).Single().Id;
            await Db.Stories.DeleteRunAsync(runId);
        });

        var result = await Db.WriteCycleAsync(stories, cards, new BulkInsertOptions { ExistingRows = mode });

        result.Should().BeEquivalentTo(new { Stories = 4L, Cards = 12L, Events = 1L });
        (await StoriesOfRunAsync(runId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        (await CardsOfRunAsync(runId)).Should().HaveCount(12);
        (await LogOfRunAsync(runId)).Should().ContainSingle().Which.Id.Should().Be(firstTrace!.Value, "the trace entry's id is made once per call");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_LazyInputReplyLostAndStored_ReturnsTheCommittedCountsWithoutReadingTheInputAgain()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        var cards = TestData.Cards(stories, 2);
        var enumerations = 0;
        IEnumerable<Story> Lazy()
        {
            enumerations++;
            foreach (var story in stories)
            {
                yield return story;
            }
        }

        using var lost = LostReplyRetry.Install(Db);

        var result = await Db.WriteCycleAsync(Lazy(), cards);

        result.Should().BeEquivalentTo(new { Stories = 3L, Cards = 6L, Events = 1L });
        enumerations.Should().Be(1);
        (await StoriesOfRunAsync(runId)).Should().HaveCount(3);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_LazyInputReplyLostAndNotStored_SurfacesATransientFaultAndStoresNothing()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        using var lost = LostReplyRetry.Install(Db, afterFirstAttempt: async () => await Db.Stories.DeleteRunAsync(runId));

        var act = () => Db.WriteCycleAsync(stories.Select(s => s), Array.Empty<Card>());

        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>("its lazy input cannot be read again, and the check found it not stored")).Which;
        fault.InnerException.Should().BeOfType<SimulatedConnectionBrokenException>();
        fault.Operation.Should().Be("write_cycle");
        (await StoriesOfRunAsync(runId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task WriteCycleAsync_OnlyRunLogEntriesReplyLostAndStored_ReturnsTheCommittedCount()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var events = new[] { TestData.Event(runId), TestData.Event(runId) };
        using var lost = LostReplyRetry.Install(Db);

        var result = await Db.WriteCycleAsync(Array.Empty<Story>(), Array.Empty<Card>(), events);

        result.Events.Should().Be(2);
        (await LogOfRunAsync(runId)).Select(e => e.Id).Should().Equal(events.Select(e => e.Id));
    }

    [SkippableFact]
    public async Task WriteCycleAsync_SkipReplayOfStoredRowsReplyLost_ReturnsTheCommittedSkips()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 2).ToList();
        await Db.WriteCycleAsync(stories, Array.Empty<Card>());
        using var lost = LostReplyRetry.Install(Db);

        var result = await Db.WriteCycleAsync(stories, Array.Empty<Card>(), Skip);

        result.Should().BeEquivalentTo(new { Stories = 0L, StoriesSkipped = 2L, Events = 0L });
        (await LogOfRunAsync(runId)).Should().ContainSingle();
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task AddRangeAsync_ReplyLostAndStored_ReturnsTheCommittedCount(ExistingRows mode)
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 4).ToList();
        using var lost = LostReplyRetry.Install(Db);

        var inserted = await Db.Stories.AddRangeAsync(stories, new BulkInsertOptions { ExistingRows = mode });

        inserted.Should().Be(4);
        (await StoriesOfRunAsync(runId)).Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task AddRangeAsync_ReplyLostAndNotStored_InsertsAgain()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 4).ToList();
        using var lost = LostReplyRetry.Install(Db, afterFirstAttempt: async () => await Db.Stories.DeleteRunAsync(runId));

        var inserted = await Db.Stories.AddRangeAsync(stories);

        inserted.Should().Be(4);
        (await StoriesOfRunAsync(runId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
    }

    [SkippableFact]
    public async Task AppendAsync_ReplyLostAndStored_ReturnsTheCommittedCount()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var events = new[] { TestData.Event(runId), TestData.Event(runId), TestData.Event(runId) };
        using var lost = LostReplyRetry.Install(Db);

        (await Db.RunLog.AppendAsync(events)).Should().Be(3);
        (await LogOfRunAsync(runId)).Should().HaveCount(3);
    }

    [SkippableFact]
    public async Task DeleteRunAsync_ReplyLostAndStored_ReturnsTheCommittedCounts()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 3).ToList();
        await Db.WriteCycleAsync(stories, TestData.Cards(stories, 2));
        using var lost = LostReplyRetry.Install(Db);

        var deleted = await Db.Stories.DeleteRunAsync(runId);

        deleted.Should().BeEquivalentTo(new { Stories = 3L, Cards = 6L, Events = 1L });
        (await StoriesOfRunAsync(runId)).Should().BeEmpty();
    }
}
