using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// A <see cref="BulkInsertOptions.Timeout"/> or <see cref="RunEngineOptions.CommandTimeout"/> beyond what a provider's
/// timers can hold is rejected the same way on every provider, before anything is sent, and leaves every pooled
/// connection usable; the longest allowed one works.
/// </summary>
public abstract class BulkOptionLimitsContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected BulkOptionLimitsContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task WriteCycleAsync_TimeoutBeyondMax_ArgumentErrorAndConnectionsStayUsable()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);
        var (storyCount, cardCount) = (await CountStoriesAsync(), await CountCardsAsync());
        var options = new BulkInsertOptions { Timeout = BulkInsertOptions.MaxTimeout + TimeSpan.FromMilliseconds(1) };

        var error = (await FluentActions.Awaiting(() => Db.WriteCycleAsync(stories, cards, options))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which;

        error.ParamName.Should().Be("Timeout");
        (await CountStoriesAsync()).Should().Be(storyCount);
        (await CountCardsAsync()).Should().Be(cardCount);
        // PostgreSQL used to fail inside the COPY and hand a connection still in COPY mode back to the pool: the next
        // calls then failed with 08P01 "unexpected message type 0x51 during COPY from stdin".
        for (var i = 0; i < 4; i++)
        {
            (await Db.GetRunProgressAsync(stories[0].RunId)).Should().NotBeNull();
            (await Db.Stories.AddRangeAsync([TestData.Story(TestData.NewRunId(), 0)])).Should().Be(1);
        }
    }

    [SkippableFact]
    public async Task AddRangeAsync_TimeoutOfMonths_ArgumentErrorOnEveryProvider()
    {
        Fixture.SkipIfUnavailable();
        var options = new BulkInsertOptions { Timeout = TimeSpan.FromDays(100_000) };

        var error = (await FluentActions.Awaiting(() => Db.Stories.AddRangeAsync([TestData.Story(TestData.NewRunId(), 0)], options))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which;

        error.ParamName.Should().Be("Timeout");
        error.Message.Should().Contain("MaxTimeout");
    }

    [SkippableFact]
    public void CreateDatabase_CommandTimeoutBeyondMax_ArgumentErrorOnEveryProvider()
    {
        Fixture.SkipIfUnavailable();

        var error = FluentActions.Invoking(() => Fixture.CreateDatabase(o => o.CommandTimeout = TimeSpan.FromDays(100_000)))
            .Should().Throw<ArgumentOutOfRangeException>().Which;

        error.ParamName.Should().Be("CommandTimeout");
    }

    [SkippableFact]
    public async Task CreateDatabase_CommandTimeoutAtMax_Works()
    {
        Fixture.SkipIfUnavailable();
        var db = Fixture.CreateDatabase(o => o.CommandTimeout = BulkInsertOptions.MaxTimeout);
        var story = TestData.Story(TestData.NewRunId(), 0);

        await db.WriteCycleAsync([story], []);

        (await db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Ready, 1)).Should().Be(2);
        (await db.GetRunProgressAsync(story.RunId)).TotalStories.Should().Be(1);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_TimeoutAtMax_WritesTheCycle()
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 2);

        var written = await Db.WriteCycleAsync(stories, cards, new BulkInsertOptions { Timeout = BulkInsertOptions.MaxTimeout });

        written.Stories.Should().Be(3);
        written.Cards.Should().Be(6);
        (await CardsOfRunAsync(stories[0].RunId)).Should().HaveCount(6);
    }
}
