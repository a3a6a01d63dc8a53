using System.Globalization;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// What every contract class shares: the provider's fixture (one isolated database per test class) and
/// provider-neutral ways to look at the database. Nothing here may depend on a particular provider.
/// </summary>
public abstract class ContractTestBase<TFixture> : IClassFixture<TFixture>
    where TFixture : ProviderFixture
{
    protected ContractTestBase(TFixture fixture)
    {
        Fixture = fixture;
    }

    /// <summary>The fixture of this test class.</summary>
    protected TFixture Fixture { get; }

    /// <summary>The database under test (valid after <see cref="ProviderFixture.SkipIfUnavailable"/>).</summary>
    protected RunEngineDatabase Db => Fixture.Database;

    /// <summary>All rows of the stories table, whatever their run: proves that a failed call left nothing behind.</summary>
    protected Task<long> CountStoriesAsync() => CountAsync(Db.Provider.Tables.Stories);

    /// <summary>All rows of the cards table, whatever their run.</summary>
    protected Task<long> CountCardsAsync() => CountAsync(Db.Provider.Tables.Cards);

    /// <summary>Counts the rows of a table (quoted, qualified name) through a raw connection.</summary>
    protected async Task<long> CountAsync(string qualifiedTable)
    {
        await using var connection = await Fixture.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {qualifiedTable}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The stories of a run as the repository reads them.</summary>
    protected async Task<List<Story>> StoriesOfRunAsync(Guid runId, RunEngineDatabase? database = null) =>
        await (database ?? Db).Stories.GetByRunAsync(runId).ToListAsync();

    /// <summary>The cards of a run as the repository reads them.</summary>
    protected async Task<List<Card>> CardsOfRunAsync(Guid runId, RunEngineDatabase? database = null) =>
        await (database ?? Db).Cards.GetByRunAsync(runId).ToListAsync();

    /// <summary>Writes <paramref name="count"/> stories of a new run and returns them.</summary>
    protected async Task<List<Story>> SeedStoriesAsync(int count, Guid? runId = null)
    {
        var stories = TestData.Stories(runId ?? TestData.NewRunId(), count).ToList();
        await Db.Stories.AddRangeAsync(stories);
        return stories;
    }

    /// <summary>All rows of the run log, whatever their run.</summary>
    protected Task<long> CountRunLogAsync() => CountAsync(Db.Provider.Tables.RunLog);

    /// <summary>The run log of a run in write order, as the repository reads it.</summary>
    protected async Task<List<RunEvent>> LogOfRunAsync(Guid runId, RunEngineDatabase? database = null) =>
        await (database ?? Db).RunLog.GetByRunAsync(runId).ToListAsync();

    /// <summary>Writes stories of a new run with the given statuses (position = index) and returns them.</summary>
    protected async Task<List<Story>> SeedStoriesAsync(params StoryStatus[] statuses)
    {
        var runId = TestData.NewRunId();
        var stories = statuses.Select((status, i) => TestData.Story(runId, i, status)).ToList();
        await Db.Stories.AddRangeAsync(stories);
        return stories;
    }

    /// <summary>The fixture's clock as the database stores it.</summary>
    protected DateTimeOffset Now => TestData.Stored(Fixture.Time.GetUtcNow());
}
