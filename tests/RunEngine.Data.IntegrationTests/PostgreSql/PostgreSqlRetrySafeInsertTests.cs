using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Retry-safe inserts on PostgreSQL (binary COPY into a temporary stage, then <c>INSERT ... ON CONFLICT DO NOTHING</c>):
/// concurrent replays, replays waiting on an uncommitted cycle, the natural key, the run log's write order and the
/// staging tables left behind.
/// </summary>
public sealed class PostgreSqlRetrySafeInsertTests : IClassFixture<PostgreSqlFixture>
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlRetrySafeInsertTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task WriteCycleAsync_TwoReplaysOfTheSameCycleRacing_LeaveExactlyOneCopy()
    {
        _fixture.SkipIfUnavailable();
        const int StoryCount = 200, CardsPerStory = 5;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var runId = Guid.CreateVersion7();
            var stories = PgRows.Stories(runId, StoryCount);
            var cards = PgRows.Cards(stories, CardsPerStory).ToList();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var replays = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                var database = _fixture.CreateDatabase();
                await start.Task;
                return await database.WriteCycleAsync(stories, cards, Skip);
            })).ToArray();
            start.SetResult();

            var results = await Task.WhenAll(replays).WaitAsync(WaitLimit);

            // The first to insert a story makes the other wait for its commit; the other then finds every row present.
            var winner = results.Should().ContainSingle(r => r.Stories > 0).Which;
            winner.Stories.Should().Be(StoryCount);
            winner.Cards.Should().Be(StoryCount * CardsPerStory);
            var loser = results.Single(r => !ReferenceEquals(r, winner));
            loser.Stories.Should().Be(0);
            loser.Cards.Should().Be(0);
            loser.StoriesSkipped.Should().Be(StoryCount);
            loser.CardsSkipped.Should().Be(StoryCount * CardsPerStory);
            (await CountAsync("re_stories", runId)).Should().Be(StoryCount);
            (await CountAsync("re_cards", runId)).Should().Be(StoryCount * CardsPerStory);
            (await CycleEntriesAsync(runId)).Should().Be(1, "only the replay that inserted something logs a cycle");
        }
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayWaitingOnAnUncommittedCycle_SkipsEverythingOnceItCommits()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 50);
        var cards = PgRows.Cards(stories, 4).ToList();
        await using var first = await Database.BeginSessionAsync();
        var written = await first.WriteCycleAsync(stories, cards, Skip);

        var replay = Task.Run(() => _fixture.CreateDatabase().WriteCycleAsync(stories, cards, Skip));
        await WaitUntilAsync(BlockedInsertAsync, "the replay to wait for the first cycle's rows");
        await first.CommitAsync();
        var replayed = await replay.WaitAsync(WaitLimit);

        written.Stories.Should().Be(50);
        written.Cards.Should().Be(200);
        replayed.Stories.Should().Be(0);
        replayed.Cards.Should().Be(0);
        replayed.StoriesSkipped.Should().Be(50);
        replayed.CardsSkipped.Should().Be(200);
        replayed.Events.Should().Be(0, "a replay that inserted nothing adds no trace");
        (await CountAsync("re_stories", runId)).Should().Be(50);
        (await CountAsync("re_cards", runId)).Should().Be(200);
        (await CycleEntriesAsync(runId)).Should().Be(1);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayWaitingOnACycleThatRollsBack_InsertsEverything()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 50);
        var cards = PgRows.Cards(stories, 4).ToList();
        await using var first = await Database.BeginSessionAsync();
        await first.WriteCycleAsync(stories, cards, Skip);

        var replay = Task.Run(() => _fixture.CreateDatabase().WriteCycleAsync(stories, cards, Skip));
        await WaitUntilAsync(BlockedInsertAsync, "the replay to wait for the first cycle's rows");
        await first.RollbackAsync();
        var replayed = await replay.WaitAsync(WaitLimit);

        replayed.Stories.Should().Be(50);
        replayed.Cards.Should().Be(200);
        replayed.StoriesSkipped.Should().Be(0);
        (await CountAsync("re_stories", runId)).Should().Be(50);
        (await CountAsync("re_cards", runId)).Should().Be(200);
        (await CycleEntriesAsync(runId)).Should().Be(1);
    }

    [SkippableFact]
    public async Task AddRangeAsync_SkipWithNewIdsAtTakenPositions_SkipsThemByNaturalKey()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var original = PgRows.Stories(runId, 5);
        await Database.Stories.AddRangeAsync(original);
        var regenerated = PgRows.Stories(runId, 8).Skip(3).ToList();

        var inserted = await Database.Stories.AddRangeAsync(regenerated, Skip);

        inserted.Should().Be(3);
        var stored = await Database.Stories.GetByRunAsync(runId).ToListAsync();
        stored.Select(s => s.Position).Should().Equal(0, 1, 2, 3, 4, 5, 6, 7);
        stored.Take(5).Select(s => s.Id).Should().Equal(original.Select(s => s.Id), "existing rows are left as they are");
        stored.Skip(5).Select(s => s.Id).Should().Equal(regenerated.Skip(2).Select(s => s.Id));
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayedTwiceInOneSession_DropsItsStagesAndKeepsOneCopy()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 10);
        var cards = PgRows.Cards(stories, 3).ToList();
        await using var session = await Database.BeginSessionAsync();

        var first = await session.WriteCycleAsync(stories, cards, Skip);
        var second = await session.WriteCycleAsync(stories, cards, Skip);
        var stages = await session.Connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_catalog.pg_class WHERE relnamespace = pg_my_temp_schema() AND relname LIKE 'runengine_stage%'",
            transaction: session.Transaction);
        await session.CommitAsync();

        first.Stories.Should().Be(10);
        first.Cards.Should().Be(30);
        second.StoriesSkipped.Should().Be(10);
        second.CardsSkipped.Should().Be(30);
        stages.Should().Be(0, "each stage is dropped right after its insert, not left for the end of the transaction");
        (await CountAsync("re_stories", runId)).Should().Be(10);
        (await CountAsync("re_cards", runId)).Should().Be(30);
    }

    [SkippableFact]
    public async Task WriteCycleAsync_ReplayWithCallerEvents_LogsEachEventOnceInStreamOrder()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 3);
        var cards = PgRows.Cards(stories, 2).ToList();
        // Ids deliberately not in stream order: the log keeps the order entries were written in, not id order.
        var events = Enumerable.Range(0, 6).Select(i => new RunEvent
        {
            Id = Guid.NewGuid(),
            RunId = runId,
            StoryId = i % 2 == 0 ? stories[i / 2].Id : null,
            CardId = i == 3 ? cards[0].Id : null,
            Kind = "host.step",
            Message = $"step {i}",
            Worker = i == 5 ? null : "host",
        }).ToList();

        var first = await Database.WriteCycleAsync(stories, cards, events, Skip);
        var second = await Database.WriteCycleAsync(stories, cards, events, Skip);

        first.Events.Should().Be(7, "six caller events and the cycle's trace");
        second.Events.Should().Be(0);
        var log = await Database.RunLog.GetByRunAsync(runId).ToListAsync();
        log.Select(e => e.Kind).Should().Equal(Enumerable.Repeat("host.step", 6).Append(RunEventKinds.CycleWritten));
        log.Take(6).Select(e => (e.Id, e.StoryId, e.CardId, e.Message, e.Worker))
            .Should().Equal(events.Select(e => (e.Id, e.StoryId, e.CardId, e.Message, e.Worker)));
        await using var connection = await _fixture.OpenConnectionAsync();
        var seqs = (await connection.QueryAsync<long>("SELECT seq FROM re_run_log WHERE run_id = @RunId ORDER BY seq", new { RunId = runId })).ToList();
        seqs.Should().HaveCount(7).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    private async Task<bool> BlockedInsertAsync()
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND (query LIKE 'INSERT %' OR query LIKE 'WITH %INSERT %'))");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > WaitLimit)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    private async Task<long> CycleEntriesAsync(Guid runId)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM re_run_log WHERE run_id = @RunId AND kind = @Kind", new { RunId = runId, Kind = RunEventKinds.CycleWritten });
    }

    private async Task<long> CountAsync(string table, Guid runId)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE run_id = @RunId", new { RunId = runId });
    }
}
