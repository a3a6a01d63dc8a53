using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// The run-scoped reads (<see cref="IStoryRepository.GetAsync(Guid, Guid, CancellationToken)"/>,
/// <see cref="ICardRepository.GetAsync(Guid, Guid, CancellationToken)"/>,
/// <see cref="ICardRepository.GetByStoryAsync(Guid, Guid, CancellationToken)"/>): they find the run's rows, a row of
/// another run is missing, <see cref="Guid.Empty"/> is refused before anything is sent, and the id-only forms still work.
/// </summary>
public abstract class RunScopedReadContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected RunScopedReadContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task StoriesGetAsync_RunAndId_ReturnsTheStoredStory()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(3);

        var found = await Db.Stories.GetAsync(stories[1].RunId, stories[1].Id);

        found.Should().BeEquivalentTo(await Db.Stories.GetAsync(stories[1].Id), "the run-scoped form reads the row the id-only form reads");
        found!.Id.Should().Be(stories[1].Id);
        found.Position.Should().Be(1);
    }

    [SkippableFact]
    public async Task StoriesGetAsync_IdOfAnotherRun_ReturnsNull()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1)).Single();
        var otherRun = (await SeedStoriesAsync(1)).Single().RunId;

        var found = await Db.Stories.GetAsync(otherRun, story.Id);
        var ofUnknownRun = await Db.Stories.GetAsync(TestData.NewRunId(), story.Id);

        found.Should().BeNull("a story of another run is treated as missing");
        ofUnknownRun.Should().BeNull();
        (await Db.Stories.GetAsync(story.Id)).Should().NotBeNull("the id-only form still finds it");
    }

    [SkippableFact]
    public async Task StoriesGetAsync_MissingId_ReturnsNull()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1)).Single();

        (await Db.Stories.GetAsync(story.RunId, Guid.CreateVersion7())).Should().BeNull();
    }

    [SkippableFact]
    public async Task StoriesGetAsync_EmptyRunId_ThrowsArgumentExceptionNamingRunId()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1)).Single();

        var act = () => Db.Stories.GetAsync(Guid.Empty, story.Id);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("runId");
    }

    [SkippableFact]
    public async Task CardsGetAsync_RunAndId_ReturnsTheStoredCard()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(2);
        var cards = TestData.Cards(stories, 2);
        await Db.Cards.AddRangeAsync(cards);

        var found = await Db.Cards.GetAsync(cards[3].RunId, cards[3].Id);

        found.Should().BeEquivalentTo(await Db.Cards.GetAsync(cards[3].Id), "the run-scoped form reads the row the id-only form reads");
        found!.StoryId.Should().Be(stories[1].Id);
    }

    [SkippableFact]
    public async Task CardsGetAsync_IdOfAnotherRun_ReturnsNull()
    {
        Fixture.SkipIfUnavailable();
        var cards = TestData.Cards(await SeedStoriesAsync(1), 1);
        await Db.Cards.AddRangeAsync(cards);
        var otherRun = (await SeedStoriesAsync(1)).Single().RunId;

        (await Db.Cards.GetAsync(otherRun, cards[0].Id)).Should().BeNull("a card of another run is treated as missing");
        (await Db.Cards.GetAsync(cards[0].RunId, Guid.CreateVersion7())).Should().BeNull();
        (await Db.Cards.GetAsync(cards[0].Id)).Should().NotBeNull("the id-only form still finds it");
    }

    [SkippableFact]
    public async Task CardsGetAsync_EmptyRunId_ThrowsArgumentExceptionNamingRunId()
    {
        Fixture.SkipIfUnavailable();

        var act = () => Db.Cards.GetAsync(Guid.Empty, Guid.CreateVersion7());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("runId");
    }

    [SkippableFact]
    public async Task CardsGetByStoryAsync_RunAndStory_ReturnsTheStorysCardsInPositionOrder()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(3);
        // Written out of position order, so the order comes from the query.
        var cards = TestData.Cards(stories, 4).OrderByDescending(c => c.Position).ToList();
        await Db.Cards.AddRangeAsync(cards);

        var read = await Db.Cards.GetByStoryAsync(stories[1].RunId, stories[1].Id).ToListAsync();

        read.Select(c => c.Id).Should().Equal(cards.Where(c => c.StoryId == stories[1].Id).OrderBy(c => c.Position).Select(c => c.Id));
        read.Should().BeEquivalentTo(await Db.Cards.GetByStoryAsync(stories[1].Id).ToListAsync(), o => o.WithStrictOrdering(), "the id-only form reads the same rows");
    }

    [SkippableFact]
    public async Task CardsGetByStoryAsync_StoryOfAnotherRun_ReturnsNone()
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(1)).Single();
        await Db.Cards.AddRangeAsync(TestData.Cards([story], 3));
        var otherRun = (await SeedStoriesAsync(1)).Single().RunId;

        (await Db.Cards.GetByStoryAsync(otherRun, story.Id).ToListAsync()).Should().BeEmpty("a story of another run is treated as missing");
        (await Db.Cards.GetByStoryAsync(story.RunId, Guid.CreateVersion7()).ToListAsync()).Should().BeEmpty();
        (await Db.Cards.GetByStoryAsync(story.Id).ToListAsync()).Should().HaveCount(3, "the id-only form still reads them");
    }

    [SkippableFact]
    public void CardsGetByStoryAsync_EmptyRunId_ThrowsWhenCalled()
    {
        Fixture.SkipIfUnavailable();

        // Thrown by the call itself, before the sequence is read: nothing is sent.
        var act = () => Db.Cards.GetByStoryAsync(Guid.Empty, Guid.CreateVersion7());

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("runId");
    }

    [SkippableFact]
    public async Task CardsGetByRunAsync_TwoRuns_ReturnsTheRunsCardsInStoryThenCardOrder()
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(3);
        var other = await SeedStoriesAsync(2);
        var cards = TestData.Cards(stories, 3);
        await Db.Cards.AddRangeAsync(cards.AsEnumerable().Reverse().Concat(TestData.Cards(other, 2)));

        var read = await CardsOfRunAsync(stories[0].RunId);

        read.Select(c => c.Id).Should().Equal(cards.OrderBy(c => c.StoryId == stories[0].Id ? 0 : c.StoryId == stories[1].Id ? 1 : 2).ThenBy(c => c.Position).Select(c => c.Id));
    }

    [SkippableFact]
    public async Task ScopedReads_InASession_SeeTheSessionsUncommittedRows()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var story = TestData.Story(runId, 0);
        var card = TestData.Card(story, 0);
        Story? storyRead, ofOtherRun;
        Card? cardRead;
        List<Card> byStory;
        // Disposed before the read below: an in-memory SQLite database lends its one connection to the session.
        await using (var session = await Db.BeginSessionAsync())
        {
            await session.Stories.AddRangeAsync([story]);
            await session.Cards.AddRangeAsync([card]);

            storyRead = await session.Stories.GetAsync(runId, story.Id);
            cardRead = await session.Cards.GetAsync(runId, card.Id);
            byStory = await session.Cards.GetByStoryAsync(runId, story.Id).ToListAsync();
            ofOtherRun = await session.Stories.GetAsync(TestData.NewRunId(), story.Id);
            await session.RollbackAsync();
        }

        storyRead!.Id.Should().Be(story.Id);
        cardRead!.Id.Should().Be(card.Id);
        byStory.Select(c => c.Id).Should().Equal(card.Id);
        ofOtherRun.Should().BeNull();
        (await Db.Stories.GetAsync(runId, story.Id)).Should().BeNull("the session rolled back");
    }
}
