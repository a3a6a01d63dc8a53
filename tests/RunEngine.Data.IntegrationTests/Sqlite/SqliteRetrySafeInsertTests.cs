using Dapper;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Bulk;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;
using RunEngine.Data.Sqlite.Bulk;

namespace RunEngine.Data.IntegrationTests.Sqlite;

/// <summary>
/// <see cref="ExistingRows.Skip"/> on SQLite: the prepared INSERT with <c>ON CONFLICT DO NOTHING</c>, counting the rows
/// each execution changed. It skips rows colliding with the id or the natural key, and nothing else.
/// </summary>
public sealed class SqliteRetrySafeInsertTests(SqliteFileFixture fixture) : IClassFixture<SqliteFileFixture>
{
    private static readonly BulkInsertOptions Skip = new() { ExistingRows = ExistingRows.Skip };

    [Fact]
    public async Task WriteCycleAsync_SameCycleReplayedConcurrentlyFromTwoDatabaseObjects_LeavesOneCopy()
    {
        await using var other = fixture.CreateDatabase();
        var stories = TestData.Stories(TestData.NewRunId(), 200).ToList();
        var cards = TestData.Cards(stories, 3);

        var results = await Task.WhenAll(
            Task.Run(() => fixture.Database.WriteCycleAsync(stories, cards, Skip)),
            Task.Run(() => other.WriteCycleAsync(stories, cards, Skip)));

        // The immediate transactions run one after the other: one replay inserts everything, the other finds it all.
        results.Select(r => (r.Stories, r.StoriesSkipped, r.Cards, r.CardsSkipped)).Should().BeEquivalentTo(
            [(200L, 0L, 600L, 0L), (0L, 200L, 0L, 600L)]);
        (await fixture.Database.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Select(s => s.Id).Should().Equal(stories.Select(s => s.Id));
        (await fixture.Database.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().HaveCount(600);
        (await fixture.Database.RunLog.GetByRunAsync(stories[0].RunId).ToListAsync())
            .Where(e => e.Kind == RunEventKinds.CycleWritten).Should().ContainSingle("a replay that inserted nothing leaves no trace");
    }

    [Fact]
    public async Task AddRangeAsync_SkipWithNewIdOnTakenPosition_SkipsTheRowAndKeepsTheStoredOne()
    {
        var runId = TestData.NewRunId();
        var stored = TestData.Story(runId, 1);
        await fixture.Database.Stories.AddRangeAsync([stored]);
        var samePosition = TestData.Story(runId, 1);
        samePosition.Title = "replayed with a new id";
        var batch = new[] { TestData.Story(runId, 0), samePosition, TestData.Story(runId, 2) };

        var inserted = await fixture.Database.Stories.AddRangeAsync(batch, Skip);

        inserted.Should().Be(2);
        var rows = await fixture.Database.Stories.GetByRunAsync(runId).ToListAsync();
        rows.Select(s => s.Id).Should().Equal(batch[0].Id, stored.Id, batch[2].Id);
        rows[1].Title.Should().Be(stored.Title);
    }

    [Fact]
    public async Task InsertMissingAsync_RowBreakingACheckConstraint_FailsInsteadOfBeingSkipped()
    {
        // A stories table whose CHECK the library's validator does not know: ON CONFLICT DO NOTHING must not swallow
        // it (INSERT OR IGNORE would, as it would NOT NULL failures), so the batch fails on the exact row.
        await using var db = fixture.CreateDatabase(o => o.TablePrefix = "chk_");
        await using var connection = (SqliteConnection)await fixture.OpenConnectionAsync();
        var columns = string.Join(", ", RunEngineTables.Stories.Columns.Select(c => $"\"{c.Name}\""));
        await connection.ExecuteAsync(
            $"CREATE TABLE {db.Provider.Tables.Stories} ({columns}, PRIMARY KEY (id), UNIQUE (run_id, position), CHECK (position < 5))");
        var runId = TestData.NewRunId();
        var existing = TestData.Story(runId, 0);
        await connection.ExecuteAsync(
            $"INSERT INTO {db.Provider.Tables.Stories} (id, run_id, position, title, status, version, created_at, updated_at) " +
            "VALUES (@Id, @RunId, 0, 'kept', 0, 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
            new { existing.Id, existing.RunId });
        var batch = new[] { existing, TestData.Story(runId, 1), TestData.Story(runId, 7), TestData.Story(runId, 2) };
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var rows = (await RowSource<Story>.OpenAsync(
            RunEngineTables.Stories, batch, new WriteContext(fixture.Time.GetUtcNow()), Skip, CancellationToken.None))!;

        var act = () => SqliteBulkWriter.Instance.InsertMissingAsync(connection, transaction, db.Provider.Stories, rows, Skip, CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SqliteException>()).Which;
        error.SqliteExtendedErrorCode.Should().Be(275, "SQLITE_CONSTRAINT_CHECK");
        rows.RejectedPosition.Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_EventIdAlreadyLoggedWithSkip_CountsOnlyTheNewEvent()
    {
        var runId = TestData.NewRunId();
        var logged = new RunEvent { Id = Guid.CreateVersion7(), RunId = runId, Kind = "host.step", Message = "first" };
        await fixture.Database.RunLog.AppendAsync([logged]);
        var fresh = new RunEvent { Id = Guid.CreateVersion7(), RunId = runId, Kind = "host.step", Message = "second" };

        var result = await fixture.Database.WriteCycleAsync([], [], [logged, fresh], Skip);

        result.Events.Should().Be(1);
        (await fixture.Database.RunLog.GetByRunAsync(runId).ToListAsync()).Select(e => e.Message).Should().Equal("first", "second");
    }
}
