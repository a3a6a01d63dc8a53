using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>The behaviours of <see cref="ICardRepository"/> every provider must have.</summary>
public abstract class CardRepositoryContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected CardRepositoryContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task AddRangeAsync_NoRows_ReturnsZeroAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var before = await CountCardsAsync();

        var written = await Db.Cards.AddRangeAsync([]);
        var writtenAsync = await Db.Cards.AddRangeAsync(TestData.ToAsync(Array.Empty<Card>()));

        written.Should().Be(0);
        writtenAsync.Should().Be(0);
        (await CountCardsAsync()).Should().Be(before);
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardsOfStoredStories_RoundTripEveryColumn()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var at = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.FromHours(5.5)).AddTicks(7_654_321);
        var cards = new[]
        {
            new Card
            {
                Id = Guid.CreateVersion7(), RunId = stories[0].RunId, StoryId = stories[0].Id, Position = 0, Title = "Plain",
                Description = null, Metadata = null, Status = CardStatus.Pending, Version = 1, CreatedAt = at, UpdatedAt = at.AddTicks(11),
            },
            new Card
            {
                Id = Guid.CreateVersion7(), RunId = stories[0].RunId, StoryId = stories[0].Id, Position = 1,
                Title = new string('ß', RunEngineLimits.TitleMaxLength), Description = "Ünïcödé — 日本語 — 🃏",
                Metadata = """{"estimate":3,"labels":["x","ÿ"]}""", Status = CardStatus.Failed, Version = 12, CreatedAt = at, UpdatedAt = at,
            },
            new Card
            {
                Id = Guid.CreateVersion7(), RunId = stories[1].RunId, StoryId = stories[1].Id, Position = 0, Title = "Other story",
                Description = string.Empty, Metadata = "{}", Status = CardStatus.Cancelled, Version = 3, CreatedAt = at, UpdatedAt = at,
            },
        };

        var written = await Db.Cards.AddRangeAsync(cards);

        written.Should().Be(3);
        var stored = await CardsOfRunAsync(stories[0].RunId);
        stored.Should().BeEquivalentTo(
            cards.Select(c => new Card
            {
                Id = c.Id, RunId = c.RunId, StoryId = c.StoryId, Position = c.Position, Title = c.Title, Description = c.Description,
                Status = c.Status, Version = c.Version, CreatedAt = TestData.Stored(c.CreatedAt), UpdatedAt = TestData.Stored(c.UpdatedAt),
                Metadata = c.Metadata,
            }),
            o => o.WithStrictOrdering().Excluding(c => c.Metadata));
        stored.Select(c => c.Metadata).Should().Equal(cards.Select(c => c.Metadata), TestData.SameJson, TestData.SameJsonReason);
    }

    [SkippableFact]
    public async Task AddRangeAsync_AsyncSource_WritesAll()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(10);
        var cards = TestData.Cards(stories, 25);

        var written = await Db.Cards.AddRangeAsync(TestData.ToAsync(cards));

        written.Should().Be(250);
        (await CardsOfRunAsync(stories[0].RunId)).Select(c => c.Id).Should().Equal(cards.Select(c => c.Id));
    }

    [SkippableFact]
    public async Task AddRangeAsync_UnsetTimestamps_StoresClockTime()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1))[0];
        Fixture.Time.Advance(TimeSpan.FromSeconds(3).Add(TimeSpan.FromTicks(987)));

        await Db.Cards.AddRangeAsync([TestData.Card(story, 0)]);

        var stored = (await CardsOfRunAsync(story.RunId)).Single();
        stored.CreatedAt.Should().Be(Now);
        stored.UpdatedAt.Should().Be(Now);
    }

    [SkippableFact]
    public async Task GetAsync_ExistingAndUnknownIds_ReturnCardOrNull()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(1);
        var cards = TestData.Cards(stories, 2);
        await Db.Cards.AddRangeAsync(cards);

        (await Db.Cards.GetAsync(cards[1].Id))!.Position.Should().Be(1);
        (await Db.Cards.GetAsync(Guid.CreateVersion7())).Should().BeNull();
    }

    [SkippableFact]
    public async Task GetByStoryAsync_SeveralStories_ReturnsOnlyTheStoryOrderedByPosition()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var positions = new[] { 4, 1, 3, 0, 2 };
        await Db.Cards.AddRangeAsync(positions.Select(p => TestData.Card(stories[0], p)).Concat(TestData.Cards([stories[1]], 3)));

        var stored = await Db.Cards.GetByStoryAsync(stories[0].Id).ToListAsync();

        stored.Select(c => c.Position).Should().Equal(0, 1, 2, 3, 4);
        stored.Should().OnlyContain(c => c.StoryId == stories[0].Id);
    }

    [SkippableFact]
    public async Task GetByRunAsync_SeveralRuns_ReturnsTheRunInStoryThenCardOrder()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = new[] { TestData.Story(runId, 2), TestData.Story(runId, 0), TestData.Story(runId, 1) };
        await Db.Stories.AddRangeAsync(stories);
        var other = await SeedStoriesAsync(1);
        var cards = stories.SelectMany(s => new[] { TestData.Card(s, 1), TestData.Card(s, 0) }).Concat(TestData.Cards(other, 2));
        await Db.Cards.AddRangeAsync(cards);

        var stored = await CardsOfRunAsync(runId);

        stored.Select(c => (StoryPosition: stories.Single(s => s.Id == c.StoryId).Position, c.Position)).Should().Equal(
            (0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1));
        stored.Should().OnlyContain(c => c.RunId == runId);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_CurrentVersion_RaisesVersionAndSetsStatusAndUpdatedAt()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(1);
        var card = TestData.Cards(stories, 1)[0];
        await Db.Cards.AddRangeAsync([card]);
        Fixture.Time.Advance(TimeSpan.FromHours(1).Add(TimeSpan.FromTicks(5)));

        var version = await Db.Cards.UpdateStatusAsync(card.Id, CardStatus.Completed, expectedVersion: 1);

        version.Should().Be(2);
        var stored = await Db.Cards.GetAsync(card.Id);
        stored!.Status.Should().Be(CardStatus.Completed);
        stored.Version.Should().Be(2);
        stored.UpdatedAt.Should().Be(Now);
        stored.CreatedAt.Should().BeBefore(stored.UpdatedAt);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_StaleVersion_ThrowsConflictAndChangesNothing()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(1);
        var card = TestData.Cards(stories, 1)[0];
        card.Version = 4;
        await Db.Cards.AddRangeAsync([card]);
        var before = await Db.Cards.GetAsync(card.Id);

        var act = () => Db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, expectedVersion: 3);

        var conflict = (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        conflict.Entity.Should().Be("Card");
        conflict.Id.Should().Be(card.Id);
        conflict.ExpectedVersion.Should().Be(3);
        conflict.ActualVersion.Should().Be(4);
        (await Db.Cards.GetAsync(card.Id)).Should().BeEquivalentTo(before);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_UnknownId_ThrowsNotFound()
    {
        Fixture.SkipIfUnavailable();
        var id = Guid.CreateVersion7();

        var act = () => Db.Cards.UpdateStatusAsync(id, CardStatus.Completed, expectedVersion: 1);

        var notFound = (await act.Should().ThrowAsync<EntityNotFoundException>()).Which;
        notFound.Entity.Should().Be("Card");
        notFound.Id.Should().Be(id);
    }

    [SkippableFact]
    public async Task DeleteByRunAsync_TwoRuns_RemovesOnlyThatRunsCardsAndKeepsStories()
    {
        Fixture.SkipIfUnavailable();
        var doomed = await SeedStoriesAsync(2);
        var kept = await SeedStoriesAsync(1);
        await Db.Cards.AddRangeAsync(TestData.Cards(doomed, 3).Concat(TestData.Cards(kept, 2)));

        var deleted = await Db.Cards.DeleteByRunAsync(doomed[0].RunId);

        deleted.Should().Be(6);
        (await CardsOfRunAsync(doomed[0].RunId)).Should().BeEmpty();
        (await StoriesOfRunAsync(doomed[0].RunId)).Should().HaveCount(2);
        (await CardsOfRunAsync(kept[0].RunId)).Should().HaveCount(2);
    }
}
