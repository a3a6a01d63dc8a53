using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// A unique index the application added to the library's tables (here on stories' title) is not one of the library's
/// keys: its violation is a <see cref="BatchValidationException"/> that names the field and the key's columns but
/// never the values (row content), on every provider, and the database keeps its row counts.
/// </summary>
public abstract class UnknownUniqueKeyContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected UnknownUniqueKeyContract(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>One test, because the index it adds stays on the class's database.</summary>
    [SkippableFact]
    public async Task Writes_ViolatingAnApplicationsUniqueIndex_NameFieldAndColumnsNeverTheValue()
    {
        Fixture.SkipIfUnavailable();
        var dialect = Db.Provider.Dialect;
        var tables = Db.Provider.Tables;
        await using (var connection = await Fixture.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText =
                $"CREATE UNIQUE INDEX {dialect.Quote(tables.Prefix + "app_titles_ux")} ON {tables.Stories} ({dialect.Quote("title")})";
            await command.ExecuteNonQueryAsync();
        }

        // The same title twice in one batch.
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        var secret = "secret-title-" + Guid.NewGuid().ToString("N");
        stories[1].Title = secret;
        stories[3].Title = secret;
        var before = await CountStoriesAsync();

        var inBatch = (await FluentActions.Awaiting(() => Db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<BatchValidationException>()).Which;

        inBatch.Entity.Should().Be("Story");
        inBatch.Field.Should().Be("Title");
        inBatch.Reason.Should().Contain("title").And.Contain("not one of the library's keys");
        inBatch.Message.Should().NotContain(secret);
        inBatch.Position.Should().Match(p => p == null || p == 3);
        (await CountStoriesAsync()).Should().Be(before);

        // The title of a stored story, in a cycle.
        var stored = TestData.Story(TestData.NewRunId(), 0);
        stored.Title = "secret-title-" + Guid.NewGuid().ToString("N");
        await Db.Stories.AddRangeAsync([stored]);
        var story = TestData.Story(TestData.NewRunId(), 0);
        story.Title = stored.Title;
        var storiesBefore = await CountStoriesAsync();
        var cardsBefore = await CountCardsAsync();

        var againstStored = (await FluentActions.Awaiting(() => Db.WriteCycleAsync([story], [TestData.Card(story, 0)]))
            .Should().ThrowAsync<BatchValidationException>()).Which;

        againstStored.Field.Should().Be("Title");
        againstStored.Message.Should().NotContain(stored.Title);
        (await CountStoriesAsync()).Should().Be(storiesBefore);
        (await CountCardsAsync()).Should().Be(cardsBefore);
        (await Db.Stories.GetAsync(story.Id)).Should().BeNull();
    }
}
