using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// A card and its story share a run (schema version 3): a card that names a story of another run is rejected, whether
/// the story is stored already or written in the same cycle, and leaves nothing behind; the story's run can still be
/// deleted. (Which exception explains it, and how, is the error translation's business: only the base type is asserted.)
/// </summary>
public abstract class CardStoryRunContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected CardStoryRunContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardRunDiffersFromStoredStory_ThrowsAndLeavesDatabaseUnchanged()
    {
        Fixture.SkipIfUnavailable();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await Db.WriteCycleAsync([story], [TestData.Card(story, 0)]);
        var before = await CountsAsync();
        var stray = TestData.Card(story, 1);
        stray.RunId = TestData.NewRunId();

        var act = () => Db.Cards.AddRangeAsync([stray]);

        await act.Should().ThrowAsync<RunEngineDataException>();
        (await CountsAsync()).Should().Be(before);
        (await Db.Cards.GetAsync(stray.Id)).Should().BeNull();
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardRunDiffersFromStoredStory_ThrowsAndLeavesDatabaseUnchanged()
    {
        Fixture.SkipIfUnavailable();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await Db.Stories.AddRangeAsync([story]);
        var before = await CountsAsync();
        var newStory = TestData.Story(story.RunId, 1);
        var stray = TestData.Card(story, 0);
        stray.RunId = TestData.NewRunId();

        var act = () => Db.WriteCycleAsync([newStory], [TestData.Card(newStory, 0), stray]);

        await act.Should().ThrowAsync<RunEngineDataException>();
        (await CountsAsync()).Should().Be(before);
        (await Db.Stories.GetAsync(newStory.Id)).Should().BeNull();
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardRunDiffersFromStoryOfTheSameCycle_ThrowsAndLeavesDatabaseUnchanged()
    {
        Fixture.SkipIfUnavailable();
        var before = await CountsAsync();
        var story = TestData.Story(TestData.NewRunId(), 0);
        var stray = TestData.Card(story, 1);
        stray.RunId = TestData.NewRunId();

        var act = () => Db.WriteCycleAsync([story], [TestData.Card(story, 0), stray]);

        await act.Should().ThrowAsync<RunEngineDataException>();
        (await CountsAsync()).Should().Be(before);
        (await Db.Stories.GetAsync(story.Id)).Should().BeNull();
    }

    [SkippableFact]
    public async Task DeleteRunAsync_AfterCardOfAnotherRunWasRejected_DeletesTheStorysRun()
    {
        Fixture.SkipIfUnavailable();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await Db.WriteCycleAsync([story], [TestData.Card(story, 0), TestData.Card(story, 1)]);
        var stray = TestData.Card(story, 2);
        stray.RunId = TestData.NewRunId();
        var rejected = () => Db.Cards.AddRangeAsync([stray]);
        await rejected.Should().ThrowAsync<RunEngineDataException>();

        var deleted = await Db.Stories.DeleteRunAsync(story.RunId);

        deleted.Stories.Should().Be(1);
        deleted.Cards.Should().Be(2);
        (await Db.Stories.GetAsync(story.Id)).Should().BeNull();
        (await CardsOfRunAsync(stray.RunId)).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfTheStorysRun_IsAcceptedAndReadWithItsRunAndStory()
    {
        Fixture.SkipIfUnavailable();
        var story = TestData.Story(TestData.NewRunId(), 0);
        await Db.Stories.AddRangeAsync([story]);
        var card = TestData.Card(story, 0);

        (await Db.Cards.AddRangeAsync([card])).Should().Be(1);

        (await CardsOfRunAsync(story.RunId)).Select(c => c.Id).Should().Equal(card.Id);
        (await Db.Cards.GetByStoryAsync(story.Id).ToListAsync()).Select(c => c.Id).Should().Equal(card.Id);
    }

    private async Task<(long Stories, long Cards, long Events)> CountsAsync() =>
        (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync());
}
