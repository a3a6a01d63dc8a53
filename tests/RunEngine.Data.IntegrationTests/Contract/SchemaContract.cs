using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>The shipped schema: idempotent migration, table prefixes, and DDL that agrees with the table maps.</summary>
public abstract class SchemaContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    /// <summary>The run log's database-generated write order (SQLite may place it first, the others last).</summary>
    private const string SeqColumn = "seq";

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
        (await Fixture.GetColumnsAsync("run_log", "alt_")).Select(c => c.Name).Where(n => n != SeqColumn)
            .Should().Equal(RunEngineTables.RunLog.Columns.Select(c => c.Name));
        (await LogOfRunAsync(stories[0].RunId, other)).Should().ContainSingle("the cycle's trace goes to the prefixed run log");
        (await LogOfRunAsync(stories[0].RunId)).Should().BeEmpty();
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

    [SkippableFact]
    public async Task Schema_StoriesTable_HasTheClaimColumnsLast()
    {
        Fixture.SkipIfUnavailable();

        var columns = await Fixture.GetColumnsAsync("stories");

        columns.Select(c => c.Name).TakeLast(2).Should().Equal("claimed_by", "lease_expires_at");
        columns.Single(c => c.Name == "claimed_by").MaxLength.Should().Be(RunEngineLimits.WorkerIdMaxLength);
        columns.TakeLast(2).Should().OnlyContain(c => c.Nullable, "unclaimed stories have neither");
    }

    [SkippableFact]
    public async Task Schema_RunLogTable_MatchesTableMap()
    {
        Fixture.SkipIfUnavailable();

        var columns = await Fixture.GetColumnsAsync("run_log");

        // seq is the database's own write order, never written by the library, so the map does not list it.
        ShouldMatch(columns.Where(c => c.Name != SeqColumn).ToList(), RunEngineTables.RunLog.Columns.Select(c => (c.Name, c.Nullable, c.MaxLength)));
    }

    private static void ShouldMatch(IReadOnlyList<DbColumnInfo> columns, IEnumerable<(string Name, bool Nullable, int? MaxLength)> map)
    {
        var expected = map.ToList();
        columns.Select(c => c.Name).Should().Equal(expected.Select(c => c.Name), "names and order come from the table map");
        columns.Select(c => (c.Name, c.Nullable)).Should().Equal(expected.Select(c => (c.Name, c.Nullable)));
        columns.Select(c => (c.Name, c.MaxLength)).Should().Equal(expected.Select(c => (c.Name, c.MaxLength)));
        if (columns.Any(c => c.Name == "title"))
        {
            columns.Single(c => c.Name == "title").MaxLength.Should().Be(RunEngineLimits.TitleMaxLength);
        }
    }
}
