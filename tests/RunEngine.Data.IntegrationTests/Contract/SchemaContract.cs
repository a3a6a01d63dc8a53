using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>The shipped schema: idempotent migration, table prefixes, and DDL that agrees with the table maps.</summary>
public abstract class SchemaContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected SchemaContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_CalledAgain_KeepsVersionAndRecordsEachVersionOnce()
    {
        Fixture.SkipIfUnavailable();
        var latest = Db.Provider.Schema.LatestVersion;

        var first = await Db.EnsureSchemaAsync();
        await using var another = Fixture.CreateDatabase();
        var second = await another.EnsureSchemaAsync();

        first.Should().Be(latest);
        second.Should().Be(latest);
        var recorded = Db.Provider.Schema.Scripts.Count(s => s.Version > 0);
        (await CountAsync(Db.Provider.Tables.SchemaVersion)).Should().Be(recorded);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_OtherTablePrefix_CreatesSeparateTables()
    {
        Fixture.SkipIfUnavailable();
        await using var other = Fixture.CreateDatabase(o => o.TablePrefix = "alt_");
        var before = await CountStoriesAsync();

        (await other.EnsureSchemaAsync()).Should().Be(Db.Provider.Schema.LatestVersion);
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        await other.WriteCycleAsync(stories, TestData.Cards(stories, 2));

        other.Provider.Tables.Stories.Should().NotBe(Db.Provider.Tables.Stories);
        (await StoriesOfRunAsync(stories[0].RunId, other)).Should().HaveCount(2);
        (await Db.Stories.GetAsync(stories[0].Id)).Should().BeNull();
        (await CountStoriesAsync()).Should().Be(before);
        (await Fixture.GetColumnsAsync("stories", "alt_")).Select(c => c.Name)
            .Should().Equal(RunEngineTables.Stories.Columns.Select(c => c.Name));
        (await Fixture.GetColumnsAsync("cards", "alt_")).Select(c => c.Name)
            .Should().Equal(RunEngineTables.Cards.Columns.Select(c => c.Name));
    }

    [SkippableFact]
    public async Task Schema_StoriesTable_MatchesTableMap()
    {
        Fixture.SkipIfUnavailable();

        var columns = await Fixture.GetColumnsAsync("stories");

        ShouldMatch(columns, RunEngineTables.Stories.Columns.Select(c => (c.Name, c.Nullable, c.MaxLength)));
    }

    [SkippableFact]
    public async Task Schema_CardsTable_MatchesTableMap()
    {
        Fixture.SkipIfUnavailable();

        var columns = await Fixture.GetColumnsAsync("cards");

        ShouldMatch(columns, RunEngineTables.Cards.Columns.Select(c => (c.Name, c.Nullable, c.MaxLength)));
    }

    private static void ShouldMatch(IReadOnlyList<DbColumnInfo> columns, IEnumerable<(string Name, bool Nullable, int? MaxLength)> map)
    {
        var expected = map.ToList();
        columns.Select(c => c.Name).Should().Equal(expected.Select(c => c.Name), "names and order come from the table map");
        columns.Select(c => (c.Name, c.Nullable)).Should().Equal(expected.Select(c => (c.Name, c.Nullable)));
        columns.Select(c => (c.Name, c.MaxLength)).Should().Equal(expected.Select(c => (c.Name, c.MaxLength)));
        columns.Single(c => c.Name == "title").MaxLength.Should().Be(RunEngineLimits.TitleMaxLength);
    }
}
