using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// <see cref="DistributedWriteTestsBase{TFixture}"/> over the schema of one server (built with distribution None):
/// only the writing database object is in distributed mode.
/// </summary>
public sealed class PostgreSqlDistributedWriteTests(PostgreSqlFixture fixture) : DistributedWriteTestsBase<PostgreSqlFixture>(fixture)
{
    [SkippableFact]
    public async Task AddRangeAsync_PlainModeMeetsTheReRaise_KeepsTheUntranslatedXX000()
    {
        // The control: what the emulated re-raise does to the path of one server, which reads only real key errors.
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stored = TestData.Stories(runId, 2).ToList();
        await Fixture.Database.Stories.AddRangeAsync(stored);

        var act = () => Fixture.Database.Stories.AddRangeAsync([TestData.Story(runId, 5), stored[1]]);

        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("XX000");
    }
}
