namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Retry-safe cycles through a database object in distributed mode (<see cref="RunEngine.Data.PostgreSql.PostgreSqlDistribution.Citus"/>)
/// over a schema built normally: the replay's inserted rows are counted from what the insert returned
/// (<c>WITH … RETURNING 1) SELECT count(*)</c>), so it reports them skipped and logs no second <c>cycle.written</c>.
/// </summary>
public sealed class PostgreSqlDistributedRetrySafeTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayWithSkip_CountsNothingInsertedAndLogsOneCycle()
    {
        fixture.SkipIfUnavailable();
        var db = fixture.CreateDatabase(o => ((RunEngine.Data.PostgreSql.PostgreSqlOptions)o).Distribution = RunEngine.Data.PostgreSql.PostgreSqlDistribution.Citus);
        var runId = Infrastructure.TestData.NewRunId();
        var stories = Infrastructure.TestData.Stories(runId, 5).ToList();
        var cards = Infrastructure.TestData.Cards(stories, 2);
        var first = await db.WriteCycleAsync(stories, cards, Skip);

        var replay = await db.WriteCycleAsync(stories, cards, Skip);

        first.Stories.Should().Be(5);
        first.Cards.Should().Be(10);
        replay.Stories.Should().Be(0);
        replay.Cards.Should().Be(0);
        replay.StoriesSkipped.Should().Be(5);
        replay.CardsSkipped.Should().Be(10);
        (await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM re_run_log WHERE run_id = @run AND kind = 'cycle.written'", ("run", runId))).Should().Be(1);
    }

    [SkippableFact]
    public async Task AddRangeAsync_SessionReplayOfPartlyStoredStories_CountsOnlyTheNewOnes()
    {
        fixture.SkipIfUnavailable();
        var db = fixture.CreateDatabase(o => ((RunEngine.Data.PostgreSql.PostgreSqlOptions)o).Distribution = RunEngine.Data.PostgreSql.PostgreSqlDistribution.Citus);
        var runId = Infrastructure.TestData.NewRunId();
        var stories = Infrastructure.TestData.Stories(runId, 6).ToList();
        await db.Stories.AddRangeAsync(stories.Take(4));
        await using var session = await db.BeginSessionAsync();

        var inserted = await session.Stories.AddRangeAsync(stories, Skip);
        await session.CommitAsync();

        inserted.Should().Be(2);
        (await fixture.ScalarAsync<long>("SELECT count(*) FROM re_stories WHERE run_id = @run", ("run", runId))).Should().Be(6);
    }
}
