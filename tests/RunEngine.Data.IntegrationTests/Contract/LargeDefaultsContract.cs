using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// Large batches with the defaults, as users call them: no <see cref="BulkInsertOptions"/>, no timeout. Sized so the
/// server is still working when the client finishes sending (its answer is not already buffered), which is where a
/// driver that reads "no limit" differently fails (Npgsql 10 reads a binary import's <c>TimeSpan.Zero</c> as "at
/// once"; the PostgreSQL tests run on Npgsql 9 and 10, see tests/RunEngine.Data.IntegrationTests.Npgsql10).
/// </summary>
public abstract class LargeDefaultsContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private const int Stories = 20_000;
    private const int CardsPerStory = 10;

    protected LargeDefaultsContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task WriteCycleAsync_TwoHundredThousandCardsWithDefaultOptions_StoresEveryRow()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, Stories).ToList();
        var before = (await CountStoriesAsync(), await CountCardsAsync());

        var result = await Db.WriteCycleAsync(stories, TestData.Cards(stories, CardsPerStory));

        result.Should().BeEquivalentTo(new { Stories = (long)Stories, Cards = (long)Stories * CardsPerStory });
        (await CountStoriesAsync(), await CountCardsAsync()).Should().Be((before.Item1 + Stories, before.Item2 + (long)Stories * CardsPerStory));
    }

    [SkippableFact]
    public async Task WriteCycleAsync_TwoHundredThousandCardsRetrySafeWithDefaultTimeout_StoresEveryRow()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = TestData.Stories(runId, Stories).ToList();
        var before = (await CountStoriesAsync(), await CountCardsAsync());

        var result = await Db.WriteCycleAsync(stories, TestData.Cards(stories, CardsPerStory), new BulkInsertOptions { ExistingRows = ExistingRows.Skip });

        result.Should().BeEquivalentTo(new { Stories = (long)Stories, Cards = (long)Stories * CardsPerStory, StoriesSkipped = 0L, CardsSkipped = 0L });
        (await CountStoriesAsync(), await CountCardsAsync()).Should().Be((before.Item1 + Stories, before.Item2 + (long)Stories * CardsPerStory));
    }
}
