using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// With <see cref="ExistingRows.Skip"/>, a story of the cycle that is skipped because another stored story already
/// holds its (run, position) takes no card with it: a card of the skipped story is rejected with a typed error naming
/// the story and why it was not written — not the database's raw foreign-key error — and nothing of the cycle stays.
/// </summary>
public abstract class SkippedParentContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };

    protected SkippedParentContract(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>
    /// Whether the provider's foreign-key error carries the key, so the skipped story and the card's position can be
    /// named (SQL Server's 547 names only the constraint: the reason then says a story of the cycle was skipped).
    /// </summary>
    protected virtual bool NamesForeignKey => true;

    [SkippableFact]
    public async Task WriteCycleAsync_SkipModeCardOfStorySkippedByItsNaturalKey_NamesTheStoryAndTheSkip()
    {
        Fixture.SkipIfUnavailable();
        var stored = (await SeedStoriesAsync(1))[0];
        var newcomer = TestData.Story(stored.RunId, stored.Position);
        var cards = new List<Card> { TestData.Card(newcomer, 0), TestData.Card(newcomer, 1) };
        var (storyCount, cardCount) = (await CountStoriesAsync(), await CountCardsAsync());

        var error = (await FluentActions.Awaiting(() => Db.WriteCycleAsync([newcomer], cards, Skip))
            .Should().ThrowAsync<BatchValidationException>()).Which;

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("StoryId");
        error.Reason.Should().Contain("skipped");
        if (NamesForeignKey)
        {
            error.Position.Should().Be(0);
            error.Reason.Should().Contain(newcomer.Id.ToString());
        }

        (await CountStoriesAsync()).Should().Be(storyCount);
        (await CountCardsAsync()).Should().Be(cardCount);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_SkipModeCardOfStoredStory_StillWritten()
    {
        Fixture.SkipIfUnavailable();
        var stored = (await SeedStoriesAsync(1))[0];
        var replay = TestData.Story(stored.RunId, stored.Position);
        replay.Id = stored.Id;

        var written = await Db.WriteCycleAsync([replay], [TestData.Card(stored, 0)], Skip);

        written.StoriesSkipped.Should().Be(1);
        written.Cards.Should().Be(1);
    }
}
