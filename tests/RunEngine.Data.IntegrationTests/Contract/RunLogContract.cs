using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// The append-only run log: entries read back per run in write order with every field intact, status changes logged
/// in their own transaction (and only when they happen), and run deletion removing the run's log.
/// </summary>
public abstract class RunLogContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected RunLogContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task AppendAsync_ThenGetByRunAsync_ReturnsEntriesInWriteOrderWithEveryField()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var occurred = new DateTimeOffset(2026, 3, 29, 2, 30, 0, TimeSpan.FromHours(5)).AddTicks(1_234_567);

        // Ids and times deliberately out of order: write order is what the log keeps.
        var first = new[]
        {
            new RunEvent
            {
                Id = Guid.NewGuid(), RunId = runId, StoryId = Guid.NewGuid(), CardId = Guid.NewGuid(), Kind = "host.b",
                Message = "Zürich – 東京 – 🚀 \"quoted\" " + new string('m', RunEngineLimits.EventMessageMaxLength - 30), Worker = new string('w', RunEngineLimits.WorkerIdMaxLength),
                OccurredAt = occurred,
            },
            new RunEvent { Id = Guid.NewGuid(), RunId = runId, Kind = new string('k', RunEngineLimits.EventKindMaxLength), OccurredAt = occurred.AddDays(-3) },
            new RunEvent { Id = Guid.NewGuid(), RunId = runId, StoryId = Guid.NewGuid(), Kind = "host.a", Message = string.Empty, OccurredAt = occurred.AddYears(-30) },
        };
        var second = new[] { new RunEvent { Id = Guid.NewGuid(), RunId = runId, CardId = Guid.NewGuid(), Kind = "host.0", Worker = "w-2" } };

        var written = await Db.RunLog.AppendAsync(first);
        await Db.RunLog.AppendAsync(second);

        written.Should().Be(3);
        var stored = await LogOfRunAsync(runId);
        stored.Should().BeEquivalentTo(
            first.Concat(second).Select(e => new RunEvent
            {
                Id = e.Id, RunId = e.RunId, StoryId = e.StoryId, CardId = e.CardId, Kind = e.Kind, Message = e.Message, Worker = e.Worker,
                OccurredAt = e.OccurredAt == default ? Now : TestData.Stored(e.OccurredAt),
            }),
            o => o.WithStrictOrdering());
        stored.Should().OnlyContain(e => e.OccurredAt.Offset == TimeSpan.Zero);
    }

    [SkippableFact]
    public async Task GetByRunAsync_SeveralRuns_ReturnsOnlyThatRun()
    {
        Fixture.SkipIfUnavailable();
        var (mine, other) = (TestData.NewRunId(), TestData.NewRunId());
        await Db.RunLog.AppendAsync([TestData.Event(other), TestData.Event(mine, "a"), TestData.Event(other), TestData.Event(mine, "b")]);

        var log = await LogOfRunAsync(mine);

        log.Select(e => e.Kind).Should().Equal("a", "b");
        log.Should().OnlyContain(e => e.RunId == mine);
        (await LogOfRunAsync(TestData.NewRunId())).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AppendAsync_InvalidEntry_RejectedAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var events = Enumerable.Range(0, 5).Select(_ => TestData.Event(runId)).ToList();
        events[3].Message = new string('m', RunEngineLimits.EventMessageMaxLength + 1);
        var before = await CountRunLogAsync();

        var act = () => Db.RunLog.AppendAsync(events);

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Should().BeEquivalentTo(new { Entity = "RunEvent", Position = 3L, Field = "Message" });
        (await CountRunLogAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task AppendAsync_InsideSessionRolledBack_WritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();

        await using (var session = await Db.BeginSessionAsync())
        {
            (await session.RunLog.AppendAsync([TestData.Event(runId), TestData.Event(runId)])).Should().Be(2);
            await session.RollbackAsync();
        }

        (await LogOfRunAsync(runId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_Story_LogsTheChangeWithIt()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Pending))[0];

        await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, 1);

        var entry = (await LogOfRunAsync(story.RunId)).Should().ContainSingle().Which;
        entry.Should().BeEquivalentTo(new { Kind = RunEventKinds.StoryStatusChanged, story.RunId, StoryId = (Guid?)story.Id, CardId = (Guid?)null, OccurredAt = Now });
        entry.Message.Should().Contain(nameof(StoryStatus.Ready));
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_Card_LogsTheChangeWithItsStoryAndRun()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Pending))[0];
        var card = TestData.Card(story, 0);
        await Db.Cards.AddRangeAsync([card]);

        await Db.Cards.UpdateStatusAsync(card.Id, CardStatus.Completed, 1);

        var entry = (await LogOfRunAsync(story.RunId)).Should().ContainSingle().Which;
        entry.Should().BeEquivalentTo(new { Kind = RunEventKinds.CardStatusChanged, story.RunId, StoryId = (Guid?)story.Id, CardId = (Guid?)card.Id });
        entry.Message.Should().Contain(nameof(CardStatus.Completed));
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_StaleVersion_LogsNothing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Pending))[0];
        var card = TestData.Card(story, 0);
        await Db.Cards.AddRangeAsync([card]);
        await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, 1);
        await Db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1);

        var staleStory = () => Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Failed, 1);
        var staleCard = () => Db.Cards.UpdateStatusAsync(card.Id, CardStatus.Failed, 1);

        await staleStory.Should().ThrowAsync<ConcurrencyConflictException>();
        await staleCard.Should().ThrowAsync<ConcurrencyConflictException>();
        (await LogOfRunAsync(story.RunId)).Select(e => e.Kind).Should().Equal(RunEventKinds.StoryStatusChanged, RunEventKinds.CardStatusChanged);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_InsideSessionRolledBack_LeavesNeitherChangeNorEntry()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Pending))[0];

        await using (var session = await Db.BeginSessionAsync())
        {
            await session.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, 1);
            (await session.RunLog.GetByRunAsync(story.RunId).ToListAsync()).Should().ContainSingle();
        }

        (await Db.Stories.GetAsync(story.Id))!.Version.Should().Be(1);
        (await LogOfRunAsync(story.RunId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task DeleteRunAsync_RunWithLog_DeletesItsEntriesAndKeepsOtherRuns()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var other = TestData.NewRunId();
        await Db.WriteCycleAsync(stories, TestData.Cards(stories, 2), [TestData.Event(stories[0].RunId), TestData.Event(stories[0].RunId)]);
        await Db.Stories.UpdateStatusAsync(stories[0].Id, StoryStatus.Ready, 1);
        await Db.RunLog.AppendAsync([TestData.Event(other), TestData.Event(other)]);

        var deleted = await Db.Stories.DeleteRunAsync(stories[0].RunId);

        deleted.Should().BeEquivalentTo(new { Stories = 3L, Cards = 6L, Events = 4L });
        (await LogOfRunAsync(stories[0].RunId)).Should().BeEmpty();
        (await LogOfRunAsync(other)).Should().HaveCount(2);
    }
}
