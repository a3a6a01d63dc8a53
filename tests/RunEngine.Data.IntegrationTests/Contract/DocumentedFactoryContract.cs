using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// The database as the README creates it — the provider's <c>Create(connectionString)</c>, not a data source the
/// test prepared — names the key of a unique violation, says whether it repeats a row of the same batch or a stored
/// one, keeps row content out of the whole exception (inner ones included) and leaves the row counts unchanged.
/// </summary>
public abstract class DocumentedFactoryContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    /// <summary>Text put in every title and body, which no message may contain.</summary>
    private const string RowContent = "row-content-7f3a";

    protected DocumentedFactoryContract(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>Whether the provider reports the position of a row the database rejected on a unique key (not SQL Server).</summary>
    protected virtual bool ReportsRejectedRow => true;

    [SkippableFact]
    public async Task AddRangeAsync_StoryPositionAlreadyStored_NamesRunPositionAndStoredStory()
    {
        Fixture.SkipIfUnavailable();
        var db = Fixture.CreateDatabaseFromConnectionString();
        var existing = Marked(TestData.Stories(TestData.NewRunId(), 3)).ToList();
        await db.Stories.AddRangeAsync(existing);
        var stories = Marked(TestData.Stories(existing[0].RunId, 3, firstPosition: 3)).ToList();
        stories[1].Position = 1;

        var error = await RejectedAsync(() => db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"({existing[0].RunId}, 1)").And.Contain("already stored").And.Contain(existing[1].Id.ToString());
        error.Position.Should().Be(ReportsRejectedRow ? 1 : null);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_CardPositionTwiceInBatch_NamesStoryPositionAndSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var db = Fixture.CreateDatabaseFromConnectionString();
        var stories = Marked(TestData.Stories(TestData.NewRunId(), 2)).ToList();
        var cards = Marked(TestData.Cards(stories, 3)).ToList();
        cards[4].Position = cards[3].Position;

        var error = await RejectedAsync(() => db.WriteCycleAsync(stories, cards));

        error.Entity.Should().Be("Card");
        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"({stories[1].RunId}, {stories[1].Id}, {cards[3].Position})").And.Contain("same batch");
        error.Position.Should().Be(ReportsRejectedRow ? 4 : null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_StoryPositionTwiceInBatch_NamesRunPositionAndSameBatch()
    {
        Fixture.SkipIfUnavailable();
        var db = Fixture.CreateDatabaseFromConnectionString();
        var runId = TestData.NewRunId();
        var stories = Marked(TestData.Stories(runId, 5)).ToList();
        stories[3].Position = 1;

        var error = await RejectedAsync(() => db.Stories.AddRangeAsync(stories));

        error.Field.Should().Be("Position");
        error.Reason.Should().Contain($"(run_id, position) = ({runId}, 1)").And.Contain("same batch");
        error.Position.Should().Be(ReportsRejectedRow ? 3 : null);
    }

    private static IEnumerable<Story> Marked(IEnumerable<Story> stories) => stories.Select(s =>
    {
        s.Title = $"{s.Title} {RowContent}";
        s.Body = $"{s.Body} {RowContent}";
        return s;
    });

    private static IEnumerable<Card> Marked(IEnumerable<Card> cards) => cards.Select(c =>
    {
        c.Title = $"{c.Title} {RowContent}";
        c.Description = $"{c.Description} {RowContent}";
        return c;
    });

    /// <summary>Expects a <see cref="BatchValidationException"/> free of row content, with both tables' row counts unchanged.</summary>
    private async Task<BatchValidationException> RejectedAsync(Func<Task> act)
    {
        var (stories, cards) = (await CountStoriesAsync(), await CountCardsAsync());

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;

        (await CountStoriesAsync()).Should().Be(stories, "a rejected batch leaves no story behind");
        (await CountCardsAsync()).Should().Be(cards, "a rejected batch leaves no card behind");
        error.ToString().Should().NotContain(RowContent, "messages never contain row content, inner exceptions included");
        error.Message.Should().Contain("Nothing of the batch was written");
        return error;
    }
}
