using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>The behaviours of <see cref="IStoryRepository"/> every provider must have.</summary>
public abstract class StoryRepositoryContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected StoryRepositoryContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task AddRangeAsync_NoRows_ReturnsZeroAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var before = await CountStoriesAsync();

        var written = await Db.Stories.AddRangeAsync([]);
        var writtenAsync = await Db.Stories.AddRangeAsync(TestData.ToAsync(Array.Empty<Story>()));

        written.Should().Be(0);
        writtenAsync.Should().Be(0);
        (await CountStoriesAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task AddRangeAsync_OneRow_WritesIt()
    {
        Fixture.SkipIfUnavailable();
        var story = TestData.Story(TestData.NewRunId(), 0);

        var written = await Db.Stories.AddRangeAsync([story]);

        written.Should().Be(1);
        (await Db.Stories.GetAsync(story.Id))!.Title.Should().Be(story.Title);
    }

    [SkippableFact]
    public async Task AddRangeAsync_TenThousandRows_WritesAll()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();

        var written = await Db.Stories.AddRangeAsync(TestData.Stories(runId, 10_000));

        written.Should().Be(10_000);
        var stored = await StoriesOfRunAsync(runId);
        stored.Select(s => s.Position).Should().Equal(Enumerable.Range(0, 10_000));
    }

    [SkippableFact]
    public async Task AddRangeAsync_AsyncSource_WritesAll()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, 2_500).ToList();

        var written = await Db.Stories.AddRangeAsync(TestData.ToAsync(stories));

        written.Should().Be(2_500);
        (await StoriesOfRunAsync(runId)).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
    }

    [SkippableFact]
    public async Task AddRangeAsync_EveryColumn_RoundTripsEqual()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var created = new DateTimeOffset(2025, 3, 30, 1, 59, 59, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var stories = new[]
        {
            new Story
            {
                Id = Guid.CreateVersion7(), RunId = runId, Position = 0, Title = "Plain", Body = null, Metadata = null,
                Status = StoryStatus.Pending, Version = 1, CreatedAt = created, UpdatedAt = created.AddDays(1).AddTicks(9),
            },
            new Story
            {
                Id = Guid.CreateVersion7(), RunId = runId, Position = 1, Title = "Zürich – 東京 – Ελλάδα – 🚀 \"quotes\" 'and' \\ slashes",
                Body = "Line one\nLine two\t— ünïcödé 😀 " + new string('b', 20_000),
                Metadata = """{"model":"gpt","tags":["a","ü","😀"],"nested":{"n":1.5,"ok":true,"none":null}}""",
                Status = StoryStatus.InProgress, Version = 7,
                CreatedAt = new DateTimeOffset(1999, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(-8)),
                UpdatedAt = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(10),
            },
            new Story
            {
                Id = Guid.CreateVersion7(), RunId = runId, Position = 2, Title = new string('T', RunEngineLimits.TitleMaxLength),
                Body = string.Empty, Metadata = "[]", Status = StoryStatus.Cancelled, Version = int.MaxValue,
                CreatedAt = created, UpdatedAt = created,
            },
            new Story
            {
                Id = Guid.CreateVersion7(), RunId = runId, Position = int.MaxValue, Title = "Last", Metadata = "42",
                Status = StoryStatus.Completed, Version = 2, CreatedAt = created, UpdatedAt = created,
            },
        };

        await Db.Stories.AddRangeAsync(stories);

        var stored = await StoriesOfRunAsync(runId);
        stored.Should().BeEquivalentTo(
            stories.Select(s => new Story
            {
                Id = s.Id, RunId = s.RunId, Position = s.Position, Title = s.Title, Body = s.Body, Status = s.Status,
                Version = s.Version, CreatedAt = TestData.Stored(s.CreatedAt), UpdatedAt = TestData.Stored(s.UpdatedAt), Metadata = s.Metadata,
            }),
            o => o.WithStrictOrdering().Excluding(s => s.Metadata));
        stored.Select(s => s.Metadata).Should().Equal(stories.Select(s => s.Metadata), TestData.SameJson, TestData.SameJsonReason);
        stored.Should().OnlyContain(s => s.CreatedAt.Offset == TimeSpan.Zero && s.UpdatedAt.Offset == TimeSpan.Zero);
        (await Db.Stories.GetAsync(stories[1].Id)).Should().BeEquivalentTo(stored[1]);
    }

    [SkippableFact]
    public async Task AddRangeAsync_UnsetTimestamps_StoresClockTime()
    {
        Fixture.SkipIfUnavailable();
        Fixture.Time.Advance(TimeSpan.FromTicks(1_234_567));
        var runId = TestData.NewRunId();
        var unset = TestData.Story(runId, 0);
        var createdOnly = TestData.Story(runId, 1);
        createdOnly.CreatedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(3)).AddTicks(15);

        await Db.Stories.AddRangeAsync([unset, createdOnly]);

        var stored = await StoriesOfRunAsync(runId);
        stored[0].CreatedAt.Should().Be(Now);
        stored[0].UpdatedAt.Should().Be(Now);
        stored[1].CreatedAt.Should().Be(TestData.Stored(createdOnly.CreatedAt));
        stored[1].UpdatedAt.Should().Be(stored[1].CreatedAt, "an unset UpdatedAt takes the creation time");
    }

    [SkippableFact]
    public async Task AddRangeAsync_WithProgress_ReportsIncreasingCountsEndingAtTotal()
    {
        Fixture.SkipIfUnavailable();
        var progress = new RecordingProgress();

        await Db.Stories.AddRangeAsync(
            TestData.Stories(TestData.NewRunId(), 2_500),
            new BulkInsertOptions { Progress = progress, ProgressInterval = 1_000 });

        progress.Reports.Should().Equal(1_000, 2_000, 2_500);
    }

    [SkippableFact]
    public async Task GetAsync_ExistingId_ReturnsTheStory()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(3);

        var found = await Db.Stories.GetAsync(stories[1].Id);

        found.Should().NotBeNull();
        found!.Id.Should().Be(stories[1].Id);
        found.Position.Should().Be(1);
    }

    [SkippableFact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        Fixture.SkipIfUnavailable();
        await SeedStoriesAsync(1);

        (await Db.Stories.GetAsync(Guid.CreateVersion7())).Should().BeNull();
    }

    [SkippableFact]
    public async Task GetByRunAsync_SeveralRuns_ReturnsOnlyTheRunOrderedByPosition()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var positions = new[] { 7, 2, 9, 0, 5 };
        await Db.Stories.AddRangeAsync(positions.Select(p => TestData.Story(runId, p)));
        await SeedStoriesAsync(4);

        var stored = await StoriesOfRunAsync(runId);

        stored.Select(s => s.Position).Should().Equal(0, 2, 5, 7, 9);
        stored.Should().OnlyContain(s => s.RunId == runId);
        (await StoriesOfRunAsync(TestData.NewRunId())).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_CurrentVersion_RaisesVersionAndSetsStatusAndUpdatedAt()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1))[0];
        var createdAt = (await Db.Stories.GetAsync(story.Id))!.CreatedAt;
        Fixture.Time.Advance(TimeSpan.FromMinutes(5).Add(TimeSpan.FromTicks(3)));

        var version = await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, expectedVersion: 1);

        version.Should().Be(2);
        var stored = await Db.Stories.GetAsync(story.Id);
        stored!.Status.Should().Be(StoryStatus.Ready);
        stored.Version.Should().Be(2);
        stored.UpdatedAt.Should().Be(Now);
        stored.CreatedAt.Should().Be(createdAt);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_StaleVersion_ThrowsConflictAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1))[0];
        await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.InProgress, expectedVersion: 1);
        var before = await Db.Stories.GetAsync(story.Id);
        Fixture.Time.Advance(TimeSpan.FromMinutes(1));

        var act = () => Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Failed, expectedVersion: 1);

        var conflict = (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        conflict.Entity.Should().Be("Story");
        conflict.Id.Should().Be(story.Id);
        conflict.ExpectedVersion.Should().Be(1);
        conflict.ActualVersion.Should().Be(2);
        (await Db.Stories.GetAsync(story.Id)).Should().BeEquivalentTo(before);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_UnknownId_ThrowsNotFound()
    {
        Fixture.SkipIfUnavailable();
        var id = Guid.CreateVersion7();

        var act = () => Db.Stories.UpdateStatusAsync(id, StoryStatus.Ready, expectedVersion: 1);

        var notFound = (await act.Should().ThrowAsync<EntityNotFoundException>()).Which;
        notFound.Entity.Should().Be("Story");
        notFound.Id.Should().Be(id);
    }

    [SkippableFact]
    public async Task DeleteRunAsync_RunWithCards_RemovesOnlyThatRunsCardsAndStories()
    {
        Fixture.SkipIfUnavailable();
        var doomed = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var kept = TestData.Stories(TestData.NewRunId(), 2).ToList();
        await Db.WriteCycleAsync(doomed, TestData.Cards(doomed, 2));
        await Db.WriteCycleAsync(kept, TestData.Cards(kept, 2));

        var deleted = await Db.Stories.DeleteRunAsync(doomed[0].RunId);

        deleted.Should().Be(new RunDeletionResult(Stories: 3, Cards: 6) { Events = 1 }); // the cycle.written entry of its one cycle
        (await StoriesOfRunAsync(doomed[0].RunId)).Should().BeEmpty();
        (await CardsOfRunAsync(doomed[0].RunId)).Should().BeEmpty();
        (await StoriesOfRunAsync(kept[0].RunId)).Should().HaveCount(2);
        (await CardsOfRunAsync(kept[0].RunId)).Should().HaveCount(4);
    }

    [SkippableFact]
    public async Task DeleteRunAsync_UnknownRun_ReturnsZeroCounts()
    {
        Fixture.SkipIfUnavailable();
        await SeedStoriesAsync(2);
        var before = await CountStoriesAsync();

        var deleted = await Db.Stories.DeleteRunAsync(TestData.NewRunId());

        deleted.Should().Be(new RunDeletionResult(0, 0));
        (await CountStoriesAsync()).Should().Be(before);
    }
}
