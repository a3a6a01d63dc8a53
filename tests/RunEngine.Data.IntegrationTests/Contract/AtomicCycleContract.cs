using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// A cycle is atomic: its stories, cards and run-log entries commit together, or a failure anywhere inside it (an
/// invalid card, a cancelled token, an invalid log entry, a missing story) leaves nothing of it — with either
/// <see cref="ExistingRows"/> mode, since the retry-safe path stages rows differently.
/// </summary>
public abstract class AtomicCycleContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected AtomicCycleContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task WriteCycleAsync_InvalidCardAfterValidOnes_LeavesNothingOfTheCycle(ExistingRows existing)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 20).ToList();
        var cards = TestData.Cards(stories, 5);
        cards[77].Title = new string('x', RunEngineLimits.TitleMaxLength + 1);
        var before = await SnapshotAsync();

        var act = () => Db.WriteCycleAsync(stories, cards, new BulkInsertOptions { ExistingRows = existing });

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Entity.Should().Be("Card");
        error.Position.Should().Be(77);
        await ShouldBeUnchangedAsync(before, stories[0].RunId);
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task WriteCycleAsync_CancelledWhileCardsStream_LeavesNothingOfTheCycle(ExistingRows existing)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 20).ToList();
        using var cancellation = new CancellationTokenSource();
        var cards = TestData.CancellingAfter(TestData.Cards(stories, 10), 150, cancellation);
        var before = await SnapshotAsync();

        var act = () => Db.WriteCycleAsync(stories, cards, new BulkInsertOptions { ExistingRows = existing }, cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        await ShouldBeUnchangedAsync(before, stories[0].RunId);
        (await Db.WriteCycleAsync(stories, TestData.Cards(stories, 1))).Stories.Should().Be(20, "the database stays usable");
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task WriteCycleAsync_CardOfMissingStory_RejectedAndLeavesNothingOfTheCycle(ExistingRows existing)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 5).ToList();
        var cards = TestData.Cards(stories, 2);
        cards.Add(TestData.Card(TestData.Story(stories[0].RunId, 99), 0));
        var before = await SnapshotAsync();

        var act = () => Db.WriteCycleAsync(stories, cards, new BulkInsertOptions { ExistingRows = existing });

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Entity.Should().Be("Card");
        error.Field.Should().Be("StoryId");
        await ShouldBeUnchangedAsync(before, stories[0].RunId);
    }

    [SkippableTheory]
    [InlineData(ExistingRows.Fail)]
    [InlineData(ExistingRows.Skip)]
    public async Task WriteCycleAsync_InvalidCallerEvent_RollsBackStoriesAndCards(ExistingRows existing)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 5).ToList();
        var events = new[] { TestData.Event(stories[0].RunId), TestData.Event(stories[0].RunId, kind: string.Empty) };
        var before = await SnapshotAsync();

        var act = () => Db.WriteCycleAsync(stories, TestData.Cards(stories, 3), events, new BulkInsertOptions { ExistingRows = existing });

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Entity.Should().Be("RunEvent");
        error.Field.Should().Be("Kind");
        await ShouldBeUnchangedAsync(before, stories[0].RunId);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_StoriesOfTwoRuns_LogsOneEntryPerRunWithTheCycle()
    {
        Fixture.SkipIfUnavailable();
        var first = TestData.Stories(TestData.NewRunId(), 2).ToList();
        var second = TestData.Stories(TestData.NewRunId(), 3).ToList();

        var result = await Db.WriteCycleAsync(first.Concat(second), TestData.Cards(second, 1));

        result.Events.Should().Be(2);
        (await LogOfRunAsync(first[0].RunId)).Should().ContainSingle().Which.Kind.Should().Be(RunEventKinds.CycleWritten);
        var log = (await LogOfRunAsync(second[0].RunId)).Should().ContainSingle().Which;
        log.Kind.Should().Be(RunEventKinds.CycleWritten);
        log.OccurredAt.Should().Be(Now, "the trace carries the cycle's write time");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_InsideSessionRolledBack_LeavesNoTrace()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var before = await SnapshotAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            var result = await session.WriteCycleAsync(stories, TestData.Cards(stories, 2), [TestData.Event(stories[0].RunId)]);
            result.Events.Should().Be(2);
            (await session.RunLog.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(2, "the session reads its own log entries");
            await session.RollbackAsync();
        }

        await ShouldBeUnchangedAsync(before, stories[0].RunId);
    }

    private async Task<(long Stories, long Cards, long Events)> SnapshotAsync() =>
        (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync());

    private async Task ShouldBeUnchangedAsync((long Stories, long Cards, long Events) before, Guid runId)
    {
        (await SnapshotAsync()).Should().Be(before, "nothing of the failed cycle may remain");
        (await StoriesOfRunAsync(runId)).Should().BeEmpty();
        (await CardsOfRunAsync(runId)).Should().BeEmpty();
        (await LogOfRunAsync(runId)).Should().BeEmpty();
    }
}
