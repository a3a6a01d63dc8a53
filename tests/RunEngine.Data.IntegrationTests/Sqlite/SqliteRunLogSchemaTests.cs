using Dapper;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;
using RunEngine.Data.Sqlite;
using RunEngine.Data.Sqlite.Schema;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>Schema version 2 on SQLite: claim columns added to an existing table, the run log and its seq, nullable ids.</summary>
public sealed class SqliteRunLogSchemaTests(SqliteFileFixture fixture) : IClassFixture<SqliteFileFixture>
{
    [Fact]
    public async Task Schema_RunLogTable_HasTheMapColumnsThenSeq()
    {
        var columns = await fixture.GetColumnsAsync("run_log");

        columns.Select(c => (c.Name, c.Nullable, c.MaxLength)).Should().Equal(
            RunEngineTables.RunLog.Columns.Select(c => (c.Name, c.Nullable, c.MaxLength))
                .Append(("seq", true, (int?)null))); // INTEGER PRIMARY KEY: the rowid, never NULL although declared without NOT NULL
        columns[^1].DataType.Should().Be("integer");
    }

    [Fact]
    public async Task Schema_Indexes_ServeClaimsAndRunLogReads()
    {
        await using var connection = await fixture.OpenConnectionAsync();

        var claim = await IndexColumnsAsync(connection, "re_ix_stories_claim");
        var log = await IndexColumnsAsync(connection, "re_ix_run_log_run_seq");

        claim.Should().Equal("run_id", "status", "position");
        log.Should().Equal("run_id", "seq");
    }

    [Fact]
    public async Task QueryPlans_ClaimAndRunLogRead_SeekTheirIndexesWithoutSorting()
    {
        var provider = fixture.Database.Provider;
        var parameters = new
        {
            RunId = Guid.CreateVersion7(),
            Worker = "w",
            Max = 10,
            Now = fixture.Time.GetUtcNow(),
            Expires = fixture.Time.GetUtcNow().AddMinutes(1),
            Ready = (short)StoryStatus.Ready,
            InProgress = (short)StoryStatus.InProgress,
        };
        await using var connection = await fixture.OpenConnectionAsync();

        var claim = await PlanAsync(connection, provider.ClaimStories, parameters);
        var log = await PlanAsync(connection, provider.RunLog.SelectByRun, new { parameters.RunId });

        // Both candidate ranges (ready; in progress with a lease) are read from the claim index in position order, so
        // a claim never walks the run's completed stories; only the few merged candidates are sorted.
        claim.Where(d => d.Contains("re_ix_stories_claim (run_id=? AND status=?)", StringComparison.Ordinal)).Should().HaveCount(2);
        claim.Should().NotContain(d => d.Contains("SCAN re_stories", StringComparison.Ordinal));
        log.Should().ContainSingle(d => d.Contains("re_ix_run_log_run_seq (run_id=?)", StringComparison.Ordinal));
        log.Should().NotContain(d => d.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppendAsync_EventsWithAndWithoutStoryAndCard_StoreNullOrTheUpperCaseIdText()
    {
        var runId = TestData.NewRunId();
        var storyId = Guid.CreateVersion7();
        var cardId = Guid.CreateVersion7();
        var events = new[]
        {
            new RunEvent { Id = Guid.CreateVersion7(), RunId = runId, StoryId = storyId, CardId = cardId, Kind = "both" },
            new RunEvent { Id = Guid.CreateVersion7(), RunId = runId, CardId = cardId, Kind = "card only" },
            new RunEvent { Id = Guid.CreateVersion7(), RunId = runId, Kind = "neither" },
        };

        await fixture.Database.RunLog.AppendAsync(events);

        await using var connection = await fixture.OpenConnectionAsync();
        var stored = await connection.QueryAsync<(string StoryType, string? Story, string CardType, string? Card)>(
            $"SELECT typeof(story_id), story_id, typeof(card_id), card_id FROM {fixture.Database.Provider.Tables.RunLog} WHERE run_id = @RunId ORDER BY seq",
            new { RunId = runId });
        var story = storyId.ToString().ToUpperInvariant();
        var card = cardId.ToString().ToUpperInvariant();
        stored.Should().Equal(("text", story, "text", card), ("null", null, "text", card), ("null", null, "null", null));
        var read = await fixture.Database.RunLog.GetByRunAsync(runId).ToListAsync();
        read.Select(e => (e.Kind, e.StoryId, e.CardId)).Should().Equal(("both", storyId, cardId), ("card only", null, cardId), ("neither", null, null));
    }

    [Fact]
    public async Task GetByRunAsync_EventsAppendedWithDescendingIds_ReturnsTheWriteOrder()
    {
        var runId = TestData.NewRunId();
        var ids = Enumerable.Range(0, 4).Select(i => Guid.CreateVersion7(new DateTimeOffset(2030 - i, 1, 1, 0, 0, 0, TimeSpan.Zero))).ToList();

        await fixture.Database.RunLog.AppendAsync(ids.Take(2).Select(id => new RunEvent { Id = id, RunId = runId, Kind = "step" }));
        await fixture.Database.RunLog.AppendAsync(ids.Skip(2).Select(id => new RunEvent { Id = id, RunId = runId, Kind = "step" }));

        (await fixture.Database.RunLog.GetByRunAsync(runId).ToListAsync()).Select(e => e.Id).Should().Equal(ids);
    }

    [Fact]
    public async Task EnsureSchemaAsync_DatabaseAtVersion1WithStories_AddsClaimColumnsAndKeepsRowsClaimable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"re_tests_{Guid.NewGuid():N}.db");
        try
        {
            var runId = TestData.NewRunId();
            await using (var db = SqliteDatabase.Create($"Data Source={path};Pooling=False", fixture.Options()))
            {
                await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    await connection.OpenAsync();
                    foreach (var script in SqliteSchemaDefinition.Instance.Scripts.Where(s => s.Version <= 1))
                    {
                        await connection.ExecuteAsync(db.Provider.Tables.Expand(script.Text));
                    }

                    await connection.ExecuteAsync(
                        $"INSERT INTO {db.Provider.Tables.SchemaVersion} (version, description, applied_at) VALUES (1, 'initial', '2026-01-01 00:00:00+00:00');" +
                        $"INSERT INTO {db.Provider.Tables.Stories} (id, run_id, position, title, status, version, created_at, updated_at) " +
                        "VALUES (@Id, @RunId, 0, 'from version 1', @Ready, 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
                        new { Id = Guid.CreateVersion7(), RunId = runId, Ready = (short)StoryStatus.Ready });
                }

                (await db.EnsureSchemaAsync()).Should().Be(db.Provider.Schema.LatestVersion);

                var old = (await db.Stories.GetByRunAsync(runId).ToListAsync()).Single();
                old.ClaimedBy.Should().BeNull();
                old.LeaseExpiresAt.Should().BeNull();
                var claim = (await db.Claims.ClaimAsync(runId, "w", 10, TimeSpan.FromMinutes(1))).Single();
                claim.StoryId.Should().Be(old.Id);
                (await db.RunLog.GetByRunAsync(runId).ToListAsync()).Select(e => e.Kind).Should().Equal(RunEventKinds.StoryClaimed);
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
        }
    }

    private static async Task<List<string>> PlanAsync(System.Data.Common.DbConnection connection, string sql, object parameters) =>
        (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters))
            .Select(row => row.Detail).ToList();

    private static async Task<List<string>> IndexColumnsAsync(System.Data.Common.DbConnection connection, string index) =>
        (await connection.QueryAsync<string>("SELECT name FROM pragma_index_info(@index) ORDER BY seqno", new { index })).ToList();
}
